/* render.c - the screen layout and its bars (see render.h). */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "keys.h"

static void too_small(const ui_state *st, ui_canvas *c, ui_layout *lay)
{
  lay->too_small = true;
  ui_canvas_printf(c, 0, 0, c->w, UI_R_ERROR | UI_BOLD, "terminal too small");
  ui_canvas_printf(c, 0, 1, c->w, UI_R_NORMAL, "%dx%d: need %dx%d", c->w, c->h, UI_MIN_W, UI_MIN_H);
  ui_canvas_printf(c, 0, 2, c->w, UI_R_DIM, "q quits");
}

/* The narration rows under the title: the last lines said, the newest last and bold (in
 * a classroom it is the line people read; the ones before keep the thread). */
static int narration_rows(const ui_state *st)
{
  int n = st->narration[0] ? 1 : 0;
  for (int i = 0; i < UI_NARRATION_KEPT - 1; i++) n += st->narration_old[i][0] ? 1 : 0;
  return n;
}

static void narration(const ui_state *st, ui_canvas *c)
{
  char esc[512];
  int y = 1;
  for (int i = 0; i < UI_NARRATION_KEPT; i++) {
    bool newest = i == UI_NARRATION_KEPT - 1;
    const char *t = newest ? st->narration : st->narration_old[i];
    if (!t[0]) continue;
    scn_escape((const uint8_t *)t, strlen(t), st->utf8, esc, sizeof esc, 0, NULL);
    ui_canvas_fill(c, 0, y, c->w, 1, ' ', UI_R_TITLE | UI_REVERSE);
    ui_canvas_printf(c, 0, y++, c->w, UI_R_TITLE | UI_REVERSE | (newest ? UI_BOLD : 0), " %s %s",
                     newest ? ">" : " ", esc);
  }
}

/* The title bar: the badge (play state, recording, results) on the right keeps its room,
 * and the title is cut with an ellipsis before it. */
/* The lab host of the selected socket ("" when it lives in mcbench's own namespace). */
static void selected_host(const ui_state *st, const ui_model *src, char *host, size_t size)
{
  ui_sock_view *v = calloc(1, sizeof *v);
  host[0] = '\0';
  if (v == NULL) return;
  for (size_t i = 0; i < src->socket_count(src->arg); i++)
    if (src->socket(src->arg, i, v) &&
        (st->selected[0] == '\0' || strcmp(v->name, st->selected) == 0)) {
      snprintf(host, size, "%s", v->host);
      break;
    }
  free(v);
}

static void title_bar(const ui_state *st, const ui_model *src, ui_canvas *c)
{
  char right[96] = "", esc[512], host[UI_NAME_MAX];
  int x, rw = 0;
  ui_canvas_fill(c, 0, 0, c->w, 1, ' ', UI_R_TITLE | UI_REVERSE);
  if (st->playing) {
    const char *mode = st->play_ended      ? "ENDED"
                       : st->play_paused   ? "PAUSED"
                       : st->play_stepping ? "STEP"
                                           : "PLAY";
    char pace[24] = "";
    if (!st->play_ended)
      snprintf(pace, sizeof pace, " %llums/cmd", (unsigned long long)(st->play_delay_ns / 1000000));
    rw = snprintf(right, sizeof right, " %s%s ", mode, pace);
  }
  if (st->recording) rw += snprintf(right + rw, sizeof right - (size_t)rw, " REC ");
  if (st->passed + st->failed > 0)
    rw += snprintf(right + rw, sizeof right - (size_t)rw, " %zu passed %zu failed ", st->passed,
                   st->failed);
  x = ui_canvas_printf(c, 0, 0, c->w, UI_R_TITLE | UI_REVERSE | UI_BOLD, " mcbench ");
  /* Private namespace or the host's network: on the host, traffic reaches real links. */
  if (st->net == UI_NET_PRIVATE)
    x += ui_canvas_text(c, x, 0, c->w - x, "[private netns] ", UI_R_TITLE | UI_REVERSE);
  else if (st->net == UI_NET_HOST)
    x += ui_canvas_text(c, x, 0, c->w - x, "[HOST NETWORK] ", UI_R_ERROR | UI_REVERSE | UI_BOLD);
  selected_host(st, src, host, sizeof host);
  if (host[0]) { /* in a lab, the selected socket's host: whose interfaces the names are */
    char text[UI_NAME_MAX + 16];
    snprintf(text, sizeof text, "[lab host %s] ", host);
    x += ui_canvas_text(c, x, 0, c->w - x, text, UI_R_TITLE | UI_REVERSE);
  }
  scn_escape((const uint8_t *)st->title, strlen(st->title), st->utf8, esc, sizeof esc, 0, NULL);
  x += ui_canvas_text(c, x, 0, 2, "| ", UI_R_TITLE | UI_REVERSE);
  ui_canvas_cut(c, x, 0, c->w - rw - x - 1, esc, UI_R_TITLE | UI_REVERSE, ui_ellipsis(st));
  narration(st, c);
  if (rw > 0)
    ui_canvas_text(c, c->w - rw, 0, rw, right,
                   (st->failed ? UI_R_ERROR : UI_R_TITLE) | UI_REVERSE | UI_BOLD);
}

