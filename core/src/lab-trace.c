/* lab-trace.c - `lab trace`: the path a group takes through the lab, hop by hop, from
 * the lab's own tables and the routers' counters. Real routers do not answer mtrace;
 * inside the lab every hop can be read. Switches pass the group on to whichever port
 * leads on (snooping decides per port, which the trace does not model). */
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

static const mcb__lab_route *entry_for(const mcb_lab *lab, int router, struct in_addr g,
                                       struct in_addr s)
{
  const mcb__lab_route *any = NULL;
  for (size_t i = 0; i < lab->nroutes; i++) {
    const mcb__lab_route *r = &lab->routes[i];
    if (r->router != router || r->group.s_addr != g.s_addr) continue;
    if (r->source.s_addr == s.s_addr) return r;
    if (r->source.s_addr == 0) any = r;
  }
  return any;
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
static int router_hop(mcb_lab *lab, int x, int prev, int dest, struct in_addr g, struct in_addr src,
                      mcb_lab_hop *h)
{
  const mcb__lab_route *r = entry_for(lab, x, g, src);
  char gs[INET_ADDRSTRLEN], ss[INET_ADDRSTRLEN];
  if (r == NULL) {
    inet_ntop(AF_INET, &g, gs, sizeof gs);
    snprintf(h->stop, sizeof h->stop, "no route for %s", gs);
    return -1;
  }
  inet_ntop(AF_INET, &r->group, gs, sizeof gs);
  if (r->source.s_addr == 0)
    snprintf(ss, sizeof ss, "*");
  else
    inet_ntop(AF_INET, &r->source, ss, sizeof ss);
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
      h->threshold = link_threshold(lab, x, r->to[i]);
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
  struct in_addr g, src = {0};
  int nb[MCB_LAB_MAX_LINKS], lk[MCB_LAB_MAX_LINKS];

  *n = 0;
  if (s < 0 || d < 0)
    return mcb__lab_fail(lab, UV_ENOENT, "trace: no node named %s", s < 0 ? source : dest);
  if (lab->nodes[s].kind != MCB_LAB_HOST || lab->nodes[d].kind != MCB_LAB_HOST)
    return mcb__lab_fail(lab, UV_EINVAL, "trace %s to %s: a trace goes from a host to a host",
                         source, dest);
  if (inet_pton(AF_INET, group, &g) != 1 || !IN_MULTICAST(ntohl(g.s_addr)))
    return mcb__lab_fail(lab, UV_EINVAL, "trace: %s is not an IPv4 multicast group", group);
  if (neighbours(lab, s, nb, lk) > 0) {
    const mcb__lab_link *l = &lab->links[lk[0]];
    mcb__lab_addr4(l, l->end[0].node == s ? 0 : 1, &src);
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
    next = h->kind == MCB_LAB_ROUTER ? router_hop(lab, x, prev, d, g, src, h)
                                     : pass_on(lab, x, prev, d, h);
    if (next >= 0) snprintf(h->next, sizeof h->next, "%s", lab->nodes[next].name);
    prev = x;
    x = next;
  }
  return 0;
}
