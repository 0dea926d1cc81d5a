/* recv.c - the receive path: recvmmsg batches with control messages.
 *
 * One wakeup reads at most RX_ROUNDS batches of limits.rx_batch datagrams, so a flood on
 * one socket cannot starve the loop; level-triggered polling brings us back for the rest. For each
 * datagram we take the destination (IP_PKTINFO / IPV6_PKTINFO), the arrival TTL or hop
 * limit and the kernel timestamp, update the peer table, then tell observers. An observer
 * may close the socket, so its state is checked after every event.
 */
#include "internal.h"

#include <linux/sock_diag.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOT_SIZE 65536 /* any UDP datagram fits; larger unix datagrams are truncated */
/* Slots exactly 64 KiB apart would put every datagram's first bytes in the same cache
 * sets, so a batch's headers evict each other before the peer table and the decoders read
 * them; 3 cache lines more per slot spread them (recv-capacity -o, 64-byte datagrams:
 * about 3 % less CPU per datagram for plain payloads, 15 % for probes). */
#define SLOT_STRIDE (SLOT_SIZE + 3 * 64)
#define CTRL_SIZE   256

struct mcb__rxbatch {
  unsigned n;
  struct mmsghdr *msgs;
  struct iovec *iov;
  struct sockaddr_storage *names;
  uint8_t (*ctrl)[CTRL_SIZE];
  uint8_t *buf;
};

int mcb__rx_new(mcb_bench *b)
{
  unsigned n = b->limits.rx_batch;
  struct mcb__rxbatch *rx = calloc(1, sizeof *rx);
  if (rx == NULL) return UV_ENOMEM;
  rx->n = n;
  rx->msgs = calloc(n, sizeof *rx->msgs);
  rx->iov = calloc(n, sizeof *rx->iov);
  rx->names = calloc(n, sizeof *rx->names);
  rx->ctrl = calloc(n, sizeof *rx->ctrl);
  rx->buf = malloc((size_t)n * SLOT_STRIDE);
  b->rx = rx;
  if (!rx->msgs || !rx->iov || !rx->names || !rx->ctrl || !rx->buf) {
    mcb__rx_free(b);
    return UV_ENOMEM;
  }
  return 0;
}

void mcb__rx_free(mcb_bench *b)
{
  struct mcb__rxbatch *rx = b->rx;
  if (rx == NULL) return;
  free(rx->msgs);
  free(rx->iov);
  free(rx->names);
  free(rx->ctrl);
  free(rx->buf);
  free(rx);
  b->rx = NULL;
}

int mcb__rx_enable(mcb_socket *s)
{
  int one = 1;
  if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0) return -errno;
  if (s->family == MCB_UNIX) return 0;
  if (s->family == MCB_UDP6) {
    if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) != 0) return -errno;
    if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one) != 0) return -errno;
    if (s->flags & MCB_V6ONLY) return 0;
  }
  /* On a dual-stack udp6 socket these cover the IPv4-mapped datagrams. */
  if (setsockopt(s->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0 && s->family == MCB_UDP4)
    return -errno;
  if (setsockopt(s->fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one) != 0 && s->family == MCB_UDP4)
    return -errno;
  return 0;
}

static bool link_scoped(const struct in6_addr *a)
{
  return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a) || IN6_IS_ADDR_MC_NODELOCAL(a);
}

/* The control message after c, or NULL: CMSG_NXTHDR's checks (a header that fits, a length
 * that covers it and stays inside the buffer) without its call and its repeated loads. */
static inline struct cmsghdr *next_cmsg(struct cmsghdr *c, const uint8_t *end)
{
  const uint8_t *next = (const uint8_t *)c + CMSG_ALIGN(c->cmsg_len);
  struct cmsghdr *n = (struct cmsghdr *)(uintptr_t)next;
  if (c->cmsg_len < sizeof *c || next + sizeof *n > end || next + n->cmsg_len > end) return NULL;
  return n->cmsg_len < sizeof *n ? NULL : n;
}

/* Fills dst, ifindex, ttl and the timestamp from a datagram's control messages; `port`
 * is the socket's own (each destination's). */
