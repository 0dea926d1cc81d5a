/* cmd-help.c - `help [VERB]`: the table's own help, at the prompt or in a scenario. */
#include "command-api.h"
#include "help.h"

#include <stdio.h>
#include <stdlib.h>

static scn_status exec_help(scn_session *s, scn_command *cmd)
{
  const scn_token *verb = scn_arg(cmd, "VERB");
  char why[MCB_MSG_MAX], *text = NULL;
  size_t len = 0;
  FILE *out;
  int rc;

  if ((rc = scn_frontend(s, cmd, why, sizeof why)) < 0) /* the TUI shows its overlay */
    return scn_fail(s, cmd, verb, rc, "%s", why);
  if (rc == 0) return SCN_DONE;
  if ((out = open_memstream(&text, &len)) == NULL)
    return scn_fail(s, cmd, NULL, UV_ENOMEM, "help: out of memory");
  if (verb)
    scn_help_verb(out, scn_table_find(verb->text, why, sizeof why));
  else
    scn_help_index(out);
  fclose(out);
  scn_note(s, cmd, "%s", text);
  free(text);
  return SCN_DONE;
}

static const char *const forms[] = {"[VERB]", NULL};

const scn_entry scn_cmd_help = {
    .name = "help",
    .forms = forms,
    .summary = "list the commands, or explain one",
    .help = "Without VERB, lists every command with a summary; with VERB, shows its usage, what "
            "it does and examples. In the TUI, '?' shows the same with the key bindings.",
    .example = "help\nhelp join",
    .flags = SCN_F_IMMEDIATE,
    .exec = exec_help,
};
