/* socket.c - socket lifecycle: open, bind, address, close, free and state.
 *
 * Each socket owns a non-blocking descriptor watched by a uv_poll_t (libuv's uv_udp_t
 * hides the control messages we need). The descriptor is created at open, so options
 * work before bind; it is closed at mcb_close() and never touched again.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *mcb_state_name(mcb_state state)
{
  switch (state) {
  case MCB_STATE_OPEN:
    return "open";
  case MCB_STATE_BOUND:
    return "bound";
  case MCB_STATE_CLOSING:
    return "closing";
  case MCB_STATE_CLOSED:
    return "closed";
  }
  return "?";
}

int mcb__sock_domain(mcb_family f)
{
  return f == MCB_UDP4 ? AF_INET : f == MCB_UDP6 ? AF_INET6 : AF_UNIX;
}

bool mcb__usable(mcb_socket *s, const char *what)
{
  if (s->state == MCB_STATE_OPEN || s->state == MCB_STATE_BOUND) return true;
  mcb__fail(s->bench, UV_EBADF, "socket is closed", "%s", what);
  return false;
}

void mcb__emit_simple(mcb_socket *s, mcb_event_type type)
{
  mcb_event ev = {.type = type, .sock = s};
  mcb__emit(s->bench, &ev);
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
  mcb_socket *s = handle->data;
  if (status < 0) {
    char msg[MCB_MSG_MAX], where[MCB_MSG_MAX];
    mcb_event ev = {.type = MCB_EV_ERROR, .sock = s, .error = status, .message = msg};
    mcb_msgf(where, sizeof where, "poll %s socket", mcb_family_name(s->family));
    mcb__render(msg, sizeof msg, status, NULL, where);
    s->counters.rx_errors++;
    mcb__emit(s->bench, &ev);
    return;
  }
  if (events & UV_READABLE) mcb__on_readable(s);
  if ((events & UV_WRITABLE) && s->fd >= 0) mcb__on_writable(s);
}

void mcb__update_poll(mcb_socket *s)
{
  int want = UV_READABLE | (mcb__list_empty(&s->sendq) ? 0 : UV_WRITABLE);
  if (s->fd < 0 || want == s->poll_events) return;
  if (uv_poll_start(&s->poll, want, on_poll) == 0) s->poll_events = want;
}

int mcb__getint(int fd, int level, int name, int fallback)
{
  int v;
  socklen_t len = sizeof v;
  return getsockopt(fd, level, name, &v, &len) == 0 ? v : fallback;
}

static int setup_fd(mcb_socket *s, unsigned flags)
{
  int one = 1, zero = 0;
  if ((flags & MCB_REUSE) && s->family != MCB_UNIX) {
    if (setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return -errno;
    if (setsockopt(s->fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) return -errno;
  }
  if (s->family == MCB_UDP6 && setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY,
                                          (flags & MCB_V6ONLY) ? &one : &zero, sizeof one) != 0)
    return -errno;
  /* Without this, Linux hands a wildcard-bound socket every group joined by anyone on
   * the host for its port (mcjoin, smcroute). Older kernels lack the IPv6 variant. */
  if (s->family != MCB_UNIX)
    (void)setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero);
#ifdef IPV6_MULTICAST_ALL
  if (s->family == MCB_UDP6)
    (void)setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &zero, sizeof zero);
#endif
  return mcb__rx_enable(s);
}

static void free_failed_open(uv_handle_t *handle)
{
  mcb_socket *s = handle->data;
  mcb__peers_free(&s->peers);
  free(s);
}

