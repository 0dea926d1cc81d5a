/* overlay-log.c - the event log (E, or `log on`): the last status messages, errors and
 * results with their times, newest at the bottom, so a failure that scrolled off the
 * status line (a refused send in a played scenario) can still be read. */
#include "render.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"

void ui_overlay_log(const ui_state *st, ui_canvas *c)
{
  int w = c->w - 4, h = c->h - 4, x = 2, y = 2, rows = h - 2, first;
  char title[96], t[16], esc[600];
  ui_canvas_fill(c, x, y, w, h, ' ', UI_R_NORMAL);
  snprintf(title, sizeof title, "event log: %zu messages (Esc closes, Up/Down scroll)", st->log_n);
  ui_canvas_box(c, x, y, w, h, title, UI_R_SELECTED | UI_BOLD);
  if (st->log_n == 0) {
    ui_canvas_text(c, x + 2, y + 1, w - 4, "nothing yet", UI_R_DIM);
    return;
  }
  /* log_scroll counts entries back from the newest; the newest shown is at the bottom */
  first = st->log_scroll + rows - 1;
  if (first > (int)st->log_n - 1) first = (int)st->log_n - 1; /* few: from the top */
  for (int r = 0; r < rows; r++) {
    const ui_log_entry *e = ui_state_log_at(st, (size_t)(first - r));
    int n;
    if (first - r < 0 || e == NULL) continue;
    ui_fmt_time(e->real_ns, t, sizeof t);
    n = ui_canvas_printf(c, x + 1, y + 1 + r, w - 2, UI_R_DIM, "%s ", t);
    scn_escape((const uint8_t *)e->text, strlen(e->text), st->utf8, esc, sizeof esc, 0, NULL);
    ui_canvas_cut(c, x + 1 + n, y + 1 + r, w - 2 - n, esc, e->error ? UI_R_ERROR : UI_R_NORMAL,
                  ui_ellipsis(st));
  }
}
