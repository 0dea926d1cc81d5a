/* lab-watch.c - the lab's IGMP/MLD watcher: per link, a read-only packet socket made
 * inside the node at one end (the non-switch one), with a classic BPF filter so only
 * IGMP and MLD (ICMPv6 130/131/132/143, behind the hop-by-hop header) reach userspace,
 * read on the libuv loop (uv_poll, a bounded batch per wakeup). Each packet is seen once:
 * what the watched node sends, and what the other end sends unless it is a switch (a
 * switch passes on other hosts' reports, which their own links record; its queries are
 * its own, one per port). Each router's multicast routing socket is watched too, for the
 * kernel's "no forwarding entry for (S,G)" and "wrong incoming interface" upcalls
 * (rate-limited per router, kind and (S,G)), and so are the lab's own forwarder's.
 * Each switch's bridge is watched through an rtnetlink socket of its own (group table
 * changes as the kernel notifies them; its querier asked for every QUERIER_MS,
 * lab-switch-watch.c). The watcher only decodes and logs; the callback is told. */
#include "lab.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/mroute.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32 /* packets read per wakeup: a flood of reports cannot starve the loop */

typedef struct mcb__lab_watch mcb__lab_watch;

#define RECENT     16   /* no-route upcalls remembered, to report each (S,G) once ... */
#define RECENT_MS  5000 /* ... per router in this time */
#define QUERIER_MS 500  /* how often each switch's querier state is asked for */

typedef struct wport {
  uv_poll_t poll;
  int fd;
  bool own;   /* the fd is the port's (a link's packet socket), closed with it */
  int router; /* >= 0: this is the router's routing socket (the node's) */
  int sw;     /* >= 0: this is the switch's rtnetlink socket (own) */
  mcb__sw_watch sws;
  size_t link;
  int end; /* the watched end of the link */
  struct mcb__lab_watch *w;
} wport;

typedef struct recent {
  int router, type; /* type: the upcall's IGMPMSG_* */
  struct in_addr source, group;
  uint64_t at; /* uv_now */
} recent;

struct mcb__lab_watch {
  mcb_lab *lab; /* NULL once unwatched: the closing handles no longer touch it */
  uv_loop_t *loop;
  void (*cb)(void *arg);
  void *arg;
  wport *
      ports[MCB_LAB_MAX_LINKS + MCB_LAB_MAX_NODES + 1]; /* links, routers and switches, forwarder */
  size_t nports, open;                                  /* open: handles not yet closed */
  bool routed[MCB_LAB_MAX_NODES];                       /* the router's routing socket is watched */
  bool forwarder;                   /* the lab's own forwarder's misses are watched */
  bool switched[MCB_LAB_MAX_NODES]; /* the switch's bridge is watched */
  uv_timer_t querier;               /* asks the switches for their querier state */
  bool timer;                       /* querier is initialised (closed with the ports) */
  uint32_t seq;                     /* of the last querier request */
  recent recent[RECENT];
  size_t nrecent;
};

/* IGMP (IP protocol 2), and MLD queries, reports and done (ICMPv6 130, 131, 132, 143)
 * right after the IPv6 header or behind one hop-by-hop header. A SOCK_DGRAM packet
 * socket's filter sees the packet from its network header, in both directions. */
static const struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL), /* 0 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 2),              /* 1 */
    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                            /* 2: protocol */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 18, 17),                   /* 3 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 16),           /* 4 */
    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),                            /* 5: next header */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 2),                    /* 6 */
    BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0),                           /* 7 */
    BPF_STMT(BPF_JMP | BPF_JA, 7),                                    /* 8: to 16 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 11),                    /* 9: hop-by-hop */
    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40),                           /* 10 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 9),                    /* 11 */
    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 41),                           /* 12: its length */
    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),                           /* 13 */
    BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 3),                           /* 14 */
    BPF_STMT(BPF_MISC | BPF_TAX, 0),                                  /* 15 */
    BPF_STMT(BPF_LD | BPF_B | BPF_IND, 40),                           /* 16: ICMPv6 type */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 130, 4, 0),                   /* 17 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 131, 3, 0),                   /* 18 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 132, 2, 0),                   /* 19 */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 143, 1, 0),                   /* 20 */
    BPF_STMT(BPF_RET | BPF_K, 0),                                     /* 21: drop */
    BPF_STMT(BPF_RET | BPF_K, 0xffff),                                /* 22: keep */
};

