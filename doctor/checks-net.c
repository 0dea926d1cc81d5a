/* checks-net.c - the group itself, the interface, the route and the reverse-path filter.
 *
 * Everything here comes from rtnetlink and /proc/sys in the caller's namespace.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

static uint32_t v4(const mcb_addr *a)
{
  return ntohl(a->u.in4.sin_addr.s_addr);
}

/* IPv6 multicast scope (the low nibble of the second byte): 1 interface, 2 link. */
static int v6_scope(const mcb_addr *a)
{
  return a->u.in6.sin6_addr.s6_addr[1] & 0x0f;
}

static bool is_ssm(const mcb_addr *a)
{
  if (a->u.sa.sa_family == AF_INET) return (v4(a) >> 24) == 232;
  const uint8_t *b = a->u.in6.sin6_addr.s6_addr;
  return b[0] == 0xff && (b[1] & 0xf0) == 0x30; /* ff3x::/32 */
}

static bool is_link_local_group(const mcb_addr *a)
{
  if (a->u.sa.sa_family == AF_INET) return (v4(a) >> 8) == 0xe00000; /* 224.0.0.0/24 */
  return v6_scope(a) <= 2;
}

/* True when the route to the source goes through a gateway: the source is off-link. */
static bool off_link(const mcb_addr *source)
{
  mcb_route_info rt;
  return mcb_route_query(&source->u.sa, NULL, 0, &rt) == 0 && rt.gateway.ss_family != 0;
}

void doc_check_args(doc_diagnosis *d, doc_result *r)
{
  char g[MCB_ADDRSTRLEN], s[MCB_ADDRSTRLEN];
  const doc_request *q = &d->req;
  doc_host(&q->group, g, sizeof g);
  if (!mcb_addr_is_multicast(&q->group)) {
    doc_set(r, DOC_FAIL, "%s is not a multicast group", g);
    doc_evidence(r, "multicast is 224.0.0.0/4 (IPv4) and ff00::/8 (IPv6)");
    doc_fix(r, "name a group, e.g. mcbench doctor 239.1.1.1:5000");
    return;
  }
  if (is_ssm(&q->group) && !q->has_source && !q->send) {
    doc_set(r, DOC_WARN, "%s is a source-specific (SSM) group joined without a source", g);
    doc_evidence(r, "232.0.0.0/8 and ff3x::/32 deliver only (source, group) joins");
    doc_fix(r, "join with its source: mcbench doctor %s from SOURCE (join NAME %s from SOURCE)", g,
            g);
    return;
  }
  if (doc_is_v6(d) && v6_scope(&q->group) == 1) {
    doc_set(r, DOC_WARN, "%s is interface-local: it never leaves this host", g);
    doc_fix(r, "use a group of link scope (ff02::) or wider (ff05::, ff0e::)");
    return;
  }
  if (doc_is_v6(d) && v6_scope(&q->group) == 2 && q->iface[0] == '\0' &&
      q->group.u.in6.sin6_scope_id == 0) {
    doc_set(r, DOC_WARN, "%s is link-local and no interface is named", g);
    doc_evidence(r, "IPv6 joins with interface 0 take the first ff00::/8 route's interface");
    doc_fix(r, "name the interface: mcbench doctor %s on IFACE (join NAME %s on IFACE)", g, g);
    return;
  }
  if (q->has_source && is_link_local_group(&q->group) && off_link(&q->source)) {
    doc_host(&q->source, s, sizeof s);
    doc_set(r, DOC_WARN, "%s is link-local but %s is on another network", g, s);
    doc_evidence(r, "224.0.0.0/24 and IPv6 scopes up to 2 are never routed");
    doc_fix(r, "use a routable group (239.0.0.0/8, ff05::/16, ff0e::/16)");
    return;
  }
  if (q->port > 0)
    snprintf(s, sizeof s, ", port %d", q->port);
  else
    snprintf(s, sizeof s, " (any port)");
  doc_set(r, DOC_PASS, "%s%s: a%s group", g, s,
          is_ssm(&q->group) ? " source-specific (SSM)" : "n any-source (ASM)");
  if (q->has_source) doc_evidence(r, "source %s", doc_host(&q->source, s, sizeof s));
}

