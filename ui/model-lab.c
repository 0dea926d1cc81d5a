/* model-lab.c - the view-model's lab side: which host each socket lives on (the sockets
 * pane groups them by host, in the lab's order) and the topology pane's snapshot: nodes,
 * links with the packets each end sent into them, the groups each node joined and the
 * sockets living there, read through the core's lab API (inside the nodes, on the loop's
 * thread, when the front end asks: never from a socket callback). Raw names are escaped
 * here. */
#include "model-session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static void safe(const char *in, char *out, size_t size)
{
  scn_escape((const uint8_t *)in, strlen(in), true, out, size, 0, NULL);
}

/* The lab node index of the host ss lives on: its node, or the default host (the node
 * that is mcbench's own namespace) when it was opened without `on`; -1 when unknown. */
static int node_index(const mcb_lab *lab, const scn_sock *ss)
{
  mcb_lab_node_info ni;
  for (size_t i = 0; i < mcb_lab_node_count(lab); i++) {
    if (mcb_lab_node_at(lab, i, &ni) != 0) continue;
    if (ss->node[0] ? strcmp(ni.name, ss->node) == 0 : (ni.flags & MCB_LAB_HERE) != 0)
      return (int)i;
  }
  return -1;
}

size_t ui_lab_rank(const scn_session *s, const scn_sock *ss)
{
  const mcb_lab *lab = scn_session_lab_if_any(s);
  int i;
  if (lab == NULL) return 0;
  i = node_index(lab, ss); /* `on local` and no `on` at all: the same host */
  if (i < 0) return ss->node[0] ? MCB_LAB_MAX_NODES + 1 : 0;
  return (size_t)i + 1;
}

void ui_lab_host(const scn_session *s, const scn_sock *ss, char *out, size_t size)
{
  const mcb_lab *lab = scn_session_lab_if_any(s);
  mcb_lab_node_info ni;
  int i = lab ? node_index(lab, ss) : -1;
  out[0] = '\0';
  if (ss->node[0])
    safe(ss->node, out, size);
  else if (i >= 0 && mcb_lab_node_at(lab, (size_t)i, &ni) == 0)
    safe(ni.name, out, size);
}

/* "loss 5%", "dup 0.5%" (0.5% as such). */
static size_t add_ppm(char *out, size_t n, size_t size, const char *word, unsigned ppm)
{
  char frac[8];
  if (ppm == 0 || n >= size) return n;
  snprintf(frac, sizeof frac, ".%04u", ppm % 10000);
  for (size_t z = strlen(frac); z > 0 && (frac[z - 1] == '0' || frac[z - 1] == '.'); z--)
    frac[z - 1] = '\0';
  return n +
         (size_t)snprintf(out + n, size - n, "%s%s %u%s%%", n ? ", " : "", word, ppm / 10000, frac);
}

/* "ttl-threshold 6, loss 5%, dup 1%, rate 2Mbps", as lab show says them. */
static void link_opts(const mcb_lab_link_info *li, char *out, size_t size)
{
  size_t n = 0;
  out[0] = '\0';
  if (li->ttl_threshold > 1)
    n += (size_t)snprintf(out, size, "ttl-threshold %d", li->ttl_threshold);
  n = add_ppm(out, n, size, "loss", li->loss_ppm);
  n = add_ppm(out, n, size, "dup", li->dup_ppm);
  if (li->rate_bps > 0 && n < size)
    n += (size_t)snprintf(out + n, size - n, "%srate %.6g%s", n ? ", " : "",
                          li->rate_bps >= 1000000 ? (double)li->rate_bps / 1e6
                                                  : (double)li->rate_bps / 1e3,
                          li->rate_bps >= 1000000 ? "Mbps" : "kbps");
  if (li->delay_ns > 0 && n < size)
    snprintf(out + n, size - n, "%sdelay %.6gms", n ? ", " : "", (double)li->delay_ns / 1e6);
}

