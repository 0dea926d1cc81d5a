/* lab-forward.c - the lab's multicast forwarder for kernels without multicast routing
 * (see lab-forward.h): the thread, the ports and entries, and IPv4's row of the protocol
 * table. The thread only reads and writes descriptors made inside the routers (a socket
 * stays in its namespace), so it never changes namespace itself; the tables it reads
 * are changed under its mutex by the lab's thread. */
#include "lab-forward.h"
#include "mcb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/ip.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct port {
  int fd, router, vif, thr;
  unsigned ifindex;
  const mcb__fwd_proto *proto;
} port;

/* An entry's (S,G) of either family: IPv4 in the first 4 bytes; source :: is any. */
typedef struct key {
  int family;
  struct in6_addr group, source;
} key;

typedef struct entry {
  int router, in_vif, out[MCB_LAB_MAX_OUT];
  size_t nout;
  key k;
  uint64_t packets, bytes, wrong_if;
} entry;

typedef struct miss_seen {
  int router;
  struct in_addr source, group;
  struct timespec at;
} miss_seen;

struct mcb__fwd {
  pthread_mutex_t mu;
  pthread_t thread;
  int wake;   /* eventfd: the port list changed, or quit */
  int missfd; /* eventfd: misses wait for the watcher */
  mcb__fwd_miss misses[MCB__FWD_MISSES];
  size_t nmisses;
  miss_seen seen[MCB__FWD_MISSES]; /* the latest misses told, for the 5 s limit */
  size_t nseen;
  bool quit;
  port ports[MCB_LAB_MAX_LINKS];
  size_t nports;
  entry entries[MCB_LAB_MAX_ROUTES];
  size_t nentries;
};

static const port *find_port(const mcb__fwd *f, int router, int family, int vif)
{
  for (size_t i = 0; i < f->nports; i++)
    if (f->ports[i].router == router && f->ports[i].vif == vif &&
        f->ports[i].proto->family == family)
      return &f->ports[i];
  return NULL;
}

static key make_key(int family, const void *group, const void *source)
{
  key k;
  size_t n = family == AF_INET6 ? 16 : 4;
  memset(&k, 0, sizeof k);
  k.family = family;
  memcpy(&k.group, group, n);
  memcpy(&k.source, source, n);
  return k;
}

static bool same_addr(const struct in6_addr *a, const struct in6_addr *b)
{
  return memcmp(a, b, sizeof *a) == 0;
}

static bool same_key(const key *a, const key *b)
{
  return a->family == b->family && same_addr(&a->group, &b->group) &&
         same_addr(&a->source, &b->source);
}

/* The (S,G) entry, else the (*,G) one. */
static entry *find_entry(mcb__fwd *f, int router, const key *k)
{
  static const struct in6_addr any_source;
  entry *any = NULL;
  for (size_t i = 0; i < f->nentries; i++) {
    entry *e = &f->entries[i];
    if (e->router != router || e->k.family != k->family || !same_addr(&e->k.group, &k->group))
      continue;
    if (same_addr(&e->k.source, &k->source)) return e;
    if (same_addr(&e->k.source, &any_source)) any = e;
  }
  return any;
}

