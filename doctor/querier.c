/* querier.c - [querier] (--querier-wait DUR): is there an IGMP/MLD querier on the link?
 *
 * A snooping switch without a querier forgets a group about 260 s after the last report
 * and stops forwarding it, although the receiver still "joined". The doctor listens for
 * membership queries on a raw socket (read-only; it sends nothing) for DUR. Queries come
 * every 125 s by default, so only a wait that long can show their absence.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUERY_INTERVAL_MS 125000 /* RFC 3376 / 3810 default */

typedef struct doc_querier {
  doc_diagnosis *d;
  doc_result *r;
  int fd;
  uv_poll_t poll;
  uv_timer_t timer;
  unsigned closing; /* handles still to close */
  bool heard;
  int version;
  char from[INET6_ADDRSTRLEN];
} doc_querier;

static int open_raw(bool v6)
{
  int fd, on = 1;
  if (!v6) {
    fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_IGMP);
    if (fd >= 0 && setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) == 0) return fd;
  } else {
    struct icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(MLD_LISTENER_QUERY, &filter);
    fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    if (fd >= 0 && setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter) == 0 &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) == 0)
      return fd;
  }
  int rc = -errno;
  if (fd >= 0) close(fd);
  return rc;
}

static unsigned arrival_ifindex(struct msghdr *m)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
      return (unsigned)((struct in_pktinfo *)CMSG_DATA(c))->ipi_ifindex;
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
      return ((struct in6_pktinfo *)CMSG_DATA(c))->ipi6_ifindex;
  }
  return 0;
}

/* The IGMP version of a query (IPv4: IP header first) or the MLD version, 0 if none. */
static int query_version(const uint8_t *buf, size_t n, bool v6)
{
  if (v6) return n >= 28 ? 2 : n >= 24 ? 1 : 0; /* type filtered to 130 by the kernel */
  if (n < 20) return 0;
  size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
  if (ihl < 20 || n < ihl + 8 || buf[ihl] != 0x11) return 0; /* 0x11: membership query */
  size_t len = n - ihl;
  return len >= 12 ? 3 : buf[ihl + 1] == 0 ? 1 : 2; /* v1 queries carry no max response */
}

static void on_closed(uv_handle_t *h)
{
  doc_querier *q = h->data;
  if (--q->closing > 0) return;
  close(q->fd);
  doc_diagnosis *d = q->d;
  d->querier = NULL;
  free(q);
  doc_phase_done(d);
}

static void judge(doc_querier *q)
{
  doc_diagnosis *d = q->d;
  const char *proto = doc_is_v6(d) ? "MLD" : "IGMP";
  const char *dev = d->facts.have_link ? d->facts.ifname : "the interface";
  uint64_t ms = d->req.querier_wait_ms;
  uint64_t every = d->req.query_interval_ms ? d->req.query_interval_ms : QUERY_INTERVAL_MS;
  if (q->heard) {
    bool old = doc_is_v6(d) ? q->version < 2 : q->version < 3;
    doc_evidence(q->r, "an %sv%d query from %s on %s", proto, q->version, q->from, dev);
    if (old && d->req.has_source) {
      doc_set(q->r, DOC_WARN, "the querier on %s speaks %sv%d: source-specific joins fall back",
              dev, proto, q->version);
      doc_fix(q->r, "configure the querier (router or switch) for %sv%d", proto,
              doc_is_v6(d) ? 2 : 3);
    } else {
      doc_set(q->r, DOC_PASS, "an %sv%d querier is on %s", proto, q->version, dev);
    }
  } else if (d->cancelled) {
    doc_set(q->r, DOC_SKIP, "stopped before the wait was over");
  } else {
    /* Only a wait as long as the query interval shows that nobody queries. */
    if (ms >= every)
      doc_set(q->r, DOC_WARN,
              "no %s query on %s in %llu ms (queries come every %llu ms): no querier, so a "
              "snooping switch prunes the group (after about 260 s with the default timers)",
              proto, dev, (unsigned long long)ms, (unsigned long long)every);
    else
      doc_set(q->r, DOC_INFO,
              "no %s query on %s in %llu ms (queries come every %llu ms: wait "
              "that long to be sure)",
              proto, dev, (unsigned long long)ms, (unsigned long long)every);
    doc_fix(q->r, "enable a querier on the LAN (a router, the switch, or a Linux bridge: "
                  "ip link set BRIDGE type bridge mcast_querier 1)");
  }
}

static void stop(doc_querier *q)
{
  if (q->closing > 0) return;
  judge(q);
  q->closing = 2;
  uv_close((uv_handle_t *)&q->poll, on_closed);
  uv_close((uv_handle_t *)&q->timer, on_closed);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
  doc_querier *q = h->data;
  uint8_t buf[1500];
  char control[256];
  struct sockaddr_storage from;
  (void)events;
  if (status < 0) {
    stop(q);
    return;
  }
  for (int i = 0; i < 64; i++) { /* bounded: a flood cannot hold the loop */
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_name = &from,
                       .msg_namelen = sizeof from,
                       .msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control,
                       .msg_controllen = sizeof control};
    ssize_t n = recvmsg(q->fd, &m, 0);
    if (n < 0) return; /* EAGAIN: drained; anything else: the timer ends the phase */
    unsigned ifindex = arrival_ifindex(&m);
    int v = query_version(buf, (size_t)n, doc_is_v6(q->d));
    if (v == 0 || (q->d->facts.have_link && ifindex != q->d->facts.ifindex)) continue;
    q->heard = true;
    q->version = v;
    const void *src = from.ss_family == AF_INET6
                          ? (const void *)&((struct sockaddr_in6 *)&from)->sin6_addr
                          : (const void *)&((struct sockaddr_in *)&from)->sin_addr;
    inet_ntop(from.ss_family, src, q->from, sizeof q->from);
    stop(q);
    return;
  }
}

static void on_timeout(uv_timer_t *t)
{
  stop(t->data);
}

void doc_querier_start(doc_diagnosis *d, doc_result *r)
{
  doc_querier *q;
  int fd;
  if (d->req.querier_wait_ms == 0 || d->req.send) {
    doc_set(r, DOC_SKIP, "not listening for queries (--querier-wait DUR listens)");
    doc_phase_done(d);
    return;
  }
  if ((fd = open_raw(doc_is_v6(d))) < 0) {
    doc_set(r, DOC_SKIP, "listening for %s queries needs CAP_NET_RAW (root)",
            doc_is_v6(d) ? "MLD" : "IGMP");
    doc_evidence(r, "raw socket: %s", doc_errname(fd));
    doc_phase_done(d);
    return;
  }
  if ((q = calloc(1, sizeof *q)) == NULL) {
    close(fd);
    doc_set(r, DOC_SKIP, "out of memory");
    doc_phase_done(d);
    return;
  }
  *q = (doc_querier){.d = d, .r = r, .fd = fd};
  d->querier = q;
  uv_poll_init(d->loop, &q->poll, fd);
  uv_timer_init(d->loop, &q->timer);
  q->poll.data = q->timer.data = q;
  uv_poll_start(&q->poll, UV_READABLE, on_readable);
  uv_timer_start(&q->timer, on_timeout, d->req.querier_wait_ms, 0);
}

void doc_querier_cancel(doc_diagnosis *d)
{
  if (d->querier != NULL) stop(d->querier);
}