int mcb_open(mcb_bench *b, mcb_family family, unsigned flags, mcb_socket **out)
{
  const char *fname = mcb_family_name(family);
  mcb_socket *s;
  int rc;

  *out = NULL;
  if (family < MCB_UDP4 || family > MCB_UNIX)
    return mcb__fail(b, UV_EINVAL, "unknown family", "open");
  if (flags & ~(unsigned)(MCB_REUSE | MCB_V6ONLY))
    return mcb__fail(b, UV_EINVAL, "unknown flags", "open %s", fname);
  if ((flags & MCB_V6ONLY) && family != MCB_UDP6)
    return mcb__fail(b, UV_EINVAL, "v6only applies to udp6 sockets", "open %s", fname);
  if (b->closing) return mcb__fail(b, UV_EINVAL, "the bench is closing", "open %s", fname);
  if (b->nsockets_open >= b->limits.max_sockets) {
    char why[MCB_MSG_MAX];
    mcb_msgf(why, sizeof why, "too many sockets (limit %zu)", b->limits.max_sockets);
    return mcb__fail(b, UV_EMFILE, why, "open %s", fname);
  }

  s = calloc(1, sizeof *s);
  if (s == NULL) return mcb__fail(b, UV_ENOMEM, NULL, "open %s", fname);
  s->bench = b;
  s->family = family;
  s->flags = flags;
  s->state = MCB_STATE_OPEN;
  mcb__list_init(&s->sendq);
  mcb__list_init(&s->resolving);
  if ((rc = mcb__peers_init(&s->peers, &b->limits)) != 0) {
    free(s);
    return mcb__fail(b, rc, NULL, "open %s", fname);
  }
  s->fd = socket(mcb__sock_domain(family), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->fd < 0) {
    rc = -errno;
    goto fail;
  }
  if ((rc = setup_fd(s, flags)) != 0) goto fail;
  mcb__opt_read_all(s);
  if ((rc = uv_poll_init(b->loop, &s->poll, s->fd)) != 0) goto fail;
  s->poll.data = s;
  if ((rc = uv_poll_start(&s->poll, UV_READABLE, on_poll)) != 0) {
    /* The handle is initialised: its memory is released in its close callback. */
    close(s->fd);
    uv_close((uv_handle_t *)&s->poll, free_failed_open);
    return mcb__fail(b, rc, NULL, "open %s", fname);
  }
  s->poll_events = UV_READABLE;
  s->refs = 1;
  mcb__kdrops_start(s); /* the drop counter's timer: one more reference */
  mcb__list_insert_tail(&b->sockets, &s->link);
  b->nsockets_open++;
  *out = s;
  return 0;

fail:
  if (s->fd >= 0) close(s->fd);
  mcb__peers_free(&s->peers);
  free(s);
  return mcb__fail(b, rc, NULL, "open %s", fname);
}

/* Unlinks the socket file only if it is still the one this socket created. */
static void unlink_path(mcb_socket *s)
{
  struct stat st;
  const char *path = s->local.u.un.sun_path;
  if (!s->unlink_on_close) return;
  s->unlink_on_close = false;
  if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == s->path_dev &&
      st.st_ino == s->path_ino)
    unlink(path);
}

void mcb__unref(mcb_socket *s)
{
  if (--s->refs > 0) return;
  s->state = MCB_STATE_CLOSED;
  mcb__emit_simple(s, MCB_EV_CLOSE);
  mcb__socket_released(s); /* may free the bench and this socket: nothing after this */
}

static void on_poll_closed(uv_handle_t *handle)
{
  mcb_socket *s = handle->data;
  mcb__send_cancel_queued(s);
  mcb__unref(s);
}

int mcb_close(mcb_socket *s)
{
  mcb_bench *b = s->bench;
  if (!mcb__usable(s, "close")) return UV_EBADF;
  s->state = MCB_STATE_CLOSING;
  b->nsockets_open--;
  b->nsockets_closing++;
  uv_poll_stop(&s->poll);
  mcb__kdrops_stop(s); /* a last read: the count stays readable after close */
  close(s->fd);
  s->fd = -1;
  unlink_path(s);
  mcb__send_cancel_lookups(s); /* queued sends complete in on_poll_closed() */
  uv_close((uv_handle_t *)&s->poll, on_poll_closed);
  return 0;
}

int mcb_socket_free(mcb_socket *s)
{
  if (s->state != MCB_STATE_CLOSED)
    return mcb__fail(s->bench, UV_EBUSY, "the socket is not closed yet", "free");
  mcb__list_remove(&s->link);
  mcb__peers_free(&s->peers);
  free(s->groups);
  free(s);
  return 0;
}