/* "239.1.1.1@h2-r2, ff05::1@h2-r2", read inside the node. */
static void node_groups(mcb_lab *lab, const char *node, ui_topo_node *v)
{
  mcb_lab_group *g = calloc(MCB_LAB_MAX_GROUPS, sizeof *g);
  char raw[1024];
  size_t n = 0, len = 0;
  raw[0] = '\0';
  if (g == NULL || mcb_lab_groups(lab, node, g, MCB_LAB_MAX_GROUPS, &n) != 0) n = 0;
  for (size_t i = 0; i < n && len < sizeof raw; i++)
    len += (size_t)snprintf(raw + len, sizeof raw - len, "%s%s@%s", i ? ", " : "", g[i].group,
                            g[i].ifname);
  v->ngroups = n;
  safe(raw, v->groups, sizeof v->groups);
  free(g);
}

/* The names of the sockets (not closed) that live on node i, in the order they opened. */
static void node_sockets(const scn_session *s, const mcb_lab *lab, int i, ui_topo_node *v)
{
  char raw[256];
  size_t len = 0;
  raw[0] = '\0';
  for (size_t k = 0; k < scn_session_socket_count(s) && len < sizeof raw; k++) {
    const scn_sock *ss = scn_session_socket_at(s, k);
    mcb_socket_info info;
    if (ss == NULL || ss->sock == NULL || mcb_socket_info_get(ss->sock, &info) != 0 ||
        info.state == MCB_STATE_CLOSED || node_index(lab, ss) != i)
      continue;
    len += (size_t)snprintf(raw + len, sizeof raw - len, "%s%s", len ? ", " : "", ss->name);
  }
  safe(raw, v->sockets, sizeof v->sockets);
}

static void nodes(const scn_session *s, mcb_lab *lab, ui_topo_view *out)
{
  mcb_lab_node_info ni;
  for (size_t i = 0; i < mcb_lab_node_count(lab) && out->nnodes < UI_TOPO_NODES; i++) {
    ui_topo_node *v = &out->nodes[out->nnodes++];
    if (mcb_lab_node_at(lab, i, &ni) != 0) continue;
    safe(ni.name, v->name, sizeof v->name);
    v->kind = ni.kind == MCB_LAB_ROUTER   ? UI_NODE_ROUTER
              : ni.kind == MCB_LAB_SWITCH ? UI_NODE_SWITCH
                                          : UI_NODE_HOST;
    v->home = (ni.flags & MCB_LAB_HERE) != 0;
    if (ni.kind == MCB_LAB_SWITCH)
      snprintf(v->note, sizeof v->note, "querier %s", ni.flags & MCB_LAB_QUERIER ? "on" : "off");
    else if (ni.kind == MCB_LAB_ROUTER && ni.own_forwarder)
      snprintf(v->note, sizeof v->note, "mcbench forwards");
    node_groups(lab, ni.name, v);
    node_sockets(s, lab, (int)i, v);
  }
}

/* The node index of a name (links name their ends). */
static size_t find(const ui_topo_view *t, const char *name)
{
  char esc[UI_NAME_MAX];
  safe(name, esc, sizeof esc);
  for (size_t i = 0; i < t->nnodes; i++)
    if (strcmp(t->nodes[i].name, esc) == 0) return i;
  return UI_TOPO_NODES; /* not drawn */
}

static void links(mcb_lab *lab, ui_topo_view *out)
{
  mcb_lab_link_info li;
  for (size_t i = 0; i < mcb_lab_link_count(lab) && out->nlinks < UI_TOPO_LINKS; i++) {
    ui_topo_link *v = &out->links[out->nlinks];
    uint64_t rx[2], tx[2];
    if (mcb_lab_link_at(lab, i, &li) != 0) continue;
    out->nlinks++;
    v->a = find(out, li.a);
    v->b = find(out, li.b);
    safe(li.ifname_a, v->ifname_a, sizeof v->ifname_a);
    safe(li.ifname_b, v->ifname_b, sizeof v->ifname_b);
    link_opts(&li, v->opts, sizeof v->opts);
    /* the packets each end sent into the link: what went down it, each way */
    v->counted = mcb_lab_link_counters(lab, i, rx, tx) == 0;
    v->a_to_b = v->counted ? tx[0] : 0;
    v->b_to_a = v->counted ? tx[1] : 0;
  }
}

void ui_lab_topology(void *arg, ui_topo_view *out)
{
  const scn_session *s = arg;
  mcb_lab *lab = scn_session_lab_if_any(s);
  memset(out, 0, sizeof *out);
  if (lab == NULL || mcb_lab_node_count(lab) == 0) return;
  out->lab = true;
  nodes(s, lab, out);
  links(lab, out);
}
