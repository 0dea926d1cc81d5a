/* tui.h - the terminal: the only part of mcbench that talks to ncurses.
 *
 * It copies a canvas to the screen (line drawing where the terminal has it, ASCII where
 * not; colours unless NO_COLOR), reads keys and mouse clicks without blocking, and
 * restores the terminal on every way out, a crash included.
 */
#ifndef UI_TUI_H
#define UI_TUI_H

#include <stdbool.h>

#include "canvas.h"

typedef struct tui tui;

typedef struct tui_caps {
  bool utf8;  /* the locale and terminal take UTF-8 */
  bool ascii; /* no line-drawing characters */
  bool color;
} tui_caps;

int tui_open(tui **out, bool no_color, tui_caps *caps);
void tui_close(tui *t);
void tui_size(tui *t, int *w, int *h);
/* After SIGWINCH: re-reads the size. */
void tui_resize(tui *t);
/* Paints the canvas; the cursor goes to (cx, cy), hidden when cx < 0. */
void tui_draw(tui *t, const ui_canvas *c, int cx, int cy);
/* Forces a full repaint on the next draw (Ctrl-L). */
void tui_invalidate(tui *t);
/* The next key (a character or UI_KEY_*), or -1 when none is waiting. */
int tui_key(tui *t);
/* The position of the last UI_KEY_MOUSE click. */
void tui_mouse(tui *t, int *x, int *y);
int tui_fd(const tui *t);
/* Installs handlers that restore the terminal if the process crashes. */
void tui_install_crash_handlers(void);

#endif
