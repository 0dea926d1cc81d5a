/* lab-link.c - links of the virtual lab: a veth pair made inside node A with its far
 * end born in node B, addressed by the segment scheme of mcb.h, brought up and waited
 * for; then a host's first link gets its routes and a router's link becomes a VIF. */
#include "lab.h"
#include "rtnl.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

bool mcb__lab_addr4(const mcb__lab_link *l, int end, struct in_addr *out)
{
  int host = l->end[end].host;
  if (host == 0) return false;
  if (l->flags & MCB_LAB_DEFAULT)
    out->s_addr = htonl(0x0a630000u | (uint32_t)host); /* 10.99.0.host */
  else
    out->s_addr = htonl(0x0a000000u | (uint32_t)l->segment << 8 | (uint32_t)host);
  return true;
}

bool mcb__lab_addr6(const mcb__lab_link *l, int end, struct in6_addr *out)
{
  int host = l->end[end].host;
  if (host == 0) return false;
  memset(out, 0, sizeof *out);
  out->s6_addr[0] = 0xfd;
  if (l->flags & MCB_LAB_DEFAULT)
    out->s6_addr[3] = 0x99; /* fd00:99::host */
  else
    out->s6_addr[7] = (uint8_t)l->segment; /* fd00:0:0:n::host */
  out->s6_addr[15] = (uint8_t)host;
  return true;
}

/* True when the interface is running and, unless it is a bridge port, has its IPv6
 * link-local address: the kernel finishes a new link from deferred work. */
static bool ready(int fd, const char *name, bool port)
{
  struct ifreq ifr;
  struct ifaddrs *list, *i;
  bool ll = port;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || !(ifr.ifr_flags & IFF_RUNNING)) return false;
  if (ll) return true;
  if (getifaddrs(&list) != 0) return false;
  for (i = list; i != NULL; i = i->ifa_next)
    if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6 && strcmp(i->ifa_name, name) == 0 &&
        IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr))
      ll = true;
  freeifaddrs(list);
  return ll;
}

/* Bounded (3 s): until then packets on the link would be dropped. */
static int wait_ready(const char *name, bool port)
{
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct timespec tick = {0, 5000000};
  int rc = UV_ETIMEDOUT;
  if (fd < 0) return -errno;
  for (int i = 0; i < 600; i++) {
    if (ready(fd, name, port)) {
      rc = 0;
      break;
    }
    nanosleep(&tick, NULL);
  }
  close(fd);
  return rc;
}

/* The router a host on link `l` (at end `e`) sends through: the other end when it is a
 * router, or the first router on the switch at the other end. -1: none. */
static int gateway(const mcb_lab *lab, const mcb__lab_link *l, int e, int *gw_end,
                   const mcb__lab_link **gw_link)
{
  int other = l->end[!e].node;
  if (lab->nodes[other].kind == MCB_LAB_ROUTER) {
    *gw_end = !e;
    *gw_link = l;
    return other;
  }
  if (lab->nodes[other].kind != MCB_LAB_SWITCH) return -1;
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int k = 0; k < 2; k++)
      if (lab->links[i].end[k].node == other &&
          lab->nodes[lab->links[i].end[!k].node].kind == MCB_LAB_ROUTER) {
        *gw_end = !k;
        *gw_link = &lab->links[i];
        return lab->links[i].end[!k].node;
      }
  return -1;
}

static size_t links_of(const mcb_lab *lab, int node)
{
  size_t n = 0;
  for (size_t i = 0; i < lab->nlinks; i++)
    n += lab->links[i].end[0].node == node || lab->links[i].end[1].node == node;
  return n;
}

/* A host's first link: the multicast routes and the default route go there. */
static int host_routes(mcb_lab *lab, mcb__nl *nl, const mcb__lab_link *l, int e, const char **step)
{
  static const uint8_t ff00[16] = {0xff};
  struct in_addr mc = {htonl(0xe0000000u)}, gw4;
  struct in6_addr gw6;
  const mcb__lab_link *gl;
  unsigned oif = l->end[e].ifindex;
  int ge, rc;

  *step = "route 224.0.0.0/4";
  if ((rc = mcb__nl_add_route(nl, AF_INET, &mc, 4, NULL, oif)) != 0) return rc;
  *step = "route ff00::/8";
  if ((rc = mcb__nl_add_route(nl, AF_INET6, ff00, 8, NULL, oif)) != 0 && rc != UV_EEXIST) return rc;
  if (gateway(lab, l, e, &ge, &gl) < 0 || !mcb__lab_addr4(gl, ge, &gw4) ||
      !mcb__lab_addr6(gl, ge, &gw6))
    return 0;
  *step = "default route";
  if ((rc = mcb__nl_add_route(nl, AF_INET, &gw4, 0, &gw4, oif)) != 0) return rc;
  *step = "IPv6 default route";
  return mcb__nl_add_route(nl, AF_INET6, &gw6, 0, &gw6, oif);
}