/* The node whose IPv4 address on a lab segment is `a` (a switch's bridge holds .1). */
static const char *node_of4(const mcb_lab *lab, const uint8_t *a)
{
  struct in_addr want, have;
  memcpy(&want, a, 4);
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int e = 0; e < 2; e++)
      if (mcb__lab_addr4(&lab->links[i], e, &have) && have.s_addr == want.s_addr)
        return lab->nodes[lab->links[i].end[e].node].name;
  for (size_t i = 0; i < lab->nnodes; i++)
    if (lab->nodes[i].kind == MCB_LAB_SWITCH &&
        ntohl(want.s_addr) == (0x0a000001u | (uint32_t)lab->nodes[i].segment << 8))
      return lab->nodes[i].name;
  return NULL;
}

/* Who sent the message, or NULL when another link records it. */
static const char *sender(const mcb_lab *lab, const wport *p, bool outgoing, const mcb_igmp_msg *m)
{
  const mcb__lab_link *l = &lab->links[p->link];
  const mcb__lab_node *other = &lab->nodes[l->end[!p->end].node];
  const char *n;
  if (outgoing) return lab->nodes[l->end[p->end].node].name;
  if (other->kind != MCB_LAB_SWITCH) return other->name;
  if (m->type != MCB_IGMP_QUERY) return NULL; /* a report the switch passed on */
  if (m->family == AF_INET && (n = node_of4(lab, m->src)) != NULL) return n;
  return other->name;
}

static bool take(mcb__lab_watch *w, const wport *p, const uint8_t *pkt, size_t len, bool outgoing)
{
  mcb_lab *lab = w->lab;
  mcb_igmp_msg m;
  mcb_lab_event ev[MCB_IGMP_MAX_RECORDS];
  const char *who;
  struct timespec ts;
  size_t n;
  if (mcb_igmp_decode(pkt, len, &m) != 0 || (who = sender(lab, p, outgoing, &m)) == NULL)
    return false;
  clock_gettime(CLOCK_REALTIME, &ts);
  n = mcb__lab_events_of(&m, ev, MCB_IGMP_MAX_RECORDS);
  for (size_t i = 0; i < n; i++) {
    snprintf(ev[i].node, sizeof ev[i].node, "%s", who);
    snprintf(ev[i].link, sizeof ev[i].link, "%s", lab->links[p->link].end[p->end].ifname);
    ev[i].real_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    mcb__lab_log_add(lab->log, &ev[i]);
  }
  return n > 0;
}

static void on_readable(uv_poll_t *h, int status, int events)
{
  wport *p = h->data;
  mcb__lab_watch *w = p->w;
  bool any = false;
  (void)events;
  if (status < 0 || w->lab == NULL) return;
  for (int k = 0; k < BATCH; k++) {
    uint8_t pkt[2048]; /* a longer report is truncated, and so refused by the decoder */
    struct sockaddr_ll from;
    socklen_t fl = sizeof from;
    ssize_t got = recvfrom(p->fd, pkt, sizeof pkt, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
    if (got < 0) break;
    any |= take(w, p, pkt, (size_t)got, from.sll_pkttype == PACKET_OUTGOING);
  }
  if (any && w->cb != NULL) w->cb(w->arg);
}

/* The socket, made inside the node the thread is in: no packet is queued before the
 * filter is attached (protocol 0 until the bind). */
static int open_socket(unsigned ifindex, int *out)
{
  struct sock_fprog prog = {sizeof filter / sizeof filter[0], (struct sock_filter *)filter};
  struct sockaddr_ll ll;
  int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), rc = 0;
  if (fd < 0) return -errno;
  memset(&ll, 0, sizeof ll);
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = htons(ETH_P_ALL);
  ll.sll_ifindex = (int)ifindex;
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0 ||
      bind(fd, (struct sockaddr *)&ll, sizeof ll) != 0) {
    rc = -errno;
    close(fd);
    return rc;
  }
  *out = fd;
  return 0;
}