static void status_line(const ui_state *st, ui_canvas *c, const ui_layout *lay)
{
  char esc[600];
  int y = lay->status.y;
  if (st->confirm_quit) {
    ui_canvas_printf(c, 0, y, c->w, UI_R_ERROR | UI_BOLD, "Sockets are open. Quit anyway? (y/n)");
    return;
  }
  if (st->confirm[0]) {
    scn_escape((const uint8_t *)st->confirm, strlen(st->confirm), st->utf8, esc, sizeof esc, c->w,
               NULL);
    ui_canvas_printf(c, 0, y, c->w, UI_R_ERROR | UI_BOLD, "%s (y/n)", esc);
    return;
  }
  if (st->prompt_active && st->hint[0]) {
    ui_canvas_text(c, 0, y, c->w, st->hint, UI_R_DIM);
    return;
  }
  /* a status quotes messages and commands whose escapes are done: escape the rest once */
  scn_escape_text(st->status, strlen(st->status), st->utf8, esc, sizeof esc, c->w);
  ui_canvas_text(c, 0, y, c->w, esc, st->status_error ? UI_R_ERROR | UI_BOLD : UI_R_NORMAL);
}

/* The footer: a few commands and the keys the binding table gives them (none: not shown). */
static void hints(const ui_state *st, ui_canvas *c, int y)
{
  static const char *const cmds[][2] = {{"prompt", "command"},
                                        {"help", "help"},
                                        {"prompt \"open \"", "open"},
                                        {"prompt \"join ${SOCKET} \"", "join"},
                                        {"prompt \"send ${SOCKET} \"", "send"},
                                        {"view toggle", "hex"},
                                        {"focus next", "focus"},
                                        {"quit", "quit"}};
  static const char *const play_cmds[][2] = {{"continue", "continue"},
                                             {"step", "step"},
                                             {"speed faster", "faster"},
                                             {"speed slower", "slower"},
                                             {"prompt", "command"},
                                             {"help", "help"},
                                             {"quit", "quit"}};
  int x = 0;
  bool play = st->playing && !st->play_ended; /* once ended, the bench's own keys */
  size_t n = play ? sizeof play_cmds / sizeof play_cmds[0] : sizeof cmds / sizeof cmds[0];
  for (size_t i = 0; i < n && x < c->w; i++) {
    const char *const *h = play ? play_cmds[i] : cmds[i];
    const ui_binding *b = ui_binding_of(h[0]);
    if (b == NULL) continue;
    x += ui_canvas_printf(c, x, y, c->w - x, UI_R_KEY | UI_BOLD, " %s", b->name);
    x += ui_canvas_printf(c, x, y, c->w - x, UI_R_DIM, " %s ", h[1]);
  }
}

static void prompt_line(const ui_state *st, ui_canvas *c, ui_layout *lay)
{
  char esc[UI_PROMPT_MAX * 4];
  int y = lay->prompt.y, before, width = c->w - 2;
  size_t skip = 0;
  if (!st->prompt_active) {
    hints(st, c, y);
    return;
  }
  ui_canvas_put(c, 0, y, ':', UI_R_KEY | UI_BOLD);
  /* Keep the cursor in view: drop leading text until what precedes it fits. */
  for (;;) {
    before = scn_escape((const uint8_t *)st->prompt + skip, st->cursor - skip, st->utf8, esc,
                        sizeof esc, 0, NULL);
    if (before < width || skip >= st->cursor) break;
    skip++;
  }
  scn_escape((const uint8_t *)st->prompt + skip, strlen(st->prompt) - skip, st->utf8, esc,
             sizeof esc, width, NULL);
  ui_canvas_text(c, 1, y, width, esc, UI_R_NORMAL);
  lay->prompt.x = 1 + before; /* where the terminal cursor goes */
}

/* The topology pane takes the top of the peer area when the peers keep room enough below
 * it (a large terminal shows both), else the whole area. */
#define PEERS_MIN_ROWS 10

static void topology_and_peers(const ui_state *st, const ui_model *src, ui_canvas *c,
                               ui_layout *lay)
{
  ui_rect a = lay->peers_area;
  int need = ui_topology_rows(st->topo) + 2;
  if (!st->topo_visible) {
    ui_pane_peers(st, src, c, lay);
    return;
  }
  if (a.h - need >= PEERS_MIN_ROWS) {
    lay->topology = (ui_rect){a.x, a.y, a.w, need};
    lay->peers_area = (ui_rect){a.x, a.y + need, a.w, a.h - need};
    ui_pane_peers(st, src, c, lay);
  } else {
    lay->topology = a;
    lay->peers_area.h = 0;
  }
  ui_pane_topology(st, c, lay->topology);
}

void ui_render(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay)
{
  int sock_rows, sh, top;
  memset(lay, 0, sizeof *lay);
  lay->sel_socket = lay->sel_peer = -1;
  ui_canvas_clear(c);
  if (c->w < UI_MIN_W || c->h < UI_MIN_H) {
    too_small(st, c, lay);
    return;
  }
  title_bar(st, src, c);
  lay->nsockets = src->socket_count(src->arg);
  top = 1 + narration_rows(st);
  sock_rows = lay->nsockets ? (int)lay->nsockets : 1;
  sh = sock_rows + 4; /* frame, column header, details of the selected socket */
  if (sh > c->h / 3) sh = c->h / 3;
  lay->sockets = (ui_rect){0, top, c->w, sh};
  lay->status = (ui_rect){0, c->h - 2, c->w, 1};
  lay->prompt = (ui_rect){0, c->h - 1, c->w, 1};
  lay->peers_area = (ui_rect){0, top + sh, c->w, c->h - 2 - top - sh};
  ui_pane_sockets(st, src, c, lay);
  topology_and_peers(st, src, c, lay);
  status_line(st, c, lay);
  prompt_line(st, c, lay);
  if (st->log_visible) ui_overlay_log(st, c);
  if (st->ifaces_visible) ui_overlay_ifaces(st, src, c);
  if (st->doctor_visible && st->doctor_text != NULL) ui_overlay_doctor(st, c);
  if (st->help_visible) ui_overlay_help(st, c);
}
