/* pane-sockets.c - the sockets pane: one row per socket with its options and counters,
 * and a line of details (groups, the other options, peers) for the selected one. Which
 * option gets a column, and which goes to the details, is the option table's to say. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "sockopt.h"

static int find_selected(const ui_state *st, const ui_model *src, size_t n)
{
  ui_sock_view v;
  for (size_t i = 0; i < n; i++)
    if (src->socket(src->arg, i, &v) && strcmp(v.name, st->selected) == 0) return (int)i;
  return n > 0 ? 0 : -1;
}

/* The columns, in screen order. Each has the width it wants and the least it may shrink
 * to; NAME, STATE, RX, TX and GROUPS are never dropped, LOCAL and the counters shrink
 * first, then FAM is dropped, STATE cut, and the option columns (the table's last
 * first) dropped. */
enum { COL_HOST, COL_NAME, COL_FAM, COL_LOCAL, COL_STATE, COL_OPT0 };
#define MAX_COLS (COL_OPT0 + UI_MAX_OPTS + 3)

typedef struct column {
  const char *head;
  int w, min, opt; /* opt: the option table's row, -1 for others */
  bool right, shown;
} column;

typedef struct columns {
  column col[MAX_COLS];
  int n, rx, tx, groups;
} columns;

static int total_width(const columns *t)
{
  int w = 0;
  for (int i = 0; i < t->n; i++)
    if (t->col[i].shown) w += t->col[i].w + 1;
  return w - 1;
}

static void add(columns *t, const char *head, int w, int min, int opt, bool right)
{
  t->col[t->n++] = (column){head, w, min, opt, right, true};
}

/* The widths the values want: the longest LOCAL, STATE and GROUPS of the sockets; HOST's
 * stays 0 unless a socket lives on a lab host (then the model lists them by host). */
static void wanted(const ui_model *src, size_t n, int *host, int *name, int *local, int *state,
                   int *groups)
{
  ui_sock_view v;
  *host = 0, *name = 4, *local = 5, *state = 5, *groups = 6;
  for (size_t i = 0; i < n; i++) {
    if (!src->socket(src->arg, i, &v)) continue;
    int l = ui_canvas_width(v.local), s = ui_canvas_width(v.state), h = ui_canvas_width(v.lab_host);
    if (h > 0 && (h > 4 ? h : 4) > *host) *host = h > 4 ? h : 4;
    int g = v.ngroups ? ui_canvas_width(v.groups) : 1, m = ui_canvas_width(v.name);
    *name = m > *name ? (m > 12 ? 12 : m) : *name;
    *local = l > *local ? l : *local;
    *state = s > *state ? s : *state;
    *groups = g > *groups ? g : *groups;
  }
}

static void shrink(columns *t, int i, int width, int avail)
{
  int over = total_width(t) - avail;
  if (over <= 0 || !t->col[i].shown) return;
  t->col[i].w -= over < t->col[i].w - width ? over : t->col[i].w - width;
}

static void grow(columns *t, int i, int width, int avail)
{
  int spare = avail - total_width(t);
  if (spare <= 0 || t->col[i].w >= width) return;
  t->col[i].w += spare < width - t->col[i].w ? spare : width - t->col[i].w;
}

