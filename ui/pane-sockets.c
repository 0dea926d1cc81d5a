/* pane-sockets.c - the sockets pane: one row per socket with its options and counters,
 * and a line of details (groups, multicast interface, echo) for the selected one. */
#include "render.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"

static int find_selected(const ui_state *st, const ui_model *src, size_t n)
{
  ui_sock_view v;
  for (size_t i = 0; i < n; i++)
    if (src->socket(src->arg, i, &v) && strcmp(v.name, st->selected) == 0) return (int)i;
  return n > 0 ? 0 : -1;
}

static const char *onoff(bool ip, bool on)
{
  return !ip ? "-" : on ? "on" : "off";
}

static void row(ui_canvas *c, int x, int y, int iw, int local_w, int groups_w,
                const ui_sock_view *v, uint16_t attr)
{
  char rx[16], tx[16], ttl[8], mttl[8];
  ui_fmt_bytes(v->rx_msgs, rx, sizeof rx);
  ui_fmt_bytes(v->tx_msgs, tx, sizeof tx);
  snprintf(ttl, sizeof ttl, v->ip ? "%d" : "-", v->ttl);
  snprintf(mttl, sizeof mttl, v->ip ? "%d" : "-", v->mcast_ttl);
  ui_canvas_fill(c, x, y, iw, 1, ' ', attr);
  ui_canvas_printf(c, x, y, iw, attr, "%-10.10s %-4s %-*.*s %-6s %3s %4s %-4s %-5s %7s %7s",
                   v->name, v->family, local_w, local_w, v->local, v->state, ttl, mttl,
                   onoff(v->ip, v->loopback), onoff(v->ip, v->broadcast), rx, tx);
  if (groups_w > 0)
    ui_canvas_printf(c, x + iw - groups_w, y, groups_w, attr, "%s", v->ngroups ? v->groups : "-");
}

void ui_pane_sockets(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay)
{
  ui_rect r = lay->sockets;
  int iw = r.w - 2, fixed = 59, local_w = iw - fixed - 1, groups_w = 0, visible, first = 0;
  ui_sock_view v;
  char title[64];

  if (local_w > 30) {
    groups_w = local_w - 30 - 1;
    local_w = 30;
    if (groups_w < 12) local_w += groups_w + 1, groups_w = 0;
  }
  lay->sel_socket = find_selected(st, src, lay->nsockets);
  snprintf(title, sizeof title, "sockets (%zu)", lay->nsockets);
  ui_canvas_box(c, r.x, r.y, r.w, r.h, title,
                st->focus == SCN_UI_FOCUS_SOCKETS ? UI_R_SELECTED : UI_R_BORDER);
  ui_canvas_printf(c, r.x + 1, r.y + 1, iw, UI_R_HEADER | UI_BOLD,
                   "%-10s %-4s %-*s %-6s %3s %4s %-4s %-5s %7s %7s", "NAME", "FAM", local_w,
                   "LOCAL", "STATE", "TTL", "MTTL", "LOOP", "BCAST", "RX", "TX");
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
  if (src->socket(src->arg, (size_t)lay->sel_socket, &v)) {
    char line[512];
    int n = snprintf(line, sizeof line, "%s:", v.name);
    if (v.ip)
      n += snprintf(line + n, sizeof line - (size_t)n, " groups %s | mcast-if %s |",
                    v.ngroups ? v.groups : "none", v.mcast_if[0] ? v.mcast_if : "default");
    snprintf(line + n, sizeof line - (size_t)n, " echo %s | peers %zu | rx %llu B tx %llu B%s%s%s",
             v.echo ? "on" : "off", v.peers, (unsigned long long)v.rx_bytes,
             (unsigned long long)v.tx_bytes, v.evicted ? " | peers evicted" : "",
             v.send_errors[0] ? " | send errors " : "", v.send_errors);
    ui_canvas_text(c, r.x + 1, r.y + r.h - 2, iw, line, UI_R_DIM);
  }
}
