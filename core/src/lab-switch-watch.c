/* lab-switch-watch.c - what a lab switch's bridge says about itself: its group table's
 * changes (the kernel's RTM_NEWMDB/RTM_DELMDB notifications, RTNLGRP_MDB) and who is
 * the querier (IFLA_BR_MCAST_QUERIER_STATE in the answer to an RTM_GETLINK the watcher
 * sends now and then). One non-blocking rtnetlink socket per switch, made inside its
 * namespace, so requests and notifications are the switch's; lab-watch.c polls it on the
 * loop. The kernel's bytes are parsed with every length checked against what was read. */
#include "lab.h"
#include "rtnl.h"

#include <arpa/inet.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LEAVE_NS  10000000000LL /* a removal this soon after the port's host left is its leave */
#define LOOK_BACK 64            /* events searched for that leave */

int mcb__sw_open(int *out)
{
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  int group = RTNLGRP_MDB, rc = 0;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) return -errno;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
      setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0) {
    rc = -errno;
    close(fd);
    return rc;
  }
  *out = fd;
  return 0;
}

int mcb__sw_ask_querier(int fd, unsigned bridge, uint32_t seq)
{
  struct {
    struct nlmsghdr h;
    struct ifinfomsg i;
  } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.i);
  req.h.nlmsg_type = RTM_GETLINK;
  req.h.nlmsg_flags = NLM_F_REQUEST;
  req.h.nlmsg_seq = seq;
  req.i.ifi_family = AF_UNSPEC;
  req.i.ifi_index = (int)bridge;
  /* A full socket buffer only delays the next look: never wait for room. */
  return send(fd, &req, req.h.nlmsg_len, MSG_DONTWAIT) < 0 ? -errno : 0;
}

static int64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The switch's end of the link its port `ifindex` belongs to, or -1. */
static int port_link(const mcb_lab *lab, int sw, unsigned ifindex, int *end)
{
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int e = 0; e < 2; e++)
      if (lab->links[i].end[e].node == sw && lab->links[i].end[e].ifindex == ifindex) {
        *end = e;
        return (int)i;
      }
  return -1;
}

/* Why an entry went: the host behind the port left the group a moment ago, or (no such
 * leave in the log) its membership timed out. */
static void removal_reason(const mcb_lab *lab, const mcb_lab_event *del, const char *host,
                           char *buf, size_t size)
{
  uint64_t next = mcb_lab_event_next(lab);
  mcb_lab_event ev;
  snprintf(buf, size, "timed out");
  for (uint64_t seq = next - 1, k = 0; seq >= 1 && k < LOOK_BACK; seq--, k++) {
    if (mcb_lab_event_get(lab, seq, &ev) != 0) break;
    if (del->real_ns - ev.real_ns > LEAVE_NS) break;
    if (ev.action == MCB_LAB_EV_LEAVE && ev.family == del->family &&
        strcmp(ev.group, del->group) == 0 && strcmp(ev.node, host) == 0) {
      snprintf(buf, size, "after %s's leave", host);
      return;
    }
  }
}

/* Whether the table already had (add) or still had (remove) the entry as far as the
 * events told, updating what is remembered: the kernel notifies an entry again when its
 * filter mode or sources change, which is no news for the lesson. */
static bool known(mcb__sw_watch *st, unsigned port, int family, const uint8_t *g, bool add,
                  uint64_t seq)
{
  uint8_t key[16] = {0};
  mcb__sw_entry *oldest = NULL;
  if (family == AF_INET) {
    key[10] = key[11] = 0xff;
    memcpy(key + 12, g, 4);
  } else {
    memcpy(key, g, 16);
  }
  for (size_t i = 0; i < st->nentries; i++) {
    mcb__sw_entry *e = &st->entries[i];
    if (e->port == port && memcmp(e->group, key, 16) == 0) {
      if (!add) *e = st->entries[--st->nentries];
      return add;
    }
    if (oldest == NULL || e->seq < oldest->seq) oldest = e;
  }
  if (!add) return false;
  if (st->nentries < MCB__SW_ENTRIES) oldest = &st->entries[st->nentries++];
  *oldest = (mcb__sw_entry){.port = port, .seq = seq};
  memcpy(oldest->group, key, 16);
  return false;
}

