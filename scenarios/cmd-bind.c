/* cmd-bind.c - `bind NAME [ADDR]:PORT | HOST:PORT | PATH`: binds a socket.
 *
 * A host name is resolved with uv_getaddrinfo, never blocking the loop: the command
 * parks and a task (owned by the session, so closing the session or the socket cancels
 * it) resumes it from the lookup's callback.
 */
#include "command-api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lookup {
  uv_getaddrinfo_t req;
  scn_task *task;
  mcb_socket *sock;
  uint64_t seq; /* the parked bind */
  int port;
  bool pending;
  char host[256];
} lookup;

static scn_status bound(scn_session *s, const scn_command *cmd, mcb_socket *sock)
{
  mcb_addr a;
  char text[MCB_ADDRSTRLEN];
  mcb_address(sock, &a);
  scn_note(s, cmd, "%s bound to %s", scn_arg(cmd, "NAME")->text,
           mcb_addr_format(&a, text, sizeof text));
  return SCN_DONE;
}

/* The first address of the lookup, with the port. */
static int first_address(int status, const struct addrinfo *res, int port, mcb_addr *a)
{
  if (status != 0) return status;
  if (res == NULL || res->ai_addrlen > sizeof a->u) return UV_EAI_NONAME;
  memset(a, 0, sizeof *a);
  memcpy(&a->u, res->ai_addr, res->ai_addrlen);
  a->len = res->ai_addrlen;
  if (a->u.sa.sa_family == AF_INET)
    a->u.in4.sin_port = htons((uint16_t)port);
  else
    a->u.in6.sin6_port = htons((uint16_t)port);
  return 0;
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
  lookup *lk = req->data;
  scn_task *t = lk->task;
  scn_session *s = scn_task_session(t);
  mcb_socket *sock = lk->sock;
  uint64_t seq = lk->seq;
  const scn_command *cmd;
  scn_status st;
  mcb_addr a;
  int rc;

  lk->pending = false;
  rc = first_address(status, res, lk->port, &a);
  uv_freeaddrinfo(res);
  if (scn_task_stopped(t)) return scn_task_release(t); /* cancelled: the session may be gone */
  scn_task_done(t);                                    /* frees lk */
  if ((cmd = scn_command_for(s, seq, NULL)) == NULL) return;
  if (rc != 0) {
    scn_fail_seq(s, seq, scn_arg(cmd, "ENDPOINT"), rc, "bind %s: cannot resolve the name: %s (%s)",
                 scn_arg(cmd, "ENDPOINT")->text, mcb_strerror(rc), mcb_err_name(rc));
    st = SCN_ERROR;
  } else if ((rc = mcb_bind_addr(sock, &a)) != 0) {
    scn_fail_seq(s, seq, scn_arg(cmd, "ENDPOINT"), rc, "%s", mcb_last_error(scn_session_bench(s)));
    st = SCN_ERROR;
  } else {
    st = bound(s, cmd, sock);
  }
  scn_session_resume(s, seq, st);
}

static int lookup_start(scn_task *t)
{
  lookup *lk = scn_task_data(t);
  mcb_socket_info info;
  struct addrinfo hints;
  int rc;
  mcb_socket_info_get(lk->sock, &info);
  memset(&hints, 0, sizeof hints);
  hints.ai_family = info.family == MCB_UDP6 ? AF_INET6 : AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  if (info.family == MCB_UDP6 && !(info.flags & MCB_V6ONLY)) hints.ai_flags = AI_V4MAPPED;
  lk->task = t;
  lk->req.data = lk;
  rc = uv_getaddrinfo(scn_session_loop(scn_task_session(t)), &lk->req, on_resolved, lk->host, NULL,
                      &hints);
  lk->pending = rc == 0;
  return rc;
}

static void lookup_stop(scn_task *t, scn_task_end why)
{
  lookup *lk = scn_task_data(t);
  if (lk->pending)
    uv_cancel((uv_req_t *)&lk->req); /* its callback still comes, and releases the task */
  else
    scn_task_release(t);
}

