/* canvas.h - a grid of character cells with attributes: what panes draw into.
 *
 * Panes never call curses: they render into a canvas, which tui.c copies to the screen
 * and tests compare with golden files. Text put on a canvas must already be safe (see
 * escape.h); box-drawing characters are stored as Unicode and mapped to the terminal's
 * line drawing, or ASCII, when shown.
 */
#ifndef UI_CANVAS_H
#define UI_CANVAS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Colour roles; tui.c maps them to colour pairs (or nothing under NO_COLOR). */
enum ui_role {
  UI_R_NORMAL = 0,
  UI_R_TITLE,    /* title and narration bar */
  UI_R_BORDER,   /* pane frames */
  UI_R_HEADER,   /* pane headers */
  UI_R_SELECTED, /* the selection */
  UI_R_DIM,      /* secondary text */
  UI_R_OK,       /* PASS, on */
  UI_R_ERROR,    /* FAIL, errors */
  UI_R_ESCAPE,   /* escaped bytes in payloads */
  UI_R_KEY,      /* key names in hints */
  UI_R_COUNT
};

enum ui_attr_flags { UI_BOLD = 1 << 4, UI_REVERSE = 1 << 5, UI_UNDERLINE = 1 << 6 };

/* attr: a role in the low 4 bits, plus flags. */
typedef struct ui_cell {
  uint32_t ch; /* codepoint; 0 marks the right half of a double-width character */
  uint16_t attr;
} ui_cell;

typedef struct ui_canvas {
  int w, h;
  ui_cell *cells;
} ui_canvas;

#define UI_HLINE    0x2500
#define UI_VLINE    0x2502
#define UI_ULCORNER 0x250c
#define UI_URCORNER 0x2510
#define UI_LLCORNER 0x2514
#define UI_LRCORNER 0x2518
#define UI_ARROW    0x2192 /* → */

int ui_canvas_init(ui_canvas *c, int w, int h);
void ui_canvas_free(ui_canvas *c);
void ui_canvas_clear(ui_canvas *c);
void ui_canvas_put(ui_canvas *c, int x, int y, uint32_t ch, uint16_t attr);
/* Writes safe UTF-8 text from (x, y), at most maxw columns; returns columns used. A
 * double-width character that would not fit is replaced by a space. */
int ui_canvas_text(ui_canvas *c, int x, int y, int maxw, const char *text, uint16_t attr);
/* printf into the canvas; the format's output must be safe text (no payload bytes). */
int ui_canvas_printf(ui_canvas *c, int x, int y, int maxw, uint16_t attr, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void ui_canvas_fill(ui_canvas *c, int x, int y, int w, int h, uint32_t ch, uint16_t attr);
void ui_canvas_attr(ui_canvas *c, int x, int y, int w, uint16_t attr); /* recolour a run */
/* The columns safe UTF-8 text takes (as ui_canvas_text counts them). */
int ui_canvas_width(const char *text);
/* As ui_canvas_text in at most w columns, but a text that does not fit is cut and ends
 * with ellipsis ("\u2026", or "~" where the terminal has no such character). */
int ui_canvas_cut(ui_canvas *c, int x, int y, int w, const char *text, uint16_t attr,
                  const char *ellipsis);
/* A frame with an optional title in its top edge. */
void ui_canvas_box(ui_canvas *c, int x, int y, int w, int h, const char *title, uint16_t attr);
/* The text of the canvas, one line per row, trailing spaces removed (golden files). */
void ui_canvas_dump(const ui_canvas *c, FILE *out);
/* As ui_canvas_dump, plus one line of role letters per row ('.' normal). */
void ui_canvas_dump_attrs(const ui_canvas *c, FILE *out);

#endif
