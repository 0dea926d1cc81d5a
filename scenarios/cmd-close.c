/* cmd-close.c - `close NAME`: cancels the socket's background tasks, closes it and waits
 * for its close event. */
#include "command-api.h"

static bool closed(scn_session *s, scn_command *cmd, scn_status *st)
{
  mcb_socket_info info;
  mcb_socket_info_get(scn_target(s)->sock, &info);
  *st = SCN_DONE;
  return info.state == MCB_STATE_CLOSED;
}

static scn_status exec_close(scn_session *s, scn_command *cmd)
{
  scn_sock *ss = scn_target(s);
  /* Cancelled before the socket closes, so their pending sends count as cancelled. */
  size_t tasks = scn_tasks_cancel(s, ss->sock);
  int rc;
  if ((rc = mcb_close(ss->sock)) != 0) return scn_fail_core(s, cmd, scn_arg(cmd, "NAME"), rc);
  ss->echo = false;
  scn_note(s, cmd, "%s closed%s", ss->name, tasks ? " (its background work cancelled)" : "");
  /* The close event comes on the next loop pass; a bounded wait covers a stuck loop. */
  return scn_wait(s, cmd, 5000000000ull, (scn_waiter){.poll = closed});
}

static const char *const forms[] = {"NAME", NULL};

const scn_entry scn_cmd_close = {
    .name = "close",
    .forms = forms,
    .summary = "close a socket",
    .help = "Closes NAME: its send streams (send ... rate, every) stop at once and what they "
            "had left to send is counted as cancelled, not as errors; pending sends are cancelled, "
            "a unix socket's path is removed, and any later use of NAME fails with EBADF until "
            "it is opened again. Its counters stay readable.",
    .example = "close rx",
    .target = SCN_TARGET_SOCKET,
    .exec = exec_close,
};