/* Polls the port's socket; a link's socket is closed on failure. */
static int start(mcb__lab_watch *w, wport port, uv_poll_cb cb)
{
  wport *p = w->nports < sizeof w->ports / sizeof w->ports[0] ? malloc(sizeof *p) : NULL;
  int rc = p == NULL ? UV_ENOBUFS : 0;
  if (p != NULL) {
    *p = port;
    p->w = w;
    rc = uv_poll_init(w->loop, &p->poll, port.fd);
  }
  if (rc != 0) {
    if (port.own) close(port.fd);
    free(p);
    return rc;
  }
  p->poll.data = p;
  w->ports[w->nports++] = p;
  w->open++;
  return uv_poll_start(&p->poll, UV_READABLE, cb); /* on failure closed with the rest */
}

/* An upcall of this type reported in the last RECENT_MS for the same router and (S,G)?
 * Else remembered now. */
static bool seen_lately(mcb__lab_watch *w, int router, int type, struct in_addr s, struct in_addr g)
{
  uint64_t now = uv_now(w->loop);
  recent *oldest = &w->recent[0];
  for (size_t i = 0; i < w->nrecent; i++) {
    recent *r = &w->recent[i];
    if (r->router == router && r->type == type && r->source.s_addr == s.s_addr &&
        r->group.s_addr == g.s_addr) {
      if (now - r->at < RECENT_MS) return true;
      r->at = now;
      return false;
    }
    if (r->at < oldest->at) oldest = r;
  }
  if (w->nrecent < RECENT) oldest = &w->recent[w->nrecent++];
  *oldest = (recent){router, type, s, g, now};
  return false;
}

/* The router's interface of VIF `vif`. */
static const char *vif_name(const mcb_lab *lab, int router, int vif)
{
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int e = 0; e < 2; e++)
      if (lab->links[i].end[e].node == router && lab->links[i].end[e].vif == vif)
        return lab->links[i].end[e].ifname;
  return "?";
}

/* What a router's event says: where it arrived and, for a wrong interface, where its
 * entry expects it (NULL for no route). */
typedef struct route_event {
  int router, family;
  const char *link, *expected;
  const void *source, *group; /* struct in_addr or in6_addr */
} route_event;

static void add_route_event(mcb__lab_watch *w, const route_event *re)
{
  mcb_lab_event ev = {.action = re->expected ? MCB_LAB_EV_WRONGIF : MCB_LAB_EV_NOROUTE,
                      .family = re->family};
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ev.real_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  snprintf(ev.node, sizeof ev.node, "%s", w->lab->nodes[re->router].name);
  snprintf(ev.link, sizeof ev.link, "%s", re->link);
  if (re->expected) snprintf(ev.expected_link, sizeof ev.expected_link, "%s", re->expected);
  inet_ntop(re->family, re->source, ev.source, sizeof ev.source);
  inet_ntop(re->family, re->group, ev.group, sizeof ev.group);
  mcb__lab_log_add(w->lab->log, &ev);
}

/* The router's interface an IPv4 entry for (s, g) expects it on: the (S,G) entry's,
 * else the (*,G) one's ("?" when neither is known). */
static const char *expected4(const mcb_lab *lab, int router, struct in_addr s, struct in_addr g)
{
  const mcb__lab_route *sg = NULL, *any = NULL;
  const mcb__lab_end *end;
  int thr;
  for (size_t i = 0; i < lab->nroutes; i++) {
    const mcb__lab_route *r = &lab->routes[i];
    if (r->router != router || r->v6 || r->group.s_addr != g.s_addr) continue;
    if (r->source.s_addr == s.s_addr) sg = r;
    if (r->source.s_addr == 0) any = r;
  }
  if (sg != NULL) any = sg;
  end = any ? mcb__lab_end_towards(lab, router, any->from, &thr) : NULL;
  return end ? end->ifname : "?";
}

/* The routing socket also gets the IGMP the router receives: an upcall is told from it
 * by the zero where an IP header has its protocol (struct igmpmsg's im_mbz). A wrong
 * interface comes only with MRT_ASSERT on (lab-mroute.c sets it) and only for an
 * arrival on one of the entry's outgoing links, at most every 3 s per entry. */
