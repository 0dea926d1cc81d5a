/* cmd-reset.c - `reset NAME`: zeroes a socket's counters and peer table. */
#include "command-api.h"

static scn_status exec_reset(scn_session *s, scn_command *cmd)
{
  scn_sock *ss = scn_target(s);
  int rc;
  if ((rc = mcb_socket_reset(ss->sock)) != 0)
    return scn_fail(s, cmd, scn_arg(cmd, "NAME"), rc, "reset %s: %s (%s)", ss->name,
                    mcb_strerror(rc), mcb_err_name(rc));
  memset(&ss->send, 0, sizeof ss->send);
  scn_note(s, cmd, "%s counters reset", ss->name);
  return SCN_DONE;
}

static const char *const forms[] = {"NAME", NULL};

const scn_entry scn_cmd_reset = {
    .name = "reset",
    .forms = forms,
    .summary = "zero a socket's counters and forget its peers",
    .help = "Zeroes NAME's receive and send counters (send errors included) and empties its "
            "peer table, so the next expectations count from here. Counters are cumulative: "
            "between the phases of a scenario (before and after a join, a drop, an option "
            "change) reset the receiver, so each phase's expect counts only its own datagrams.",
    .example = "reset rx",
    .target = SCN_TARGET_SOCKET,
    .exec = exec_reset,
};
