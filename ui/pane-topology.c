/* pane-topology.c - the topology pane (m, `topology on`, `lab show` typed): the lab's
 * nodes and links as a tree drawn from the default host, one node a line, each under the
 * link that reaches it with that link's packet counters (▸ sent down the tree, ◂ sent
 * back up), its kind (host, router, switch), the sockets that live on it and the groups
 * it joined (a switch: its snooping table). Links that close a loop are listed after the
 * tree. Every string of the view is already escaped; this file only lays it out. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INDENT 3 /* columns a level of the tree moves right */

typedef struct topo_line {
  int node;      /* the node the line shows (the far end for a loop link) */
  int link;      /* the link from its parent, -1 for a root */
  int from;      /* the parent (a loop link: its near end) */
  int depth;     /* 0 for a root */
  uint64_t more; /* bit d: the ancestor at depth d has siblings below it (a │ passes) */
  bool last;     /* the last child of its parent */
  bool loop;     /* a link outside the tree: "from ─[..]─ node" */
} topo_line;

typedef struct walk {
  const ui_topo_view *t;
  bool seen[UI_TOPO_NODES], used[UI_TOPO_LINKS];
  topo_line *out;
  size_t n, max;
} walk;

static int other_end(const ui_topo_link *l, int node)
{
  return (size_t)node == l->a ? (int)l->b : (size_t)node == l->b ? (int)l->a : -1;
}

/* Depth first from `node`; its children are the neighbours not yet in the tree, all
 * taken at once (so each is drawn under its first-found parent, and "last" is known). */
static void descend(walk *w, int node, int depth, uint64_t more)
{
  int kids[UI_TOPO_LINKS], nk = 0;
  for (size_t i = 0; i < w->t->nlinks; i++) {
    int o = other_end(&w->t->links[i], node);
    if (o < 0 || (size_t)o >= w->t->nnodes || w->seen[o] || w->used[i]) continue;
    w->seen[o] = w->used[i] = true;
    kids[nk++] = (int)i;
  }
  for (int k = 0; k < nk; k++) {
    int child = other_end(&w->t->links[kids[k]], node);
    bool last = k == nk - 1;
    if (w->n < w->max)
      w->out[w->n++] = (topo_line){child, kids[k], node, depth + 1, more, last, false};
    descend(w, child, depth + 1, depth < 63 && !last ? more | (1ull << depth) : more);
  }
}

static void root(walk *w, int node)
{
  if (w->seen[node]) return;
  w->seen[node] = true;
  if (w->n < w->max) w->out[w->n++] = (topo_line){node, -1, -1, 0, 0, true, false};
  descend(w, node, 0, 0);
}

/* The lines of the tree: from the default host first, then from each host not reached
 * yet, then from anything left (a router or switch alone); then the loop links. */
static size_t topo_lines(const ui_topo_view *t, topo_line *out, size_t max)
{
  walk *w = calloc(1, sizeof *w);
  size_t n;
  if (w == NULL) return 0;
  w->t = t, w->out = out, w->max = max;
  for (size_t i = 0; i < t->nnodes; i++)
    if (t->nodes[i].home) root(w, (int)i);
  for (size_t i = 0; i < t->nnodes; i++)
    if (t->nodes[i].kind == UI_NODE_HOST) root(w, (int)i);
  for (size_t i = 0; i < t->nnodes; i++) root(w, (int)i);
  for (size_t i = 0; i < t->nlinks && w->n < max; i++)
    if (!w->used[i] && t->links[i].a < t->nnodes && t->links[i].b < t->nnodes)
      out[w->n++] = (topo_line){(int)t->links[i].b, (int)i, (int)t->links[i].a, 0, 0, true, true};
  n = w->n;
  free(w);
  return n;
}

int ui_topology_rows(const ui_topo_view *t)
{
  topo_line *lines = calloc(UI_TOPO_NODES + UI_TOPO_LINKS, sizeof *lines);
  int n = 2; /* the empty state's two lines */
  if (lines != NULL && t != NULL && t->lab)
    n = (int)topo_lines(t, lines, UI_TOPO_NODES + UI_TOPO_LINKS);
  free(lines);
  return n > 0 ? n : 1;
}

static bool fancy(const ui_state *st)
{
  return st->utf8 && !st->ascii;
}

/* "─[▸  1.2K ◂     0]─ ": the link's counters, seen from `from` (the upper node). */
static int link_label(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_topo_view *t,
                      const topo_line *ln)
{
  const ui_topo_link *l = &t->links[ln->link];
  char down[16] = "?", up[16] = "?", text[96];
  int cw = c->w >= 120 ? 6 : 5;
  if (l->counted) {
    bool a_first = (size_t)ln->from == l->a;
    ui_fmt_bytes(a_first ? l->a_to_b : l->b_to_a, down, sizeof down);
    ui_fmt_bytes(a_first ? l->b_to_a : l->a_to_b, up, sizeof up);
  }
  snprintf(text, sizeof text, fancy(st) ? "\u2500[\u25b8%*s \u25c2%*s]\u2500 " : "-[>%*s <%*s]- ",
           cw, down, cw, up);
  return ui_canvas_text(c, x, y, w, text, UI_R_NORMAL);
}

/* "r1 router [tx] (mcbench forwards) via r1-h1, link loss 5%, joined 239.1.1.1@r1-h1":
 * name and kind, the rest dim; `link` is what the line says about the link above. */