static void parse_control(mcb_socket *s, struct msghdr *mh, int port, mcb_addr *dst, mcb_message *m)
{
  const uint8_t *end = (const uint8_t *)mh->msg_control + mh->msg_controllen;
  struct cmsghdr *c;

  for (c = CMSG_FIRSTHDR(mh); c != NULL; c = next_cmsg(c, end)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      m->realtime_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      m->ifindex = (unsigned)pi.ipi_ifindex;
      if (s->family == MCB_UDP4) {
        dst->u.in4 = (struct sockaddr_in){
            .sin_family = AF_INET, .sin_addr = pi.ipi_addr, .sin_port = htons((uint16_t)port)};
        dst->len = sizeof dst->u.in4;
      } else { /* dual stack: show it as the IPv4-mapped address the source has */
        memset(&dst->u.in6, 0, sizeof dst->u.in6);
        dst->u.in6.sin6_family = AF_INET6;
        dst->u.in6.sin6_addr.s6_addr[10] = dst->u.in6.sin6_addr.s6_addr[11] = 0xff;
        memcpy(&dst->u.in6.sin6_addr.s6_addr[12], &pi.ipi_addr, 4);
        dst->u.in6.sin6_port = htons((uint16_t)port);
        dst->len = sizeof dst->u.in6;
      }
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      m->ifindex = pi.ipi6_ifindex;
      memset(&dst->u.in6, 0, sizeof dst->u.in6);
      dst->u.in6.sin6_family = AF_INET6;
      dst->u.in6.sin6_addr = pi.ipi6_addr;
      dst->u.in6.sin6_port = htons((uint16_t)port);
      dst->u.in6.sin6_scope_id = link_scoped(&pi.ipi6_addr) ? pi.ipi6_ifindex : 0;
      dst->len = sizeof dst->u.in6;
    } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
               (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
      int v;
      memcpy(&v, CMSG_DATA(c), sizeof v);
      m->ttl = v;
    }
  }
}

/* A unix datagram's sender credentials (SCM_CREDENTIALS, with SO_PASSCRED on). */
static void parse_credentials(struct msghdr *mh, mcb_message *m)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS) continue;
    struct ucred cred;
    memcpy(&cred, CMSG_DATA(c), sizeof cred);
    m->has_cred = true;
    m->pid = (int)cred.pid;
    m->uid = (int)cred.uid;
    m->gid = (int)cred.gid;
  }
}

static void report_error(mcb_socket *s, int code)
{
  char msg[MCB_MSG_MAX], what[MCB_MSG_MAX], local[MCB_ADDRSTRLEN];
  mcb_event ev = {.type = MCB_EV_ERROR, .sock = s, .error = code, .message = msg};
  mcb_msgf(what, sizeof what, "receive on %s", mcb_addr_format(&s->local, local, sizeof local));
  mcb__render(msg, sizeof msg, code, NULL, what);
  s->counters.rx_errors++;
  mcb__emit(s->bench, &ev);
}

static void realtime_now(int64_t *ns)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  *ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Turns datagram i of the batch into a message and tells the observers. Returns false
 * when an observer closed the socket. */
static bool deliver(mcb_socket *s, struct mcb__rxbatch *rx, int i, uint64_t mono, int port)
{
  struct msghdr *mh = &rx->msgs[i].msg_hdr;
  mcb_addr src, dst;
  mcb_message m = {.src = &src, .dst = &dst, .ttl = -1, .mono_ns = mono};
  mcb_event ev = {.type = MCB_EV_MESSAGE, .sock = s, .msg = &m};

  /* Only the sockaddr the kernel wrote is copied: no per-datagram clearing of mcb_addr. */
  if (mh->msg_namelen == sizeof src.u.in4) /* a constant size: copied inline */
    memcpy(&src.u, mh->msg_name, sizeof src.u.in4);
  else
    memcpy(&src.u, mh->msg_name, mh->msg_namelen);
  src.len = mh->msg_namelen;
  if (s->family == MCB_UNIX) {
    if (src.len == 0) { /* an unbound sender */
      src.u.un.sun_family = AF_UNIX;
      src.len = offsetof(struct sockaddr_un, sun_path);
    }
    dst = s->local;
    parse_credentials(mh, &m);
  } else {
    dst.u.sa.sa_family = AF_UNSPEC;
    dst.len = 0;
    parse_control(s, mh, port, &dst, &m);
  }
  if (m.realtime_ns == 0) realtime_now(&m.realtime_ns);
  m.wire_len = rx->msgs[i].msg_len;
  m.len = m.wire_len < SLOT_SIZE ? m.wire_len : SLOT_SIZE;
  m.truncated = (mh->msg_flags & MSG_TRUNC) != 0 || m.wire_len > m.len;
  m.data = rx->iov[i].iov_base;

  s->counters.rx_msgs++;
  s->counters.rx_bytes += m.wire_len;
  if (m.truncated) s->counters.rx_truncated++;
  m.peer = mcb__peers_record(s, &m);
  if (s->groups_waiting > 0) mcb__membership_arrival(s, &m); /* join latency: until all came */
  mcb__emit(s->bench, &ev);
  return s->state == MCB_STATE_OPEN || s->state == MCB_STATE_BOUND;
}

