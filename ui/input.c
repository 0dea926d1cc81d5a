/* input.c - keys and clicks: the quit question, the help overlay and the prompt take
 * keys first; otherwise a key runs its binding's command through the command table. */
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

void ui_submit(ui *u, const char *origin, const char *line)
{
  scn_diags *d = calloc(1, sizeof *d);
  char msg[MCB_MSG_MAX];
  if (d == NULL) return;
  /* ${SOCKET} in a binding is the socket the operator sees selected. */
  if (u->lay->sel_name[0])
    scn_vars_set(scn_session_vars(u->session), "SOCKET", u->lay->sel_name, false);
  if (scn_session_submit(u->session, origin, line, d) > 0) {
    if (d->n > 0) {
      /* One line typed: its position is the column in what the operator sees. */
      mcb_msgf(msg, sizeof msg, "error at column %u: %s", d->items[0].col, d->items[0].message);
      ui_state_set_status(&u->st, true, "%s", msg);
    } else {
      ui_state_set_status(&u->st, true, "error in: %s", line);
    }
  }
  free(d);
  u->dirty = true;
}

static void run_binding(ui *u, const ui_binding *b)
{
  if (strstr(b->command, "${SOCKET}") && u->lay->sel_socket < 0) {
    ui_state_set_status(&u->st, true, "no socket selected: press o to open one");
    return;
  }
  if (ui_binding_ask(b)) { /* asked first: the answer runs it (see confirm_key) */
    snprintf(u->st.confirm, sizeof u->st.confirm, ui_binding_ask(b), u->lay->sel_name);
    snprintf(u->st.confirm_cmd, sizeof u->st.confirm_cmd, "%s", b->command);
    snprintf(u->st.confirm_socket, sizeof u->st.confirm_socket, "%s", u->lay->sel_name);
    return;
  }
  ui_submit(u, "<key>", b->command);
}

/* The answer to a key's question: y runs its command on the socket it was asked about. */
static void confirm_key(ui *u, int key)
{
  ui_state *st = &u->st;
  char line[sizeof st->confirm_cmd];
  snprintf(line, sizeof line, "%s", st->confirm_cmd);
  st->confirm[0] = '\0';
  if (key != 'y' && key != 'Y') {
    const char *var = strstr(line, "${SOCKET}");
    if (var) /* said as it would have run */
      ui_state_set_status(st, false, "cancelled: %.*s%s%s", (int)(var - line), line,
                          st->confirm_socket, var + strlen("${SOCKET}"));
    else
      ui_state_set_status(st, false, "cancelled: %s", line);
    return;
  }
  scn_vars_set(scn_session_vars(u->session), "SOCKET", st->confirm_socket, false);
  if (scn_session_socket(u->session, st->confirm_socket) == NULL) return;
  snprintf(u->lay->sel_name, sizeof u->lay->sel_name, "%s", st->confirm_socket);
  ui_submit(u, "<key>", line);
}

static void click(ui *u)
{
  int x, y;
  tui_mouse(u->term, &x, &y);
  for (size_t i = 0; i < u->lay->nhits; i++) {
    const ui_hit *h = &u->lay->hits[i];
    if (x < h->r.x || y < h->r.y || x >= h->r.x + h->r.w || y >= h->r.y + h->r.h) continue;
    if (h->peer_id) {
      u->st.focus = SCN_UI_FOCUS_PEERS;
      u->st.selected_peer = h->peer_id;
    } else {
      u->st.focus = SCN_UI_FOCUS_SOCKETS;
      ui_submit(u, "<mouse>", h->command);
    }
    return;
  }
}

static void help_key(ui *u, int key)
{
  switch (key) {
  case UI_KEY_UP:
    u->st.help_scroll -= 1;
    break;
  case UI_KEY_DOWN:
    u->st.help_scroll += 1;
    break;
  case UI_KEY_PGUP:
    u->st.help_scroll -= 10;
    break;
  case UI_KEY_PGDN:
    u->st.help_scroll += 10;
    break;
  default:
    u->st.help_visible = false;
    break;
  }
  if (u->st.help_scroll < 0) u->st.help_scroll = 0;
}

/* For Tab: the session's checker without the names of closed sockets, which left the
 * list and so leave completion too (NULL: use the session's own). */
