/* overlay-help.c - the '?' overlay: the key bindings and the command table's summaries,
 * generated from the same tables that run them, so help cannot drift. */
#include "render.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "keys.h"

void ui_overlay_help(const ui_state *st, ui_canvas *c)
{
  const scn_entry *const *t = scn_table();
  const ui_binding *b = ui_bindings();
  int w = c->w - 8 > 100 ? 100 : c->w - 8, h = c->h - 4, x = (c->w - w) / 2, y = 2;
  int line = 0, shown = 0, half = (w - 4) / 2;
  char buf[256];

  ui_canvas_fill(c, x, y, w, h, ' ', UI_R_NORMAL);
  ui_canvas_box(c, x, y, w, h, "help: keys and commands (Esc or ? closes, Up/Down scroll)",
                UI_R_SELECTED | UI_BOLD);
  /* Lines are numbered so the overlay can scroll; only those in view are drawn. */
#define EMIT(col, attr, ...)                                                                       \
  do {                                                                                             \
    int row_ = line - st->help_scroll;                                                             \
    if (row_ >= 0 && row_ < h - 2) {                                                               \
      snprintf(buf, sizeof buf, __VA_ARGS__);                                                      \
      ui_canvas_text(c, x + 2 + (col), y + 1 + row_, half - 1, buf, attr);                         \
      shown++;                                                                                     \
    }                                                                                              \
  } while (0)
  EMIT(0, UI_R_HEADER | UI_BOLD, "Keys (commands you can also type after ':')");
  line++;
  for (int i = 0; b[i].command; i++) {
    EMIT((i % 2) * half, UI_R_NORMAL, "%-6s %s", b[i].name, b[i].help);
    if (i % 2 == 1 || !b[i + 1].command) line++;
  }
  line++;
  EMIT(0, UI_R_HEADER | UI_BOLD, "Commands (help VERB for details)");
  line++;
  for (int i = 0; t[i]; i++) {
    EMIT((i % 2) * half, UI_R_NORMAL, "%-9s %s", t[i]->name, t[i]->summary);
    if (i % 2 == 1 || !t[i + 1]) line++;
  }
  line++;
  EMIT(0, UI_R_DIM, "${SOCKET} in a key's command is the selected socket.");
#undef EMIT
  (void)shown;
}
