/* lab-mroute.c - routers of the virtual lab: the kernel's IPv4 multicast routing API
 * (MRT_INIT on a raw IGMP socket made inside the router's namespace, one VIF per link,
 * static MFC entries for `lab route`) and the entries' counters (SIOCGETSGCNT). The
 * socket is the router's for as long as the lab lives: closing it ends the routing.
 * A kernel without CONFIG_IP_MROUTE refuses MRT_INIT; the router's links then become
 * ports of the lab's own forwarder (lab-forward.c), with the same VIF numbers. The
 * route table holds IPv6 entries too; their kernel side is lab-mroute6.c's. */
#include "lab.h"

#include <arpa/inet.h>
#include <linux/mroute.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int add_vif4(mcb_lab *lab, mcb__lab_node *router, mcb__lab_end *end, int threshold)
{
  struct vifctl vc;
  int one = 1;
  if (router->nvifs >= MCB__LAB_MAX_VIFS) return UV_ENOBUFS;
  if (router->no_mrt) goto own;
  if (router->mrt_fd < 0) {
    /* Made here, inside the router: a socket belongs to the namespace it was made in. */
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_IGMP);
    if (fd < 0) return -errno;
    if (setsockopt(fd, IPPROTO_IP, MRT_INIT, &one, sizeof one) != 0) {
      int rc = -errno;
      close(fd);
      /* A kernel without CONFIG_IP_MROUTE: the router still forwards unicast; routes
       * fail with this reason. */
      if (rc != UV_ENOPROTOOPT && rc != UV_ENOTSUP) return rc;
      router->no_mrt = true;
      goto own;
    }
    /* Asserts on: the kernel then tells a datagram that came in on one of an entry's
     * outgoing links (IGMPMSG_WRONGVIF), which the watcher logs as wrong-if. */
    (void)setsockopt(fd, IPPROTO_IP, MRT_ASSERT, &one, sizeof one);
    router->mrt_fd = fd;
  }
  memset(&vc, 0, sizeof vc);
  vc.vifc_vifi = (vifi_t)router->nvifs;
  vc.vifc_flags = VIFF_USE_IFINDEX;
  vc.vifc_threshold = (unsigned char)threshold;
  vc.vifc_lcl_ifindex = (int)end->ifindex;
  if (setsockopt(router->mrt_fd, IPPROTO_IP, MRT_ADD_VIF, &vc, sizeof vc) != 0) return -errno;
  end->vif = router->nvifs++;
  return 0;
own : { /* the lab's forwarder stands in for the kernel's (lab-forward.c) */
  int rc = mcb__fwd_add_port(&lab->fwd, &mcb__fwd_ipv4, (int)(router - lab->nodes), router->nvifs,
                             end->ifindex, threshold);
  if (rc == 0) end->vif = router->nvifs++;
  return rc;
}
}

/* The link's VIF, then its IPv6 MIF with the same number. */
int mcb__lab_add_vif(mcb_lab *lab, mcb__lab_node *router, mcb__lab_end *end, int threshold)
{
  int rc = add_vif4(lab, router, end, threshold);
  return rc != 0 ? rc : mcb__lab_add_mif(lab, router, end);
}

const mcb__lab_end *mcb__lab_end_towards(const mcb_lab *lab, int router, int neighbour,
                                         int *threshold)
{
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int e = 0; e < 2; e++)
      if (lab->links[i].end[e].node == router && lab->links[i].end[!e].node == neighbour) {
        *threshold = lab->links[i].threshold;
        return &lab->links[i].end[e];
      }
  return NULL;
}

