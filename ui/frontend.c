/* frontend.c - the front end's verbs, called through the command table: they change the
 * view state only, and the next redraw shows the result. */
#include "ui-internal.h"

#include <stdio.h>
#include <string.h>

static const char *arg1(const scn_command *cmd)
{
  return cmd->argc > 1 ? cmd->argv[1].text : "";
}

static const ui_peer_view *selected_peer(ui *u)
{
  ui_layout *l = u->lay;
  return (l->sel_peer >= 0 && (size_t)l->sel_peer < l->npeers) ? &l->peers[l->sel_peer] : NULL;
}

static uint64_t newest_seq(ui *u, const ui_peer_view *p)
{
  ui_msg m;
  if (u->lay->sel_socket < 0) return 0;
  return u->src.messages(u->src.arg, (size_t)u->lay->sel_socket, p->id, UINT64_MAX, &m, 1) ? m.seq
                                                                                           : 0;
}

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

static int do_move(ui *u, const char *dir)
{
  ui_layout *l = u->lay;
  int step = 0;
  if (u->st.focus == UI_FOCUS_SOCKETS || l->npeers == 0) {
    if (strcmp(dir, "up") == 0)
      select_socket_at(u, l->sel_socket - 1);
    else if (strcmp(dir, "down") == 0)
      select_socket_at(u, l->sel_socket + 1);
    return 0;
  }
  if (strcmp(dir, "left") == 0)
    step = -1;
  else if (strcmp(dir, "right") == 0)
    step = 1;
  else if (strcmp(dir, "up") == 0)
    step = l->list_mode ? -1 : -l->cols;
  else
    step = l->list_mode ? 1 : l->cols;
  select_peer_at(u, l->sel_peer + step);
  return 0;
}

static int do_pane(ui *u, const scn_command *cmd, char *why, size_t size)
{
  const ui_peer_view *p = selected_peer(u);
  const char *verb = cmd->argv[0].text, *a = arg1(cmd);
  ui_pane_state *ps;
  if (p == NULL) {
    snprintf(why, size, "no peer pane selected");
    return UV_ENOENT;
  }
  ps = ui_state_pane(&u->st, p->id);
  if (strcmp(verb, "freeze") == 0) {
    bool on = strcmp(a, "toggle") == 0 ? !ps->frozen : strcmp(a, "on") == 0;
    if (on && !ps->frozen) ps->frozen_seq = newest_seq(u, p);
    ps->frozen = on;
    ui_state_set_status(&u->st, false, "%s %s", p->src, on ? "frozen (counters go on)" : "live");
  } else if (strcmp(verb, "clear") == 0) {
    ps->cleared_seq = newest_seq(u, p);
    ps->scroll = 0;
  } else { /* scroll */
    int page = u->lay->body_rows > 2 ? u->lay->body_rows - 1 : 1;
    if (strcmp(a, "up") == 0)
      ps->scroll += 1;
    else if (strcmp(a, "down") == 0)
      ps->scroll -= 1;
    else if (strcmp(a, "pageup") == 0)
      ps->scroll += page;
    else if (strcmp(a, "pagedown") == 0)
      ps->scroll -= page;
    else if (strcmp(a, "top") == 0)
      ps->scroll = 1 << 20;
    else
      ps->scroll = 0;
    if (ps->scroll < 0) ps->scroll = 0;
    if (ps->scroll > 1 << 20) ps->scroll = 1 << 20;
  }
  return 0;
}

static size_t open_sockets(ui *u)
{
  size_t n = 0;
  for (size_t i = 0; i < scn_session_socket_count(u->session); i++) {
    mcb_socket_info info;
    mcb_socket_info_get(scn_session_socket_at(u->session, i)->sock, &info);
    if (info.state == MCB_STATE_OPEN || info.state == MCB_STATE_BOUND) n++;
  }
  return n;
}

