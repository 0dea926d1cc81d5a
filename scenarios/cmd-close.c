/* cmd-close.c - `close NAME`: closes a socket and waits for its close event. */
#include "session.h"

static bool closed(scn_session *s, scn_command *cmd, scn_status *st)
{
  const scn_sock *ss = scn_session_socket(s, scn_arg(cmd, "NAME")->text);
  mcb_socket_info info;
  mcb_socket_info_get(ss->sock, &info);
  *st = SCN_DONE;
  return info.state == MCB_STATE_CLOSED;
}

static scn_status exec_close(scn_session *s, scn_command *cmd)
{
  scn_status st = SCN_ERROR;
  scn_sock *ss = scn_need_sock(s, cmd, &st);
  int rc;
  if (ss == NULL) return st;
  if ((rc = mcb_close(ss->sock)) != 0) return scn_fail_core(s, cmd, scn_arg(cmd, "NAME"), rc);
  ss->echo = false;
  scn_note(s, cmd, "%s closed", ss->name);
  /* The close event comes on the next loop pass; a bounded wait covers a stuck loop. */
  return scn_wait(s, cmd, 5000000000ull, (scn_waiter){.poll = closed});
}

static const char *const forms[] = {"NAME", NULL};

const scn_entry scn_cmd_close = {
    .name = "close",
    .forms = forms,
    .summary = "close a socket",
    .help = "Closes NAME: pending sends are cancelled, a unix socket's path is removed, and "
            "any later use of NAME fails with EBADF until it is opened again. Its counters "
            "stay readable.",
    .example = "close rx",
    .exec = exec_close,
};
