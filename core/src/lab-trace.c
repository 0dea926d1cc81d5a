/* lab-trace.c - `lab trace`: the path a group (IPv4 or IPv6) takes through the lab, hop
 * by hop, from the lab's own tables and the routers' counters. Real routers do not
 * answer mtrace; inside the lab every hop can be read. Switches pass the group on to
 * whichever port leads on (snooping decides per port, which the trace does not model). */
#include "lab.h"

#include <arpa/inet.h>
#include <stdio.h>

/* The node at the other end of each of `node`'s links, in link order. */
static size_t neighbours(const mcb_lab *lab, int node, int *out, int *link)
{
  size_t n = 0;
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int e = 0; e < 2; e++)
      if (lab->links[i].end[e].node == node) {
        link[n] = (int)i;
        out[n++] = lab->links[i].end[!e].node;
      }
  return n;
}

/* True when `dest` can be reached from `from` without passing `avoid`. */
static bool reaches(const mcb_lab *lab, int from, int avoid, int dest)
{
  bool seen[MCB_LAB_MAX_NODES] = {false};
  int queue[MCB_LAB_MAX_NODES], nb[MCB_LAB_MAX_LINKS], lk[MCB_LAB_MAX_LINKS];
  size_t head = 0, tail = 0;
  seen[from] = true;
  if (avoid >= 0) seen[avoid] = true;
  queue[tail++] = from;
  while (head < tail) {
    int x = queue[head++];
    size_t k = neighbours(lab, x, nb, lk);
    if (x == dest) return true;
    if (lab->nodes[x].kind == MCB_LAB_HOST && x != from) continue; /* hosts do not forward */
    for (size_t i = 0; i < k; i++)
      if (!seen[nb[i]]) {
        seen[nb[i]] = true;
        queue[tail++] = nb[i];
      }
  }
  return false;
}

/* The entry `want`'s (S,G) meets on `router`: its (S,G) one, else its (*,G) one. */
static const mcb__lab_route *entry_for(const mcb_lab *lab, int router, const mcb__lab_route *want)
{
  const mcb__lab_route *any = NULL;
  for (size_t i = 0; i < lab->nroutes; i++) {
    const mcb__lab_route *r = &lab->routes[i];
    if (r->router != router || r->v6 != want->v6) continue;
    if (r->v6 ? !IN6_ARE_ADDR_EQUAL(&r->group6, &want->group6)
              : r->group.s_addr != want->group.s_addr)
      continue;
    if (r->v6 ? IN6_ARE_ADDR_EQUAL(&r->source6, &want->source6)
              : r->source.s_addr == want->source.s_addr)
      return r;
    if (r->v6 ? IN6_IS_ADDR_UNSPECIFIED(&r->source6) : r->source.s_addr == 0) any = r;
  }
  return any;
}

/* Link-scope groups never leave their link, whatever the routes say. */
static bool routable(const mcb__lab_route *want)
{
  if (want->v6) return mcb__lab_group6_routable(&want->group6);
  return (ntohl(want->group.s_addr) & 0xffffff00u) != 0xe0000000u;
}

static int link_threshold(const mcb_lab *lab, int a, int b)
{
  for (size_t i = 0; i < lab->nlinks; i++)
    if ((lab->links[i].end[0].node == a && lab->links[i].end[1].node == b) ||
        (lab->links[i].end[0].node == b && lab->links[i].end[1].node == a))
      return lab->links[i].threshold;
  return 1;
}

/* A router's hop: its entry, then the outgoing neighbour that leads to dest. */
static int router_hop(mcb_lab *lab, int x, int prev, int dest, const mcb__lab_route *want,
                      mcb_lab_hop *h)
{
  const mcb__lab_route *r = entry_for(lab, x, want);
  char gs[INET6_ADDRSTRLEN], ss[INET6_ADDRSTRLEN];
  mcb__lab_route_name(want, gs, sizeof gs, ss, sizeof ss);
  if (!routable(want)) {
    snprintf(h->stop, sizeof h->stop, "%s is link-scoped: routers never forward it", gs);
    return -1;
  }
  if (r == NULL) {
    snprintf(h->stop, sizeof h->stop, "no route for %s", gs);
    return -1;
  }
  mcb__lab_route_name(r, gs, sizeof gs, ss, sizeof ss);
  h->routed = true;
  snprintf(h->entry, sizeof h->entry, "(%s,%s)", ss, gs);
  snprintf(h->from, sizeof h->from, "%s", lab->nodes[r->from].name);
  mcb__lab_mfc_counters(lab, r, &h->packets, &(uint64_t){0}, &h->wrong_if);
  if (r->from != prev) {
    snprintf(h->stop, sizeof h->stop, "wrong incoming interface: the entry expects it from %s",
             lab->nodes[r->from].name);
    return -1;
  }
  for (size_t i = 0; i < r->nto; i++)
    if (r->to[i] == dest || reaches(lab, r->to[i], x, dest)) {
      /* IPv6 multicast routing has no thresholds: a hop limit above 1 crosses. */
      h->threshold = r->v6 ? 1 : link_threshold(lab, x, r->to[i]);
      return r->to[i];
    }
  snprintf(h->stop, sizeof h->stop, "no outgoing link leads to %s", lab->nodes[dest].name);
  return -1;
}