static bool take_upcall(mcb__lab_watch *w, int router, const uint8_t *pkt, size_t len)
{
  struct igmpmsg im;
  route_event re = {.router = router, .family = AF_INET};
  if (len < sizeof im) return false;
  memcpy(&im, pkt, sizeof im);
  if (im.im_mbz != 0 || (im.im_msgtype != IGMPMSG_NOCACHE && im.im_msgtype != IGMPMSG_WRONGVIF) ||
      seen_lately(w, router, im.im_msgtype, im.im_src, im.im_dst))
    return false;
  re.link = vif_name(w->lab, router, im.im_vif);
  if (im.im_msgtype == IGMPMSG_WRONGVIF)
    re.expected = expected4(w->lab, router, im.im_src, im.im_dst);
  re.source = &im.im_src;
  re.group = &im.im_dst;
  add_route_event(w, &re);
  return true;
}

static void on_upcall(uv_poll_t *h, int status, int events)
{
  wport *p = h->data;
  mcb__lab_watch *w = p->w;
  bool any = false;
  (void)events;
  if (status < 0 || w->lab == NULL) return;
  for (int k = 0; k < BATCH; k++) {
    uint8_t pkt[2048];
    ssize_t got = recv(p->fd, pkt, sizeof pkt, MSG_DONTWAIT);
    if (got < 0) break;
    any |= take_upcall(w, p->router, pkt, (size_t)got);
  }
  if (any && w->cb != NULL) w->cb(w->arg);
}

/* The lab's own forwarder (lab-forward.c) found no entry, or one expecting another
 * link: its thread queued the misses (rate-limited there) and made the eventfd readable. */
static void on_misses(uv_poll_t *h, int status, int events)
{
  wport *p = h->data;
  mcb__lab_watch *w = p->w;
  mcb__fwd_miss m[MCB__FWD_MISSES];
  size_t n;
  (void)events;
  if (status < 0 || w->lab == NULL || w->lab->fwd == NULL) return;
  n = mcb__fwd_take_misses(w->lab->fwd, m, MCB__FWD_MISSES);
  for (size_t i = 0; i < n; i++) {
    route_event re = {m[i].router,
                      m[i].family,
                      vif_name(w->lab, m[i].router, m[i].vif),
                      m[i].wrong_if ? vif_name(w->lab, m[i].router, m[i].expected_vif) : NULL,
                      &m[i].source,
                      &m[i].group};
    add_route_event(w, &re);
  }
  if (n > 0 && w->cb != NULL) w->cb(w->arg);
}

/* Watches a router's routing socket once it has one. */
static int watch_router(mcb_lab *lab, int node)
{
  mcb__lab_watch *w = lab->watch;
  const mcb__lab_node *n = &lab->nodes[node];
  int rc;
  if (n->kind == MCB_LAB_ROUTER && lab->fwd != NULL && !w->forwarder) {
    w->forwarder = true;
    if ((rc = start(w, (wport){.fd = mcb__fwd_miss_fd(lab->fwd), .router = -1, .sw = -1},
                    on_misses)) != 0)
      return mcb__lab_fail(lab, rc, "watch the lab's forwarder");
  }
  if (n->kind != MCB_LAB_ROUTER || n->mrt_fd < 0 || w->routed[node]) return 0;
  w->routed[node] = true;
  if ((rc = start(w, (wport){.fd = n->mrt_fd, .router = node, .sw = -1}, on_upcall)) != 0)
    return mcb__lab_fail(lab, rc, "watch router %s", n->name);
  return 0;
}

static void on_switch(uv_poll_t *h, int status, int events)
{
  wport *p = h->data;
  mcb__lab_watch *w = p->w;
  (void)events;
  if (status < 0 || w->lab == NULL) return;
  if (mcb__sw_read(w->lab, p->sw, p->fd, &p->sws, BATCH) > 0 && w->cb != NULL) w->cb(w->arg);
}

/* Every QUERIER_MS: each switch is asked who its querier is; the answers come back on
 * its socket (on_switch). */
static void on_querier_timer(uv_timer_t *t)
{
  mcb__lab_watch *w = t->data;
  if (w->lab == NULL) return;
  for (size_t i = 0; i < w->nports; i++)
    if (w->ports[i]->sw >= 0)
      (void)mcb__sw_ask_querier(w->ports[i]->fd, w->lab->nodes[w->ports[i]->sw].bridge, ++w->seq);
}

