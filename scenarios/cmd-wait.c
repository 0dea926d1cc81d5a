/* cmd-wait.c - `wait DUR`: lets time pass without blocking the loop. */
#include "command-api.h"
#include "values.h"

static scn_status exec_wait(scn_session *s, scn_command *cmd)
{
  uint64_t ns = 0;
  const char *why;
  scn_parse_duration(scn_arg(cmd, "DUR")->text, &ns, &why);
  if (ns == 0) return SCN_DONE;
  return scn_wait(s, cmd, ns, (scn_waiter){0});
}

static const char *const forms[] = {"DUR", NULL};

const scn_entry scn_cmd_wait = {
    .name = "wait",
    .forms = forms,
    .summary = "wait for a while",
    .help = "Waits DUR before the next command; traffic keeps flowing and being counted. "
            "Prefer 'expect ... within DUR', which ends as soon as its condition holds.",
    .example = "wait 500ms\nwait 1.5s",
    .exec = exec_wait,
};