/* The next node from a host or a switch: the neighbour that leads to dest. */
static int pass_on(const mcb_lab *lab, int x, int prev, int dest, mcb_lab_hop *h)
{
  int nb[MCB_LAB_MAX_LINKS], lk[MCB_LAB_MAX_LINKS];
  size_t k = neighbours(lab, x, nb, lk);
  if (lab->nodes[x].kind == MCB_LAB_HOST) { /* the source: its first link only */
    if (k == 0) snprintf(h->stop, sizeof h->stop, "no link");
    return k == 0 ? -1 : nb[0];
  }
  for (size_t i = 0; i < k; i++)
    if (nb[i] == dest) return dest;
  for (size_t i = 0; i < k; i++)
    if (nb[i] != prev && lab->nodes[nb[i]].kind == MCB_LAB_ROUTER && reaches(lab, nb[i], x, dest))
      return nb[i];
  snprintf(h->stop, sizeof h->stop, "no port leads to %s", lab->nodes[dest].name);
  return -1;
}

int mcb_lab_trace(mcb_lab *lab, const char *group, const char *source, const char *dest,
                  mcb_lab_hop *hops, size_t max, size_t *n)
{
  int s = mcb__lab_find(lab, source), d = mcb__lab_find(lab, dest), x, prev = -1;
  mcb__lab_route want;
  int nb[MCB_LAB_MAX_LINKS], lk[MCB_LAB_MAX_LINKS];

  *n = 0;
  if (s < 0 || d < 0)
    return mcb__lab_fail(lab, UV_ENOENT, "trace: no node named %s", s < 0 ? source : dest);
  if (lab->nodes[s].kind != MCB_LAB_HOST || lab->nodes[d].kind != MCB_LAB_HOST)
    return mcb__lab_fail(lab, UV_EINVAL, "trace %s to %s: a trace goes from a host to a host",
                         source, dest);
  memset(&want, 0, sizeof want);
  want.v6 = group != NULL && strchr(group, ':') != NULL;
  if (want.v6
          ? inet_pton(AF_INET6, group, &want.group6) != 1 || !IN6_IS_ADDR_MULTICAST(&want.group6)
          : inet_pton(AF_INET, group, &want.group) != 1 || !IN_MULTICAST(ntohl(want.group.s_addr)))
    return mcb__lab_fail(lab, UV_EINVAL, "trace: %s is not an IPv4 or IPv6 multicast group",
                         group ? group : "");
  if (neighbours(lab, s, nb, lk) > 0) { /* the source sends from its first link's address */
    const mcb__lab_link *l = &lab->links[lk[0]];
    if (want.v6)
      mcb__lab_addr6(l, l->end[0].node == s ? 0 : 1, &want.source6);
    else
      mcb__lab_addr4(l, l->end[0].node == s ? 0 : 1, &want.source);
  }
  for (x = s; x >= 0 && *n < max && *n <= MCB_LAB_MAX_NODES;) {
    mcb_lab_hop *h = &hops[(*n)++];
    int next;
    memset(h, 0, sizeof *h);
    snprintf(h->node, sizeof h->node, "%s", lab->nodes[x].name);
    h->kind = lab->nodes[x].kind;
    if (x == d) break;
    if (x != s && h->kind == MCB_LAB_HOST) {
      snprintf(h->stop, sizeof h->stop, "a host does not forward");
      break;
    }
    next = h->kind == MCB_LAB_ROUTER ? router_hop(lab, x, prev, d, &want, h)
                                     : pass_on(lab, x, prev, d, h);
    if (next >= 0) snprintf(h->next, sizeof h->next, "%s", lab->nodes[next].name);
    prev = x;
    x = next;
  }
  return 0;
}