static void reset_batch(struct mcb__rxbatch *rx)
{
  for (unsigned i = 0; i < rx->n; i++) {
    struct msghdr *mh = &rx->msgs[i].msg_hdr;
    rx->iov[i].iov_base = rx->buf + (size_t)i * SLOT_STRIDE;
    rx->iov[i].iov_len = SLOT_SIZE;
    mh->msg_name = &rx->names[i];
    mh->msg_namelen = sizeof rx->names[i];
    mh->msg_iov = &rx->iov[i];
    mh->msg_iovlen = 1;
    mh->msg_control = rx->ctrl[i];
    mh->msg_controllen = CTRL_SIZE;
    mh->msg_flags = 0;
  }
}

/* Reads up to RX_ROUNDS full batches per wakeup: fewer poll wake-ups in a flood, and
 * still a bound, so one socket cannot starve the others or the timers. */
#define RX_ROUNDS 4

void mcb__on_readable(mcb_socket *s)
{
  struct mcb__rxbatch *rx = s->bench->rx;
  int n = (int)rx->n;
  unsigned round;
  bool fresh = false; /* the drop counter was read after this wakeup's last batch */
  int port;

  for (round = 0; round < RX_ROUNDS && n == (int)rx->n; round++) {
    uint64_t mono;
    reset_batch(rx);
    do {
      /* MSG_TRUNC makes msg_len the datagram's real length, so truncation is measurable. */
      n = recvmmsg(s->fd, rx->msgs, rx->n, MSG_DONTWAIT | MSG_TRUNC, NULL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) report_error(s, -errno);
      break;
    }
    mono = uv_hrtime();
    mcb__learn_local(s); /* bound by a send: our port is part of each destination */
    if (n < (int)rx->n || round == RX_ROUNDS - 1) { /* the last batch of this wakeup */
      mcb__kdrops_refresh(s); /* before its datagrams: their observers see the count */
      fresh = true;
    }
    port = mcb_addr_port(&s->local);
    for (int i = 0; i < n; i++)
      if (!deliver(s, rx, i, mono, port)) return; /* closed by an observer */
  }
  /* The queue ended on a full batch, or was empty: woken with nothing to read (a
   * datagram dropped at read, e.g. a bad checksum), no datagram carries the news. */
  if (!fresh && mcb__kdrops_refresh(s) && round == 0) mcb__emit_simple(s, MCB_EV_CHANGED);
}

/* ---- the kernel's drop counter ---- */

uint64_t mcb__kdrops_raw(const mcb_socket *s, uint64_t last_raw)
{
  uint32_t mem[SK_MEMINFO_VARS];
  socklen_t len = sizeof mem;
  if (s->fd < 0 || getsockopt(s->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0 ||
      len < (socklen_t)((SK_MEMINFO_DROPS + 1) * sizeof mem[0]))
    return last_raw;
  return mem[SK_MEMINFO_DROPS];
}

/* SO_MEMINFO rather than SO_RXQ_OVFL: the control message only tells the count when a
 * datagram was queued, so drops after the last queued one would never show. */
bool mcb__kdrops_refresh(mcb_socket *s)
{
  uint64_t before = s->counters.rx_kernel_drops;
  uint64_t raw = mcb__kdrops_raw(s, s->kdrops_base + before);
  s->counters.rx_kernel_drops = raw >= s->kdrops_base ? raw - s->kdrops_base : 0;
  return s->counters.rx_kernel_drops != before;
}

/* Drops with no datagram after them (the queue full while nothing is read, a socket
 * filter, a bad checksum) show within a tick, and parked expectations hear of them. */
static void on_kdrops_tick(uv_timer_t *t)
{
  mcb_socket *s = t->data;
  if (mcb__kdrops_refresh(s)) mcb__emit_simple(s, MCB_EV_CHANGED);
}

int mcb__kdrops_start(mcb_socket *s)
{
  int rc = uv_timer_init(s->bench->loop, &s->kdrops_tick);
  if (rc != 0) return rc; /* cannot fail on Linux; the count is then read per batch only */
  s->kdrops_tick.data = s;
  s->refs++;
  uv_unref((uv_handle_t *)&s->kdrops_tick); /* never what keeps a loop running */
  return uv_timer_start(&s->kdrops_tick, on_kdrops_tick, MCB__KDROPS_TICK_MS, MCB__KDROPS_TICK_MS);
}

static void on_kdrops_closed(uv_handle_t *h)
{
  mcb__unref(h->data);
}

void mcb__kdrops_stop(mcb_socket *s)
{
  mcb__kdrops_refresh(s);
  if (s->kdrops_tick.data == s && !uv_is_closing((uv_handle_t *)&s->kdrops_tick))
    uv_close((uv_handle_t *)&s->kdrops_tick, on_kdrops_closed);
}