/* Addresses end `e` of `l` and sets it up; the thread is inside its node. */
static int configure_end(mcb_lab *lab, mcb__nl *nl, mcb__lab_link *l, int e, const char **step)
{
  mcb__lab_node *n = &lab->nodes[l->end[e].node];
  struct in_addr a, b;
  struct in6_addr a6;
  int rc;

  *step = "find the interface";
  if ((l->end[e].ifindex = if_nametoindex(l->end[e].ifname)) == 0) return UV_ENODEV;
  if (n->kind == MCB_LAB_SWITCH) {
    *step = "add the port to the bridge";
    if ((rc = mcb__nl_set_master(nl, l->end[e].ifindex, n->bridge)) != 0) return rc;
    *step = "set the port up";
    return mcb__nl_link_up(nl, l->end[e].ifindex);
  }
  mcb__lab_addr4(l, e, &a);
  b.s_addr = a.s_addr | htonl(0xffu);
  mcb__lab_addr6(l, e, &a6);
  *step = "address it";
  if ((rc = mcb__nl_add_addr(nl, l->end[e].ifindex, AF_INET, &a, 24, &b)) != 0) return rc;
  *step = "set it up";
  if ((rc = mcb__nl_link_up(nl, l->end[e].ifindex)) != 0) return rc;
  *step = "IPv6 address it";
  return mcb__nl_add_addr(nl, l->end[e].ifindex, AF_INET6, &a6, 64, NULL);
}

/* The end's impairments (lab-impair.c, lab-qdisc.c); on failure lab->detail says why
 * (the step NULL: it says everything). */
static int impair_end(mcb_lab *lab, mcb__lab_link *l, int e, const char **step)
{
  const mcb__lab_end *end = &l->end[e];
  char *why = lab->detail;
  size_t size = sizeof lab->detail;
  int rc = 0;
  *step = "add loss to";
  if (l->loss_ppm > 0 &&
      (rc = mcb__lab_set_loss(end->ifindex, end->ifname, l->loss_ppm, why, size)))
    return rc;
  *step = "add duplication to";
  if (l->dup_ppm > 0 && (rc = mcb__lab_set_dup(end->ifindex, end->ifname, l->dup_ppm, why, size)))
    return rc;
  *step = mcb__lab_needs_netem(l) ? "add netem to" : "add a rate to";
  rc = mcb__lab_set_qdisc(end->ifindex, l, why, size);
  if (rc == UV_ENOTSUP) *step = NULL;
  return rc;
}

/* Once the link is up: wait for it, then routes or VIF. */
static int finish_end(mcb_lab *lab, mcb__nl *nl, mcb__lab_link *l, int e, const char **step)
{
  mcb__lab_node *n = &lab->nodes[l->end[e].node];
  int rc;
  *step = "wait for it to come up";
  if ((rc = wait_ready(l->end[e].ifname, n->kind == MCB_LAB_SWITCH)) != 0) return rc;
  if ((rc = impair_end(lab, l, e, step)) != 0) return rc;
  if (n->kind == MCB_LAB_HOST && links_of(lab, l->end[e].node) == 1)
    return host_routes(lab, nl, l, e, step);
  if (n->kind == MCB_LAB_ROUTER) {
    *step = "add its VIF";
    return mcb__lab_add_vif(lab, n, &l->end[e], l->threshold);
  }
  return 0;
}

/* Picks the segment and the ends' host numbers. */
static int address_link(mcb_lab *lab, mcb__lab_link *l)
{
  for (int e = 0; e < 2; e++) {
    mcb__lab_node *sw = &lab->nodes[l->end[e].node];
    if (sw->kind != MCB_LAB_SWITCH) continue;
    if (sw->next_host > 254) return UV_ENOBUFS;
    l->segment = sw->segment;
    l->end[!e].host = sw->next_host++;
    return 0;
  }
  l->end[0].host = 1;
  l->end[1].host = 2;
  if (l->flags & MCB_LAB_DEFAULT) return 0;
  l->segment = mcb__lab_segment(lab);
  return l->segment < 0 ? l->segment : 0;
}