int mcb__lab_add_mfc(mcb_lab *lab, const mcb__lab_route *route)
{
  const mcb__lab_node *r = &lab->nodes[route->router];
  const mcb__lab_end *in, *out;
  struct mfcctl mc;
  int thr;

  if (route->v6) return mcb__lab_add_mfc6(lab, route);
  memset(&mc, 0, sizeof mc);
  memset(mc.mfcc_ttls, 255, sizeof mc.mfcc_ttls); /* 255: never forwarded there */
  mc.mfcc_origin = route->source;
  mc.mfcc_mcastgrp = route->group;
  if ((in = mcb__lab_end_towards(lab, route->router, route->from, &thr)) == NULL || in->vif < 0)
    return UV_ENOENT;
  mc.mfcc_parent = (vifi_t)in->vif;
  /* The kernel finds a (*,G) entry only through a VIF in its list; it never sends a
   * (*,G) datagram back where it came from, so listing the incoming VIF is harmless. */
  if (route->source.s_addr == htonl(INADDR_ANY)) mc.mfcc_ttls[in->vif] = 1;
  for (size_t i = 0; i < route->nto; i++) {
    if ((out = mcb__lab_end_towards(lab, route->router, route->to[i], &thr)) == NULL ||
        out->vif < 0)
      return UV_ENOENT;
    /* Forwarded when the datagram arrives with a TTL above the link's threshold. */
    mc.mfcc_ttls[out->vif] = (unsigned char)thr;
  }
  if (r->no_mrt) {
    int outs[MCB_LAB_MAX_OUT];
    for (size_t i = 0; i < route->nto; i++)
      outs[i] = mcb__lab_end_towards(lab, route->router, route->to[i], &thr)->vif;
    return mcb__fwd_set_route(lab->fwd, route->router, AF_INET, &route->group, &route->source,
                              in->vif, outs, route->nto);
  }
  if (setsockopt(r->mrt_fd, IPPROTO_IP, MRT_ADD_MFC, &mc, sizeof mc) != 0) return -errno;
  return 0;
}

int mcb__lab_mfc_counters(const mcb_lab *lab, const mcb__lab_route *route, uint64_t *packets,
                          uint64_t *bytes, uint64_t *wrong_if)
{
  struct sioc_sg_req sg;
  if (route->v6) return mcb__lab_mfc6_counters(lab, route, packets, bytes, wrong_if);
  if (lab->nodes[route->router].no_mrt)
    return mcb__fwd_counters(lab->fwd, route->router, AF_INET, &route->group, &route->source,
                             packets, bytes, wrong_if);
  memset(&sg, 0, sizeof sg);
  sg.src = route->source;
  sg.grp = route->group;
  if (ioctl(lab->nodes[route->router].mrt_fd, SIOCGETSGCNT, &sg) != 0) return -errno;
  *packets = sg.pktcnt;
  *bytes = sg.bytecnt;
  *wrong_if = sg.wrong_if;
  return 0;
}

static int neighbour(mcb_lab *lab, int router, const char *name, const char *what, int *out)
{
  int thr;
  *out = mcb__lab_find(lab, name);
  if (*out < 0)
    return mcb__lab_fail(lab, UV_ENOENT, "route on %s: %s %s: no such node",
                         lab->nodes[router].name, what, name);
  if (mcb__lab_end_towards(lab, router, *out, &thr) == NULL)
    return mcb__lab_fail(lab, UV_ENOENT, "route on %s: %s %s: not a neighbour (no link)",
                         lab->nodes[router].name, what, name);
  return 0;
}

static int parse4(mcb_lab *lab, const char *router, const char *group, const char *source,
                  mcb__lab_route *rt)
{
  if (group == NULL || inet_pton(AF_INET, group, &rt->group) != 1 ||
      !IN_MULTICAST(ntohl(rt->group.s_addr)))
    return mcb__lab_fail(lab, UV_EINVAL, "route on %s: %s is not an IPv4 multicast group", router,
                         group ? group : "");
  if ((ntohl(rt->group.s_addr) & 0xffffff00u) == 0xe0000000u)
    return mcb__lab_fail(lab, UV_EINVAL,
                         "route on %s: %s is link-local (224.0.0.0/24): routers never forward it",
                         router, group);
  if (source != NULL && (inet_pton(AF_INET, source, &rt->source) != 1 ||
                         IN_MULTICAST(ntohl(rt->source.s_addr)) || rt->source.s_addr == 0))
    return mcb__lab_fail(lab, UV_EINVAL, "route on %s: source %s is not an IPv4 unicast address",
                         router, source);
  return 0;
}

