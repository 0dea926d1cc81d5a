/* lab-forward.h - the lab's own multicast forwarder, for kernels built without
 * CONFIG_IP_MROUTE or CONFIG_IPV6_MROUTE (internal). It does what the kernel's MFC
 * would: a datagram for a routed group that arrives on a router's incoming link leaves
 * by each outgoing link whose threshold its TTL (hop limit) exceeds, with the TTL
 * lowered by one and the source kept. A packet socket per router link and IP version,
 * inside the router; one thread polls them all. What differs between IPv4 and IPv6 is
 * one table row each (mcb__fwd_proto): lab-forward.c has IPv4's, lab-forward6.c IPv6's. */
#ifndef MCB_LAB_FORWARD_H
#define MCB_LAB_FORWARD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mcb__fwd mcb__fwd;

/* How the forwarder reads and sends one IP version's datagrams. Addresses are kept in a
 * struct in6_addr; an IPv4 one is its first 4 bytes, the rest zero. */
typedef struct mcb__fwd_proto {
  int family;         /* AF_INET or AF_INET6 */
  uint16_t ethertype; /* ETH_P_IP or ETH_P_IPV6 */
  /* The datagram's group and source, when it is multicast a router may forward (false
   * for a short or malformed datagram, unicast, or a link-scope group). */
  bool (*parse)(const uint8_t *pkt, size_t len, struct in6_addr *group, struct in6_addr *source);
  /* Finishes a UDP checksum the sender left to an offload that a veth never does. */
  void (*finish)(uint8_t *pkt, size_t len);
  unsigned (*hops)(const uint8_t *pkt); /* its TTL or hop limit */
  /* Sends it out of `ifindex` with one hop less (the buffer is left as it was). */
  void (*send)(int fd, unsigned ifindex, uint8_t *pkt, size_t len);
} mcb__fwd_proto;

extern const mcb__fwd_proto mcb__fwd_ipv4; /* lab-forward.c */
extern const mcb__fwd_proto mcb__fwd_ipv6; /* lab-forward6.c */

/* Opens the packet socket of a router's link for one IP version (call inside the
 * router's namespace) and starts the thread on first use. `thr`: forward out of this
 * link only above it. */
int mcb__fwd_add_port(mcb__fwd **f, const mcb__fwd_proto *p, int router, int vif, unsigned ifindex,
                      int thr);
/* Adds or replaces the entry (router, source, group) of `family`: group and source are a
 * struct in_addr or in6_addr; an all-zero source means any. */
int mcb__fwd_set_route(mcb__fwd *f, int router, int family, const void *group, const void *source,
                       int in_vif, const int *out_vifs, size_t nout);
int mcb__fwd_counters(mcb__fwd *f, int router, int family, const void *group, const void *source,
                      uint64_t *packets, uint64_t *bytes, uint64_t *wrong_if);
/* A datagram for a routed-range group that found no entry on its router: kept for the
 * lab's watcher (lab-watch.c), each (router, source, group) at most once every 5 s, at
 * most MCB__FWD_MISSES waiting. */
#define MCB__FWD_MISSES 16
typedef struct mcb__fwd_miss {
  int router, vif;
  struct in_addr source, group;
} mcb__fwd_miss;
/* An eventfd, readable while misses wait (poll it on the loop; take them to clear it). */
int mcb__fwd_miss_fd(const mcb__fwd *f);
/* Takes the waiting misses, at most max; returns how many. */
size_t mcb__fwd_take_misses(mcb__fwd *f, mcb__fwd_miss *out, size_t max);
/* Stops the thread and closes the sockets. NULL is fine. */
void mcb__fwd_free(mcb__fwd *f);

/* lab-forward6.c: true for an IPv6 group routers may forward: multicast of a scope above
 * link-local (ff02::/16, ff12::/16 ... and ff01, ff00 never leave their link). */
bool mcb__lab_group6_routable(const struct in6_addr *g);
/* lab-forward.c: the ones' complement sum of 16-bit words, for checksums. */
uint32_t mcb__fwd_sum16(uint32_t sum, const uint8_t *p, size_t len);
/* The 16-bit checksum of a sum: never 0 (UDP's "no checksum"). */
uint16_t mcb__fwd_fold(uint32_t sum);

#endif