static void table_entry(mcb_lab *lab, int sw, mcb__sw_watch *st, bool add,
                        const struct br_mdb_entry *m)
{
  mcb_lab_event ev = {.action = add ? MCB_LAB_EV_ADD : MCB_LAB_EV_REMOVE};
  uint8_t g[16] = {0};
  int end, link;
  if (m->addr.proto == htons(0x0800)) {
    ev.family = AF_INET;
    memcpy(g, &m->addr.u.ip4, 4);
  } else if (m->addr.proto == htons(0x86dd)) {
    ev.family = AF_INET6;
    memcpy(g, &m->addr.u.ip6, 16);
  } else {
    return; /* a layer-2 entry: not the lesson's */
  }
  /* The bridge's own memberships (its port is itself) and the groups every interface
   * joins by itself are noise. */
  if ((link = port_link(lab, sw, (unsigned)m->ifindex, &end)) < 0 ||
      mcb__lab_boring_group(ev.family, g) ||
      (add && known(st, (unsigned)m->ifindex, ev.family, g, true, mcb_lab_event_next(lab))))
    return;
  if (!add) (void)known(st, (unsigned)m->ifindex, ev.family, g, false, 0);
  inet_ntop(ev.family, g, ev.group, sizeof ev.group);
  snprintf(ev.node, sizeof ev.node, "%s", lab->nodes[sw].name);
  snprintf(ev.link, sizeof ev.link, "%s", lab->links[link].end[end].ifname);
  ev.real_ns = now_ns();
  if (!add)
    removal_reason(lab, &ev, lab->nodes[lab->links[link].end[!end].node].name, ev.filter,
                   sizeof ev.filter);
  mcb__lab_log_add(lab->log, &ev);
}

/* RTM_NEWMDB / RTM_DELMDB: br_port_msg, then MDBA_MDB > MDBA_MDB_ENTRY > MDBA_MDB_ENTRY_INFO
 * (a struct br_mdb_entry, maybe followed by nested attributes). */
static size_t mdb_message(mcb_lab *lab, int sw, mcb__sw_watch *st, const struct nlmsghdr *h)
{
  size_t n = 0;
  int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(struct br_port_msg));
  const struct rtattr *a;
  if (len < 0) return 0;
  a = (const struct rtattr *)((const char *)NLMSG_DATA(h) +
                              NLMSG_ALIGN(sizeof(struct br_port_msg)));
  for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    int l2 = (int)RTA_PAYLOAD(a);
    if (a->rta_type != MDBA_MDB) continue;
    for (const struct rtattr *e = RTA_DATA(a); RTA_OK(e, l2); e = RTA_NEXT(e, l2)) {
      int l3 = (int)RTA_PAYLOAD(e);
      if (e->rta_type != MDBA_MDB_ENTRY) continue;
      for (const struct rtattr *i = RTA_DATA(e); RTA_OK(i, l3); i = RTA_NEXT(i, l3)) {
        struct br_mdb_entry m;
        if (i->rta_type != MDBA_MDB_ENTRY_INFO || RTA_PAYLOAD(i) < sizeof m) continue;
        memcpy(&m, RTA_DATA(i), sizeof m); /* attribute data is only 4-byte aligned */
        uint64_t before = mcb_lab_event_next(lab);
        table_entry(lab, sw, st, h->nlmsg_type == RTM_NEWMDB, &m);
        n += mcb_lab_event_next(lab) - before;
      }
    }
  }
  return n;
}

/* One family's querier as the bridge reports it. */
typedef struct querier {
  bool present;     /* the kernel said anything: configured or another heard */
  bool other;       /* another querier's timer runs */
  uint8_t addr[16]; /* its address (zero: the bridge's own 0.0.0.0 queries) */
  unsigned port;    /* ifindex of the port it is heard on (other) */
} querier;

static void querier_state(const struct rtattr *qs, querier q[2])
{
  int len = (int)RTA_PAYLOAD(qs);
  memset(q, 0, 2 * sizeof *q);
  for (const struct rtattr *a = RTA_DATA(qs); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    size_t pl = RTA_PAYLOAD(a);
    uint64_t timer = 0;
    uint32_t port = 0;
    switch (a->rta_type) {
    case BRIDGE_QUERIER_IP_ADDRESS:
    case BRIDGE_QUERIER_IPV6_ADDRESS: {
      int v6 = a->rta_type == BRIDGE_QUERIER_IPV6_ADDRESS;
      if (pl < (v6 ? 16u : 4u)) break;
      q[v6].present = true;
      memcpy(q[v6].addr, RTA_DATA(a), v6 ? 16 : 4);
      break;
    }
    case BRIDGE_QUERIER_IP_PORT:
    case BRIDGE_QUERIER_IPV6_PORT:
      if (pl < sizeof port) break;
      memcpy(&port, RTA_DATA(a), sizeof port);
      q[a->rta_type == BRIDGE_QUERIER_IPV6_PORT].port = port;
      break;
    case BRIDGE_QUERIER_IP_OTHER_TIMER:
    case BRIDGE_QUERIER_IPV6_OTHER_TIMER:
      if (pl < sizeof timer) break;
      memcpy(&timer, RTA_DATA(a), sizeof timer);
      q[a->rta_type == BRIDGE_QUERIER_IPV6_OTHER_TIMER].other = timer > 0;
      break;
    default:
      break;
    }
  }
}

