/* pane-peers.c - the peers the area watches (the selected socket's, a pinned socket's,
 * or every socket's: see ui_watch): one live pane per (source, destination) while they
 * fit, else a sorted peer list beside a detail pane for the selected peer. Each pane
 * shows counters, rate, arrival TTL and a sparkline of the last seconds, a traffic line
 * (loss, duplicates, reordering, delay, jitter) when the payloads carry sequence numbers
 * or send times, then its newest messages as escaped text or as a hex dump, honouring
 * its freeze, clear and scroll settings. */
#include "render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "keys.h"

#define MIN_TILE_W    38
#define MIN_TILE_H    7
#define MAX_MSGS      256
#define TTL_TEXT      12 /* any int: "-2147483648" */
#define MAX_HEX_LINES 4

static int cmp_rate(const void *a, const void *b)
{
  const ui_peer_view *x = a, *y = b;
  return (x->rate_msgs < y->rate_msgs) - (x->rate_msgs > y->rate_msgs);
}
static int cmp_count(const void *a, const void *b)
{
  const ui_peer_view *x = a, *y = b;
  return (x->msgs < y->msgs) - (x->msgs > y->msgs);
}
static int cmp_last(const void *a, const void *b)
{
  const ui_peer_view *x = a, *y = b;
  return (x->last_seen_ns < y->last_seen_ns) - (x->last_seen_ns > y->last_seen_ns);
}
static int cmp_addr(const void *a, const void *b)
{
  const ui_peer_view *x = a, *y = b;
  int c = strcmp(x->src, y->src);
  return c ? c : strcmp(x->dst, y->dst);
}
static int cmp_id(const void *a, const void *b)
{
  const ui_peer_view *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}
/* The list's order for each sort key of the vocabulary (ui-words.h). */
static int (*const cmp_by[SCN_UI_N_SORT])(const void *, const void *) = {
    [SCN_UI_SORT_RATE] = cmp_rate,
    [SCN_UI_SORT_COUNT] = cmp_count,
    [SCN_UI_SORT_LAST] = cmp_last,
    [SCN_UI_SORT_ADDRESS] = cmp_addr,
};

/* The key bound to a command, for a hint (":" when none: type it). */
static const char *key_of(const char *command)
{
  const ui_binding *b = ui_binding_of(command);
  return b ? b->name : ":";
}

/* A TTL or hop limit, or "-" when there is none (unix peers, or not reported). */
static const char *ttl_text(int ttl, char buf[TTL_TEXT])
{
  if (ttl < 0) return "-";
  snprintf(buf, TTL_TEXT, "%d", ttl);
  return buf;
}

static const char *arrow(const ui_state *st)
{
  return st->utf8 && !st->ascii ? "\u2192" : "->";
}

/* One message line in text mode. */
static void text_line(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_peer_view *p,
                      const ui_msg *m)
{
  char t[16], esc[1024], head[200], ttl[TTL_TEXT];
  size_t used;
  int n;
  ui_fmt_time(m->real_ns, t, sizeof t);
  /* the arrival interface tells two copies of one broadcast apart */
  if (w >= 70)
    n = snprintf(head, sizeof head, "%s %s%s%s%s %zuB%s ttl %s ", t, arrow(st), p->dst,
                 m->ifname[0] ? " on " : "", m->ifname, m->wire_len, m->truncated ? "!" : "",
                 ttl_text(m->ttl, ttl));
  else
    n = snprintf(head, sizeof head, "%s%s%s %zuB%s ttl %s ", t, m->ifname[0] ? " " : "", m->ifname,
                 m->wire_len, m->truncated ? "!" : "", ttl_text(m->ttl, ttl));
  n = ui_canvas_text(c, x, y, w, head, UI_R_DIM);
  if (n >= w) return;
  scn_escape(m->data, m->len, st->utf8, esc, sizeof esc, w - n, &used);
  n += ui_canvas_text(c, x + n, y, w - n, esc, UI_R_NORMAL);
  if (used < m->wire_len) { /* more than fits, or than was kept: the last column says so */
    if (n >= w - 1) n = w - 1;
    ui_canvas_text(c, x + n, y, 1, st->utf8 && !st->ascii ? "\u2026" : "~", UI_R_ESCAPE);
  }
}

