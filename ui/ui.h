/* ui.h - the ncurses test bench: `mcbench` (interactive) and `mcbench play FILE`. */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>
#include <uv.h>

#include "grammar.h"

typedef struct ui_options {
  bool no_color;
  const char *play_file;    /* NULL: interactive */
  const scn_vars *vars;     /* -D VAR=VALUE for play */
  const char *history_path; /* NULL: the default ($XDG_STATE_HOME/mcbench/history) */
  uint64_t play_delay_ns;   /* pause between a played scenario's commands */
  bool private_net;         /* runs in mcbench's private namespace (--private) */
} ui_options;

/* Runs the front end until the operator quits. Returns the exit status: 0, or for play
 * 1 when an expectation or a command failed; 2 when the scenario has errors or the
 * terminal cannot be used. */
int ui_main(uv_loop_t *loop, const ui_options *o);

#endif
