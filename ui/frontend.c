/* frontend.c - the front end's verbs: the verb -> handler table that the session calls
 * through its reporter (no dispatch by name), and the handlers for selection, focus and
 * views. They change the view state only; the next redraw shows the result. The panes'
 * and the played scenario's verbs are in frontend-play.c. */
#include "ui-internal.h"

#include <stdio.h>
#include <string.h>

static void select_socket_at(ui *u, int idx)
{
  ui_sock_view v;
  if (idx < 0 || (size_t)idx >= u->lay->nsockets) return;
  if (u->src.socket(u->src.arg, (size_t)idx, &v)) {
    snprintf(u->st.selected, sizeof u->st.selected, "%s", v.name);
    u->st.selected_peer = 0;
  }
}

static void select_peer_at(ui *u, int idx)
{
  if (idx < 0 || (size_t)idx >= u->lay->npeers) return;
  u->st.selected_peer = u->lay->peers[idx].id;
}

static int verb_select(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  switch (scn_ui_word_index(scn_ui_cycle_words, SCN_UI_N_CYCLE, a)) {
  case SCN_UI_CYCLE_NEXT:
    select_socket_at(u, u->lay->sel_socket + 1);
    return 0;
  case SCN_UI_CYCLE_PREV:
    select_socket_at(u, u->lay->sel_socket - 1);
    return 0;
  default:
    if (scn_session_socket(u->session, a) == NULL) {
      mcb_msgf(why, size, "no socket named '%s'", a);
      return UV_ENOENT;
    }
    snprintf(u->st.selected, sizeof u->st.selected, "%s", a);
    u->st.selected_peer = 0;
    return 0;
  }
}

/* Movement: in the sockets pane up and down select a socket; among the peers (tiles or
 * the list) every direction moves the selection. */
static int verb_move(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  ui_layout *l = u->lay;
  int dir = scn_ui_word_index(scn_ui_move_words, SCN_UI_N_MOVE, a);
  int vertical = l->list_mode ? 1 : l->cols;
  if (u->st.focus == SCN_UI_FOCUS_SOCKETS || l->npeers == 0) {
    if (dir == SCN_UI_MOVE_UP || dir == SCN_UI_MOVE_DOWN)
      select_socket_at(u, l->sel_socket + (dir == SCN_UI_MOVE_UP ? -1 : 1));
    return 0;
  }
  switch (dir) {
  case SCN_UI_MOVE_LEFT:
    select_peer_at(u, l->sel_peer - 1);
    break;
  case SCN_UI_MOVE_RIGHT:
    select_peer_at(u, l->sel_peer + 1);
    break;
  case SCN_UI_MOVE_UP:
    select_peer_at(u, l->sel_peer - vertical);
    break;
  default:
    select_peer_at(u, l->sel_peer + vertical);
    break;
  }
  return 0;
}

static int verb_focus(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  int target = scn_ui_word_index(scn_ui_focus_words, SCN_UI_N_FOCUS, a);
  if (target >= 0)
    u->st.focus = (ui_focus)target;
  else /* next or prev: with two targets both switch */
    u->st.focus = u->st.focus == SCN_UI_FOCUS_SOCKETS ? SCN_UI_FOCUS_PEERS : SCN_UI_FOCUS_SOCKETS;
  return 0;
}

static int verb_view(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  int mode = scn_ui_word_index(scn_ui_view_words, SCN_UI_N_VIEW, a);
  if (mode >= 0)
    u->st.view = (ui_viewmode)mode;
  else /* toggle */
    u->st.view = u->st.view == SCN_UI_VIEW_TEXT ? SCN_UI_VIEW_HEX : SCN_UI_VIEW_TEXT;
  return 0;
}

static int verb_sort(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  int key = scn_ui_word_index(scn_ui_sort_words, SCN_UI_N_SORT, a);
  u->st.sort = (ui_sortkey)(key >= 0 ? key : ((int)u->st.sort + 1) % SCN_UI_N_SORT);
  ui_state_set_status(&u->st, false, "peer list by %s", scn_ui_sort_labels[u->st.sort]);
  return 0;
}

static int verb_prompt(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  ui_prompt_open(&u->st, &u->hist, a, scn_session_checker(u->session));
  return 0;
}

static int verb_help(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  u->st.help_visible = true;
  u->st.help_scroll = 0;
  snprintf(u->st.help_verb, sizeof u->st.help_verb, "%s", a);
  return 0;
}