static void describe_flags(doc_result *r, const mcb_link_info *l)
{
  doc_evidence(r, "rtnetlink: %s index %u flags%s%s%s%s%s%s kind %s mtu %u promiscuity %u", l->name,
               l->index, l->flags & IFF_UP ? " UP" : "", l->flags & IFF_RUNNING ? " RUNNING" : "",
               l->flags & IFF_MULTICAST ? " MULTICAST" : "",
               l->flags & IFF_ALLMULTI ? " ALLMULTI" : "", l->flags & IFF_PROMISC ? " PROMISC" : "",
               l->flags & IFF_LOOPBACK ? " LOOPBACK" : "",
               l->kind[0] != '\0' ? l->kind : "(device)", l->mtu, l->promiscuity);
}

/* Which interface the diagnosis is about: the one named, else the group's route's. */
static int find_link(doc_diagnosis *d, doc_result *r)
{
  doc_facts *f = &d->facts;
  int rc;
  if (d->req.iface[0] != '\0' && strcmp(d->req.iface, "default") != 0) {
    rc = mcb_link_query(d->req.iface, 0, &f->link);
    if (rc != 0) {
      doc_set(r, DOC_FAIL, "there is no interface %s", d->req.iface);
      doc_evidence(r, "rtnetlink RTM_GETLINK %s: %s", d->req.iface, doc_errname(rc));
      doc_fix(r, "ip -br link   (then name one of those: on IFACE)");
    }
    return rc;
  }
  rc = mcb_route_query(&d->req.group.u.sa, NULL, 0, &f->route);
  if (rc != 0 || f->route.oif == 0) {
    doc_set(r, DOC_SKIP, "no interface named and no route for the group picks one");
    doc_fix(r, "name the interface: on IFACE");
    return rc != 0 ? rc : UV_ENODEV;
  }
  f->have_route = true;
  return mcb_link_query(NULL, f->route.oif, &f->link);
}

void doc_check_iface(doc_diagnosis *d, doc_result *r)
{
  doc_facts *f = &d->facts;
  const mcb_link_info *l = &f->link;
  if (find_link(d, r) != 0) return;
  f->have_link = true;
  f->ifindex = l->index;
  snprintf(f->ifname, sizeof f->ifname, "%s", l->name);
  describe_flags(r, l);
  if (!(l->flags & IFF_UP)) {
    doc_set(r, DOC_FAIL, "%s is down", l->name);
    doc_fix(r, "ip link set %s up", l->name);
  } else if (!(l->flags & IFF_RUNNING)) {
    doc_set(r, DOC_FAIL, "%s is up but has no carrier (operstate %u)", l->name, l->operstate);
    doc_fix(r, "connect the link (cable, peer end of the veth, Wi-Fi association)");
  } else if (!(l->flags & IFF_MULTICAST)) {
    doc_set(r, DOC_WARN, "%s lacks the MULTICAST flag", l->name);
    doc_evidence(r, "veth delivers multicast without it; tun, wireguard and ppp links do not");
    doc_fix(r, "ip link set %s multicast on", l->name);
  } else if ((l->flags & IFF_POINTOPOINT) || strcmp(l->kind, "wireguard") == 0 ||
             strcmp(l->kind, "tun") == 0) {
    doc_set(r, DOC_WARN, "%s is a point-to-point %s link: most carry no multicast", l->name,
            l->kind[0] != '\0' ? l->kind : "");
    doc_fix(r,
            "receive on an Ethernet-like interface, or tunnel the group (e.g. GRE with multicast)");
  } else if (l->flags & IFF_LOOPBACK) {
    doc_set(r, DOC_INFO, "%s is the loopback: only senders on this host reach it", l->name);
  } else {
    doc_set(r, DOC_PASS, "%s is up, running and multicast-capable", l->name);
  }
}

