/* send.c - the send path: destination parsing, asynchronous name lookup, send queue.
 *
 * A send copies its payload, resolves a host name with uv_getaddrinfo when it has one,
 * then waits in the socket's queue until the descriptor is writable. Completion is
 * therefore always reported later, from the loop, never from inside mcb_send(). The
 * queue is bounded in bytes, and closing the socket completes everything pending with
 * UV_ECANCELED.
 */
#include "internal.h"
#include "rtnl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mcb__send_req {
  mcb__link link; /* in sock->resolving, then sock->sendq */
  mcb_socket *sock;
  uv_getaddrinfo_t gai;
  mcb_addr dest;
  int port;
  mcb_send_cb cb;
  void *arg;
  size_t len;
  char dest_text[MCB_ADDRSTRLEN + 8];
  uint8_t data[];
};

/* True when the kernel takes `a` for a broadcast destination: 255.255.255.255, or a
 * route of type broadcast (a local subnet's directed broadcast). Asked only after an
 * EACCES, which a prohibit route or a firewall gives too; the kernel answers an
 * RTM_GETROUTE within the request itself, so the loop does not wait on anything. */
static bool is_broadcast(const mcb_addr *a)
{
  struct in_addr dst;
  if (a->u.sa.sa_family == AF_INET)
    dst = a->u.in4.sin_addr;
  else if (a->u.sa.sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->u.in6.sin6_addr))
    memcpy(&dst, &a->u.in6.sin6_addr.s6_addr[12], sizeof dst);
  else
    return false;
  if (dst.s_addr == htonl(INADDR_BROADCAST)) return true;
  return mcb__route_type(&dst) == RTN_BROADCAST;
}

static void complete(mcb__send_req *req, int status, size_t bytes, bool resolved)
{
  mcb_socket *s = req->sock;
  char msg[MCB_MSG_MAX] = "";
  char what[MCB_MSG_MAX];
  mcb_send_result res = {.status = status,
                         .bytes = bytes,
                         .dest = resolved ? &req->dest : NULL,
                         .dest_text = req->dest_text,
                         .message = msg};
  mcb_event ev = {.type = MCB_EV_SENT, .sock = s, .sent = &res};

  s->sendq_bytes -= req->len;
  if (status == 0) {
    s->counters.tx_msgs++;
    if (s->fd >= 0) mcb__learn_local(s);
    s->counters.tx_bytes += bytes;
  } else {
    const char *why = NULL;
    if (status == UV_EACCES && !s->broadcast && resolved && is_broadcast(&req->dest))
      why = "permission denied, broadcast is off";
    mcb_msgf(what, sizeof what, "send to %s", req->dest_text);
    mcb__render(msg, sizeof msg, status, why, what);
    s->counters.tx_errors++;
  }
  if (req->cb != NULL) req->cb(s, &res, req->arg);
  mcb__emit(s->bench, &ev);
  free(req);
}

/* Makes an address usable on this socket: IPv4 on dual-stack udp6 becomes IPv4-mapped. */
int mcb__fit_family(const mcb_socket *s, mcb_addr *a)
{
  int fam = a->u.sa.sa_family;
  if (fam == mcb__sock_domain(s->family)) return 0;
  if (fam == AF_INET && s->family == MCB_UDP6 && !(s->flags & MCB_V6ONLY)) {
    struct sockaddr_in v4 = a->u.in4;
    memset(a, 0, sizeof *a);
    a->u.in6.sin6_family = AF_INET6;
    a->u.in6.sin6_port = v4.sin_port;
    a->u.in6.sin6_addr.s6_addr[10] = a->u.in6.sin6_addr.s6_addr[11] = 0xff;
    memcpy(&a->u.in6.sin6_addr.s6_addr[12], &v4.sin_addr, 4);
    a->len = sizeof a->u.in6;
    return 0;
  }
  return UV_EAFNOSUPPORT;
}

static void enqueue(mcb__send_req *req)
{
  mcb__list_insert_tail(&req->sock->sendq, &req->link);
  mcb__update_poll(req->sock);
}

