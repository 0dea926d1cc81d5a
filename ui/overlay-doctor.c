/* overlay-doctor.c - the results of `doctor ...` (frontend-doctor.c): the diagnosis as
 * `mcbench doctor` prints it, one line per check with its evidence and fix, scrolled
 * with Up/Down. The text was escaped when it was written; long lines are cut with `…`. */
#include "render.h"

#include <string.h>

void ui_overlay_doctor(const ui_state *st, ui_canvas *c)
{
  int w = c->w - 4, h = c->h - 4, x = 2, y = 2, rows = h - 2, line = 0;
  const char *p = st->doctor_text;
  ui_canvas_fill(c, x, y, w, h, ' ', UI_R_NORMAL);
  ui_canvas_box(c, x, y, w, h, "doctor (Esc closes, Up/Down scroll)", UI_R_SELECTED | UI_BOLD);
  while (p != NULL && *p != '\0') {
    size_t n = strcspn(p, "\n");
    char text[600];
    int row = line - st->doctor_scroll;
    if (row >= rows) break;
    if (row >= 0) {
      uint16_t attr = strncmp(p, "FAIL", 4) == 0   ? UI_R_ERROR | UI_BOLD
                      : strncmp(p, "WARN", 4) == 0 ? UI_R_ERROR
                      : p[0] == ' '                ? UI_R_DIM
                                                   : UI_R_NORMAL;
      snprintf(text, sizeof text, "%.*s", (int)(n < sizeof text ? n : sizeof text - 1), p);
      ui_canvas_cut(c, x + 1, y + 1 + row, w - 2, text, attr, ui_ellipsis(st));
    }
    line++;
    p += n + (p[n] == '\n');
  }
}