static void layout(const ui_model *src, size_t nsock, int avail, columns *t)
{
  const mcb_option *o;
  int host, name, local, state, groups;
  wanted(src, nsock, &host, &name, &local, &state, &groups);
  memset(t, 0, sizeof *t);
  add(t, "HOST", host, host, -1, false);
  t->col[COL_HOST].shown = host > 0;
  add(t, "NAME", name, 4, -1, false);
  add(t, "FAM", 4, 4, -1, false);
  add(t, "LOCAL", local > 30 ? 30 : local, 5, -1, false);
  add(t, "STATE", state, 5, -1, false);
  for (size_t i = 0; i < UI_MAX_OPTS && (o = scn_option_at(i)) != NULL; i++)
    if (o->column) add(t, o->column, o->width < 0 ? -o->width : o->width, 0, (int)i, o->width > 0);
  t->rx = t->n, add(t, "RX", 7, 5, -1, true);
  t->tx = t->n, add(t, "TX", 7, 5, -1, true);
  t->groups = t->n, add(t, "GROUPS", groups, 6, -1, false);
  shrink(t, t->rx, 5, avail);
  shrink(t, t->tx, 5, avail);
  shrink(t, t->groups, 24, avail);
  shrink(t, COL_LOCAL, 12, avail);
  shrink(t, t->groups, 14, avail);
  /* the option columns are the lessons (TTL, LOOP...): FAM goes first, STATE is cut */
  if (total_width(t) > avail) t->col[COL_FAM].shown = false;
  shrink(t, COL_STATE, 12, avail);
  for (int i = t->groups - 1; i > COL_STATE && total_width(t) > avail; i--)
    if (t->col[i].opt >= 0) t->col[i].shown = false;
  for (int i = 0; i < t->n && total_width(t) > avail; i++) shrink(t, i, t->col[i].min, avail);
  /* Room left after a drop goes back to LOCAL and the counters, the rest to GROUPS. */
  grow(t, COL_STATE, state, avail);
  grow(t, COL_LOCAL, local > 30 ? 30 : local, avail);
  grow(t, t->rx, 7, avail);
  grow(t, t->tx, 7, avail);
  grow(t, t->groups, 1 << 14, avail);
}

/* A counter in w columns: 123.5K, or 124K where that does not fit. */
static void counter(uint64_t n, int w, char *buf, size_t size)
{
  static const char units[] = " KMGTPE";
  double d = (double)n;
  int u = 0;
  ui_fmt_bytes(n, buf, size);
  if ((int)strlen(buf) <= w) return;
  while (d >= 999.5 && u < 6) d /= 1e3, u++;
  snprintf(buf, size, "%.0f%c", d, units[u]);
}

/* One row: the header (v == NULL) or a socket's values, "-" where they do not apply. */
static void row(const ui_state *st, ui_canvas *c, int x, int y, int iw, const columns *t,
                const ui_sock_view *v, uint16_t attr)
{
  char rx[16], tx[16];
  ui_canvas_fill(c, x, y, iw, 1, ' ', attr);
  if (v) {
    counter(v->rx_msgs, t->col[t->rx].w, rx, sizeof rx);
    counter(v->tx_msgs, t->col[t->tx].w, tx, sizeof tx);
  }
  for (int i = 0; i < t->n; i++) {
    const column *k = &t->col[i];
    const char *text = k->head;
    char buf[32];
    if (!k->shown) continue;
    if (v == NULL)
      ;
    else if (i == COL_HOST)
      text = v->lab_host[0] ? v->lab_host : "-";
    else if (i == COL_NAME)
      text = v->name;
    else if (i == COL_FAM)
      text = v->family;
    else if (i == COL_LOCAL)
      text = v->local;
    else if (i == COL_STATE)
      text = v->state;
    else if (i == t->rx)
      text = rx;
    else if (i == t->tx)
      text = tx;
    else if (i == t->groups)
      text = v->ngroups ? v->groups : "-";
    else
      text = v->opts[k->opt][0] ? v->opts[k->opt] : "-";
    if (k->right && ui_canvas_width(text) < k->w && k->w < (int)sizeof buf) {
      mcb_msgf(buf, sizeof buf, "%*s", k->w, text); /* right-aligned numbers: they fit */
      text = buf;
    }
    ui_canvas_cut(c, x, y, k->w, text, attr, ui_ellipsis(st));
    x += k->w + 1;
  }
}

/* Kernel drops when there are any, send streams, groups, every option without a column,
 * then peers and bytes. */