static scn_checker *completion_checker(ui *u)
{
  const scn_checker *ck = scn_session_checker(u->session);
  scn_checker *copy = malloc(sizeof *copy);
  if (copy == NULL) return NULL;
  *copy = *ck;
  copy->nnames = 0;
  for (size_t i = 0; i < ck->nnames; i++) {
    const scn_sock *ss = scn_session_socket(u->session, ck->names[i]);
    mcb_socket_info info;
    if (ss && ss->sock && mcb_socket_info_get(ss->sock, &info) == 0 &&
        info.state == MCB_STATE_CLOSED)
      continue;
    memcpy(copy->names[copy->nnames++], ck->names[i], sizeof ck->names[i]);
  }
  return copy;
}

/* The event log takes the scroll keys; any other key closes it. */
static void log_key(ui *u, int key)
{
  int max = (int)u->st.log_n;
  switch (key) {
  case UI_KEY_UP:
    u->st.log_scroll += 1;
    break;
  case UI_KEY_DOWN:
    u->st.log_scroll -= 1;
    break;
  case UI_KEY_PGUP:
    u->st.log_scroll += 10;
    break;
  case UI_KEY_PGDN:
    u->st.log_scroll -= 10;
    break;
  default:
    u->st.log_visible = false;
    break;
  }
  if (u->st.log_scroll > max - 1) u->st.log_scroll = max - 1;
  if (u->st.log_scroll < 0) u->st.log_scroll = 0;
}

/* A view that only scrolls (doctor, ifaces): Up/Down scroll it, any other key closes it. */
static void scroll_view(int key, bool *visible, int *scroll)
{
  if (key == UI_KEY_UP || key == UI_KEY_DOWN) {
    *scroll += key == UI_KEY_UP ? -1 : 1;
    if (*scroll < 0) *scroll = 0;
  } else {
    *visible = false;
  }
}

void ui_handle_key(ui *u, int key)
{
  ui_state *st = &u->st;
  const ui_binding *b;
  if (u->dirty) ui_relayout(u);
  u->dirty = true;
  if (key == UI_KEY_RESIZE || key == 0) return;
  if (key == UI_KEY_CTRL_L) {
    tui_invalidate(u->term);
    return;
  }
  if (st->confirm_quit) {
    st->confirm_quit = false;
    if (key == 'y' || key == 'Y')
      ui_quit(u);
    else
      ui_state_set_status(st, false, "quit cancelled");
    return;
  }
  if (st->confirm[0]) {
    confirm_key(u, key);
    return;
  }
  if (st->help_visible) {
    help_key(u, key);
    return;
  }
  if (st->log_visible && !st->prompt_active) {
    log_key(u, key);
    return;
  }
  if (st->doctor_visible && !st->prompt_active) {
    scroll_view(key, &st->doctor_visible, &st->doctor_scroll);
    return;
  }
  if (st->ifaces_visible && !st->prompt_active) {
    scroll_view(key, &st->ifaces_visible, &st->ifaces_scroll);
    return;
  }
  if (st->prompt_active) {
    scn_checker *open_only = key == UI_KEY_TAB ? completion_checker(u) : NULL;
    ui_prompt_result r =
        ui_prompt_key(st, &u->hist, key, open_only ? open_only : scn_session_checker(u->session));
    free(open_only);
    if (r == UI_PROMPT_EDITING) return;
    st->prompt_active = false;
    st->hint[0] = '\0';
    if (r == UI_PROMPT_SUBMIT && st->prompt[0]) {
      char line[UI_PROMPT_MAX];
      snprintf(line, sizeof line, "%s", st->prompt);
      int saved = ui_history_add(&u->hist, line);
      ui_submit(u, "<prompt>", line);
      /* said once, where the command's own error does not need the line */
      if (saved != 0 && !u->history_warned && !st->status_error) {
        ui_state_set_status(st, true, "%s (history kept in memory only)", u->hist.why);
        u->history_warned = true;
      }
    }
    return;
  }
  if (key == UI_KEY_MOUSE) {
    click(u);
    return;
  }
  if (key == UI_KEY_CTRL_C) {
    ui_submit(u, "<key>", "quit");
    return;
  }
  if ((key == UI_KEY_ENTER || key == ' ') && (st->play_paused || st->play_stepping)) {
    ui_submit(u, "<key>", "continue");
    return;
  }
  b = ui_binding_for(key, st->focus == SCN_UI_FOCUS_PEERS);
  if (b == NULL) {
    char name[32];
    ui_state_set_status(st, true, "%s: no such key (? shows the keys)",
                        ui_key_name(key, name, sizeof name));
    return;
  }
  run_binding(u, b);
}
