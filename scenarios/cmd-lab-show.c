/* cmd-lab-show.c - what `lab show` and `lab trace` print: nodes with their groups (a
 * switch's group table), links with addresses and packet counters, routes with their
 * counters, and a group's path hop by hop. */
#include "cmd-lab.h"

#include <stdio.h>
#include <string.h>

/* "h1-r1 10.0.1.1 fd00:0:0:1::1", or "s1-h1 (bridge port)". */
static void describe_end(const char *ifname, const char *a4, const char *a6, char *buf, size_t size)
{
  if (a4[0])
    snprintf(buf, size, "%s %s %s", ifname, a4, a6);
  else
    snprintf(buf, size, "%s (bridge port)", ifname);
}

/* "; groups: h2-r1 239.1.1.1, h2-r1 ff05::1" after a node's line. */
static void append_groups(mcb_lab *lab, const char *node, const char *what, char *line, size_t size)
{
  mcb_lab_group g[MCB_LAB_MAX_GROUPS];
  size_t n, l = strlen(line);
  if (mcb_lab_groups(lab, node, g, MCB_LAB_MAX_GROUPS, &n) != 0 || n == 0) return;
  l += (size_t)snprintf(line + l, size - l, "; %s:", what);
  for (size_t i = 0; i < n && l < size; i++)
    l += (size_t)snprintf(line + l, size - l, "%s %s %s", i ? "," : "", g[i].ifname, g[i].group);
}

/* Who forwards a router's multicast when the kernel cannot, per IP version. */
static const char *forwarder_note(const mcb_lab_node_info *ni)
{
  if (ni->own_forwarder && ni->own_forwarder6)
    return "mcbench forwards its multicast: the kernel has no CONFIG_IP_MROUTE nor "
           "CONFIG_IPV6_MROUTE";
  if (ni->own_forwarder)
    return "mcbench forwards its IPv4 multicast: the kernel has no CONFIG_IP_MROUTE";
  return "mcbench forwards its IPv6 multicast: the kernel has no CONFIG_IPV6_MROUTE";
}

/* "; reports in IGMPv2, MLDv1" when `lab set` forced a version. */
static void append_versions(const mcb_lab_node_info *ni, char *line, size_t size)
{
  size_t l = strlen(line);
  if (ni->igmp_version == 0 && ni->mld_version == 0) return;
  l += (size_t)snprintf(line + l, size - l, "; reports in ");
  if (ni->igmp_version && l < size)
    l += (size_t)snprintf(line + l, size - l, "IGMPv%d", ni->igmp_version);
  if (ni->mld_version && l < size)
    snprintf(line + l, size - l, "%sMLDv%d", ni->igmp_version ? ", " : "", ni->mld_version);
}

