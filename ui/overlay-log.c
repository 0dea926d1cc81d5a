/* overlay-log.c - the event log (E, or `log on`): the last status messages, errors and
 * results with their times, newest at the bottom, so a failure that scrolled off the
 * status line (a refused send in a played scenario) can still be read. */
#include "render.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"

/* Draws esc from column x, wrapped at spaces to `width` columns, at most `rows` rows
 * (c NULL: only counts them); returns the rows. */
static int wrapped(ui_canvas *c, int x, int y, int width, int rows, const char *esc, uint16_t attr)
{
  const char *p = esc;
  int row = 0;
  while (*p && row < rows) {
    int used = 0;
    const char *q = p;
    /* take whole characters while they fit */
    while (*q) {
      char one[8];
      size_t len = 1;
      while ((q[len] & 0xC0) == 0x80) len++;
      snprintf(one, sizeof one, "%.*s", (int)len, q);
      if (used + ui_canvas_width(one) > width) break;
      used += ui_canvas_width(one);
      q += len;
    }
    if (q == p) break;
    if (*q) /* break after the last space that fits, when there is one */
      for (const char *b = q; b > p + 1; b--)
        if (b[-1] == ' ') {
          q = b;
          break;
        }
    {
      char line[600];
      snprintf(line, sizeof line, "%.*s", (int)(q - p), p);
      if (c) ui_canvas_text(c, x, y + row, width, line, attr);
      row++;
    }
    p = q;
  }
  return row ? row : 1;
}

void ui_overlay_log(const ui_state *st, ui_canvas *c)
{
  int w = c->w - 4, h = c->h - 4, x = 2, y = 2, rows = h - 2, tw = w - 2 - 13, used = 0;
  size_t first, last;
  char title[96], t[16], esc[600];
  ui_canvas_fill(c, x, y, w, h, ' ', UI_R_NORMAL);
  snprintf(title, sizeof title, "event log: %zu messages (Esc closes, Up/Down scroll)", st->log_n);
  ui_canvas_box(c, x, y, w, h, title, UI_R_SELECTED | UI_BOLD);
  if (st->log_n == 0) {
    ui_canvas_text(c, x + 2, y + 1, w - 4, "nothing yet", UI_R_DIM);
    return;
  }
  /* From the newest shown (log_scroll entries back) to older ones while they fit; then
   * drawn oldest first, each wrapped under its time. */
  first = last = (size_t)st->log_scroll;
  for (size_t i = last; i < st->log_n; i++) {
    const ui_log_entry *e = ui_state_log_at(st, i);
    int need;
    scn_escape((const uint8_t *)e->text, strlen(e->text), st->utf8, esc, sizeof esc, 0, NULL);
    need = wrapped(NULL, 0, 0, tw, rows, esc, 0); /* counted, not drawn */
    if (used + need > rows && i > last) break;
    used += need;
    first = i;
  }
  used = 0;
  for (size_t i = first + 1; i-- > last && used < rows;) {
    const ui_log_entry *e = ui_state_log_at(st, i);
    ui_fmt_time(e->real_ns, t, sizeof t);
    ui_canvas_printf(c, x + 1, y + 1 + used, 13, UI_R_DIM, "%s ", t);
    scn_escape((const uint8_t *)e->text, strlen(e->text), st->utf8, esc, sizeof esc, 0, NULL);
    used +=
        wrapped(c, x + 14, y + 1 + used, tw, rows - used, esc, e->error ? UI_R_ERROR : UI_R_NORMAL);
  }
}
