/* state.h - the front end's own state: selection, focus, views, bars, prompt, overlays.
 *
 * Key handlers and the front-end verbs (view, freeze, select...) change this state and
 * return; they never draw. One throttled redraw renders it with the data of a ui_model.
 */
#ifndef UI_STATE_H
#define UI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui-words.h"
#include "view.h"

#define UI_MAX_PANE_STATES 64
#define UI_PROMPT_MAX      1024
#define UI_RESULTS_SHOWN   4
#define UI_LOG_MAX         100 /* the event log: status messages with their times */
#define UI_NARRATION_KEPT  3   /* narration lines shown, the newest last */

/* Focus targets, view modes and sort keys are the front end's vocabulary (ui-words.h). */
typedef scn_ui_focus_target ui_focus;
typedef scn_ui_view_mode ui_viewmode;
typedef scn_ui_sort_key ui_sortkey;

/* Per-peer pane settings, remembered for the most recently used peers. */
typedef struct ui_pane_state {
  uint64_t peer_id;
  bool frozen;
  uint64_t frozen_seq;  /* newest message shown while frozen */
  uint64_t cleared_seq; /* messages up to this one were cleared */
  int scroll;           /* lines scrolled back from the newest */
  uint64_t used;        /* LRU stamp */
} ui_pane_state;

/* Whose peers the pane area shows: the selected socket's, a pinned socket's, or every
 * socket's that has peers ("watch all"). */
typedef enum ui_watch { UI_WATCH_SELECTED, UI_WATCH_PINNED, UI_WATCH_ALL } ui_watch;

/* Where the session's sockets live, said in the title bar (unknown: not said). */
typedef enum ui_net { UI_NET_UNKNOWN, UI_NET_PRIVATE, UI_NET_HOST } ui_net;

typedef struct ui_log_entry {
  int64_t real_ns;
  bool error;
  char text[200];
} ui_log_entry;

typedef struct ui_state {
  /* selection */
  char selected[UI_NAME_MAX]; /* socket name; "" selects the first */
  uint64_t selected_peer;     /* 0: the first peer */
  ui_focus focus;
  ui_viewmode view;
  ui_sortkey sort;
  ui_pane_state panes[UI_MAX_PANE_STATES];
  uint64_t pane_clock;

  /* bars */
  char title[160];
  char narration[256];                            /* the newest `say` */
  char narration_old[UI_NARRATION_KEPT - 1][256]; /* the ones before, oldest first */
  ui_log_entry log[UI_LOG_MAX];                   /* a ring: log_n entries end at log_end */
  size_t log_n, log_end;
  bool log_visible;
  int log_scroll;
  bool ifaces_visible;
  int ifaces_scroll;
  const char *doctor_text; /* the last diagnosis as text (owned by the front end), or NULL */
  bool doctor_visible;
  int doctor_scroll;
  /* The topology pane (m, `topology on`, `lab show` typed): it takes the peer area, or its
   * top when there is room for both. The snapshot is the front end's, refreshed at most
   * once a second (NULL: not read yet). */
  bool topo_visible;
  const ui_topo_view *topo;
  ui_watch watch;
  char pinned[UI_NAME_MAX];
  ui_net net;
  char status[MCB_MSG_MAX];
  bool status_error;
  struct {
    char text[200];
    bool passed;
  } results[UI_RESULTS_SHOWN]; /* newest last */
  size_t nresults, passed, failed;
  char first_failure[MCB_MSG_MAX]; /* kept for the end of a played scenario */

  /* command line */
  bool prompt_active;
  char prompt[UI_PROMPT_MAX];
  size_t cursor;  /* byte offset in prompt */
  char hint[256]; /* inline help for the verb being typed */

  /* overlays and modes */
  bool help_visible;
  int help_scroll;
  char help_verb[UI_NAME_MAX]; /* help for one command instead of the overview */
  bool confirm_quit;
  char confirm[160];     /* a key's question (y runs confirm_cmd), "" when none */
  char confirm_cmd[160]; /* with the socket it was asked about in confirm_socket */
  char confirm_socket[UI_NAME_MAX];
  bool quit;
  bool playing;     /* mcbench play */
  bool play_paused; /* a `pause` waits for a key */
  bool play_stepping;
  bool play_ended;
  uint64_t play_delay_ns;
  bool recording;
  char record_path[256];

  /* display */
  bool ascii;          /* no line drawing */
  bool utf8;           /* the terminal shows UTF-8 */
  int64_t now_real_ns; /* clock of the frame, for "last seen" */
} ui_state;

void ui_state_init(ui_state *st);
void ui_state_set_status(ui_state *st, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends to the event log (set_status does, with the time of the call). */
void ui_state_log(ui_state *st, bool error, int64_t real_ns, const char *text);
/* The i-th newest entry of the event log (0: the newest), or NULL. */
const ui_log_entry *ui_state_log_at(const ui_state *st, size_t i);
/* A new narration line: the one shown before moves up into the narration log. */
void ui_state_say(ui_state *st, const char *text);
void ui_state_add_result(ui_state *st, const char *text, bool passed);
/* The pane state of a peer (created, possibly recycling the least recently used). */
ui_pane_state *ui_state_pane(ui_state *st, uint64_t peer_id);
/* The same without creating one: NULL means the defaults (live, not cleared). */
const ui_pane_state *ui_state_find_pane(const ui_state *st, uint64_t peer_id);

#endif
