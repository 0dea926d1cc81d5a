/* lab-state.c - what `lab show` reads inside the nodes: IGMP/MLD memberships
 * (/proc/thread-self/net/igmp and igmp6: the thread's namespace, not the process's),
 * a switch's bridge group table (an RTM_GETMDB dump) and the links' packet counters. */
#include "lab.h"
#include "rtnl.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

typedef struct groups {
  mcb_lab_group *v;
  size_t n, max;
} groups;

static void add(groups *g, const char *ifname, int family, const void *addr)
{
  if (g->n >= g->max) return;
  snprintf(g->v[g->n].ifname, sizeof g->v[g->n].ifname, "%s", ifname);
  inet_ntop(family, addr, g->v[g->n].group, sizeof g->v[g->n].group);
  g->n++;
}

/* Groups every interface has whatever anyone joined: not worth showing. */
static bool boring4(struct in_addr a)
{
  return ntohl(a.s_addr) == 0xe0000001u; /* 224.0.0.1 */
}

static bool boring6(const struct in6_addr *a)
{
  static const uint8_t sn[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
  static const uint8_t zero[12] = {0};
  unsigned last = (unsigned)(a->s6_addr[14] << 8 | a->s6_addr[15]);
  if (IN6_IS_ADDR_MC_NODELOCAL(a) || memcmp(a->s6_addr, sn, sizeof sn) == 0) return true;
  /* ff02::1 all nodes, ::2 all routers, ::16 MLDv2 routers, ::6a all snoopers */
  return IN6_IS_ADDR_MC_LINKLOCAL(a) && memcmp(a->s6_addr + 2, zero, sizeof zero) == 0 &&
         (last == 1 || last == 2 || last == 0x16 || last == 0x6a);
}

/* The groups joined on each interface of the namespace the thread is in (the core's
 * one reader of /proc/thread-self/net/igmp and igmp6), but lo's and the boring ones. */
static void read_memberships(groups *g)
{
  mcb_iface *ifs = calloc(MCB_LAB_MAX_LINKS + 2, sizeof *ifs);
  size_t n = 0;
  if (ifs == NULL || mcb_iface_list(ifs, MCB_LAB_MAX_LINKS + 2, &n) != 0) n = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(ifs[i].name, "lo") == 0) continue;
    for (size_t k = 0; k < ifs[i].ngroups; k++) {
      const mcb_addr *a = &ifs[i].groups[k];
      if (a->u.sa.sa_family == AF_INET && !boring4(a->u.in4.sin_addr))
        add(g, ifs[i].name, AF_INET, &a->u.in4.sin_addr);
      else if (a->u.sa.sa_family == AF_INET6 && !boring6(&a->u.in6.sin6_addr))
        add(g, ifs[i].name, AF_INET6, &a->u.in6.sin6_addr);
    }
  }
  free(ifs);
}

/* One message of the dump (the kernel types them RTM_GETMDB): its entries' ports and
 * groups. */
static void mdb_message(const struct nlmsghdr *h, groups *g)
{
  int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(struct br_port_msg));
  struct rtattr *a =
      (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct br_port_msg)));
  for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    int l2 = (int)RTA_PAYLOAD(a);
    if (a->rta_type != MDBA_MDB) continue;
    for (struct rtattr *e = RTA_DATA(a); RTA_OK(e, l2); e = RTA_NEXT(e, l2)) {
      int l3 = (int)RTA_PAYLOAD(e);
      if (e->rta_type != MDBA_MDB_ENTRY) continue;
      for (struct rtattr *i = RTA_DATA(e); RTA_OK(i, l3); i = RTA_NEXT(i, l3)) {
        const struct br_mdb_entry *m = RTA_DATA(i);
        char port[IF_NAMESIZE + 8];
        if (i->rta_type != MDBA_MDB_ENTRY_INFO || RTA_PAYLOAD(i) < sizeof *m) continue;
        mcb_ifname(m->ifindex, port);
        if (m->addr.proto == htons(0x0800) && !boring4((struct in_addr){m->addr.u.ip4}))
          add(g, port, AF_INET, &m->addr.u.ip4);
        else if (m->addr.proto == htons(0x86dd) && !boring6(&m->addr.u.ip6))
          add(g, port, AF_INET6, &m->addr.u.ip6);
      }
    }
  }
}