int mcb_fileno(const mcb_socket *s, int *fd)
{
  *fd = -1;
  if (s->state != MCB_STATE_OPEN && s->state != MCB_STATE_BOUND) return UV_EBADF;
  *fd = s->fd;
  return 0;
}

void mcb_socket_set_data(mcb_socket *s, void *data)
{
  s->data = data;
}

void *mcb_socket_data(const mcb_socket *s)
{
  return s->data;
}

mcb_bench *mcb_socket_bench(const mcb_socket *s)
{
  return s->bench;
}

mcb_family mcb_socket_family(const mcb_socket *s)
{
  return s->family;
}

/* A dgram socket file nobody listens on refuses connections: that is a stale file. */
static int replace_stale(mcb_socket *s, const char *path, const char **why)
{
  struct stat st;
  struct sockaddr_un sun;
  int probe, rc;

  if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -errno;
  if (!S_ISSOCK(st.st_mode)) {
    *why = "file exists and is not a socket";
    return UV_EADDRINUSE;
  }
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  memcpy(sun.sun_path, path, strlen(path) + 1);
  probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return -errno;
  rc = connect(probe, (struct sockaddr *)&sun, sizeof sun) == 0 ? 0 : -errno;
  close(probe);
  if (rc == 0) {
    *why = "another socket is bound to it";
    return UV_EADDRINUSE;
  }
  if (rc != UV_ECONNREFUSED) return rc;
  (void)s;
  return unlink(path) == 0 ? 0 : -errno;
}