/* The querier of one family changed (or was seen for the first time): an event. */
static size_t querier_event(mcb_lab *lab, int sw, mcb__sw_watch *st, int v6, const querier *q)
{
  int family = v6 ? AF_INET6 : AF_INET, link, end;
  const char *word = !q->present ? "none" : q->other ? "other" : "self";
  mcb_lab_event ev = {.action = MCB_LAB_EV_QUERIER, .family = family};
  static const uint8_t zero[16] = {0};
  if (strcmp(st->querier[v6], word) == 0 &&
      (!q->other || memcmp(st->qaddr[v6], q->addr, sizeof q->addr) == 0))
    return 0;
  snprintf(st->querier[v6], sizeof st->querier[v6], "%s", word);
  memcpy(st->qaddr[v6], q->addr, sizeof q->addr);
  snprintf(ev.node, sizeof ev.node, "%s", lab->nodes[sw].name);
  snprintf(ev.filter, sizeof ev.filter, "%s", word);
  if (q->present && memcmp(q->addr, zero, v6 ? 16 : 4) != 0)
    inet_ntop(family, q->addr, ev.source, sizeof ev.source);
  if (q->other && (link = port_link(lab, sw, q->port, &end)) >= 0)
    snprintf(ev.link, sizeof ev.link, "%s", lab->links[link].end[end].ifname);
  ev.real_ns = now_ns();
  mcb__lab_log_add(lab->log, &ev);
  return 1;
}

/* RTM_NEWLINK answering mcb__sw_ask_querier: IFLA_LINKINFO > IFLA_INFO_DATA >
 * IFLA_BR_MCAST_QUERIER_STATE (kernel 5.15 and later; older ones say nothing). */
static size_t link_message(mcb_lab *lab, int sw, mcb__sw_watch *st, const struct nlmsghdr *h)
{
  int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(struct ifinfomsg));
  const struct ifinfomsg *ifi = NLMSG_DATA(h);
  size_t n = 0;
  if (len < 0 || ifi->ifi_index != (int)lab->nodes[sw].bridge) return 0;
  for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    int l2 = (int)RTA_PAYLOAD(a);
    if (a->rta_type != IFLA_LINKINFO) continue;
    for (const struct rtattr *d = RTA_DATA(a); RTA_OK(d, l2); d = RTA_NEXT(d, l2)) {
      int l3 = (int)RTA_PAYLOAD(d);
      if (d->rta_type != IFLA_INFO_DATA) continue;
      for (const struct rtattr *b = RTA_DATA(d); RTA_OK(b, l3); b = RTA_NEXT(b, l3)) {
        querier q[2];
        if ((b->rta_type & NLA_TYPE_MASK) != IFLA_BR_MCAST_QUERIER_STATE) continue;
        querier_state(b, q);
        for (int v6 = 0; v6 < 2; v6++) n += querier_event(lab, sw, st, v6, &q[v6]);
      }
    }
  }
  return n;
}

size_t mcb__sw_read(mcb_lab *lab, int sw, int fd, mcb__sw_watch *st, int batch)
{
  size_t n = 0;
  for (int k = 0; k < batch; k++) {
    char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct sockaddr_nl from = {0};
    socklen_t fl = sizeof from;
    ssize_t got = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
    size_t left;
    if (got < 0 && errno == ENOBUFS) continue; /* notifications were lost; go on */
    if (got <= 0) break;
    /* only the kernel speaks for the bridge (a program in the switch could write too) */
    if (fl >= sizeof from && from.nl_family == AF_NETLINK && from.nl_pid != 0) continue;
    left = (size_t)got;
    for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == RTM_NEWMDB || h->nlmsg_type == RTM_DELMDB)
        n += mdb_message(lab, sw, st, h);
      else if (h->nlmsg_type == RTM_NEWLINK)
        n += link_message(lab, sw, st, h);
    }
  }
  return n;
}