static void details(const ui_state *st, ui_canvas *c, int x, int y, int iw, const ui_sock_view *v)
{
  const mcb_option *o;
  char line[1024];
  size_t n = (size_t)snprintf(line, sizeof line, "%s:%s", v->name,
                              strstr(v->state, "implicit") ? " bound by its first send |" : "");
  if (v->host[0] && n < sizeof line) /* a lab host: its interfaces are that host's */
    n += (size_t)snprintf(line + n, sizeof line - n, " on host %s |", v->host);
  if (v->kernel_drops && n < sizeof line) /* first: it explains a low received count */
    n += (size_t)snprintf(line + n, sizeof line - n, " received %llu, kernel dropped %llu |",
                          (unsigned long long)v->rx_msgs, (unsigned long long)v->kernel_drops);
  /* Streams next: they change while the rest stays put, and a narrow screen cuts the end. */
  if (v->streams[0] && n < sizeof line)
    n += (size_t)snprintf(line + n, sizeof line - n, " streams %s |", v->streams);
  if (v->ip && n < sizeof line)
    n += (size_t)snprintf(line + n, sizeof line - n, " groups %s |",
                          v->ngroups ? v->groups : "none");
  for (size_t i = 0; i < UI_MAX_OPTS && (o = scn_option_at(i)) != NULL && n < sizeof line; i++)
    if (o->column == NULL && v->opts[i][0])
      n += (size_t)snprintf(line + n, sizeof line - n, " %s %s |", o->name, v->opts[i]);
  if (n < sizeof line)
    snprintf(line + n, sizeof line - n, " peers %zu | rx %llu B tx %llu B%s", v->peers,
             (unsigned long long)v->rx_bytes, (unsigned long long)v->tx_bytes,
             v->evicted ? " | peers evicted" : "");
  n = strlen(line);
  if (v->send_errors[0] && n < sizeof line)
    snprintf(line + n, sizeof line - n, " | send errors %s", v->send_errors);
  ui_canvas_cut(c, x, y, iw, line, UI_R_DIM, ui_ellipsis(st));
}

void ui_pane_sockets(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay)
{
  ui_rect r = lay->sockets;
  char title[64];
  int iw = r.w - 2, visible, first = 0;
  columns *t = calloc(1, sizeof *t);
  ui_sock_view v;

  if (t == NULL) return;
  layout(src, lay->nsockets, iw - 1, t);
  lay->sel_socket = find_selected(st, src, lay->nsockets);
  snprintf(title, sizeof title, "sockets (%zu)", lay->nsockets);
  ui_canvas_box(c, r.x, r.y, r.w, r.h, title,
                st->focus == SCN_UI_FOCUS_SOCKETS ? UI_R_SELECTED : UI_R_BORDER);
  row(st, c, r.x + 1, r.y + 1, iw, t, NULL, UI_R_HEADER | UI_BOLD);
  visible = r.h - 4;
  if (lay->nsockets == 0) {
    ui_canvas_text(c, r.x + 2, r.y + 2, iw - 1,
                   "no sockets: press o to open one (or :open rx udp4)", UI_R_DIM);
    free(t);
    return;
  }
  if (lay->sel_socket >= visible) first = lay->sel_socket - visible + 1;
  for (int i = 0; i < visible && (size_t)(first + i) < lay->nsockets; i++) {
    int idx = first + i;
    uint16_t attr = UI_R_NORMAL;
    if (!src->socket(src->arg, (size_t)idx, &v)) continue;
    if (strcmp(v.state, "closed") == 0 || strcmp(v.state, "closing") == 0) attr = UI_R_DIM;
    if (idx == lay->sel_socket) {
      attr = st->focus == SCN_UI_FOCUS_SOCKETS ? (UI_R_SELECTED | UI_REVERSE) : (attr | UI_BOLD);
      snprintf(lay->sel_name, sizeof lay->sel_name, "%s", v.name);
    }
    row(st, c, r.x + 1, r.y + 2 + i, iw, t, &v, attr);
    ui_add_hit(lay, r.x + 1, r.y + 2 + i, iw, 1, "select %s", v.name);
  }
  free(t);
  /* Details of the selected socket: what the table has no room for. */
  if (src->socket(src->arg, (size_t)lay->sel_socket, &v))
    details(st, c, r.x + 1, r.y + r.h - 2, iw, &v);
}