static const scn_task_ops lookup_ops = {
    .kind = "name lookup",
    .start = lookup_start,
    .stop = lookup_stop,
    .free = free,
};

/* The socket closed (or began closing) while its name was being looked up. */
static bool closed_meanwhile(scn_session *s, scn_command *cmd, scn_status *st)
{
  mcb_socket_info info;
  mcb_socket_info_get(scn_target(s)->sock, &info);
  if (info.state != MCB_STATE_CLOSED && info.state != MCB_STATE_CLOSING) return false;
  *st = scn_fail(s, cmd, scn_arg(cmd, "ENDPOINT"), UV_ECANCELED,
                 "bind %s: the socket was closed during the name lookup (ECANCELED)",
                 scn_arg(cmd, "ENDPOINT")->text);
  return true;
}

/* HOST:PORT with a host name: parks the command until the name is resolved. */
static scn_status bind_name(scn_session *s, scn_command *cmd, scn_sock *ss, const scn_token *ep)
{
  const char *colon = strrchr(ep->text, ':');
  lookup *lk = calloc(1, sizeof *lk);
  int rc;
  if (lk == NULL) return scn_fail(s, cmd, ep, UV_ENOMEM, "bind: out of memory");
  lk->sock = ss->sock;
  lk->seq = scn_command_seq(s);
  lk->port = atoi(colon + 1); /* 0..65535, checked with the grammar */
  snprintf(lk->host, sizeof lk->host, "%.*s", (int)(colon - ep->text), ep->text);
  if ((rc = scn_task_start(s, cmd, ss->sock, &lookup_ops, lk)) != 0)
    return scn_fail(s, cmd, ep, rc, "bind %s: cannot look the name up: %s (%s)", ep->text,
                    mcb_strerror(rc), mcb_err_name(rc));
  return scn_wait(s, cmd, 0, (scn_waiter){.poll = closed_meanwhile});
}

static scn_status exec_bind(scn_session *s, scn_command *cmd)
{
  const scn_token *ep = scn_arg(cmd, "ENDPOINT");
  scn_sock *ss = scn_target(s);
  mcb_socket_info info;
  mcb_addr a;
  int rc;

  mcb_socket_info_get(ss->sock, &info);
  if (info.family == MCB_UNIX) {
    rc = mcb_bind_path(ss->sock, ep->text);
  } else if ((rc = mcb_addr_parse(ep->text, info.family, &a)) == UV_EINVAL && ep->text[0] != '[' &&
             strrchr(ep->text, ':') > ep->text) {
    return bind_name(s, cmd, ss, ep);
  } else if (rc != 0) {
    return scn_fail(s, cmd, ep, rc, "bind %s: %s (%s)", ep->text,
                    rc == UV_ENODEV ? "no such interface" : "not an address for this socket",
                    mcb_err_name(rc));
  } else {
    rc = mcb_bind_addr(ss->sock, &a);
  }
  if (rc != 0) return scn_fail_core(s, cmd, ep, rc);
  return bound(s, cmd, ss->sock);
}

static const char *const forms[] = {"NAME ENDPOINT", NULL};

const scn_entry scn_cmd_bind = {
    .name = "bind",
    .forms = forms,
    .summary = "bind a socket to an address and port, or a unix path",
    .help = "Binds NAME. For udp: :PORT (all addresses), ADDRESS:PORT, [IPV6]:PORT or "
            "HOST:PORT (the name is resolved without blocking, for the socket's family, and "
            "the first address is used); port 0 picks a free port. For unix: a path; a stale "
            "socket file is replaced, any other file is refused, and the path is removed on "
            "close. A socket binds once.",
    .example = "bind rx :5000\nbind rx 0.0.0.0:5000\nbind rx localhost:5000\nbind r6 [::]:5000\n"
               "bind srv /tmp/mcb.sock",
    .target = SCN_TARGET_OPEN_SOCKET,
    .exec = exec_bind,
};
