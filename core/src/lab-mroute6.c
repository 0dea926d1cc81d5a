/* lab-mroute6.c - IPv6 routes of the lab's routers: the kernel's IPv6 multicast routing
 * API (MRT6_INIT on a raw ICMPv6 socket made inside the router, one MIF per link,
 * MRT6_ADD_MFC per `lab route`, SIOCGETSGCNT_IN6 for the counters). A kernel without
 * CONFIG_IPV6_MROUTE refuses MRT6_INIT; the router's links then become IPv6 ports of the
 * lab's own forwarder (lab-forward.c, lab-forward6.c), with the same numbers.
 * IPv6 has no per-interface thresholds (the kernel keeps only an interface set, so a
 * datagram crosses when its hop limit is above 1): a link's ttl-threshold is IPv4's. */
#include "lab.h"

#include <arpa/inet.h>
#include <linux/mroute6.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int mcb__lab_add_mif(mcb_lab *lab, mcb__lab_node *router, mcb__lab_end *end)
{
  struct mif6ctl mc;
  struct icmp6_filter block;
  int one = 1;
  if (end->vif < 0 || end->vif >= MCB__LAB_MAX_VIFS) return UV_EINVAL;
  if (router->no_mrt6) goto own;
  if (router->mrt6_fd < 0) {
    /* Made here, inside the router: a socket belongs to the namespace it was made in. */
    int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);
    if (fd < 0) return -errno;
    if (setsockopt(fd, IPPROTO_IPV6, MRT6_INIT, &one, sizeof one) != 0) {
      int rc = -errno;
      close(fd);
      if (rc != UV_ENOPROTOOPT && rc != UV_ENOTSUP) return rc;
      router->no_mrt6 = true; /* CONFIG_IPV6_MROUTE is off: forward by ourselves */
      goto own;
    }
    /* A raw ICMPv6 socket would queue every ICMPv6 message of the router (neighbour
     * discovery, MLD) unread; the kernel's upcalls reach it whatever the filter. */
    ICMP6_FILTER_SETBLOCKALL(&block);
    (void)setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &block, sizeof block);
    router->mrt6_fd = fd;
  }
  memset(&mc, 0, sizeof mc);
  mc.mif6c_mifi = (mifi_t)end->vif;
  mc.mif6c_pifi = (unsigned short)end->ifindex;
  mc.vifc_threshold = 1; /* kept by the kernel, never used: entries carry no thresholds */
  if (setsockopt(router->mrt6_fd, IPPROTO_IPV6, MRT6_ADD_MIF, &mc, sizeof mc) != 0) return -errno;
  return 0;
own:
  /* Threshold 1, as the kernel's: forwarded when the hop limit is above 1. */
  return mcb__fwd_add_port(&lab->fwd, &mcb__fwd_ipv6, (int)(router - lab->nodes), end->vif,
                           end->ifindex, 1);
}

int mcb__lab_parse6(mcb_lab *lab, const char *router, const char *group, const char *source,
                    mcb__lab_route *rt)
{
  rt->v6 = true;
  if (inet_pton(AF_INET6, group, &rt->group6) != 1 || !IN6_IS_ADDR_MULTICAST(&rt->group6))
    return mcb__lab_fail(lab, UV_EINVAL, "route on %s: %s is not an IPv6 multicast group", router,
                         group);
  if (!mcb__lab_group6_routable(&rt->group6))
    return mcb__lab_fail(lab, UV_EINVAL,
                         "route on %s: %s has scope %u (link-local or smaller): routers never "
                         "forward it",
                         router, group, rt->group6.s6_addr[1] & 0x0fu);
  if (source != NULL &&
      (inet_pton(AF_INET6, source, &rt->source6) != 1 || IN6_IS_ADDR_MULTICAST(&rt->source6) ||
       IN6_IS_ADDR_UNSPECIFIED(&rt->source6)))
    return mcb__lab_fail(lab, UV_EINVAL, "route on %s: source %s is not an IPv6 unicast address",
                         router, source);
  return 0;
}

int mcb__lab_add_mfc6(mcb_lab *lab, const mcb__lab_route *route)
{
  const mcb__lab_node *r = &lab->nodes[route->router];
  const mcb__lab_end *in, *out;
  int outs[MCB_LAB_MAX_OUT], thr;
  struct mf6cctl mc;

  if ((in = mcb__lab_end_towards(lab, route->router, route->from, &thr)) == NULL || in->vif < 0)
    return UV_ENOENT;
  for (size_t i = 0; i < route->nto; i++) {
    if ((out = mcb__lab_end_towards(lab, route->router, route->to[i], &thr)) == NULL ||
        out->vif < 0)
      return UV_ENOENT;
    outs[i] = out->vif;
  }
  if (r->no_mrt6)
    return mcb__fwd_set_route(lab->fwd, route->router, AF_INET6, &route->group6, &route->source6,
                              in->vif, outs, route->nto);
  memset(&mc, 0, sizeof mc);
  mc.mf6cc_origin.sin6_family = AF_INET6;
  mc.mf6cc_origin.sin6_addr = route->source6;
  mc.mf6cc_mcastgrp.sin6_family = AF_INET6;
  mc.mf6cc_mcastgrp.sin6_addr = route->group6;
  mc.mf6cc_parent = (mifi_t)in->vif;
  IF_ZERO(&mc.mf6cc_ifset);
  /* As for IPv4, the kernel finds a (*,G) entry only through a MIF in its set, and never
   * sends a (*,G) datagram back where it came from. */
  if (IN6_IS_ADDR_UNSPECIFIED(&route->source6)) IF_SET(in->vif, &mc.mf6cc_ifset);
  for (size_t i = 0; i < route->nto; i++) IF_SET(outs[i], &mc.mf6cc_ifset);
  if (setsockopt(r->mrt6_fd, IPPROTO_IPV6, MRT6_ADD_MFC, &mc, sizeof mc) != 0) return -errno;
  return 0;
}

int mcb__lab_mfc6_counters(const mcb_lab *lab, const mcb__lab_route *route, uint64_t *packets,
                           uint64_t *bytes, uint64_t *wrong_if)
{
  struct sioc_sg_req6 sg;
  if (lab->nodes[route->router].no_mrt6)
    return mcb__fwd_counters(lab->fwd, route->router, AF_INET6, &route->group6, &route->source6,
                             packets, bytes, wrong_if);
  memset(&sg, 0, sizeof sg);
  sg.src.sin6_family = AF_INET6;
  sg.src.sin6_addr = route->source6;
  sg.grp.sin6_family = AF_INET6;
  sg.grp.sin6_addr = route->group6;
  if (ioctl(lab->nodes[route->router].mrt6_fd, SIOCGETSGCNT_IN6, &sg) != 0) return -errno;
  *packets = sg.pktcnt;
  *bytes = sg.bytecnt;
  *wrong_if = sg.wrong_if;
  return 0;
}

void mcb__lab_route_name(const mcb__lab_route *route, char *group, size_t gsize, char *source,
                         size_t ssize)
{
  char g[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN] = "*";
  if (route->v6) {
    inet_ntop(AF_INET6, &route->group6, g, sizeof g);
    if (!IN6_IS_ADDR_UNSPECIFIED(&route->source6))
      inet_ntop(AF_INET6, &route->source6, s, sizeof s);
  } else {
    inet_ntop(AF_INET, &route->group, g, sizeof g);
    if (route->source.s_addr != 0) inet_ntop(AF_INET, &route->source, s, sizeof s);
  }
  snprintf(group, gsize, "%s", g);
  snprintf(source, ssize, "%s", s);
}