/* The lines of a message in hex mode: a header, then up to MAX_HEX_LINES of dump. */
static int hex_lines(const ui_msg *m, int per_line)
{
  int n = (int)((m->len + (size_t)per_line - 1) / (size_t)per_line);
  if (n > MAX_HEX_LINES) n = MAX_HEX_LINES + 1; /* "... N more bytes" */
  return 1 + n;
}

static void hex_line(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_msg *m,
                     int sub, int per_line)
{
  char buf[160];
  int n = 0;
  size_t off = (size_t)(sub - 1) * (size_t)per_line;
  if (sub == 0) {
    char t[16], ttl[TTL_TEXT];
    ui_fmt_time(m->real_ns, t, sizeof t);
    ui_canvas_printf(c, x, y, w, UI_R_DIM, "%s%s%s %zuB%s ttl %s", t, m->ifname[0] ? " on " : "",
                     m->ifname, m->wire_len, m->truncated ? " (truncated)" : "",
                     ttl_text(m->ttl, ttl));
    return;
  }
  if (sub > MAX_HEX_LINES) {
    ui_canvas_printf(c, x, y, w, UI_R_DIM, "  ... %zu more bytes", m->wire_len - off);
    return;
  }
  n += snprintf(buf + n, sizeof buf - (size_t)n, "  %04zx ", off);
  for (int i = 0; i < per_line; i++) {
    if (off + (size_t)i < m->len)
      n += snprintf(buf + n, sizeof buf - (size_t)n, " %02x", m->data[off + (size_t)i]);
    else
      n += snprintf(buf + n, sizeof buf - (size_t)n, "   ");
  }
  n += snprintf(buf + n, sizeof buf - (size_t)n, "  ");
  for (int i = 0; i < per_line && off + (size_t)i < m->len; i++) {
    uint8_t b = m->data[off + (size_t)i];
    buf[n++] = (b >= 0x20 && b < 0x7f) ? (char)b : '.';
  }
  buf[n] = '\0';
  ui_canvas_text(c, x, y, w, buf, UI_R_NORMAL);
}

/* The counters line: as many parts as fit, most important first, then a sparkline. */
static void counters_line(const ui_state *st, ui_canvas *c, ui_rect r, const ui_peer_view *p,
                          const ui_pane_state *ps)
{
  char parts[6][48], ttl[TTL_TEXT], b[16], rm[16], rb[16], seen[16];
  const char *flag = ps && ps->frozen ? " FROZEN" : ps && ps->scroll > 0 ? " SCROLLED" : "";
  int iw = r.w - 2, x = r.x + 1, left = iw - (int)strlen(flag);
  ui_fmt_bytes(p->bytes, b, sizeof b);
  ui_fmt_rate(p->rate_msgs, rm, sizeof rm);
  ui_fmt_rate(p->rate_bytes, rb, sizeof rb);
  ui_fmt_time(p->last_real_ns, seen, sizeof seen);
  /* each value with its label: "1 msg  rate 2.5/s  ttl 4  bytes 31B 26B/s  last ..." */
  snprintf(parts[0], sizeof parts[0], "%llu msg%s", (unsigned long long)p->msgs,
           p->msgs == 1 ? "" : "s");
  snprintf(parts[1], sizeof parts[1], "  rate %s/s", rm);
  snprintf(parts[2], sizeof parts[2], "  ttl %s", ttl_text(p->last_ttl, ttl));
  snprintf(parts[3], sizeof parts[3], "  bytes %sB", b);
  snprintf(parts[4], sizeof parts[4], " %sB/s", rb);
  snprintf(parts[5], sizeof parts[5], "  last %s", seen);
  for (int i = 0; i < 6; i++) {
    int len = (int)strlen(parts[i]);
    if (len > left) continue;
    x += ui_canvas_text(c, x, r.y + 1, left, parts[i], UI_R_HEADER);
    left -= len;
  }
  if (flag[0])
    ui_canvas_text(c, x, r.y + 1, (int)strlen(flag), flag, UI_R_ERROR | UI_BOLD);
  else if (left >= 12) /* the rate of the last seconds, right-aligned */
    ui_sparkline(st, c, r.x + 1 + iw - (left - 2 < UI_SPARK ? left - 2 : UI_SPARK), r.y + 1,
                 left - 2, p);
}

/* The newest messages that fit in `body` lines from row r.y + 2, as text or hex,
 * honouring the pane's freeze, clear and scroll. */