static int check_link(mcb_lab *lab, const char *a, const char *b, int *ia, int *ib)
{
  *ia = mcb__lab_find(lab, a);
  *ib = mcb__lab_find(lab, b);
  if (*ia < 0 || *ib < 0)
    return mcb__lab_fail(lab, UV_ENOENT, "link %s %s: no node named %s", a, b, *ia < 0 ? a : b);
  if (*ia == *ib)
    return mcb__lab_fail(lab, UV_EINVAL, "link %s %s: a node cannot link to itself", a, b);
  if (lab->nodes[*ia].kind == MCB_LAB_SWITCH && lab->nodes[*ib].kind == MCB_LAB_SWITCH)
    return mcb__lab_fail(lab, UV_ENOTSUP, "link %s %s: switches do not link to switches yet", a, b);
  for (size_t i = 0; i < lab->nlinks; i++) {
    const mcb__lab_link *l = &lab->links[i];
    if ((l->end[0].node == *ia && l->end[1].node == *ib) ||
        (l->end[0].node == *ib && l->end[1].node == *ia))
      return mcb__lab_fail(lab, UV_EEXIST, "link %s %s: they are linked already", a, b);
  }
  if (lab->nlinks >= MCB_LAB_MAX_LINKS)
    return mcb__lab_fail(lab, UV_ENOBUFS, "link %s %s: the lab has %d links already", a, b,
                         MCB_LAB_MAX_LINKS);
  return 0;
}

/* A link that failed half way goes away (both ends), so the same link can be tried
 * again; best effort. */
static int unmake(mcb_lab *lab, int node, const char *ifname)
{
  mcb__nl nl = {.fd = -1};
  int rc = mcb__lab_switch(lab, node);
  if (rc == 0 && (rc = mcb__nl_open(&nl)) == 0) rc = mcb__nl_del_link(&nl, ifname);
  mcb__nl_close(&nl);
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) rc = UV_EIO;
  return rc;
}

/* Checks the options and starts the link's record with them. */
static int take_opts(mcb_lab *lab, mcb__lab_link *l, const char *a, const char *b,
                     const mcb_lab_link_opts *opts)
{
  if (opts->loss_ppm > 1000000)
    return mcb__lab_fail(lab, UV_EINVAL, "link %s %s: loss is 0..100%%", a, b);
  if (opts->ttl_threshold < 0 || opts->ttl_threshold > 255)
    return mcb__lab_fail(lab, UV_EINVAL, "link %s %s: a TTL threshold is 0..255", a, b);
  if (opts->dup_ppm > 1000000 || opts->reorder_ppm > 1000000)
    return mcb__lab_fail(lab, UV_EINVAL, "link %s %s: dup and reorder are 0..100%%", a, b);
  if ((opts->jitter_ns > 0 || opts->reorder_ppm > 0) && opts->delay_ns == 0)
    return mcb__lab_fail(lab, UV_EINVAL, "link %s %s: jitter and reorder need a delay", a, b);
  memset(l, 0, sizeof *l);
  l->end[0].vif = l->end[1].vif = -1;
  l->threshold = opts->ttl_threshold > 0 ? opts->ttl_threshold : 1;
  l->loss_ppm = opts->loss_ppm;
  l->flags = opts->flags;
  l->dup_ppm = opts->dup_ppm;
  l->reorder_ppm = opts->reorder_ppm;
  l->rate_bps = opts->rate_bps;
  l->delay_ns = opts->delay_ns;
  l->jitter_ns = opts->jitter_ns;
  if (snprintf(l->end[0].ifname, IF_NAMESIZE, "%s", opts->ifname_a ? opts->ifname_a : "") >=
          IF_NAMESIZE ||
      snprintf(l->end[1].ifname, IF_NAMESIZE, "%s", opts->ifname_b ? opts->ifname_b : "") >=
          IF_NAMESIZE)
    return mcb__lab_fail(lab, UV_EINVAL, "link %s %s: interface names have at most %d characters",
                         a, b, IF_NAMESIZE - 1);
  if (!l->end[0].ifname[0]) snprintf(l->end[0].ifname, IF_NAMESIZE, "%.7s-%.7s", a, b);
  if (!l->end[1].ifname[0]) snprintf(l->end[1].ifname, IF_NAMESIZE, "%.7s-%.7s", b, a);
  return 0;
}

