/* lab-forward.h - the lab's own multicast forwarder, for kernels built without
 * CONFIG_IP_MROUTE (internal). It does what the kernel's MFC would: a datagram for a
 * routed group that arrives on a router's incoming link leaves by each outgoing link
 * whose threshold its TTL exceeds, with the TTL lowered by one and the source kept. A
 * packet socket per router link, inside the router; one thread polls them all. */
#ifndef MCB_LAB_FORWARD_H
#define MCB_LAB_FORWARD_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mcb__fwd mcb__fwd;

/* Opens the packet socket of a router's link (call inside the router's namespace) and
 * starts the thread on first use. `thr`: forward out of this link only above it. */
int mcb__fwd_add_port(mcb__fwd **f, int router, int vif, unsigned ifindex, int thr);
/* Adds or replaces the entry (router, source, group); source 0 means any. */
int mcb__fwd_set_route(mcb__fwd *f, int router, struct in_addr group, struct in_addr source,
                       int in_vif, const int *out_vifs, size_t nout);
int mcb__fwd_counters(mcb__fwd *f, int router, struct in_addr group, struct in_addr source,
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

#endif
