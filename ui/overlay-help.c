/* overlay-help.c - the '?' overlay: the key bindings and the command table's summaries,
 * generated from the same tables that run them, so help cannot drift. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "help.h"
#include "keys.h"

/* Draws one line of help wrapped at spaces to w columns, continuation lines indented
 * like the first; returns the rows it takes (the first `*skip` rows are skipped, not drawn). */
static int wrapped(ui_canvas *c, int x, int y, int w, int rows, const char *l, int *skip, int row)
{
  int indent = (int)strspn(l, " "), used = 0;
  const char *p = l + indent;
  char buf[512];
  if (indent > w / 2) indent = 0;
  do {
    int room = w - indent, n = (int)strlen(p), cut = n;
    if (n > room) { /* the last space that fits, else a hard cut */
      for (cut = room; cut > 0 && p[cut] != ' '; cut--)
        ;
      if (cut == 0) cut = room;
    }
    snprintf(buf, sizeof buf, "%*s%.*s", indent, "", cut, p);
    if (*skip > 0)
      (*skip)--;
    else if (row + used < rows)
      ui_canvas_text(c, x, y + row + used++, w, buf, UI_R_NORMAL);
    p += cut;
    while (*p == ' ') p++;
  } while (*p);
  return used;
}

/* `help VERB`: the table's own text for one command, wrapped to the pop-up's width. */
static void verb_help(const ui_state *st, ui_canvas *c, int x, int y, int w, int h)
{
  char why[MCB_MSG_MAX], *text = NULL, title[64];
  size_t len = 0;
  const scn_entry *e = scn_table_find(st->help_verb, why, sizeof why);
  FILE *f = open_memstream(&text, &len);
  int row = 0, skip = st->help_scroll;
  if (f == NULL) return;
  if (e)
    scn_help_verb_width(f, e, w - 4);
  else
    fputs(why, f);
  fclose(f);
  snprintf(title, sizeof title, "help %s (Esc closes)", st->help_verb);
  ui_canvas_box(c, x, y, w, h, title, UI_R_SELECTED | UI_BOLD);
  /* line by line, blank lines included (strtok would drop them) */
  for (char *l = text, *nl; l && *l && row < h - 2; l = nl ? nl + 1 : NULL) {
    nl = strchr(l, '\n');
    if (nl) *nl = '\0';
    row += wrapped(c, x + 2, y + 1, w - 4, h - 2, l, &skip, row);
  }
  free(text);
}

void ui_overlay_help(const ui_state *st, ui_canvas *c)
{
  const scn_entry *const *t = scn_table();
  const ui_binding *b = ui_bindings();
  int w = c->w - 8 > 100 ? 100 : c->w - 8, h = c->h - 4, x = (c->w - w) / 2, y = 2;
  /* two columns where they fit, one otherwise (the overlay scrolls) */
  int line = 0, shown = 0, cols = w >= 110 ? 2 : 1, half = (w - 4) / cols;
  char buf[256];

  ui_canvas_fill(c, x, y, w, h, ' ', UI_R_NORMAL);
  if (st->help_verb[0]) {
    verb_help(st, c, x, y, w, h);
    return;
  }
  ui_canvas_box(c, x, y, w, h, "help: keys and commands (Esc or ? closes, Up/Down scroll)",
                UI_R_SELECTED | UI_BOLD);
  /* Lines are numbered so the overlay can scroll; only those in view are drawn. */
#define EMIT(col, attr, ...)                                                                       \
  do {                                                                                             \
    int row_ = line - st->help_scroll;                                                             \
    if (row_ >= 0 && row_ < h - 2) {                                                               \
      snprintf(buf, sizeof buf, __VA_ARGS__);                                                      \
      ui_canvas_cut(c, x + 2 + (col), y + 1 + row_, half - 1, buf, attr, ui_ellipsis(st));         \
      shown++;                                                                                     \
    }                                                                                              \
  } while (0)
  EMIT(0, UI_R_HEADER | UI_BOLD, "Keys (commands you can also type after ':')");
  line++;
  for (int i = 0; b[i].command; i++) {
    EMIT((i % cols) * half, UI_R_NORMAL, "%-6s %s", b[i].name, b[i].help);
    if (i % cols == cols - 1 || !b[i + 1].command) line++;
  }
  line++;
  EMIT(0, UI_R_HEADER | UI_BOLD, "Commands (help VERB for details)");
  line++;
  for (int i = 0; t[i]; i++) {
    EMIT((i % cols) * half, UI_R_NORMAL, "%-9s %s", t[i]->name, t[i]->summary);
    if (i % cols == cols - 1 || !t[i + 1]) line++;
  }
  line++;
  EMIT(0, UI_R_DIM, "${SOCKET} in a key's command is the selected socket.");
#undef EMIT
  (void)shown;
}
