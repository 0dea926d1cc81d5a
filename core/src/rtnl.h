/* rtnl.h - the core's small rtnetlink client (internal; implemented in netns.c).
 *
 * One request at a time on a blocking NETLINK_ROUTE socket connected to the kernel.
 * Each request gets the next sequence number; only a reply carrying that number and
 * this socket's port id answers it, so a late reply to an earlier request (one that
 * timed out, or whose answer came in two parts) is skipped, never taken for the next.
 */
#ifndef MCB_RTNL_H
#define MCB_RTNL_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mcb__nl {
  int fd;
  uint32_t seq; /* of the last request sent */
  uint32_t pid; /* our port id: the kernel's replies carry it */
} mcb__nl;

/* A request being built: a header and its attributes in a bounded buffer. */
typedef struct mcb__nlreq {
  struct nlmsghdr *h;
  char buf[1024];
} mcb__nlreq;

/* Opens the socket (with a receive timeout, so a lost reply cannot hang the caller). */
int mcb__nl_open(mcb__nl *nl);
void mcb__nl_close(mcb__nl *nl);

/* Starts a request (NLM_F_REQUEST | NLM_F_ACK | flags) with a body of `body` bytes,
 * zeroed; returns the body. */
void *mcb__nl_start(mcb__nlreq *r, unsigned short type, unsigned short flags, size_t body);
/* Appends an attribute; NULL when the buffer is full. */
struct rtattr *mcb__nl_put(mcb__nlreq *r, unsigned short type, const void *data, size_t len);
/* Closes a nested attribute opened with mcb__nl_put(r, type, NULL, 0). */
void mcb__nl_end(mcb__nlreq *r, struct rtattr *nest);

/* Numbers and sends the request, then reads until the kernel acknowledges it: returns 0
 * or the negative errno it reports. Interrupted reads are retried; replies with another
 * sequence number or port id are skipped. The first other message answering the
 * request (e.g. RTM_NEWROUTE for RTM_GETROUTE) is copied to `answer` when there is one
 * and it fits (`size` bytes); UV_ETIMEDOUT when the kernel does not answer. */
int mcb__nl_talk(mcb__nl *nl, mcb__nlreq *r, struct nlmsghdr *answer, size_t size);

/* The type (RTN_UNICAST, RTN_BROADCAST, RTN_LOCAL, ...) of the route the kernel would
 * use to send to `dst`, or a negative errno (e.g. UV_EACCES through a prohibit route). */
int mcb__route_type(const struct in_addr *dst);

/* ---- requests the lab makes (lab-rtnl.c), in the namespace the socket was opened in ---- */

/* Sets a link up, with multicast. */
int mcb__nl_link_up(mcb__nl *nl, unsigned ifindex);
/* Creates a veth pair: `name` here, `peer` in the namespace `peer_nsfd`. */
int mcb__nl_add_veth(mcb__nl *nl, const char *name, const char *peer, int peer_nsfd);
/* Creates a bridge with IGMP/MLD snooping on (unless `snooping` is false), no STP and no
 * forwarding delay, and a short query response interval (so a querier acts within a
 * second). */
int mcb__nl_add_bridge(mcb__nl *nl, const char *name, bool snooping);
/* Makes the bridge the querier (in a second step, after the interval is short). */
int mcb__nl_bridge_querier(mcb__nl *nl, unsigned ifindex, bool on);
/* Enslaves a link to a bridge. */
int mcb__nl_set_master(mcb__nl *nl, unsigned ifindex, unsigned master);
/* Adds an address (AF_INET with its broadcast when `bcast` is not NULL, or AF_INET6,
 * nodad). */
int mcb__nl_add_addr(mcb__nl *nl, unsigned ifindex, int family, const void *addr, int prefix,
                     const void *bcast);
/* Adds a route to dst/len through `oif`, by the gateway `gw` when not NULL. */
int mcb__nl_add_route(mcb__nl *nl, int family, const void *dst, int len, const void *gw,
                      unsigned oif);
/* Deletes a link by name (a veth: both ends) (lab-qdisc.c). */
int mcb__nl_del_link(mcb__nl *nl, const char *name);

#endif
