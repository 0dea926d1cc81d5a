/* pane-sockets.c - the sockets pane: one row per socket with its options and counters,
 * and a line of details (groups, the other options, peers) for the selected one. Which
 * option gets a column, and which goes to the details, is the option table's to say. */
#include "render.h"

#include <stdio.h>
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

/* The option columns: a header (v == NULL) or a socket's values, "-" where they do not
 * apply. Returns the columns' total width. */
static int option_columns(const ui_sock_view *v, char *out, size_t size)
{
  const mcb_option *o;
  int n = 0, w = 0;
  out[0] = '\0';
  for (size_t i = 0; i < UI_MAX_OPTS && (o = scn_option_at(i)) != NULL; i++) {
    if (o->column == NULL) continue;
    const char *text = v == NULL ? o->column : v->opts[i][0] ? v->opts[i] : "-";
    if (n >= 0 && (size_t)n < size)
      n += snprintf(out + n, size - (size_t)n, "%*s ", o->width, text);
    w += (o->width < 0 ? -o->width : o->width) + 1;
  }
  return w;
}

static void row(ui_canvas *c, int x, int y, int iw, int local_w, int groups_w,
                const ui_sock_view *v, uint16_t attr)
{
  char rx[16], tx[16], opts[160];
  ui_fmt_bytes(v->rx_msgs, rx, sizeof rx);
  ui_fmt_bytes(v->tx_msgs, tx, sizeof tx);
  option_columns(v, opts, sizeof opts);
  ui_canvas_fill(c, x, y, iw, 1, ' ', attr);
  ui_canvas_printf(c, x, y, iw, attr, "%-10.10s %-4s %-*.*s %-6s %s%7s %7s", v->name, v->family,
                   local_w, local_w, v->local, v->state, opts, rx, tx);
  if (groups_w > 0)
    ui_canvas_printf(c, x + iw - groups_w, y, groups_w, attr, "%s", v->ngroups ? v->groups : "-");
}

/* Kernel drops when there are any, send streams, groups, every option without a column,
 * then peers and bytes. */
static void details(ui_canvas *c, int x, int y, int iw, const ui_sock_view *v)
{
  const mcb_option *o;
  char line[1024];
  size_t n = (size_t)snprintf(line, sizeof line, "%s:", v->name);
  if (v->kernel_drops && n < sizeof line) /* first: it explains a low received count */
    n += (size_t)snprintf(line + n, sizeof line - n, " received %llu, kernel dropped %llu |",
                          (unsigned long long)v->rx_msgs, (unsigned long long)v->kernel_drops);
  /* Streams first: they change while the rest stays put, and a narrow screen cuts the end. */
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
  ui_canvas_text(c, x, y, iw, line, UI_R_DIM);
}

void ui_pane_sockets(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay)
{
  ui_rect r = lay->sockets;
  char title[64], head[160];
  int iw = r.w - 2, fixed = 39 + option_columns(NULL, head, sizeof head);
  int local_w = iw - fixed - 1, groups_w = 0, visible, first = 0;
  ui_sock_view v;

  if (local_w > 30) {
    groups_w = local_w - 30 - 1;
    local_w = 30;
    if (groups_w < 12) local_w += groups_w + 1, groups_w = 0;
  }
  lay->sel_socket = find_selected(st, src, lay->nsockets);
  snprintf(title, sizeof title, "sockets (%zu)", lay->nsockets);
  ui_canvas_box(c, r.x, r.y, r.w, r.h, title,
                st->focus == SCN_UI_FOCUS_SOCKETS ? UI_R_SELECTED : UI_R_BORDER);
  ui_canvas_printf(c, r.x + 1, r.y + 1, iw, UI_R_HEADER | UI_BOLD, "%-10s %-4s %-*s %-6s %s%7s %7s",
                   "NAME", "FAM", local_w, "LOCAL", "STATE", head, "RX", "TX");
  if (groups_w > 0)
    ui_canvas_text(c, r.x + 1 + iw - groups_w, r.y + 1, groups_w, "GROUPS", UI_R_HEADER | UI_BOLD);
  visible = r.h - 4;
  if (lay->nsockets == 0) {
    ui_canvas_text(c, r.x + 2, r.y + 2, iw - 1,
                   "no sockets: press o to open one (or :open rx udp4)", UI_R_DIM);
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
    row(c, r.x + 1, r.y + 2 + i, iw, local_w, groups_w, &v, attr);
    ui_add_hit(lay, r.x + 1, r.y + 2 + i, iw, 1, "select %s", v.name);
  }
  /* Details of the selected socket: what the table has no room for. */
  if (src->socket(src->arg, (size_t)lay->sel_socket, &v))
    details(c, r.x + 1, r.y + r.h - 2, iw, &v);
}