/* The same (S,G): the kernel replaces such an entry. */
static bool same_entry(const mcb__lab_route *a, const mcb__lab_route *b)
{
  if (a->v6 != b->v6) return false;
  if (a->v6)
    return IN6_ARE_ADDR_EQUAL(&a->group6, &b->group6) &&
           IN6_ARE_ADDR_EQUAL(&a->source6, &b->source6);
  return a->group.s_addr == b->group.s_addr && a->source.s_addr == b->source.s_addr;
}

int mcb_lab_route(mcb_lab *lab, const char *router, const char *group, const char *source,
                  const char *from, const char *const *to, size_t nto)
{
  mcb__lab_route rt;
  size_t slot;
  int r = mcb__lab_find(lab, router), rc;

  memset(&rt, 0, sizeof rt);
  if (r < 0) return mcb__lab_fail(lab, UV_ENOENT, "route on %s: no such node", router);
  if (lab->nodes[r].kind != MCB_LAB_ROUTER)
    return mcb__lab_fail(lab, UV_EINVAL, "route on %s: it is a %s, not a router", router,
                         mcb_lab_kind_name(lab->nodes[r].kind));
  if (group != NULL && strchr(group, ':') != NULL) {
    if ((rc = mcb__lab_parse6(lab, router, group, source, &rt)) != 0) return rc;
  } else if ((rc = parse4(lab, router, group, source, &rt)) != 0) {
    return rc;
  }
  if (nto == 0 || nto > MCB_LAB_MAX_OUT)
    return mcb__lab_fail(lab, UV_EINVAL, "route on %s: a route goes to 1..%d neighbours", router,
                         MCB_LAB_MAX_OUT);
  rt.router = r;
  if ((rc = neighbour(lab, r, from, "from", &rt.from)) != 0) return rc;
  for (size_t i = 0; i < nto; i++)
    if ((rc = neighbour(lab, r, to[i], "to", &rt.to[i])) != 0) return rc;
  rt.nto = nto;
  /* The kernel replaces an entry with the same (S,G): so does the table. */
  for (slot = 0; slot < lab->nroutes; slot++)
    if (lab->routes[slot].router == r && same_entry(&lab->routes[slot], &rt)) break;
  if (slot == lab->nroutes && slot >= MCB_LAB_MAX_ROUTES)
    return mcb__lab_fail(lab, UV_ENOBUFS, "route on %s: the lab has %d routes already", router,
                         MCB_LAB_MAX_ROUTES);
  if ((rc = mcb__lab_add_mfc(lab, &rt)) != 0)
    return mcb__lab_fail(lab, rc, "route on %s: add the forwarding entry for %s", router, group);
  lab->routes[slot] = rt;
  if (slot == lab->nroutes) lab->nroutes++;
  return 0;
}

size_t mcb_lab_route_count(const mcb_lab *lab)
{
  return lab->nroutes;
}

int mcb_lab_route_at(mcb_lab *lab, size_t i, mcb_lab_route_info *out)
{
  const mcb__lab_route *rt;
  if (i >= lab->nroutes) return UV_EINVAL;
  rt = &lab->routes[i];
  memset(out, 0, sizeof *out);
  snprintf(out->router, sizeof out->router, "%s", lab->nodes[rt->router].name);
  mcb__lab_route_name(rt, out->group, sizeof out->group, out->source, sizeof out->source);
  snprintf(out->from, sizeof out->from, "%s", lab->nodes[rt->from].name);
  for (size_t k = 0; k < rt->nto; k++)
    snprintf(out->to[k], sizeof out->to[k], "%s", lab->nodes[rt->to[k]].name);
  out->nto = rt->nto;
  return mcb__lab_mfc_counters(lab, rt, &out->packets, &out->bytes, &out->wrong_if);
}
