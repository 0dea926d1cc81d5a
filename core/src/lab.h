/* lab.h - the virtual lab's internal state, shared by lab.c (nodes, namespaces),
 * lab-link.c (links, addresses, routes), lab-mroute.c (routers' multicast routing),
 * lab-impair.c and lab-qdisc.c (impairments) and lab-capture.c; not installed. */
#ifndef MCB_LAB_INTERNAL_H
#define MCB_LAB_INTERNAL_H

#include "internal.h"

#include <netinet/in.h>

#include "lab-forward.h"

#define MCB__LAB_MAX_VIFS 32 /* the kernel's MAXVIFS */

typedef struct mcb__lab_node {
  char name[MCB_LAB_NAME_MAX];
  mcb_lab_kind kind;
  unsigned flags;
  int nsfd;        /* the node's network namespace */
  int mrt_fd;      /* router: its multicast routing socket, -1 before its first link */
  int segment;     /* switch: its segment number */
  int next_host;   /* switch: last byte of the next address on its segment */
  unsigned bridge; /* switch: the bridge's ifindex (in the node) */
  int nvifs;       /* router: VIFs added, one per link in link order */
  bool no_mrt;     /* router: the kernel has no multicast routing (CONFIG_IP_MROUTE) */
  int mrt6_fd;     /* router: its IPv6 multicast routing socket (MRT6), -1 when none */
  bool no_mrt6;    /* router: the kernel has no IPv6 multicast routing (CONFIG_IPV6_MROUTE) */
  int igmp_version, mld_version; /* forced (lab-set.c); 0: the kernel's choice */
} mcb__lab_node;

typedef struct mcb__lab_end {
  int node; /* index in nodes[] */
  char ifname[IF_NAMESIZE];
  unsigned ifindex; /* in the node's namespace */
  int host;         /* last byte of its address on the segment, 0: none (switch port) */
  int vif;          /* router: its VIF, -1 otherwise; also its IPv6 MIF number */
} mcb__lab_end;

typedef struct mcb__lab_link {
  mcb__lab_end end[2];
  int segment;
  int threshold;
  unsigned loss_ppm; /* dropped per million, in each direction */
  unsigned flags;
  unsigned dup_ppm, reorder_ppm; /* the other impairments of mcb_lab_link_opts */
  uint64_t rate_bps, delay_ns, jitter_ns;
} mcb__lab_link;

typedef struct mcb__lab_route {
  int router, from; /* node indexes */
  int to[MCB_LAB_MAX_OUT];
  size_t nto;
  struct in_addr group, source; /* source 0: (*,G) */
  /* An IPv6 entry has v6 set and group6, source6 instead (source6 :: for (*,G)). */
  bool v6;
  struct in6_addr group6, source6;
} mcb__lab_route;

struct mcb_lab {
  int home;   /* the namespace the lab comes back to */
  int inside; /* node index the thread is in, -1 at home */
  mcb__lab_node nodes[MCB_LAB_MAX_NODES];
  size_t nnodes;
  mcb__lab_link links[MCB_LAB_MAX_LINKS];
  size_t nlinks;
  mcb__lab_route routes[MCB_LAB_MAX_ROUTES];
  size_t nroutes;
  int next_segment;
  mcb__fwd *fwd;            /* the lab's own forwarder, when the kernel cannot route multicast */
  struct mcb__lab_log *log; /* the event log (lab-events.c), made by mcb_lab_watch */
  struct mcb__lab_watch *watch; /* the IGMP/MLD watchers (lab-watch.c), or NULL */
  char error[320];
  char detail[200]; /* what a tool said about the step that failed */
};

/* netns.c: true when the thread is in the namespace mcb_private_lab() made. */
bool mcb__in_private_home(void);
/* lab.c: the default lab of mcb_private_lab(), or NULL. */
extern mcb_lab *mcb__private_lab;

