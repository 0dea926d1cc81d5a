/* render.h - draws the whole screen into a canvas from the state and the view-model (ui_model).
 *
 * Layout, top to bottom: the title bar and up to three narration lines, the sockets
 * pane, the peer panes of the watched socket(s) (tiled while they fit, else a sorted peer
 * list with a detail pane; the topology pane, when shown, takes the area or its top), the
 * status line and the command line or key hints; the
 * help, event log and interfaces overlays go on top. Rendering is a pure function of its
 * inputs; the layout it returns tells key and mouse handlers what is where.
 */
#ifndef UI_RENDER_H
#define UI_RENDER_H

#include "canvas.h"
#include "state.h"
#include "view.h"

#define UI_MIN_W          80
#define UI_MIN_H          24
#define UI_MAX_VIEW_PEERS 256
#define UI_MAX_TILES      16
#define UI_MAX_HITS       96

typedef struct ui_rect {
  int x, y, w, h;
} ui_rect;

/* A clickable region: a click runs `command`, or selects the peer `peer_id`. */
typedef struct ui_hit {
  ui_rect r;
  char command[80];
  uint64_t peer_id;
} ui_hit;

typedef struct ui_layout {
  bool too_small;
  size_t nsockets;
  int sel_socket; /* index, -1: none */
  char sel_name[UI_NAME_MAX];
  ui_rect sockets, peers_area, status, prompt;
  /* the peers shown (of the selected, the pinned or every socket), in display order */
  char peers_name[UI_NAME_MAX]; /* the socket whose peers are shown, "" for all */
  ui_peer_view peers[UI_MAX_VIEW_PEERS];
  size_t npeers;
  int sel_peer;   /* index in peers, -1: none */
  bool list_mode; /* more peers than tiles: list + detail */
  int cols, rows; /* tile grid */
  ui_rect tiles[UI_MAX_TILES];
  size_t ntiles;
  int body_rows; /* message lines in the selected pane (for paging) */
  ui_hit hits[UI_MAX_HITS];
  size_t nhits;
  ui_rect topology; /* the topology pane, h 0 when hidden */
} ui_layout;

void ui_render(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay);

/* Shared by the pane renderers (render-util.c). */
void ui_fmt_bytes(uint64_t n, char *buf, size_t size);     /* 1.2K, 3.4M */
void ui_fmt_rate(double per_s, char *buf, size_t size);    /* 0, 3.0, 1.2K */
void ui_fmt_time(int64_t real_ns, char *buf, size_t size); /* 12:00:01.123 (local) */
/* What ends a value cut to fit: an ellipsis, or "~" without UTF-8 line drawing. */
const char *ui_ellipsis(const ui_state *st);
/* Cuts safe text in place to w columns, ending with the ellipsis when it was cut. */
void ui_fit(const ui_state *st, char *text, size_t size, int w);
void ui_add_hit(ui_layout *lay, int x, int y, int w, int h, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The panes (pane-*.c). */
void ui_pane_sockets(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay);
void ui_pane_peers(const ui_state *st, const ui_model *src, ui_canvas *c, ui_layout *lay);
/* peer-figures.c: a peer's traffic line at (x, y), as many figures as fit in w; its
 * sparkline of the last w seconds (at most UI_SPARK), nothing when they are all zero;
 * returns the cells drawn. */
void ui_traffic_line(ui_canvas *c, int x, int y, int w, const ui_peer_view *p);
int ui_sparkline(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_peer_view *p);
void ui_overlay_help(const ui_state *st, ui_canvas *c);
void ui_overlay_log(const ui_state *st, ui_canvas *c);
void ui_overlay_ifaces(const ui_state *st, const ui_model *src, ui_canvas *c);
void ui_overlay_doctor(const ui_state *st, ui_canvas *c);
/* pane-topology.c: the lab as a tree in r; the lines it needs for st->topo's lab. */
void ui_pane_topology(const ui_state *st, ui_canvas *c, ui_rect r);
int ui_topology_rows(const ui_topo_view *t);

#endif
