/* ui-internal.h - the front end's parts, wired together by ui.c. */
#ifndef UI_INTERNAL_H
#define UI_INTERNAL_H

#include "prompt.h"
#include "record.h"
#include "render.h"
#include "session.h"
#include "state.h"
#include "tui.h"
#include "ui-words.h"
#include "ui.h"

typedef struct ui {
  uv_loop_t *loop;
  const ui_options *o;
  scn_session *session;
  ui_model src;
  ui_state st;
  ui_layout *lay; /* of the last frame: what key and mouse handlers act on */
  ui_canvas canvas;
  tui *term;
  ui_history hist;
  ui_record rec;
  uv_poll_t input;
  uv_signal_t sig_winch, sig_int, sig_term, sig_hup, sig_cont;
  uv_timer_t redraw;
  bool dirty;
  uint64_t last_paint;
  bool closing;
  bool play_done;
  scn_summary play_sum;
  char exit_note[MCB_MSG_MAX]; /* printed once the terminal is restored (how the recording ended) */
  bool exit_note_error;
  bool history_warned;      /* a failed history save was reported */
  struct ui_doctor *doctor; /* a diagnosis running or shown (frontend-doctor.c) */
  ui_topo_view *topo;       /* the topology pane's snapshot (st.topo points here) */
  uint64_t topo_read;       /* when it was read (uv_hrtime) */
  bool topo_stale;          /* a command ran or the pane opened: read it again */
} ui;

/* frontend.c: the front end's verbs (select, move, view, freeze, record, quit...), run
 * through a verb -> handler table. A handler gets the verb's first argument ("" when
 * none) and returns 0 or a negative code with the reason in why. */
typedef int (*ui_verb_fn)(ui *u, const scn_command *cmd, const char *arg, char *why, size_t size);
int ui_frontend(void *arg, const scn_command *cmd, char *why, size_t size);
/* The handler of a command entry, NULL when the front end has none. */
ui_verb_fn ui_verb_handler(const scn_entry *e);
/* frontend-doctor.c: `doctor ...` runs a diagnosis on the loop and shows it in an
 * overlay when done; closing the TUI cancels one still running. */
int ui_verb_doctor(ui *u, const scn_command *cmd, const char *arg, char *why, size_t size);
void ui_doctor_close(ui *u);
/* frontend-play.c: the handlers for panes, play control, recording and quitting. */
int ui_verb_freeze(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_clear(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_scroll(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_record(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_speed(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_step(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_continue(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
int ui_verb_quit(ui *u, const scn_command *cmd, const char *a, char *why, size_t size);
/* ui.c: ends the recording (flush, close) and says how it ended on the status line; 0
 * or the first write or close error, with the reason in why. */
int ui_record_finish(ui *u, char *why, size_t size);
/* input.c: one key or click. */
void ui_handle_key(ui *u, int key);
/* Runs a command line as the operator (typed, or a key's binding). */
void ui_submit(ui *u, const char *origin, const char *line);
void ui_quit(ui *u);
/* reporter.c: fills the session's reporter with the front end's callbacks. */
void ui_reporter(ui *u, scn_reporter *rep);
/* ui.c: renders the state into the canvas without drawing (fresh layout for input). */
void ui_relayout(ui *u);

#endif
