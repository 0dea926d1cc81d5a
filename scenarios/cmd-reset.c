/* cmd-reset.c - `reset NAME`: zeroes a socket's counters and peer table. */
#include "session.h"

static scn_status exec_reset(scn_session *s, scn_command *cmd)
{
  scn_status st = SCN_ERROR;
  scn_sock *ss = scn_need_sock(s, cmd, &st);
  int rc;
  if (ss == NULL) return st;
  if ((rc = mcb_socket_reset(ss->sock)) != 0)
    return scn_fail(s, cmd, scn_arg(cmd, "NAME"), rc, "reset %s: %s (%s)", ss->name,
                    mcb_strerror(rc), mcb_err_name(rc));
  scn_note(s, cmd, "%s counters reset", ss->name);
  return SCN_DONE;
}

static const char *const forms[] = {"NAME", NULL};

const scn_entry scn_cmd_reset = {
    .name = "reset",
    .forms = forms,
    .summary = "zero a socket's counters and forget its peers",
    .help = "Zeroes NAME's receive and send counters and empties its peer table, so the next "
            "expectations count from here.",
    .example = "reset rx",
    .exec = exec_reset,
};