static void messages(const ui_state *st, const ui_model *src, ui_canvas *c, ui_rect r, int body,
                     const ui_peer_view *p, const ui_pane_state *ps)
{
  ui_msg *msgs = calloc(MAX_MSGS, sizeof *msgs);
  int iw = r.w - 2, per_line = iw >= 76 ? 16 : 8, total = 0, skip, y = 0;
  size_t n;
  if (msgs == NULL) return;
  n = src->messages(src->arg, p->sock, p->id, ps && ps->frozen ? ps->frozen_seq : UINT64_MAX, msgs,
                    MAX_MSGS);
  while (n > 0 && ps && msgs[n - 1].seq <= ps->cleared_seq) n--; /* newest first: trim old */
  for (size_t i = 0; i < n; i++)
    total += st->view == SCN_UI_VIEW_HEX ? hex_lines(&msgs[i], per_line) : 1;
  /* Lines run oldest to newest; show the window ending `scroll` lines before the end. */
  skip = total - body - (ps ? ps->scroll : 0);
  if (skip < 0) skip = 0;
  for (size_t k = n; k-- > 0 && y < body;) {
    const ui_msg *m = &msgs[k];
    int lines = st->view == SCN_UI_VIEW_HEX ? hex_lines(m, per_line) : 1;
    for (int sub = 0; sub < lines && y < body; sub++) {
      if (skip > 0) {
        skip--;
        continue;
      }
      if (st->view == SCN_UI_VIEW_HEX)
        hex_line(st, c, r.x + 1, r.y + 2 + y, iw, m, sub, per_line);
      else
        text_line(st, c, r.x + 1, r.y + 2 + y, iw, p, m);
      y++;
    }
  }
  if (n == 0)
    ui_canvas_text(c, r.x + 2, r.y + 2, iw - 1,
                   ps && ps->cleared_seq ? "(cleared)" : "(no messages kept)", UI_R_DIM);
  free(msgs);
}

/* Draws one peer pane in r. */
static void peer_pane(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay,
                      ui_rect r, const ui_peer_view *p, bool selected)
{
  const ui_pane_state *ps = ui_state_find_pane(st, p->id);
  char title[300];
  int body = r.h - 3;
  uint16_t frame = selected && st->focus == SCN_UI_FOCUS_PEERS ? UI_R_SELECTED | UI_BOLD
                   : selected                                  ? UI_R_SELECTED
                                                               : UI_R_BORDER;

  snprintf(title, sizeof title, "%s%s%s %s %s", p->sock_name, p->sock_name[0] ? ": " : "", p->src,
           arrow(st), p->dst);
  ui_fit(st, title, sizeof title, r.w - 4);
  ui_canvas_box(c, r.x, r.y, r.w, r.h, title, frame);
  ui_add_hit(lay, r.x, r.y, r.w, r.h, "focus peers");
  lay->hits[lay->nhits - 1].peer_id = p->id;
  counters_line(st, c, r, p, ps);
  if ((p->sequenced || p->has_delay || p->has_rtt) && body > 1) {
    ui_traffic_line(c, r.x + 1, r.y + 2, r.w - 2, p);
    body--;
    r.y++; /* the messages start one line lower */
  }
  if (selected) lay->body_rows = body;
  if (body > 0) messages(st, src, c, r, body, p, ps);
}

static bool one_destination(const ui_layout *lay)
{
  for (size_t i = 1; i < lay->npeers; i++)
    if (strcmp(lay->peers[i].dst, lay->peers[0].dst) != 0) return false;
  return true;
}