int mcb_bind_addr(mcb_socket *s, const mcb_addr *addr)
{
  char text[MCB_ADDRSTRLEN], bound[MCB_MSG_MAX];
  const char *why = NULL;
  bool is_path;
  int rc;

  mcb_addr_format(addr, text, sizeof text);
  if (!mcb__usable(s, "bind")) return UV_EBADF;
  if (s->bound) {
    mcb_msgf(bound, sizeof bound, "already bound to %s",
             mcb_addr_format(&s->local, text, sizeof text));
    return mcb__fail(s->bench, UV_EINVAL, bound, "bind %s",
                     mcb_addr_format(addr, text, sizeof text));
  }
  if (addr->u.sa.sa_family != mcb__sock_domain(s->family))
    return mcb__fail(s->bench, UV_EAFNOSUPPORT, "address family does not match the socket",
                     "bind %s on a %s socket", text, mcb_family_name(s->family));
  is_path = s->family == MCB_UNIX && addr->len > offsetof(struct sockaddr_un, sun_path) &&
            addr->u.un.sun_path[0] != '\0';
  if (is_path && (rc = replace_stale(s, addr->u.un.sun_path, &why)) != 0)
    return mcb__fail(s->bench, rc, why, "bind %s", text);
  if (bind(s->fd, &addr->u.sa, addr->len) != 0) {
    rc = -errno;
    if (rc == UV_EINVAL && s->family != MCB_UNIX)
      why = "already bound by the kernel (after a send)";
    return mcb__fail(s->bench, rc, why, "bind %s", text);
  }
  if (is_path) {
    struct stat st;
    if (lstat(addr->u.un.sun_path, &st) == 0) {
      s->unlink_on_close = true;
      s->path_dev = st.st_dev;
      s->path_ino = st.st_ino;
    }
  }
  s->bound = true;
  s->state = MCB_STATE_BOUND;
  if (s->family == MCB_UNIX) {
    /* A bound unix receiver learns each sender's pid, uid and gid. Only once bound: on an
     * unbound socket SO_PASSCRED would make the kernel autobind it at its first send. */
    int on = 1;
    (void)setsockopt(s->fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    s->local = *addr;
  } else {
    s->local.len = sizeof s->local.u;
    if (getsockname(s->fd, &s->local.u.sa, &s->local.len) != 0) s->local = *addr;
  }
  mcb__emit_simple(s, MCB_EV_LISTENING);
  if (s->state == MCB_STATE_BOUND) mcb__emit_simple(s, MCB_EV_CHANGED);
  return 0;
}

int mcb_bind(mcb_socket *s, const char *host, int port)
{
  mcb_addr a;
  int rc;
  if (s->family == MCB_UNIX)
    return mcb__fail(s->bench, UV_EINVAL, "a unix socket binds to a path", "bind %s:%d",
                     host ? host : "", port);
  if (port < 0 || port > 65535)
    return mcb__fail(s->bench, UV_EINVAL, "port must be 0..65535", "bind port %d", port);
  if (host == NULL || *host == '\0') {
    char wild[16];
    snprintf(wild, sizeof wild, s->family == MCB_UDP4 ? ":%d" : "[::]:%d", port);
    rc = mcb_addr_parse(wild, s->family, &a);
  } else {
    rc = mcb_addr_parse_host(host, &a);
    if (rc == 0 && a.u.sa.sa_family == AF_INET)
      a.u.in4.sin_port = htons((uint16_t)port);
    else if (rc == 0)
      a.u.in6.sin6_port = htons((uint16_t)port);
  }
  if (rc != 0)
    return mcb__fail(s->bench, rc, rc == UV_ENODEV ? "no such interface" : "not a numeric address",
                     "bind %s", host);
  return mcb_bind_addr(s, &a);
}

int mcb_bind_path(mcb_socket *s, const char *path)
{
  mcb_addr a;
  int rc;
  if (s->family != MCB_UNIX)
    return mcb__fail(s->bench, UV_EINVAL, "only unix sockets bind to a path", "bind %s",
                     path ? path : "");
  if (path == NULL || *path == '\0') return mcb__fail(s->bench, UV_EINVAL, "empty path", "bind");
  if ((rc = mcb__addr_unix(path, &a)) != 0)
    return mcb__fail(s->bench, rc, NULL, "bind %.60s...", path);
  return mcb_bind_addr(s, &a);
}

int mcb_address(const mcb_socket *s, mcb_addr *out)
{
  memset(out, 0, sizeof *out);
  if (s->state != MCB_STATE_OPEN && s->state != MCB_STATE_BOUND)
    return mcb__fail(s->bench, UV_EBADF, "socket is closed", "address");
  if (s->family == MCB_UNIX) {
    if (s->bound)
      *out = s->local;
    else {
      out->u.un.sun_family = AF_UNIX;
      out->len = offsetof(struct sockaddr_un, sun_path);
    }
    return 0;
  }
  /* Cached once the port is known (bind, or the kernel's bind at the first send), so a
   * front end showing it every frame costs no system call. */
  if (mcb_addr_port(&s->local) != 0) {
    *out = s->local;
    return 0;
  }
  out->len = sizeof out->u;
  if (getsockname(s->fd, &out->u.sa, &out->len) != 0)
    return mcb__fail(s->bench, -errno, NULL, "address of a %s socket", mcb_family_name(s->family));
  return 0;
}

void mcb__learn_local(mcb_socket *s)
{
  if (s->family == MCB_UNIX || mcb_addr_port(&s->local) != 0) return;
  s->local.len = sizeof s->local.u;
  if (getsockname(s->fd, &s->local.u.sa, &s->local.len) != 0) s->local.len = 0;
}

int mcb_socket_info_get(const mcb_socket *s, mcb_socket_info *out)
{
  memset(out, 0, sizeof *out);
  out->family = s->family;
  out->state = s->state;
  out->flags = s->flags;
  out->bound = s->bound;
  if (mcb_address(s, &out->local) != 0) out->local = s->local;
  mcb__opt_info(s, out);
  out->groups = s->ngroups;
  out->peers = s->peers.count;
  out->counters = s->counters; /* the kernel drops as last read (recv.c): no syscall here */
  return 0;
}

int mcb_socket_reset(mcb_socket *s)
{
  if (s->state == MCB_STATE_CLOSING)
    return mcb__fail(s->bench, UV_EBADF, "socket is closing", "reset");
  s->kdrops_base = mcb__kdrops_raw(s, s->kdrops_base + s->counters.rx_kernel_drops);
  memset(&s->counters, 0, sizeof s->counters);
  mcb__peers_clear(&s->peers);
  if (s->state != MCB_STATE_CLOSED) mcb__emit_simple(s, MCB_EV_CHANGED);
  return 0;
}
