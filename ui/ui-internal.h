/* ui-internal.h - the front end's parts, wired together by ui.c. */
#ifndef UI_INTERNAL_H
#define UI_INTERNAL_H

#include "prompt.h"
#include "record.h"
#include "render.h"
#include "session.h"
#include "state.h"
#include "tui.h"
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
  uv_signal_t sig_winch, sig_int, sig_term, sig_hup;
  uv_timer_t redraw;
  bool dirty;
  uint64_t last_paint;
  bool closing;
  bool play_done;
  scn_summary play_sum;
} ui;

/* frontend.c: the front end's verbs (select, move, view, freeze, record, quit...). */
int ui_frontend(void *arg, const scn_command *cmd, char *why, size_t size);
/* input.c: one key or click. */
void ui_handle_key(ui *u, int key);
/* Runs a command line as the operator (typed, or a key's binding). */
void ui_submit(ui *u, const char *origin, const char *line);
void ui_quit(ui *u);
/* ui.c: renders the state into the canvas without drawing (fresh layout for input). */
void ui_relayout(ui *u);

#endif
