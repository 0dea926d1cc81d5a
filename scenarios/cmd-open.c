/* cmd-open.c - `open NAME udp4|udp6|unix [reuse] [v6only] [on NODE]`: creates a socket,
 * in a lab node when `on` names one (a socket stays in the namespace it was made in). */
#include "command-api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static scn_status exec_open(scn_session *s, scn_command *cmd)
{
  const scn_token *name = scn_arg(cmd, "NAME");
  scn_sock *ss = scn_find_sock(s, name->text);
  unsigned flags =
      (scn_arg(cmd, "reuse") ? MCB_REUSE : 0) | (scn_arg(cmd, "v6only") ? MCB_V6ONLY : 0);
  const char *fam = scn_arg_word(cmd, "udp4|udp6|unix|unix_dgram");
  const scn_token *node = scn_arg(cmd, "on");
  mcb_family family;
  mcb_socket *sock;
  int rc;

  if (fam == NULL || mcb_family_parse(fam, &family) != 0)
    return scn_fail(s, cmd, NULL, UV_EINVAL, "open %s: unknown family", name->text);
  if (ss != NULL && ss->sock != NULL) {
    mcb_socket_info info;
    mcb_socket_info_get(ss->sock, &info);
    if (info.state != MCB_STATE_CLOSED)
      return scn_fail(s, cmd, name, UV_EEXIST, "open %s: socket '%s' is already open", name->text,
                      name->text);
  }
  if (node != NULL) {
    mcb_lab *lab = scn_session_lab(s, cmd);
    if (lab == NULL) return SCN_ERROR;
    if ((rc = mcb_lab_enter(lab, node->text)) != 0)
      return scn_fail(s, cmd, node, rc, "open %s: %s", name->text, mcb_lab_last_error(lab));
    rc = mcb_open(scn_session_bench(s), family, flags, &sock);
    if (mcb_lab_leave(lab) != 0) abort(); /* never go on in the wrong namespace */
  } else {
    rc = mcb_open(scn_session_bench(s), family, flags, &sock);
  }
  if (rc != 0) return scn_fail_core(s, cmd, NULL, rc);
  if (ss == NULL && (ss = scn_add_sock(s, name->text)) == NULL) {
    mcb_close(sock);
    return scn_fail(s, cmd, name, UV_ENOBUFS, "open %s: too many socket names", name->text);
  }
  if (ss->sock != NULL) mcb_socket_free(ss->sock); /* the closed one this name held */
  ss->sock = sock;
  ss->echo = false;
  memset(&ss->send, 0, sizeof ss->send);
  snprintf(ss->node, sizeof ss->node, "%s", node ? node->text : "");
  mcb_socket_set_data(sock, ss);
  scn_note(s, cmd, "%s: %s socket open%s%s%s", name->text, mcb_family_name(family),
           flags & MCB_REUSE ? " (reuse)" : "", node ? " in " : "", node ? node->text : "");
  return SCN_DONE;
}

static const char *const forms[] = {"NAME udp4|udp6|unix|unix_dgram [reuse] [v6only] [on NODE]",
                                    NULL};

const scn_entry scn_cmd_open = {
    .name = "open",
    .forms = forms,
    .summary = "create a datagram socket",
    .help = "Creates a socket named NAME: udp4, udp6 or unix (datagram). The socket exists at "
            "once, so options can be set before bind (unix_dgram is Node's name for unix). reuse "
            "sets SO_REUSEADDR and SO_REUSEPORT "
            "so several sockets (and programs) can listen on one group port; v6only keeps a udp6 "
            "socket off IPv4-mapped traffic. on NODE creates it inside a lab node (see lab): it "
            "stays there, and the interface names later commands give it are the node's. A name "
            "can be opened again after close.",
    .example = "open rx udp4 reuse\nopen r6 udp6\nopen srv unix\nlab host h1\nopen tx udp4 on h1",
    .flags = SCN_F_DECLARES,
    .exec = exec_open,
};