static void on_resolved(uv_getaddrinfo_t *gai, int status, struct addrinfo *res)
{
  mcb__send_req *req = gai->data;
  mcb_socket *s = req->sock;

  mcb__list_remove(&req->link);
  if (s->state != MCB_STATE_OPEN && s->state != MCB_STATE_BOUND) {
    complete(req, UV_ECANCELED, 0, false);
  } else if (status != 0) {
    complete(req, status == UV_EAI_CANCELED ? UV_ECANCELED : status, 0, false);
  } else if (res == NULL || res->ai_addrlen > sizeof req->dest.u) {
    complete(req, UV_EAI_NONAME, 0, false);
  } else {
    memset(&req->dest, 0, sizeof req->dest);
    memcpy(&req->dest.u, res->ai_addr, res->ai_addrlen);
    req->dest.len = res->ai_addrlen;
    if (req->dest.u.sa.sa_family == AF_INET)
      req->dest.u.in4.sin_port = htons((uint16_t)req->port);
    else
      req->dest.u.in6.sin6_port = htons((uint16_t)req->port);
    if (mcb__fit_family(s, &req->dest) != 0)
      complete(req, UV_EAFNOSUPPORT, 0, true);
    else
      enqueue(req);
  }
  uv_freeaddrinfo(res);
  mcb__unref(s); /* last: may emit MCB_EV_CLOSE */
}

static mcb__send_req *new_req(mcb_socket *s, const void *buf, size_t len, const char *dest_text,
                              mcb_send_cb cb, void *arg)
{
  mcb__send_req *req = malloc(sizeof *req + len);
  if (req == NULL) return NULL;
  memset(req, 0, sizeof *req);
  req->sock = s;
  req->cb = cb;
  req->arg = arg;
  req->len = len;
  if (len > 0) memcpy(req->data, buf, len);
  snprintf(req->dest_text, sizeof req->dest_text, "%s", dest_text);
  mcb__list_init(&req->link);
  return req;
}

/* Checks shared by both entry points; records the error. */
static int admit(mcb_socket *s, const void *buf, size_t len, const char *what)
{
  char why[MCB_MSG_MAX];
  if (!mcb__usable(s, what)) return UV_EBADF;
  if (buf == NULL && len > 0) return mcb__fail(s->bench, UV_EINVAL, "no payload", "%s", what);
  if (len > 65535 && s->family != MCB_UNIX)
    return mcb__fail(s->bench, UV_EMSGSIZE, "a UDP datagram carries at most 65507 bytes", "%s",
                     what);
  if (s->sendq_bytes + len > s->bench->limits.send_queue_bytes) {
    mcb_msgf(why, sizeof why, "send queue full (%zu bytes waiting)", s->sendq_bytes);
    return mcb__fail(s->bench, UV_ENOBUFS, why, "%s", what);
  }
  return 0;
}

int mcb_send_addr(mcb_socket *s, const void *buf, size_t len, const mcb_addr *dest, mcb_send_cb cb,
                  void *arg)
{
  char text[MCB_ADDRSTRLEN], what[MCB_MSG_MAX];
  mcb__send_req *req;
  mcb_addr a = *dest;
  int rc;

  mcb_msgf(what, sizeof what, "send to %s", mcb_addr_format(dest, text, sizeof text));
  if ((rc = admit(s, buf, len, what)) != 0) return rc;
  if (mcb__fit_family(s, &a) != 0)
    return mcb__fail(s->bench, UV_EAFNOSUPPORT, "destination family does not match the socket",
                     "%s from a %s socket", what, mcb_family_name(s->family));
  req = new_req(s, buf, len, text, cb, arg);
  if (req == NULL) return mcb__fail(s->bench, UV_ENOMEM, NULL, "%s", what);
  req->dest = a;
  s->sendq_bytes += len;
  enqueue(req);
  return 0;
}