/* lab.c */
int mcb__lab_fail(mcb_lab *lab, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mcb__lab_find(const mcb_lab *lab, const char *name);
/* Enters node i (verifying that the thread really is in its namespace) or home (-1). */
int mcb__lab_switch(mcb_lab *lab, int node);
int mcb__lab_segment(mcb_lab *lab);

/* lab-link.c: an end's IPv4/IPv6 address on its segment (false when it has none). */
bool mcb__lab_addr4(const mcb__lab_link *l, int end, struct in_addr *out);
bool mcb__lab_addr6(const mcb__lab_link *l, int end, struct in6_addr *out);

/* lab-impair.c: called inside the node of the interface. On failure `why` gets the
 * tool's words. */
int mcb__lab_set_loss(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size);
int mcb__lab_set_dup(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size);
/* The packets the end's rule in chain "loss" or "dup" matched. */
int mcb__lab_nft_counter(unsigned ifindex, const char *chain, uint64_t *packets);

/* lab-qdisc.c: the rate (tbf), or delay, jitter and reorder (netem, with the rate), on
 * the end `ifindex` of link l; called inside its node. UV_ENOTSUP with `why` naming
 * sch_netem when the kernel lacks it. */
int mcb__lab_set_qdisc(unsigned ifindex, const mcb__lab_link *l, char *why, size_t size);
bool mcb__lab_needs_netem(const mcb__lab_link *l);
/* The token bucket a rate gets, in bytes (docs/lab.md). */
uint32_t mcb__lab_tbf_bucket(uint64_t rate_bps);

/* lab-mroute.c: called inside the router's namespace. */
int mcb__lab_add_vif(mcb_lab *lab, mcb__lab_node *router, mcb__lab_end *end, int threshold);
int mcb__lab_add_mfc(mcb_lab *lab, const mcb__lab_route *route);
int mcb__lab_mfc_counters(const mcb_lab *lab, const mcb__lab_route *route, uint64_t *packets,
                          uint64_t *bytes, uint64_t *wrong_if);

/* lab-mroute6.c: IPv6 routes (MRT6, or the lab's forwarder without it). The MIF of an
 * end is its VIF number. Called inside the router's namespace. */
int mcb__lab_add_mif(mcb_lab *lab, mcb__lab_node *router, mcb__lab_end *end);
/* Fills rt's group6/source6 from text, or fails with the reason (mcb__lab_fail). */
int mcb__lab_parse6(mcb_lab *lab, const char *router, const char *group, const char *source,
                    mcb__lab_route *rt);
int mcb__lab_add_mfc6(mcb_lab *lab, const mcb__lab_route *route);
int mcb__lab_mfc6_counters(const mcb_lab *lab, const mcb__lab_route *route, uint64_t *packets,
                           uint64_t *bytes, uint64_t *wrong_if);
/* "(*,ff05::1:3)" or "(S,G)" of an entry of either family. */
void mcb__lab_route_name(const mcb__lab_route *route, char *group, size_t gsize, char *source,
                         size_t ssize);
/* lab-mroute.c: the end of `router` on its link to `neighbour` and that link's threshold. */
const mcb__lab_end *mcb__lab_end_towards(const mcb_lab *lab, int router, int neighbour,
                                         int *threshold);
/* lab-events.c: the event log. */
typedef struct mcb__lab_log mcb__lab_log;
mcb__lab_log *mcb__lab_log_new(void);
void mcb__lab_log_free(mcb__lab_log *log);
/* Appends ev, giving it the next sequence number (the oldest event goes when full). */
void mcb__lab_log_add(mcb__lab_log *log, mcb_lab_event *ev);
/* The events a decoded message makes (action, family, version, source, group, filter;
 * the caller adds node, link and time): one per group record kept, but those of groups
 * every interface joins by itself. At most max. */
size_t mcb__lab_events_of(const mcb_igmp_msg *m, mcb_lab_event *out, size_t max);

/* lab-watch.c: starts the watcher of link i when the lab is watched (0 otherwise). */
int mcb__lab_watch_link(mcb_lab *lab, size_t i);

/* lab-events.c: a group every interface joins by itself (224.0.0.1, ff02::1, solicited-
 * node, ...), left out of the events. */
bool mcb__lab_boring_group(int family, const uint8_t *g);

/* lab-switch-watch.c: a switch's bridge watched through rtnetlink. */
#define MCB__SW_ENTRIES 64 /* table entries remembered, so a refresh is not a new add */
typedef struct mcb__sw_entry {
  unsigned port;
  uint8_t group[16]; /* IPv6, or IPv4-mapped */
  uint64_t seq;      /* the event that added it (the oldest goes when full) */
} mcb__sw_entry;
typedef struct mcb__sw_watch {
  char querier[2][8]; /* IPv4, IPv6: "none", "self", "other" as last logged */
  uint8_t qaddr[2][16];
  mcb__sw_entry entries[MCB__SW_ENTRIES];
  size_t nentries;
} mcb__sw_watch;
/* A non-blocking rtnetlink socket in the namespace the thread is in, subscribed to the
 * bridges' group table changes (RTNLGRP_MDB). */
int mcb__sw_open(int *fd);
/* Asks for the bridge's link (its querier state comes with the answer). */
int mcb__sw_ask_querier(int fd, unsigned bridge, uint32_t seq);
/* Reads at most `batch` datagrams from switch sw's socket: group table changes and
 * querier changes become events in the lab's log. Returns the events added. */
size_t mcb__sw_read(mcb_lab *lab, int sw, int fd, mcb__sw_watch *st, int batch);

#endif