uint32_t mcb__fwd_sum16(uint32_t sum, const uint8_t *p, size_t len)
{
  for (size_t i = 0; i + 1 < len; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (len & 1) sum += (uint32_t)(p[len - 1] << 8);
  return sum;
}

uint16_t mcb__fwd_fold(uint32_t sum)
{
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  sum = ~sum & 0xffff;
  return (uint16_t)(sum == 0 ? 0xffff : sum);
}

static uint16_t ip_checksum(const uint8_t *h, size_t len)
{
  uint32_t sum = mcb__fwd_sum16(0, h, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

static size_t header_len(const uint8_t *pkt)
{
  return (size_t)((const struct iphdr *)pkt)->ihl * 4;
}

/* A datagram sent on a veth leaves its UDP checksum to "hardware" that never comes
 * (the packet socket reads it half done); a real router would pass on a finished
 * one, so finish it. An unfragmented datagram only; 0 (no checksum) stays 0. */
static void finish4(uint8_t *pkt, size_t len)
{
  const struct iphdr *ip = (const struct iphdr *)pkt;
  size_t hl = header_len(pkt), ulen;
  uint8_t *udp = pkt + hl;
  uint32_t sum;
  uint16_t c;
  if (ip->protocol != IPPROTO_UDP || (ntohs(ip->frag_off) & 0x3fff) != 0 || len < hl + 8) return;
  ulen = (size_t)(udp[4] << 8 | udp[5]);
  if (ulen < 8 || hl + ulen > len || (udp[6] == 0 && udp[7] == 0)) return;
  udp[6] = udp[7] = 0;
  sum = mcb__fwd_sum16(0, (const uint8_t *)&ip->saddr, 8); /* source and destination */
  sum += IPPROTO_UDP + (uint32_t)ulen;
  c = mcb__fwd_fold(mcb__fwd_sum16(sum, udp, ulen));
  udp[6] = (uint8_t)(c >> 8);
  udp[7] = (uint8_t)c;
}

static bool parse4(const uint8_t *pkt, size_t len, struct in6_addr *group, struct in6_addr *source)
{
  const struct iphdr *ip = (const struct iphdr *)pkt;
  size_t hl;
  if (len < sizeof *ip || ip->version != 4 || (hl = header_len(pkt)) < sizeof *ip || hl > len)
    return false;
  /* Not multicast, or link-local 224.0.0.0/24: never routed. */
  if (!IN_MULTICAST(ntohl(ip->daddr)) || (ntohl(ip->daddr) & 0xffffff00u) == 0xe0000000u)
    return false;
  memset(group, 0, sizeof *group);
  memset(source, 0, sizeof *source);
  memcpy(group, &ip->daddr, 4);
  memcpy(source, &ip->saddr, 4);
  return true;
}

static unsigned hops4(const uint8_t *pkt)
{
  return ((const struct iphdr *)pkt)->ttl;
}

static void send4(int fd, unsigned ifindex, uint8_t *pkt, size_t len)
{
  struct sockaddr_ll to;
  struct iphdr *ip = (struct iphdr *)pkt;
  uint32_t g = ntohl(ip->daddr);
  uint16_t check = ip->check;
  memset(&to, 0, sizeof to);
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_IP);
  to.sll_ifindex = (int)ifindex;
  to.sll_halen = 6; /* the group's MAC: 01:00:5e and its low 23 bits */
  to.sll_addr[0] = 0x01;
  to.sll_addr[2] = 0x5e;
  to.sll_addr[3] = (uint8_t)(g >> 16 & 0x7f);
  to.sll_addr[4] = (uint8_t)(g >> 8);
  to.sll_addr[5] = (uint8_t)g;
  ip->ttl--;
  ip->check = 0;
  ip->check = htons(ip_checksum(pkt, header_len(pkt)));
  (void)sendto(fd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
  ip->ttl++;
  ip->check = check;
}

const mcb__fwd_proto mcb__fwd_ipv4 = {AF_INET, ETH_P_IP, parse4, finish4, hops4, send4};

/* No entry for (source, group) on the port's router: kept for the watcher unless the
 * same was told in the last 5 s (called under the mutex). */
static void note_miss(mcb__fwd *f, const port *in, struct in_addr source, struct in_addr group)
{
  struct timespec now;
  miss_seen *slot = &f->seen[0];
  uint64_t one = 1;
  clock_gettime(CLOCK_MONOTONIC, &now);
  for (size_t i = 0; i < f->nseen; i++) {
    miss_seen *m = &f->seen[i];
    if (m->router == in->router && m->source.s_addr == source.s_addr &&
        m->group.s_addr == group.s_addr) {
      if (now.tv_sec - m->at.tv_sec < 5) return;
      slot = m;
      goto tell;
    }
    if (m->at.tv_sec < slot->at.tv_sec) slot = m;
  }
  if (f->nseen < MCB__FWD_MISSES) slot = &f->seen[f->nseen++];
tell:
  *slot = (miss_seen){in->router, source, group, now};
  if (f->nmisses >= MCB__FWD_MISSES) return;
  f->misses[f->nmisses++] = (mcb__fwd_miss){in->router, in->vif, source, group};
  (void)write(f->missfd, &one, sizeof one);
}

/* One datagram that arrived on `in`: forwarded as the kernel's MFC would. */
static void forward(mcb__fwd *f, const port *in, uint8_t *pkt, size_t len)
{
  const mcb__fwd_proto *p = in->proto;
  key k = {.family = p->family};
  entry *e;

  if (!p->parse(pkt, len, &k.group, &k.source)) return;
  pthread_mutex_lock(&f->mu);
  e = find_entry(f, in->router, &k);
  if (e == NULL) {
    if (p->family == AF_INET) { /* (the watcher's no-route events are IPv4's) */
      struct in_addr source, group;
      memcpy(&source, &k.source, sizeof source);
      memcpy(&group, &k.group, sizeof group);
      note_miss(f, in, source, group);
    }
  } else if (e->in_vif != in->vif) {
    e->wrong_if++;
  } else {
    p->finish(pkt, len);
    e->packets++;
    e->bytes += len;
    for (size_t i = 0; i < e->nout; i++) {
      const port *out = find_port(f, in->router, p->family, e->out[i]);
      if (out == NULL || out->vif == in->vif || p->hops(pkt) <= (unsigned)out->thr) continue;
      p->send(out->fd, out->ifindex, pkt, len);
    }
  }
  pthread_mutex_unlock(&f->mu);
}

static void *run(void *arg)
{
  mcb__fwd *f = arg;
  struct pollfd pfd[MCB_LAB_MAX_LINKS + 1];
  port ports[MCB_LAB_MAX_LINKS];
  uint8_t pkt[65536];

  for (;;) {
    size_t n;
    pthread_mutex_lock(&f->mu);
    if (f->quit) {
      pthread_mutex_unlock(&f->mu);
      return NULL;
    }
    n = f->nports;
    memcpy(ports, f->ports, n * sizeof *ports);
    pthread_mutex_unlock(&f->mu);
    pfd[0].fd = f->wake;
    pfd[0].events = POLLIN;
    for (size_t i = 0; i < n; i++) {
      pfd[i + 1].fd = ports[i].fd;
      pfd[i + 1].events = POLLIN;
    }
    if (poll(pfd, n + 1, -1) < 0) continue;
    if (pfd[0].revents & POLLIN) {
      uint64_t v;
      (void)read(f->wake, &v, sizeof v);
    }
    for (size_t i = 0; i < n; i++) {
      /* A bounded batch per port and wakeup, so one busy link cannot starve the others. */
      for (int k = 0; k < 64 && (pfd[i + 1].revents & POLLIN); k++) {
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t got =
            recvfrom(ports[i].fd, pkt, sizeof pkt, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (got < 0) break;
        if (from.sll_pkttype == PACKET_OUTGOING) continue; /* our own sends */
        forward(f, &ports[i], pkt, (size_t)got);
      }
    }
  }
}

static void wake(mcb__fwd *f)
{
  uint64_t one = 1;
  (void)write(f->wake, &one, sizeof one);
}

static int fwd_new(mcb__fwd **out)
{
  mcb__fwd *f = calloc(1, sizeof *f);
  int rc;
  if (f == NULL) return UV_ENOMEM;
  f->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  f->missfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (f->wake < 0 || f->missfd < 0) {
    rc = -errno;
    if (f->wake >= 0) close(f->wake);
    if (f->missfd >= 0) close(f->missfd);
    free(f);
    return rc;
  }
  pthread_mutex_init(&f->mu, NULL);
  if ((rc = -pthread_create(&f->thread, NULL, run, f)) != 0) {
    pthread_mutex_destroy(&f->mu);
    close(f->wake);
    close(f->missfd);
    free(f);
    return rc;
  }
  *out = f;
  return 0;
}

int mcb__fwd_add_port(mcb__fwd **fp, const mcb__fwd_proto *p, int router, int vif, unsigned ifindex,
                      int thr)
{
  struct sockaddr_ll ll;
  int fd, one = 1, rc;
  if (*fp == NULL && (rc = fwd_new(fp)) != 0) return rc;
  if ((*fp)->nports >= MCB_LAB_MAX_LINKS) return UV_ENOBUFS;
  fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(p->ethertype));
  if (fd < 0) return -errno;
  memset(&ll, 0, sizeof ll);
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = htons(p->ethertype);
  ll.sll_ifindex = (int)ifindex;
  if (bind(fd, (struct sockaddr *)&ll, sizeof ll) != 0) {
    rc = -errno;
    close(fd);
    return rc;
  }
  (void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  pthread_mutex_lock(&(*fp)->mu);
  (*fp)->ports[(*fp)->nports++] = (port){fd, router, vif, thr, ifindex, p};
  pthread_mutex_unlock(&(*fp)->mu);
  wake(*fp);
  return 0;
}

int mcb__fwd_set_route(mcb__fwd *f, int router, int family, const void *group, const void *source,
                       int in_vif, const int *out_vifs, size_t nout)
{
  key k = make_key(family, group, source);
  entry *e = NULL;
  int rc = 0;
  if (f == NULL) return UV_ENOENT;
  pthread_mutex_lock(&f->mu);
  for (size_t i = 0; i < f->nentries && e == NULL; i++)
    if (f->entries[i].router == router && same_key(&f->entries[i].k, &k)) e = &f->entries[i];
  if (e == NULL && f->nentries < MCB_LAB_MAX_ROUTES) {
    e = &f->entries[f->nentries++];
    memset(e, 0, sizeof *e);
  }
  if (e == NULL) {
    rc = UV_ENOBUFS;
  } else {
    e->router = router;
    e->k = k;
    e->in_vif = in_vif;
    e->nout = nout < MCB_LAB_MAX_OUT ? nout : MCB_LAB_MAX_OUT;
    memcpy(e->out, out_vifs, e->nout * sizeof *out_vifs);
  }
  pthread_mutex_unlock(&f->mu);
  return rc;
}

int mcb__fwd_counters(mcb__fwd *f, int router, int family, const void *group, const void *source,
                      uint64_t *packets, uint64_t *bytes, uint64_t *wrong_if)
{
  key k = make_key(family, group, source);
  int rc = UV_ENOENT;
  if (f == NULL) return rc;
  pthread_mutex_lock(&f->mu);
  for (size_t i = 0; i < f->nentries; i++) {
    const entry *e = &f->entries[i];
    if (e->router == router && same_key(&e->k, &k)) {
      *packets = e->packets;
      *bytes = e->bytes;
      *wrong_if = e->wrong_if;
      rc = 0;
    }
  }
  pthread_mutex_unlock(&f->mu);
  return rc;
}

void mcb__fwd_free(mcb__fwd *f)
{
  if (f == NULL) return;
  pthread_mutex_lock(&f->mu);
  f->quit = true;
  pthread_mutex_unlock(&f->mu);
  wake(f);
  pthread_join(f->thread, NULL);
  for (size_t i = 0; i < f->nports; i++) close(f->ports[i].fd);
  close(f->wake);
  close(f->missfd);
  pthread_mutex_destroy(&f->mu);
  free(f);
}

int mcb__fwd_miss_fd(const mcb__fwd *f)
{
  return f->missfd;
}

size_t mcb__fwd_take_misses(mcb__fwd *f, mcb__fwd_miss *out, size_t max)
{
  uint64_t v;
  size_t n;
  pthread_mutex_lock(&f->mu);
  (void)read(f->missfd, &v, sizeof v); /* cleared while the list is ours */
  n = f->nmisses < max ? f->nmisses : max;
  memcpy(out, f->misses, n * sizeof *out);
  memmove(f->misses, f->misses + n, (f->nmisses - n) * sizeof *out);
  f->nmisses -= n;
  if (f->nmisses > 0) {
    uint64_t one = 1;
    (void)write(f->missfd, &one, sizeof one);
  }
  pthread_mutex_unlock(&f->mu);
  return n;
}