int mcb_lab_link(mcb_lab *lab, const char *a, const char *b, const mcb_lab_link_opts *opts)
{
  static const mcb_lab_link_opts none;
  mcb__lab_link *l = &lab->links[lab->nlinks];
  mcb__nl nl = {.fd = -1};
  const char *step = "open rtnetlink";
  int ia, ib, rc, e = 0, numbers[3];
  bool made = false;

  if (opts == NULL) opts = &none;
  if ((rc = check_link(lab, a, b, &ia, &ib)) != 0) return rc;
  if ((rc = take_opts(lab, l, a, b, opts)) != 0) return rc;
  l->end[0].node = ia;
  l->end[1].node = ib;
  memcpy(numbers, (int[]){lab->next_segment, lab->nodes[ia].next_host, lab->nodes[ib].next_host},
         sizeof numbers);
  if ((rc = address_link(lab, l)) != 0)
    return mcb__lab_fail(lab, rc, "link %s %s: no address left on the segment", a, b);
  lab->nlinks++; /* visible to gateway() and links_of() while it is built */

  /* clang-format off */
  if ((rc = mcb__lab_switch(lab, ia)) != 0) { step = "enter the node"; goto out; }
  if ((rc = mcb__nl_open(&nl)) != 0) goto out;
  step = "create the veth pair";
  if ((rc = mcb__nl_add_veth(&nl, l->end[0].ifname, l->end[1].ifname, lab->nodes[ib].nsfd)) != 0) goto out;
  made = true;
  if ((rc = configure_end(lab, &nl, l, 0, &step)) != 0) goto out;
  mcb__nl_close(&nl);
  e = 1;
  if ((rc = mcb__lab_switch(lab, ib)) != 0) { step = "enter the node"; goto out; }
  if ((rc = mcb__nl_open(&nl)) != 0) { step = "open rtnetlink"; goto out; }
  if ((rc = configure_end(lab, &nl, l, 1, &step)) != 0) goto out;
  if ((rc = finish_end(lab, &nl, l, 1, &step)) != 0) goto out;
  mcb__nl_close(&nl);
  e = 0;
  if ((rc = mcb__lab_switch(lab, ia)) != 0) { step = "enter the node"; goto out; }
  if ((rc = mcb__nl_open(&nl)) != 0) { step = "open rtnetlink"; goto out; }
  if ((rc = finish_end(lab, &nl, l, 0, &step)) != 0) goto out;
  /* clang-format on */
out:
  mcb__nl_close(&nl);
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) {
    rc = UV_EIO;
    step = "return home";
  }
  if (rc != 0) {
    lab->nlinks--;
    /* Gone without a trace: its segment and addresses are free for the next link. */
    if (!made || unmake(lab, ia, l->end[0].ifname) == 0) {
      lab->next_segment = numbers[0];
      lab->nodes[ia].next_host = numbers[1];
      lab->nodes[ib].next_host = numbers[2];
    }
    if (step == NULL)
      rc = mcb__lab_fail(lab, rc, "link %s %s: %s", a, b, lab->detail);
    else
      rc = mcb__lab_fail(lab, rc, "link %s %s: %s %s in %s%s%s", a, b, step, l->end[e].ifname,
                         lab->nodes[l->end[e].node].name, lab->detail[0] ? ": " : "", lab->detail);
    lab->detail[0] = '\0';
    return rc;
  }
  /* The link works without its watcher (a kernel refusing packet sockets): the lesson
   * only misses the link's IGMP/MLD events. */
  (void)mcb__lab_watch_link(lab, lab->nlinks - 1);
  return 0;
}

size_t mcb_lab_link_count(const mcb_lab *lab)
{
  return lab->nlinks;
}

int mcb_lab_link_at(const mcb_lab *lab, size_t i, mcb_lab_link_info *out)
{
  const mcb__lab_link *l;
  struct in_addr a;
  struct in6_addr a6;
  if (i >= lab->nlinks) return UV_EINVAL;
  l = &lab->links[i];
  memset(out, 0, sizeof *out);
  snprintf(out->a, sizeof out->a, "%s", lab->nodes[l->end[0].node].name);
  snprintf(out->b, sizeof out->b, "%s", lab->nodes[l->end[1].node].name);
  snprintf(out->ifname_a, sizeof out->ifname_a, "%s", l->end[0].ifname);
  snprintf(out->ifname_b, sizeof out->ifname_b, "%s", l->end[1].ifname);
  if (mcb__lab_addr4(l, 0, &a)) inet_ntop(AF_INET, &a, out->addr_a, sizeof out->addr_a);
  if (mcb__lab_addr4(l, 1, &a)) inet_ntop(AF_INET, &a, out->addr_b, sizeof out->addr_b);
  if (mcb__lab_addr6(l, 0, &a6)) inet_ntop(AF_INET6, &a6, out->addr6_a, sizeof out->addr6_a);
  if (mcb__lab_addr6(l, 1, &a6)) inet_ntop(AF_INET6, &a6, out->addr6_b, sizeof out->addr6_b);
  out->segment = (l->flags & MCB_LAB_DEFAULT) ? 99 : l->segment;
  out->ttl_threshold = l->threshold;
  out->loss_ppm = l->loss_ppm;
  out->dup_ppm = l->dup_ppm;
  out->reorder_ppm = l->reorder_ppm;
  out->rate_bps = l->rate_bps;
  out->delay_ns = l->delay_ns;
  out->jitter_ns = l->jitter_ns;
  return 0;
}