static void list_pane(const ui_state *st, ui_canvas *c, ui_layout *lay, ui_rect r)
{
  const char *by = scn_ui_sort_labels[st->sort];
  char title[200], head[200];
  int iw = r.w - 2, rows = r.h - 3, first = 0;
  bool same = one_destination(lay);
  if (same)
    snprintf(title, sizeof title, "%zu peers to %s by %s", lay->npeers, lay->peers[0].dst, by);
  else
    snprintf(title, sizeof title, "%zu peers by %s (S sorts)", lay->npeers, by);
  ui_canvas_box(c, r.x, r.y, r.w, r.h, title,
                st->focus == SCN_UI_FOCUS_PEERS ? UI_R_SELECTED | UI_BOLD : UI_R_BORDER);
  if (same)
    snprintf(head, sizeof head, "SOURCE");
  else
    snprintf(head, sizeof head, "SOURCE %s DESTINATION", arrow(st));
  /* Wide enough for a loss column and a sparkline when the address keeps 24 cells. */
  int extra = iw - 18 >= 24 + 8 + 11 ? 8 + 11 : iw - 18 >= 24 + 8 ? 8 : 0, fixed = 18 + extra;
  ui_canvas_printf(c, r.x + 1, r.y + 1, iw, UI_R_HEADER | UI_BOLD, "%-*.*s %6s %6s %3s%s%s",
                   iw - fixed, iw - fixed, head, "MSGS", "MSG/S", "TTL", extra ? "   LOSS%" : "",
                   extra > 8 ? " RATE      " : "");
  if (lay->sel_peer >= rows) first = lay->sel_peer - rows + 1;
  for (int i = 0; i < rows && (size_t)(first + i) < lay->npeers; i++) {
    const ui_peer_view *p = &lay->peers[first + i];
    char who[300], cnt[16], rate[16], ttl[TTL_TEXT];
    bool sel = first + i == lay->sel_peer;
    uint16_t attr = sel ? (st->focus == SCN_UI_FOCUS_PEERS ? UI_R_SELECTED | UI_REVERSE : UI_BOLD)
                        : UI_R_NORMAL;
    if (same)
      snprintf(who, sizeof who, "%s%s%s", p->sock_name, p->sock_name[0] ? ": " : "", p->src);
    else
      snprintf(who, sizeof who, "%s%s%s %s %s", p->sock_name, p->sock_name[0] ? ": " : "", p->src,
               arrow(st), p->dst);
    ui_fmt_bytes(p->msgs, cnt, sizeof cnt);
    ui_fmt_rate(p->rate_msgs, rate, sizeof rate);
    ui_canvas_fill(c, r.x + 1, r.y + 2 + i, iw, 1, ' ', attr);
    ui_canvas_text(c, r.x + 1, r.y + 2 + i, iw - fixed, who, attr);
    ui_canvas_printf(c, r.x + 1 + iw - fixed + 1, r.y + 2 + i, 17, attr, "%6s %6s %3s", cnt, rate,
                     ttl_text(p->last_ttl, ttl));
    if (extra) {
      char loss[16] = "-";
      if (p->sequenced) snprintf(loss, sizeof loss, "%.2f", p->loss_pct);
      ui_canvas_printf(c, r.x + 1 + iw - extra, r.y + 2 + i, 8,
                       p->sequenced && p->lost && !sel ? UI_R_ERROR : attr, "%8s", loss);
    }
    if (extra > 8) ui_sparkline(st, c, r.x + 1 + iw - 10, r.y + 2 + i, 10, p);
    ui_add_hit(lay, r.x + 1, r.y + 2 + i, iw, 1, "focus peers");
    lay->hits[lay->nhits - 1].peer_id = p->id;
  }
}

/* The peers the area shows (see ui_watch): of the selected socket, of the pinned one, or
 * of every socket. Returns the socket shown (-1: none; -2: all). */
static int gather(const ui_state *st, const ui_model *src, ui_layout *lay)
{
  ui_sock_view v;
  int sock = lay->sel_socket;
  lay->npeers = 0;
  lay->peers_name[0] = '\0';
  if (st->watch == UI_WATCH_ALL) {
    for (size_t i = 0; i < lay->nsockets && lay->npeers < UI_MAX_VIEW_PEERS; i++) {
      size_t from = lay->npeers;
      if (!src->socket(src->arg, i, &v)) continue;
      lay->npeers += src->peers(src->arg, i, lay->peers + from, UI_MAX_VIEW_PEERS - lay->npeers);
      for (size_t k = from; k < lay->npeers; k++) {
        lay->peers[k].sock = i;
        snprintf(lay->peers[k].sock_name, sizeof lay->peers[k].sock_name, "%s", v.name);
      }
    }
    return -2;
  }
  if (st->watch == UI_WATCH_PINNED)
    for (size_t i = 0; i < lay->nsockets; i++)
      if (src->socket(src->arg, i, &v) && strcmp(v.name, st->pinned) == 0) sock = (int)i;
  if (sock < 0 || !src->socket(src->arg, (size_t)sock, &v)) return -1;
  snprintf(lay->peers_name, sizeof lay->peers_name, "%s", v.name);
  lay->npeers = src->peers(src->arg, (size_t)sock, lay->peers, UI_MAX_VIEW_PEERS);
  for (size_t k = 0; k < lay->npeers; k++) {
    lay->peers[k].sock = (size_t)sock;
    lay->peers[k].sock_name[0] = '\0';
    if (st->watch == UI_WATCH_PINNED)
      snprintf(lay->peers[k].sock_name, sizeof lay->peers[k].sock_name, "%s", v.name);
  }
  return sock;
}