void doc_check_route(doc_diagnosis *d, doc_result *r)
{
  char g[MCB_ADDRSTRLEN], dev[IF_NAMESIZE + 8];
  mcb_route_info rt;
  int rc = mcb_route_query(&d->req.group.u.sa, NULL, 0, &rt);
  doc_host(&d->req.group, g, sizeof g);
  if (rc != 0) {
    /* With an interface named, joins and sends by index need no route: only those
     * without `on` fail, so that alone is a warning. */
    doc_set(r, d->facts.have_link ? DOC_WARN : DOC_FAIL,
            "no route for %s: a join without `on` fails (ENODEV), a send fails (%s)", g,
            doc_errname(rc));
    doc_evidence(r, "rtnetlink RTM_GETROUTE %s: %s", g, doc_errname(rc));
    if (doc_is_v6(d))
      doc_fix(r,
              "name the interface (on IFACE), or ip -6 route add ff00::/8 dev IFACE table local");
    else
      doc_fix(r, "ip route add 224.0.0.0/4 dev %s", d->facts.have_link ? d->facts.ifname : "IFACE");
    return;
  }
  mcb_ifname(rt.oif, dev);
  doc_evidence(r, "rtnetlink RTM_GETROUTE %s: dev %s, matched %s", g, dev,
               rt.prefix_len == 0  ? "the default route"
               : rt.prefix_len > 0 ? "a group route"
                                   : "a route");
  if (d->facts.have_link && rt.oif != d->facts.ifindex) {
    doc_set(r, DOC_WARN, "without `on`, %s goes by %s, not %s", g, dev, d->facts.ifname);
    doc_fix(r,
            d->req.send ? "set the sending interface: set NAME mcast-if %s"
                        : "join on the interface: join NAME %s on %s",
            d->req.send ? d->facts.ifname : g, d->facts.ifname);
    return;
  }
  if (rt.prefix_len == 0) {
    doc_set(r, DOC_INFO, "%s follows the default route out of %s", g, dev);
    doc_fix(r, "to pin it: ip route add %s dev %s", doc_is_v6(d) ? "ff00::/8" : "224.0.0.0/4", dev);
    return;
  }
  doc_set(r, DOC_PASS, "%s is routed by %s", g, dev);
}

void doc_check_rp_filter(doc_diagnosis *d, doc_result *r)
{
  char path[128], s[MCB_ADDRSTRLEN], back[IF_NAMESIZE + 8];
  long all = 0, dev = 0;
  mcb_route_info rt;
  if (!d->req.has_source) {
    doc_set(r, DOC_SKIP, "needs a source: from SOURCE");
    return;
  }
  if (doc_is_v6(d)) {
    doc_set(r, DOC_PASS, "IPv6 has no reverse-path filter");
    return;
  }
  if (!d->facts.have_link) {
    doc_set(r, DOC_SKIP, "needs the interface (see iface)");
    return;
  }
  snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/rp_filter", d->facts.ifname);
  if (doc_sysctl("/proc/sys/net/ipv4/conf/all/rp_filter", &all) != 0 ||
      doc_sysctl(path, &dev) != 0) {
    doc_set(r, DOC_SKIP, "cannot read net.ipv4.conf.*.rp_filter");
    return;
  }
  long eff = all > dev ? all : dev;
  doc_evidence(r,
               "net.ipv4.conf.all.rp_filter = %ld, net.ipv4.conf.%s.rp_filter = %ld: effective %ld",
               all, d->facts.ifname, dev, eff);
  doc_host(&d->req.source, s, sizeof s);
  int rc = mcb_route_query(&d->req.source.u.sa, NULL, 0, &rt);
  if (rc == 0)
    doc_evidence(r, "route back to %s: dev %s", s, mcb_ifname(rt.oif, back));
  else
    doc_evidence(r, "route back to %s: %s", s, doc_errname(rc));
  if (eff == 0) {
    doc_set(r, DOC_PASS, "reverse-path filtering is off");
    return;
  }
  if (rc != 0) {
    doc_set(r, DOC_WARN, "no route back to %s: rp_filter %ld drops its datagrams", s, eff);
    doc_fix(r,
            "add a route to %s via %s, or sysctl -w net.ipv4.conf.all.rp_filter=0 "
            "net.ipv4.conf.%s.rp_filter=0",
            s, d->facts.ifname, d->facts.ifname);
  } else if (eff == 1 && rt.oif != d->facts.ifindex) {
    doc_set(r, DOC_WARN, "strict rp_filter: the route back to %s leaves by %s, not %s", s, back,
            d->facts.ifname);
    doc_fix(r,
            "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.%s.rp_filter=2 (loose), or "
            "ip route add %s dev %s",
            d->facts.ifname, s, d->facts.ifname);
  } else {
    doc_set(r, DOC_PASS, "%s passes the reverse-path filter (%s)", s,
            eff == 1 ? "strict" : "loose");
  }
}