/* Whose peers the pane area shows (see ui_watch): all, the selection, or a pinned
 * socket; pinning the socket already pinned follows the selection again (p twice). */
static int verb_watch(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  ui_state *st = &u->st;
  if (strcmp(a, "all") == 0 || (strcmp(a, SCN_UI_WORD_TOGGLE) == 0 && st->watch != UI_WATCH_ALL)) {
    st->watch = UI_WATCH_ALL;
  } else if (strcmp(a, "selected") == 0 || strcmp(a, SCN_UI_WORD_TOGGLE) == 0 ||
             (st->watch == UI_WATCH_PINNED && strcmp(st->pinned, a) == 0)) {
    st->watch = UI_WATCH_SELECTED;
  } else if (scn_session_socket(u->session, a) == NULL) {
    snprintf(why, size, "no socket named '%s'", a);
    return UV_ENOENT;
  } else {
    st->watch = UI_WATCH_PINNED;
    snprintf(st->pinned, sizeof st->pinned, "%s", a);
  }
  st->selected_peer = 0;
  ui_state_set_status(st, false, "peer panes: %s%s",
                      st->watch == UI_WATCH_ALL        ? "every receiving socket"
                      : st->watch == UI_WATCH_SELECTED ? "the selected socket"
                                                       : "pinned to ",
                      st->watch == UI_WATCH_PINNED ? st->pinned : "");
  return 0;
}

static int verb_log(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  int sw = scn_ui_word_index(scn_ui_switch_words, SCN_UI_N_SWITCH, a);
  u->st.log_visible = sw == SCN_UI_SWITCH_TOGGLE ? !u->st.log_visible : sw == SCN_UI_SWITCH_ON;
  u->st.log_scroll = 0;
  return 0;
}

static int verb_ifaces(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  int sw = scn_ui_word_index(scn_ui_switch_words, SCN_UI_N_SWITCH, a);
  u->st.ifaces_visible =
      sw == SCN_UI_SWITCH_TOGGLE ? !u->st.ifaces_visible : sw == SCN_UI_SWITCH_ON;
  u->st.ifaces_scroll = 0;
  return 0;
}

/* The topology pane; ui.c reads a fresh snapshot for the frame that shows it. */
static int verb_topology(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  int sw = scn_ui_word_index(scn_ui_switch_words, SCN_UI_N_SWITCH, a);
  u->st.topo_visible = sw == SCN_UI_SWITCH_TOGGLE ? !u->st.topo_visible : sw == SCN_UI_SWITCH_ON;
  u->topo_stale = true;
  return 0;
}

/* The verb -> handler table: one row per front-end verb of the command table. */
static const struct {
  const scn_entry *entry;
  ui_verb_fn run;
} verbs[] = {
    {&scn_ui_select, verb_select},
    {&scn_ui_move, verb_move},
    {&scn_ui_focus, verb_focus},
    {&scn_ui_view, verb_view},
    {&scn_ui_freeze, ui_verb_freeze},
    {&scn_ui_clear, ui_verb_clear},
    {&scn_ui_scroll, ui_verb_scroll},
    {&scn_ui_sort, verb_sort},
    {&scn_ui_prompt, verb_prompt},
    {&scn_ui_record, ui_verb_record},
    {&scn_ui_speed, ui_verb_speed},
    {&scn_ui_step, ui_verb_step},
    {&scn_ui_resume, ui_verb_continue},
    {&scn_ui_quit, ui_verb_quit},
    {&scn_cmd_help, verb_help},
    {&scn_ui_watch, verb_watch},
    {&scn_ui_log, verb_log},
    {&scn_ui_ifaces, verb_ifaces},
    {&scn_ui_doctor, ui_verb_doctor},
    {&scn_ui_topology, verb_topology},
};

ui_verb_fn ui_verb_handler(const scn_entry *e)
{
  for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
    if (verbs[i].entry == e) return verbs[i].run;
  return NULL;
}

int ui_frontend(void *arg, const scn_command *cmd, char *why, size_t size)
{
  ui *u = arg;
  ui_verb_fn run = ui_verb_handler(cmd->entry);
  u->dirty = true;
  if (run == NULL) {
    mcb_msgf(why, size, "not handled by this front end");
    return UV_ENOTSUP;
  }
  return run(u, cmd, cmd->argc > 1 ? cmd->argv[1].text : "", why, size);
}