void ui_pane_peers(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay)
{
  ui_rect a = lay->peers_area;
  /* watching every socket, tiles may be shorter: counters and the newest two messages */
  int maxc = a.w / MIN_TILE_W, maxr = a.h / (st->watch == UI_WATCH_ALL ? 5 : MIN_TILE_H);
  char title[160];

  if (maxc < 1) maxc = 1;
  if (maxr < 1) maxr = 1;
  if (gather(st, src, lay) == -1) {
    ui_canvas_box(c, a.x, a.y, a.w, a.h, "peers", UI_R_BORDER);
    return;
  }
  if (lay->npeers == 0) {
    if (st->watch == UI_WATCH_ALL)
      snprintf(title, sizeof title, "peers of every socket");
    else
      snprintf(title, sizeof title, "peers of %s%s", lay->peers_name,
               st->watch == UI_WATCH_PINNED ? " (pinned: p unpins)" : "");
    ui_canvas_box(c, a.x, a.y, a.w, a.h, title,
                  st->focus == SCN_UI_FOCUS_PEERS ? UI_R_SELECTED : UI_R_BORDER);
    snprintf(title, sizeof title,
             "no datagrams yet: bind (%s), join a group (%s), then send to it (%s)",
             key_of("prompt \"bind ${SOCKET} \""), key_of("prompt \"join ${SOCKET} \""),
             key_of("prompt \"send ${SOCKET} \""));
    ui_canvas_text(c, a.x + 2, a.y + 1, a.w - 4, title, UI_R_DIM);
    return;
  }
  lay->list_mode = lay->npeers > (size_t)(maxc * maxr) || lay->npeers > UI_MAX_TILES;
  /* Tiles keep first-seen order so panes do not jump; the list follows the sort key. */
  qsort(lay->peers, lay->npeers, sizeof lay->peers[0], lay->list_mode ? cmp_by[st->sort] : cmp_id);
  lay->sel_peer = 0;
  for (size_t i = 0; i < lay->npeers; i++)
    if (lay->peers[i].id == st->selected_peer) lay->sel_peer = (int)i;
  if (lay->list_mode) {
    int lw = a.w / 2 > 64 ? 64 : a.w / 2;
    ui_rect list = {a.x, a.y, lw, a.h}, detail = {a.x + lw, a.y, a.w - lw, a.h};
    lay->cols = 1;
    lay->rows = (int)lay->npeers;
    list_pane(st, c, lay, list);
    peer_pane(st, src, c, lay, detail, &lay->peers[lay->sel_peer], true);
    lay->tiles[0] = detail;
    lay->ntiles = 1;
    return;
  }
  /* Columns of about 80 (a whole message line) where the width allows, more if the
   * rows run out. */
  lay->cols = a.w / 80 > 1 ? a.w / 80 : 1;
  if ((size_t)lay->cols > lay->npeers) lay->cols = (int)lay->npeers;
  while ((int)((lay->npeers + (size_t)lay->cols - 1) / (size_t)lay->cols) > maxr) lay->cols++;
  lay->rows = (int)((lay->npeers + (size_t)lay->cols - 1) / (size_t)lay->cols);
  for (size_t i = 0; i < lay->npeers; i++) {
    int col = (int)i % lay->cols, rw = (int)i / lay->cols;
    int x0 = a.x + a.w * col / lay->cols, x1 = a.x + a.w * (col + 1) / lay->cols;
    int y0 = a.y + a.h * rw / lay->rows, y1 = a.y + a.h * (rw + 1) / lay->rows;
    lay->tiles[i] = (ui_rect){x0, y0, x1 - x0, y1 - y0};
    peer_pane(st, src, c, lay, lay->tiles[i], &lay->peers[i], (int)i == lay->sel_peer);
  }
  lay->ntiles = lay->npeers;
}
