/* tui.c - ncurses glue (see tui.h): the only file that includes curses. */
#include "tui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "keys.h"

struct tui {
  tui_caps caps;
  int mx, my;
};

/* Kept for the crash handler, which may only make async-signal-safe calls. */
static struct termios saved_termios;
static volatile sig_atomic_t saved_valid;

static void crash_handler(int sig)
{
  static const char reset[] = "\033[0m\033[?1000l\033[?1006l\033[?25h\033[?1049l\r\n";
  if (saved_valid) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
  (void)!write(STDOUT_FILENO, reset, sizeof reset - 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

void tui_install_crash_handlers(void)
{
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = crash_handler;
  sa.sa_flags = SA_RESETHAND;
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

static const short role_colors[UI_R_COUNT][2] = {
    [UI_R_NORMAL] = {-1, -1},
    [UI_R_TITLE] = {COLOR_WHITE, COLOR_BLUE},
    [UI_R_BORDER] = {COLOR_BLUE, -1},
    [UI_R_HEADER] = {COLOR_CYAN, -1},
    [UI_R_SELECTED] = {COLOR_GREEN, -1},
    [UI_R_DIM] = {-1, -1},
    [UI_R_OK] = {COLOR_GREEN, -1},
    [UI_R_ERROR] = {COLOR_RED, -1},
    [UI_R_ESCAPE] = {COLOR_MAGENTA, -1},
    [UI_R_KEY] = {COLOR_YELLOW, -1},
};

int tui_open(tui **out, bool no_color, tui_caps *caps)
{
  tui *t = calloc(1, sizeof *t);
  const char *cs;
  if (t == NULL) return -1;
  setlocale(LC_ALL, "");
  cs = nl_langinfo(CODESET);
  t->caps.utf8 = cs && strcmp(cs, "UTF-8") == 0;
  if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) saved_valid = 1;
  if (initscr() == NULL) {
    free(t);
    return -1;
  }
  raw(); /* Ctrl-C is a key: quitting goes through the same path as q */
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  set_escdelay(25);
  curs_set(0);
  mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
  mouseinterval(0);
  t->caps.color = !no_color && has_colors();
  if (t->caps.color) {
    start_color();
    use_default_colors();
    for (short r = 1; r < UI_R_COUNT; r++) init_pair(r, role_colors[r][0], role_colors[r][1]);
  }
  /* ncurses falls back to ASCII for ACS itself; we only need to know for the arrow. */
  t->caps.ascii = !t->caps.utf8;
  *caps = t->caps;
  *out = t;
  return 0;
}

void tui_close(tui *t)
{
  if (t == NULL) return;
  curs_set(1);
  endwin();
  saved_valid = 0;
  free(t);
}

void tui_size(tui *t, int *w, int *h)
{
  (void)t;
  getmaxyx(stdscr, *h, *w);
}

void tui_resize(tui *t)
{
  (void)t;
  endwin(); /* the next refresh() picks up the new size (ncurses' documented way) */
  refresh();
}

void tui_invalidate(tui *t)
{
  (void)t;
  clearok(curscr, TRUE);
}

static attr_t attrs_of(const tui *t, uint16_t a)
{
  attr_t r = A_NORMAL;
  int role = a & 0x0f;
  if (t->caps.color && role > 0 && role < UI_R_COUNT) r |= COLOR_PAIR(role);
  if (role == UI_R_DIM) r |= A_DIM;
  if (!t->caps.color && (role == UI_R_SELECTED || role == UI_R_ERROR)) r |= A_BOLD;
  if (a & UI_BOLD) r |= A_BOLD;
  if (a & UI_REVERSE) r |= A_REVERSE;
  if (a & UI_UNDERLINE) r |= A_UNDERLINE;
  return r;
}

static chtype acs_of(uint32_t ch)
{
  switch (ch) {
  case UI_HLINE:
    return ACS_HLINE;
  case UI_VLINE:
    return ACS_VLINE;
  case UI_ULCORNER:
    return ACS_ULCORNER;
  case UI_URCORNER:
    return ACS_URCORNER;
  case UI_LLCORNER:
    return ACS_LLCORNER;
  case UI_LRCORNER:
    return ACS_LRCORNER;
  default:
    return 0;
  }
}

void tui_draw(tui *t, const ui_canvas *c, int cx, int cy)
{
  int w, h;
  getmaxyx(stdscr, h, w);
  for (int y = 0; y < c->h && y < h; y++) {
    for (int x = 0; x < c->w && x < w; x++) {
      const ui_cell *cell = &c->cells[y * c->w + x];
      attr_t a = attrs_of(t, cell->attr);
      /* With UTF-8 the box characters are drawn as themselves; else the terminal's
       * line drawing (ncurses falls back to ASCII where there is none). */
      chtype acs = t->caps.utf8 ? 0 : acs_of(cell->ch);
      if (cell->ch == 0) continue; /* covered by the double-width character before it */
      if (acs) {
        mvaddch(y, x, acs | a);
      } else if (cell->ch < 0x80) {
        mvaddch(y, x, (chtype)cell->ch | a);
      } else if (t->caps.utf8) {
        wchar_t wc[2] = {(wchar_t)cell->ch, 0};
        cchar_t cc;
        setcchar(&cc, wc, a, 0, NULL);
        mvadd_wch(y, x, &cc);
      } else {
        mvaddch(y, x, (chtype)(cell->ch == 0x2192 ? '>' : '?') | a);
      }
    }
  }
  if (cx >= 0 && cy >= 0) {
    curs_set(1);
    move(cy, cx);
  } else {
    curs_set(0);
  }
  refresh();
}

int tui_key(tui *t)
{
  wint_t wc;
  int r = get_wch(&wc);
  MEVENT ev;
  if (r == ERR) return -1;
  if (r == KEY_CODE_YES) {
    switch (wc) {
    case KEY_UP:
      return UI_KEY_UP;
    case KEY_DOWN:
      return UI_KEY_DOWN;
    case KEY_LEFT:
      return UI_KEY_LEFT;
    case KEY_RIGHT:
      return UI_KEY_RIGHT;
    case KEY_HOME:
      return UI_KEY_HOME;
    case KEY_END:
      return UI_KEY_END;
    case KEY_PPAGE:
      return UI_KEY_PGUP;
    case KEY_NPAGE:
      return UI_KEY_PGDN;
    case KEY_BACKSPACE:
      return UI_KEY_BACKSPACE;
    case KEY_DC:
      return UI_KEY_DELETE;
    case KEY_ENTER:
      return UI_KEY_ENTER;
    case KEY_BTAB:
      return UI_KEY_BTAB;
    case KEY_RESIZE:
      return UI_KEY_RESIZE;
    case KEY_MOUSE:
      if (getmouse(&ev) == OK) {
        t->mx = ev.x;
        t->my = ev.y;
        return UI_KEY_MOUSE;
      }
      return -1;
    default:
      return 0; /* a key we do not bind */
    }
  }
  switch (wc) {
  case '\r':
  case '\n':
    return UI_KEY_ENTER;
  case '\t':
    return UI_KEY_TAB;
  case 27:
    return UI_KEY_ESC;
  case 127:
  case 8:
    return UI_KEY_BACKSPACE;
  case 1:
    return UI_KEY_CTRL_A;
  case 3:
    return UI_KEY_CTRL_C;
  case 5:
    return UI_KEY_CTRL_E;
  case 11:
    return UI_KEY_CTRL_K;
  case 12:
    return UI_KEY_CTRL_L;
  case 21:
    return UI_KEY_CTRL_U;
  case 23:
    return UI_KEY_CTRL_W;
  default:
    return wc < 0x20 ? 0 : (int)wc;
  }
}

void tui_mouse(tui *t, int *x, int *y)
{
  *x = t->mx;
  *y = t->my;
}

int tui_fd(const tui *t)
{
  (void)t;
  return STDIN_FILENO;
}