/* Dumps the bridge's group table: a multipart answer ending with NLMSG_DONE. */
static int read_mdb(groups *g)
{
  struct {
    struct nlmsghdr h;
    struct br_port_msg m;
  } req;
  char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
  mcb__nl nl = {.fd = -1};
  int rc = mcb__nl_open(&nl);
  if (rc != 0) return rc;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.m);
  req.h.nlmsg_type = RTM_GETMDB;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = ++nl.seq;
  req.m.family = AF_BRIDGE;
  if (send(nl.fd, &req, req.h.nlmsg_len, 0) < 0) rc = -errno;
  for (int done = 0; rc == 0 && !done;) {
    ssize_t n = recv(nl.fd, buf, sizeof buf, 0);
    size_t left;
    if (n < 0) {
      rc = errno == EINTR ? 0 : (errno == EAGAIN ? UV_ETIMEDOUT : -errno);
      continue;
    }
    left = (size_t)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != req.h.nlmsg_seq) continue;
      if (h->nlmsg_type == NLMSG_DONE)
        done = 1;
      else if (h->nlmsg_type == NLMSG_ERROR)
        done = 1, rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
      else if (h->nlmsg_type == RTM_NEWMDB || h->nlmsg_type == RTM_GETMDB)
        mdb_message(h, g);
    }
  }
  mcb__nl_close(&nl);
  return rc;
}

int mcb_lab_groups(mcb_lab *lab, const char *node, mcb_lab_group *out, size_t max, size_t *n)
{
  int i = mcb__lab_find(lab, node), rc, back;
  groups g = {out, 0, max};
  *n = 0;
  if (i < 0) return mcb__lab_fail(lab, UV_ENOENT, "groups of %s: no such node", node);
  if ((rc = mcb__lab_switch(lab, i)) == 0) {
    if (lab->nodes[i].kind == MCB_LAB_SWITCH) {
      rc = read_mdb(&g);
    } else {
      read_memberships(&g);
    }
  }
  back = mcb__lab_switch(lab, -1);
  if (rc == 0) rc = back;
  *n = g.n;
  return rc != 0 ? mcb__lab_fail(lab, rc, "groups of %s", node) : 0;
}

/* The interface's packet counters, read inside the thread's namespace. */
static void counters(const char *ifname, uint64_t *rx, uint64_t *tx)
{
  struct ifaddrs *list;
  *rx = *tx = 0;
  if (getifaddrs(&list) != 0) return;
  for (struct ifaddrs *i = list; i != NULL; i = i->ifa_next)
    if (i->ifa_addr && i->ifa_addr->sa_family == AF_PACKET && i->ifa_data &&
        strcmp(i->ifa_name, ifname) == 0) {
      const struct rtnl_link_stats *st = i->ifa_data;
      *rx = st->rx_packets;
      *tx = st->tx_packets;
    }
  freeifaddrs(list);
}

int mcb_lab_link_counters(mcb_lab *lab, size_t i, uint64_t rx[2], uint64_t tx[2])
{
  int rc = 0;
  if (i >= lab->nlinks) return UV_EINVAL;
  for (int e = 0; e < 2 && rc == 0; e++) {
    const mcb__lab_end *end = &lab->links[i].end[e];
    if ((rc = mcb__lab_switch(lab, end->node)) == 0) counters(end->ifname, &rx[e], &tx[e]);
  }
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) rc = UV_EIO;
  return rc != 0 ? mcb__lab_fail(lab, rc, "counters of link %zu", i) : 0;
}
