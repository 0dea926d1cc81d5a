/* cmd-set.c - `set NAME OPTION VALUE`: socket options and echo mode. */
#include "session.h"
#include "values.h"

#include <string.h>

static bool onoff(const char *text, bool current)
{
  if (strcmp(text, "toggle") == 0) return !current;
  return strcmp(text, "on") == 0;
}

static scn_status exec_set(scn_session *s, scn_command *cmd)
{
  scn_status st = SCN_ERROR;
  scn_sock *ss = scn_need_sock(s, cmd, &st);
  const char *opt = cmd->argv[2].text;
  const scn_token *val = &cmd->argv[3];
  mcb_socket_info info;
  int64_t n = 0;
  const char *why;
  int rc = 0;

  if (ss == NULL) return st;
  mcb_socket_info_get(ss->sock, &info);
  if (cmd->form == 1 || cmd->form == 3) scn_parse_int(val->text, INT32_MIN, INT32_MAX, &n, &why);
  if (strcmp(opt, "broadcast") == 0)
    rc = mcb_set_broadcast(ss->sock, onoff(val->text, info.broadcast));
  else if (strcmp(opt, "loopback") == 0)
    rc = mcb_set_multicast_loopback(ss->sock, onoff(val->text, info.mcast_loop));
  else if (strcmp(opt, "ttl") == 0)
    rc = mcb_set_ttl(ss->sock, (int)n);
  else if (strcmp(opt, "mcast-ttl") == 0)
    rc = mcb_set_multicast_ttl(ss->sock, (int)n);
  else if (strcmp(opt, "rcvbuf") == 0)
    rc = mcb_set_rcvbuf(ss->sock, (int)n);
  else if (strcmp(opt, "mcast-if") == 0)
    rc = mcb_set_multicast_interface(ss->sock, strcmp(val->text, "default") ? val->text : NULL);
  else if (strcmp(opt, "echo") == 0) {
    if (info.state == MCB_STATE_CLOSED || info.state == MCB_STATE_CLOSING)
      return scn_fail(s, cmd, scn_arg(cmd, "NAME"), UV_EBADF, "set echo: socket is closed (EBADF)");
    ss->echo = onoff(val->text, ss->echo);
    scn_note(s, cmd, "%s echo %s", ss->name, ss->echo ? "on" : "off");
    return SCN_DONE;
  }
  if (rc != 0) return scn_fail_core(s, cmd, val, rc);
  mcb_socket_info_get(ss->sock, &info);
  if (strcmp(opt, "broadcast") == 0 || strcmp(opt, "loopback") == 0)
    scn_note(s, cmd, "%s %s %s", ss->name, opt,
             (opt[0] == 'b' ? info.broadcast : info.mcast_loop) ? "on" : "off");
  else if (strcmp(opt, "rcvbuf") == 0)
    scn_note(s, cmd, "%s rcvbuf %d (kernel value)", ss->name, info.rcvbuf);
  else
    scn_note(s, cmd, "%s %s %s", ss->name, opt, val->text);
  return SCN_DONE;
}

static const char *const forms[] = {
    "NAME broadcast|loopback|echo on|off|toggle",
    "NAME ttl|mcast-ttl TTL",
    "NAME mcast-if IFACE",
    "NAME rcvbuf BYTES",
    NULL,
};

const scn_entry scn_cmd_set = {
    .name = "set",
    .forms = forms,
    .summary = "set a socket option",
    .help = "broadcast: allow sending to broadcast addresses (SO_BROADCAST). loopback: hear "
            "our own multicast on this host (IP_MULTICAST_LOOP). echo: reply to each datagram's "
            "sender with the same payload. ttl: unicast TTL or hop limit, 1..255. mcast-ttl: "
            "multicast TTL, 0..255. mcast-if: the interface multicast leaves by (name, index, "
            "IPv4 address, or default). rcvbuf: receive buffer bytes (the kernel doubles it). "
            "Out-of-range values fail with EINVAL and change nothing.",
    .example = "set tx mcast-ttl 4\nset tx loopback off\nset tx broadcast on\nset tx mcast-if "
               "mcb0\nset srv echo on",
    .exec = exec_set,
};