int mcb_send(mcb_socket *s, const void *buf, size_t len, const char *dest, mcb_send_cb cb,
             void *arg)
{
  char what[MCB_MSG_MAX];
  struct addrinfo hints;
  mcb__send_req *req;
  mcb_hostport hp;
  const char *why;
  mcb_addr a;
  int rc;

  if (dest == NULL || *dest == '\0')
    return mcb__fail(s->bench, UV_EINVAL, "no destination", "send");
  mcb_msgf(what, sizeof what, "send to %s", dest);
  if ((rc = admit(s, buf, len, what)) != 0) return rc;
  if (s->family == MCB_UNIX) {
    if ((rc = mcb__addr_unix(dest, &a)) != 0) return mcb__fail(s->bench, rc, NULL, "%s", what);
    return mcb_send_addr(s, buf, len, &a, cb, arg);
  }
  if (mcb_addr_split(dest, &hp, &why) != 0) return mcb__fail(s->bench, UV_EINVAL, why, "%s", what);
  if (hp.port == 0 || hp.host[0] == '\0')
    return mcb__fail(s->bench, UV_EINVAL, "a destination needs a host and a port 1..65535", "%s",
                     what);
  rc = mcb_addr_parse_host(hp.host, &a);
  if (rc == 0) {
    if (a.u.sa.sa_family == AF_INET)
      a.u.in4.sin_port = htons((uint16_t)hp.port);
    else
      a.u.in6.sin6_port = htons((uint16_t)hp.port);
    return mcb_send_addr(s, buf, len, &a, cb, arg);
  }
  if (rc == UV_ENODEV) return mcb__fail(s->bench, rc, "no such interface in scope", "%s", what);
  if (hp.bracketed || !mcb_addr_is_hostname(hp.host))
    return mcb__fail(s->bench, UV_EINVAL, "not an address or host name", "%s", what);

  req = new_req(s, buf, len, dest, cb, arg);
  if (req == NULL) return mcb__fail(s->bench, UV_ENOMEM, NULL, "%s", what);
  req->port = hp.port;
  req->gai.data = req;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = mcb__sock_domain(s->family);
  hints.ai_socktype = SOCK_DGRAM;
  if (s->family == MCB_UDP6 && !(s->flags & MCB_V6ONLY)) hints.ai_flags = AI_V4MAPPED;
  rc = uv_getaddrinfo(s->bench->loop, &req->gai, on_resolved, hp.host, NULL, &hints);
  if (rc != 0) {
    free(req);
    return mcb__fail(s->bench, rc, NULL, "%s", what);
  }
  s->sendq_bytes += len;
  s->refs++;
  mcb__list_insert_tail(&s->resolving, &req->link);
  return 0;
}

void mcb__on_writable(mcb_socket *s)
{
  unsigned budget = s->bench->limits.rx_batch;
  while (budget-- > 0 && !mcb__list_empty(&s->sendq)) {
    mcb__send_req *req = MCB__CONTAINER(s->sendq.next, mcb__send_req, link);
    ssize_t n = sendto(s->fd, req->data, req->len, 0, &req->dest.u.sa, req->dest.len);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
    mcb__list_remove(&req->link);
    complete(req, n < 0 ? -errno : 0, n < 0 ? 0 : (size_t)n, true);
    if (s->fd < 0) return; /* a callback closed the socket; the close path owns the queue */
  }
  mcb__update_poll(s);
}

void mcb__send_cancel_lookups(mcb_socket *s)
{
  /* Each lookup still finishes through on_resolved(), which sees the closed socket. */
  for (mcb__link *l = s->resolving.next; l != &s->resolving; l = l->next)
    uv_cancel((uv_req_t *)&MCB__CONTAINER(l, mcb__send_req, link)->gai);
}

void mcb__send_cancel_queued(mcb_socket *s)
{
  while (!mcb__list_empty(&s->sendq)) {
    mcb__send_req *req = MCB__CONTAINER(s->sendq.next, mcb__send_req, link);
    mcb__list_remove(&req->link);
    complete(req, UV_ECANCELED, 0, true);
  }
}
