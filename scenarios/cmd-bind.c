/* cmd-bind.c - `bind NAME [ADDR]:PORT | PATH`: binds a socket. */
#include "session.h"

static scn_status exec_bind(scn_session *s, scn_command *cmd)
{
  const scn_token *ep = scn_arg(cmd, "ENDPOINT");
  scn_status st = SCN_ERROR;
  scn_sock *ss = scn_need_sock(s, cmd, &st);
  mcb_socket_info info;
  mcb_addr a;
  char text[MCB_ADDRSTRLEN];
  int rc;

  if (ss == NULL) return st;
  mcb_socket_info_get(ss->sock, &info);
  if (info.family == MCB_UNIX) {
    rc = mcb_bind_path(ss->sock, ep->text);
  } else if ((rc = mcb_addr_parse(ep->text, info.family, &a)) != 0) {
    return scn_fail(s, cmd, ep, rc, "bind %s: %s (%s)", ep->text,
                    rc == UV_ENODEV ? "no such interface" : "not an address for this socket",
                    mcb_err_name(rc));
  } else {
    rc = mcb_bind_addr(ss->sock, &a);
  }
  if (rc != 0) return scn_fail_core(s, cmd, ep, rc);
  mcb_address(ss->sock, &a);
  scn_note(s, cmd, "%s bound to %s", ss->name, mcb_addr_format(&a, text, sizeof text));
  return SCN_DONE;
}

static const char *const forms[] = {"NAME ENDPOINT", NULL};

const scn_entry scn_cmd_bind = {
    .name = "bind",
    .forms = forms,
    .summary = "bind a socket to an address and port, or a unix path",
    .help = "Binds NAME. For udp: :PORT (all addresses), ADDRESS:PORT or [IPV6]:PORT; port 0 "
            "picks a free port. For unix: a path; a stale socket file is replaced, any other "
            "file is refused, and the path is removed on close. A socket binds once.",
    .example = "bind rx :5000\nbind rx 0.0.0.0:5000\nbind r6 [::]:5000\nbind srv /tmp/mcb.sock",
    .exec = exec_bind,
};