int ui_frontend(void *arg, const scn_command *cmd, char *why, size_t size)
{
  ui *u = arg;
  ui_state *st = &u->st;
  const char *verb = cmd->entry->name, *a = arg1(cmd);
  int rc = 0;

  u->dirty = true;
  if (strcmp(verb, "select") == 0) {
    if (strcmp(a, "next") == 0)
      select_socket_at(u, u->lay->sel_socket + 1);
    else if (strcmp(a, "prev") == 0)
      select_socket_at(u, u->lay->sel_socket - 1);
    else if (scn_session_socket(u->session, a) == NULL) {
      snprintf(why, size, "no socket named '%s'", a);
      return UV_ENOENT;
    } else {
      snprintf(st->selected, sizeof st->selected, "%s", a);
      st->selected_peer = 0;
    }
  } else if (strcmp(verb, "move") == 0) {
    rc = do_move(u, a);
  } else if (strcmp(verb, "focus") == 0) {
    if (strcmp(a, "sockets") == 0)
      st->focus = UI_FOCUS_SOCKETS;
    else if (strcmp(a, "peers") == 0)
      st->focus = UI_FOCUS_PEERS;
    else
      st->focus = st->focus == UI_FOCUS_SOCKETS ? UI_FOCUS_PEERS : UI_FOCUS_SOCKETS;
  } else if (strcmp(verb, "view") == 0) {
    if (strcmp(a, "toggle") == 0)
      st->view = st->view == UI_VIEW_TEXT ? UI_VIEW_HEX : UI_VIEW_TEXT;
    else
      st->view = strcmp(a, "hex") == 0 ? UI_VIEW_HEX : UI_VIEW_TEXT;
  } else if (strcmp(verb, "freeze") == 0 || strcmp(verb, "clear") == 0 ||
             strcmp(verb, "scroll") == 0) {
    rc = do_pane(u, cmd, why, size);
  } else if (strcmp(verb, "sort") == 0) {
    static const char *const keys[] = {"rate", "count", "last", "address"};
    if (strcmp(a, "next") == 0)
      st->sort = (ui_sortkey)((st->sort + 1) % 4);
    else
      for (int i = 0; i < 4; i++)
        if (strcmp(a, keys[i]) == 0) st->sort = (ui_sortkey)i;
  } else if (strcmp(verb, "prompt") == 0) {
    ui_prompt_open(st, &u->hist, a, scn_session_checker(u->session));
  } else if (strcmp(verb, "record") == 0) {
    if (strcmp(a, "stop") == 0) {
      if (!ui_record_active(&u->rec)) {
        snprintf(why, size, "not recording");
        return UV_EINVAL;
      }
      ui_state_set_status(st, false, "recording stopped: %u commands in %s", u->rec.lines,
                          st->record_path);
      ui_record_stop(&u->rec);
      st->recording = false;
    } else {
      if ((rc = ui_record_start(&u->rec, a, why, size)) != 0) return rc;
      st->recording = true;
      snprintf(st->record_path, sizeof st->record_path, "%s", a);
      ui_state_set_status(st, false, "recording to %s (record stop ends it)", a);
    }
  } else if (strcmp(verb, "speed") == 0) {
    uint64_t d = scn_session_delay(u->session);
    if (strcmp(a, "faster") == 0)
      d = d < 100000000ull ? 0 : d / 2;
    else
      d = d == 0 ? 200000000ull : (d >= 8000000000ull ? d : d * 2);
    scn_session_set_delay(u->session, d);
    st->play_delay_ns = d;
    ui_state_set_status(st, false, "delay between commands: %llu ms",
                        (unsigned long long)(d / 1000000));
  } else if (strcmp(verb, "step") == 0) {
    st->play_stepping = true;
    scn_session_set_stepping(u->session, true);
    scn_session_step(u->session);
  } else if (strcmp(verb, "continue") == 0) {
    if (st->play_paused) {
      st->play_paused = false;
      scn_session_continue(u->session);
    } else if (st->play_stepping) {
      st->play_stepping = false;
      scn_session_set_stepping(u->session, false);
    }
  } else if (strcmp(verb, "quit") == 0) {
    if (cmd->argc > 1 || open_sockets(u) == 0)
      ui_quit(u);
    else
      st->confirm_quit = true;
  } else if (strcmp(verb, "help") == 0) {
    st->help_visible = true;
    st->help_scroll = 0;
    snprintf(st->help_verb, sizeof st->help_verb, "%s", a);
  } else {
    snprintf(why, size, "not handled by this front end");
    rc = UV_ENOTSUP;
  }
  return rc;
}
