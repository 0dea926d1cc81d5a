/* cmd-say.c - narration: `say TEXT` and `pause [TEXT]`. */
#include "command-api.h"

static scn_status exec_say(scn_session *s, scn_command *cmd)
{
  scn_say(s, cmd, scn_arg(cmd, "TEXT")->text);
  return SCN_DONE;
}

static scn_status exec_pause(scn_session *s, scn_command *cmd);

static const char *const say_forms[] = {"TEXT", NULL};
static const char *const pause_forms[] = {"[TEXT]", NULL};

const scn_entry scn_cmd_say = {
    .name = "say",
    .forms = say_forms,
    .summary = "narrate: print a line, or show it as the TUI's banner",
    .help = "Shows TEXT: printed when running headless, shown in the narration bar of the TUI. "
            "Use it to explain each step of a demo.",
    .example = "say \"Now the receiver joins 239.1.1.1\"",
    .exec = exec_say,
};

const scn_entry scn_cmd_pause = {
    .name = "pause",
    .forms = pause_forms,
    .summary = "wait for a key in the TUI (ignored headless)",
    .help = "In 'mcbench play', stops until the operator presses Space or Enter, showing TEXT "
            "if given. 'mcbench run' ignores it, so one file serves both.",
    .example = "pause \"Press Space to send\"",
    .exec = exec_pause,
};

static scn_status exec_pause(scn_session *s, scn_command *cmd)
{
  const scn_token *t = scn_arg(cmd, "TEXT");
  return scn_pause(s, cmd, t ? t->text : "");
}
