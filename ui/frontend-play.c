/* frontend-play.c - the front-end verbs that act on the selected peer pane (freeze,
 * clear, scroll), on a played scenario (speed, step, continue), on the recording and on
 * the session's end. Called through the verb -> handler table of frontend.c. */
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

#define SCROLL_MAX (1 << 20)
#define SETUP_MAX  (64 * 1024) /* the setup of every socket a session may hold */

/* The pane state of the selected peer, or NULL with the reason in why. */
static ui_pane_state *selected_pane(ui *u, const ui_peer_view **peer, char *why, size_t size)
{
  ui_layout *l = u->lay;
  if (l->sel_peer < 0 || (size_t)l->sel_peer >= l->npeers) {
    mcb_msgf(why, size, "no peer pane selected");
    return NULL;
  }
  *peer = &l->peers[l->sel_peer];
  return ui_state_pane(&u->st, (*peer)->id);
}

static uint64_t newest_seq(ui *u, const ui_peer_view *p)
{
  ui_msg m;
  return u->src.messages(u->src.arg, p->sock, p->id, UINT64_MAX, &m, 1) ? m.seq : 0;
}

int ui_verb_freeze(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  const ui_peer_view *p;
  ui_pane_state *ps = selected_pane(u, &p, why, size);
  int sw = scn_ui_word_index(scn_ui_switch_words, SCN_UI_N_SWITCH, a);
  bool on;
  if (ps == NULL) return UV_ENOENT;
  on = sw == SCN_UI_SWITCH_TOGGLE ? !ps->frozen : sw == SCN_UI_SWITCH_ON;
  if (on && !ps->frozen) ps->frozen_seq = newest_seq(u, p);
  ps->frozen = on;
  ui_state_set_status(&u->st, false, "%s %s", p->src, on ? "frozen (counters go on)" : "live");
  return 0;
}

int ui_verb_clear(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  const ui_peer_view *p;
  ui_pane_state *ps = selected_pane(u, &p, why, size);
  if (ps == NULL) return UV_ENOENT;
  ps->cleared_seq = newest_seq(u, p);
  ps->scroll = 0;
  return 0;
}

int ui_verb_scroll(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  const ui_peer_view *p;
  ui_pane_state *ps = selected_pane(u, &p, why, size);
  int page = u->lay->body_rows > 2 ? u->lay->body_rows - 1 : 1;
  int dir = scn_ui_word_index(scn_ui_scroll_words, SCN_UI_N_SCROLL, a);
  if (ps == NULL) return UV_ENOENT;
  switch (dir) { /* scroll counts lines back from the newest */
  case SCN_UI_SCROLL_UP:
    ps->scroll += 1;
    break;
  case SCN_UI_SCROLL_DOWN:
    ps->scroll -= 1;
    break;
  case SCN_UI_SCROLL_PAGEUP:
    ps->scroll += page;
    break;
  case SCN_UI_SCROLL_PAGEDOWN:
    ps->scroll -= page;
    break;
  case SCN_UI_SCROLL_TOP:
    ps->scroll = SCROLL_MAX;
    break;
  default:
    ps->scroll = 0;
    break;
  }
  if (ps->scroll < 0) ps->scroll = 0;
  if (ps->scroll > SCROLL_MAX) ps->scroll = SCROLL_MAX;
  return 0;
}

/* A recording begun after sockets were made starts with the commands that make them. */
static int record_setup(ui *u, char *why, size_t size)
{
  char *text = malloc(SETUP_MAX), *line, *nl;
  unsigned typed = u->rec.lines; /* "N commands" counts what the operator typed */
  int rc = 0;
  if (text == NULL) return UV_ENOMEM;
  ui_record_setup(u->session, text, SETUP_MAX);
  for (line = text; rc == 0 && *line; line = nl + 1) {
    if ((nl = strchr(line, '\n')) == NULL) break;
    *nl = '\0';
    rc = ui_record_command(&u->rec, line, 0, why, size);
  }
  free(text);
  u->rec.lines = typed;
  return rc;
}

int ui_verb_record(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  const scn_token *file = scn_arg(cmd, "FILE");
  ui_state *st = &u->st;
  int rc;
  if (file == NULL) { /* stop, or off */
    if (!ui_record_active(&u->rec)) {
      mcb_msgf(why, size, "not recording");
      return UV_EINVAL;
    }
    return ui_record_finish(u, why, size);
  }
  /* a recording already running ends first, and says how */
  if ((rc = ui_record_finish(u, why, size)) != 0) return rc;
  if ((rc = ui_record_start(&u->rec, file->text, scn_arg(cmd, "overwrite") != NULL,
                            u->o->private_net, why, size)))
    return rc;
  if ((rc = record_setup(u, why, size)) != 0) return rc;
  st->recording = true;
  snprintf(st->record_path, sizeof st->record_path, "%s", file->text);
  ui_state_set_status(st, false, "recording to %s (record stop ends it)", file->text);
  return 0;
}

int ui_verb_speed(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  uint64_t d = scn_session_delay(u->session);
  if (scn_ui_word_index(scn_ui_speed_words, SCN_UI_N_SPEED, a) == SCN_UI_SPEED_FASTER)
    d = d < 100000000ull ? 0 : d / 2;
  else
    d = d == 0 ? 200000000ull : (d >= 8000000000ull ? d : d * 2);
  scn_session_set_delay(u->session, d);
  u->st.play_delay_ns = d;
  ui_state_set_status(&u->st, false, "delay between commands: %llu ms",
                      (unsigned long long)scn_ms_ceil(d));
  return 0;
}

int ui_verb_step(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  u->st.play_stepping = true;
  scn_session_set_stepping(u->session, true);
  scn_session_step(u->session);
  return 0;
}

int ui_verb_continue(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  if (u->st.play_paused) {
    u->st.play_paused = false;
    scn_session_continue(u->session);
  } else if (u->st.play_stepping) {
    u->st.play_stepping = false;
    scn_session_set_stepping(u->session, false);
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

int ui_verb_quit(ui *u, const scn_command *cmd, const char *a, char *why, size_t size)
{
  if (scn_arg(cmd, "force") != NULL || open_sockets(u) == 0)
    ui_quit(u);
  else
    u->st.confirm_quit = true;
  return 0;
}