static void node_text(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_topo_node *n,
                      const char *ifname, const char *link)
{
  static const char *const kinds[] = {"host", "router", "switch"};
  static const uint16_t roles[] = {UI_R_NORMAL, UI_R_KEY, UI_R_HEADER};
  char rest[700];
  size_t k = 0, kind = n->kind <= UI_NODE_SWITCH ? (size_t)n->kind : 0;
  int used = ui_canvas_text(c, x, y, w, n->name, roles[kind] | UI_BOLD);
  k += (size_t)snprintf(rest + k, sizeof rest - k, " %s%s", kinds[kind],
                        n->home ? " (default)" : "");
  if (n->sockets[0]) k += (size_t)snprintf(rest + k, sizeof rest - k, " [%s]", n->sockets);
  if (n->note[0] && k < sizeof rest)
    k += (size_t)snprintf(rest + k, sizeof rest - k, " (%s)", n->note);
  if (ifname && ifname[0] && c->w >= 120 && k < sizeof rest)
    k += (size_t)snprintf(rest + k, sizeof rest - k, " via %s", ifname);
  if (link && link[0] && k < sizeof rest)
    k += (size_t)snprintf(rest + k, sizeof rest - k, " (link %s)", link);
  if (n->ngroups && k < sizeof rest)
    snprintf(rest + k, sizeof rest - k, " %s %s",
             n->kind == UI_NODE_SWITCH ? "group table" : "joined", n->groups);
  ui_canvas_cut(c, x + used, y, w - used, rest, UI_R_DIM, ui_ellipsis(st));
}

static void draw_line(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_topo_view *t,
                      const topo_line *ln)
{
  int max_depth = (w / 2) / INDENT, used = 0;
  const ui_topo_link *l = ln->link >= 0 ? &t->links[ln->link] : NULL;
  if (ln->loop) { /* "r1 ─[..]─ r3 (closes a loop)" */
    used += ui_canvas_text(c, x, y, w, t->nodes[ln->from].name, UI_BOLD);
    used += ui_canvas_text(c, x + used, y, w - used, " ", UI_R_NORMAL);
    used += link_label(st, c, x + used, y, w - used, t, ln);
    char note[96];
    snprintf(note, sizeof note, "closes a loop%s%s", l->opts[0] ? ", " : "", l->opts);
    node_text(st, c, x + used, y, w - used, &t->nodes[ln->node], NULL, note);
    return;
  }
  for (int d = 0; d < ln->depth - 1 && used + INDENT < w; d++) {
    if (d >= max_depth) break; /* very deep: the levels below stop moving right */
    bool pass = (ln->more >> d) & 1;
    ui_canvas_text(c, x + used, y, 1, pass ? (fancy(st) ? "\u2502" : "|") : " ", UI_R_DIM);
    used += INDENT;
  }
  if (ln->depth > 0) {
    used += ui_canvas_text(c, x + used, y, w - used,
                           fancy(st) ? (ln->last ? "\u2514" : "\u251c") : (ln->last ? "`" : "+"),
                           UI_R_NORMAL);
    used += link_label(st, c, x + used, y, w - used, t, ln);
  }
  node_text(st, c, x + used, y, w - used, &t->nodes[ln->node],
            l ? ((size_t)ln->node == l->a ? l->ifname_a : l->ifname_b) : NULL, l ? l->opts : NULL);
}

static void empty(ui_canvas *c, ui_rect r)
{
  ui_canvas_text(c, r.x + 2, r.y + 1, r.w - 4,
                 "no lab yet: at the : line, lab host h1, lab router r1, lab link h1 r1 ...",
                 UI_R_DIM);
  ui_canvas_text(c, r.x + 2, r.y + 2, r.w - 4,
                 "or play one: mcbench play --private scenarios/examples/lab-ttl.mcb", UI_R_DIM);
}

void ui_pane_topology(const ui_state *st, ui_canvas *c, ui_rect r)
{
  const ui_topo_view *t = st->topo;
  topo_line *lines;
  char title[160];
  size_t n, shown;
  if (r.h < 3) return;
  ui_canvas_fill(c, r.x, r.y, r.w, r.h, ' ', UI_R_NORMAL);
  if (t == NULL || !t->lab) {
    ui_canvas_box(c, r.x, r.y, r.w, r.h, "lab topology (m closes)", UI_R_BORDER);
    empty(c, r);
    return;
  }
  snprintf(title, sizeof title,
           "lab topology: %zu nodes, %zu links; packets %s down, %s up (m closes)", t->nnodes,
           t->nlinks, fancy(st) ? "\u25b8" : ">", fancy(st) ? "\u25c2" : "<");
  ui_canvas_box(c, r.x, r.y, r.w, r.h, title, UI_R_BORDER);
  lines = calloc(UI_TOPO_NODES + UI_TOPO_LINKS, sizeof *lines);
  if (lines == NULL) return;
  n = topo_lines(t, lines, UI_TOPO_NODES + UI_TOPO_LINKS);
  shown = n <= (size_t)(r.h - 2) ? n : (size_t)(r.h - 3);
  for (size_t i = 0; i < shown; i++)
    draw_line(st, c, r.x + 2, r.y + 1 + (int)i, r.w - 3, t, &lines[i]);
  if (shown < n)
    ui_canvas_printf(c, r.x + 2, r.y + 1 + (int)shown, r.w - 3, UI_R_DIM,
                     "%s %zu more (a taller terminal shows them; :lab show lists all)",
                     ui_ellipsis(st), n - shown);
  free(lines);
}