/* Watches a switch's bridge, through a socket made inside the switch. */
static int watch_switch(mcb_lab *lab, int node)
{
  mcb__lab_watch *w = lab->watch;
  wport port = {.fd = -1, .own = true, .router = -1, .sw = node};
  int rc;
  if (lab->nodes[node].kind != MCB_LAB_SWITCH || w->switched[node]) return 0;
  w->switched[node] = true;
  if ((rc = mcb__lab_switch(lab, node)) == 0) rc = mcb__sw_open(&port.fd);
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) rc = UV_EIO;
  if (rc == 0) {
    for (int v6 = 0; v6 < 2; v6++) snprintf(port.sws.querier[v6], 8, "none");
    rc = start(w, port, on_switch);
  } else if (port.fd >= 0) {
    close(port.fd);
  }
  if (rc == 0 && !w->timer && (rc = uv_timer_init(w->loop, &w->querier)) == 0) {
    w->timer = true;
    w->open++;
    w->querier.data = w;
    rc = uv_timer_start(&w->querier, on_querier_timer, 0, QUERIER_MS);
  }
  return rc != 0 ? mcb__lab_fail(lab, rc, "watch switch %s", lab->nodes[node].name) : 0;
}

int mcb__lab_watch_link(mcb_lab *lab, size_t i)
{
  mcb__lab_watch *w = lab->watch;
  const mcb__lab_link *l = &lab->links[i];
  int end = lab->nodes[l->end[0].node].kind == MCB_LAB_SWITCH ? 1 : 0, rc, fd = -1;
  if (w == NULL) return 0;
  if ((rc = mcb__lab_switch(lab, l->end[end].node)) == 0)
    rc = open_socket(l->end[end].ifindex, &fd);
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) rc = UV_EIO;
  if (rc != 0) {
    if (fd >= 0) close(fd);
    return mcb__lab_fail(lab, rc, "watch link %s", l->end[end].ifname);
  }
  if ((rc = start(w, (wport){.fd = fd, .own = true, .router = -1, .sw = -1, .link = i, .end = end},
                  on_readable)) != 0)
    return mcb__lab_fail(lab, rc, "watch link %s", l->end[end].ifname);
  for (int e = 0; e < 2 && rc == 0; e++) rc = watch_router(lab, l->end[e].node);
  for (int e = 0; e < 2 && rc == 0; e++) rc = watch_switch(lab, l->end[e].node);
  return rc;
}

int mcb_lab_watch(mcb_lab *lab, uv_loop_t *loop, void (*cb)(void *arg), void *arg)
{
  int rc = 0;
  if (lab->watch != NULL) return UV_EALREADY;
  if (lab->log == NULL && (lab->log = mcb__lab_log_new()) == NULL) return UV_ENOMEM;
  if ((lab->watch = calloc(1, sizeof *lab->watch)) == NULL) return UV_ENOMEM;
  *lab->watch = (mcb__lab_watch){.lab = lab, .loop = loop, .cb = cb, .arg = arg};
  for (size_t i = 0; i < lab->nlinks; i++) {
    int one = mcb__lab_watch_link(lab, i);
    if (rc == 0) rc = one;
  }
  return rc;
}

static void on_closed(uv_handle_t *h)
{
  wport *p = h->data;
  mcb__lab_watch *w = p->w;
  if (p->own) close(p->fd);
  free(p);
  if (--w->open == 0) free(w);
}

static void on_timer_closed(uv_handle_t *h)
{
  mcb__lab_watch *w = h->data;
  if (--w->open == 0) free(w);
}

void mcb_lab_unwatch(mcb_lab *lab)
{
  mcb__lab_watch *w = lab->watch;
  if (w == NULL) return;
  lab->watch = NULL;
  w->lab = NULL;
  if (w->open == 0) {
    free(w);
    return;
  }
  if (w->timer) uv_close((uv_handle_t *)&w->querier, on_timer_closed);
  for (size_t i = 0; i < w->nports; i++) uv_close((uv_handle_t *)&w->ports[i]->poll, on_closed);
}