scn_status scn__lab_show(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const scn_token *only = scn_arg(cmd, "NODE");
  const char *o = only ? only->text : NULL;
  char line[2048];
  for (size_t i = 0; i < mcb_lab_node_count(lab); i++) {
    mcb_lab_node_info ni;
    mcb_lab_node_at(lab, i, &ni);
    if (o && strcmp(o, ni.name) != 0) continue;
    if (ni.kind == MCB_LAB_SWITCH)
      snprintf(line, sizeof line, "node %s: switch, segment %d (10.0.%d.1), querier %s%s", ni.name,
               ni.segment, ni.segment, ni.flags & MCB_LAB_QUERIER ? "on" : "off",
               ni.flags & MCB_LAB_NO_SNOOPING ? ", snooping off (floods every group)" : "");
    else if (ni.kind == MCB_LAB_ROUTER && (ni.own_forwarder || ni.own_forwarder6))
      snprintf(line, sizeof line, "node %s: router (%s)", ni.name, forwarder_note(&ni));
    else
      snprintf(line, sizeof line, "node %s: %s", ni.name, mcb_lab_kind_name(ni.kind));
    append_versions(&ni, line, sizeof line);
    append_groups(lab, ni.name, ni.kind == MCB_LAB_SWITCH ? "group table" : "groups", line,
                  sizeof line);
    scn_note(s, cmd, "%s\n", line);
  }
  for (size_t i = 0; i < mcb_lab_link_count(lab); i++) {
    mcb_lab_link_info li;
    char ea[128], eb[128], thr[160];
    uint64_t rx[2], tx[2];
    mcb_lab_link_at(lab, i, &li);
    if (o && strcmp(o, li.a) != 0 && strcmp(o, li.b) != 0) continue;
    describe_end(li.ifname_a, li.addr_a, li.addr6_a, ea, sizeof ea);
    describe_end(li.ifname_b, li.addr_b, li.addr6_b, eb, sizeof eb);
    scn__lab_format_impairments(&li, thr, sizeof thr);
    scn_note(s, cmd, "link %s %s (segment %d%s): %s | %s\n", li.a, li.b, li.segment, thr, ea, eb);
    if (mcb_lab_link_counters(lab, i, rx, tx) == 0)
      scn_note(s, cmd, "  packets: %s rx %llu tx %llu | %s rx %llu tx %llu\n", li.ifname_a,
               (unsigned long long)rx[0], (unsigned long long)tx[0], li.ifname_b,
               (unsigned long long)rx[1], (unsigned long long)tx[1]);
    scn__lab_show_impair_counters(s, cmd, lab, i, &li);
  }
  for (size_t i = 0; i < mcb_lab_route_count(lab); i++) {
    mcb_lab_route_info ri;
    size_t l = 0;
    int rc = mcb_lab_route_at(lab, i, &ri);
    if (o && strcmp(o, ri.router) != 0) continue;
    l += (size_t)snprintf(line, sizeof line, "route %s (%s,%s) from %s to", ri.router, ri.source,
                          ri.group, ri.from);
    for (size_t k = 0; k < ri.nto && l < sizeof line; k++)
      l += (size_t)snprintf(line + l, sizeof line - l, "%s%s", k ? "," : " ", ri.to[k]);
    if (l < sizeof line && rc == 0)
      snprintf(line + l, sizeof line - l, ": %llu datagrams, %llu bytes, %llu wrong interface",
               (unsigned long long)ri.packets, (unsigned long long)ri.bytes,
               (unsigned long long)ri.wrong_if);
    scn_note(s, cmd, "%s\n", line);
  }
  return SCN_DONE;
}

scn_status scn__lab_trace(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  mcb_lab_hop hops[MCB_LAB_MAX_NODES];
  const char *group = scn_arg(cmd, "GROUP")->text;
  size_t n;
  int rc = mcb_lab_trace(lab, group, scn_arg(cmd, "NODE")->text, scn_arg(cmd, "OTHER")->text, hops,
                         MCB_LAB_MAX_NODES, &n);
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  scn_note(s, cmd, "trace %s from %s to %s:\n", group, scn_arg(cmd, "NODE")->text,
           scn_arg(cmd, "OTHER")->text);
  for (size_t i = 0; i < n; i++) {
    const mcb_lab_hop *h = &hops[i];
    char line[400], *p = line;
    size_t left = sizeof line;
    int k = snprintf(p, left, "  %zu %s (%s)", i + 1, h->node, mcb_lab_kind_name(h->kind));
    p += k, left -= (size_t)k;
    if (h->routed) {
      k = snprintf(p, left, " %s from %s: %llu datagrams, %llu wrong interface", h->entry, h->from,
                   (unsigned long long)h->packets, (unsigned long long)h->wrong_if);
      p += k, left -= (size_t)k;
    }
    if (h->next[0] && h->routed)
      snprintf(p, left, "; on to %s (%s above %d)", h->next,
               strchr(group, ':') ? "hop limit" : "TTL", h->threshold);
    else if (h->next[0])
      snprintf(p, left, "; on to %s", h->next);
    else if (h->stop[0])
      snprintf(p, left, "; stops: %s", h->stop);
    else
      snprintf(p, left, "; arrived");
    scn_note(s, cmd, "%s\n", line);
  }
  return SCN_DONE;
}
