/* canvas.c - the character-cell canvas (see canvas.h). Bounds are checked on every
 * write, so a pane may draw past its edge without corrupting memory. */
#include "canvas.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

int ui_canvas_init(ui_canvas *c, int w, int h)
{
  if (w < 1) w = 1;
  if (h < 1) h = 1;
  c->cells = calloc((size_t)w * (size_t)h, sizeof *c->cells);
  if (c->cells == NULL) return -1;
  c->w = w;
  c->h = h;
  ui_canvas_clear(c);
  return 0;
}

void ui_canvas_free(ui_canvas *c)
{
  free(c->cells);
  c->cells = NULL;
  c->w = c->h = 0;
}

void ui_canvas_clear(ui_canvas *c)
{
  for (int i = 0; i < c->w * c->h; i++) c->cells[i] = (ui_cell){' ', 0};
}

void ui_canvas_put(ui_canvas *c, int x, int y, uint32_t ch, uint16_t attr)
{
  if (x < 0 || y < 0 || x >= c->w || y >= c->h) return;
  c->cells[y * c->w + x] = (ui_cell){ch, attr};
}

int ui_canvas_text(ui_canvas *c, int x, int y, int maxw, const char *text, uint16_t attr)
{
  const uint8_t *p = (const uint8_t *)text;
  size_t n = strlen(text);
  int used = 0;
  if (maxw > c->w - x) maxw = c->w - x;
  while (n > 0 && used < maxw) {
    uint32_t cp;
    size_t len = scn_utf8_decode(p, n, &cp);
    int w;
    if (len == 0) { /* callers escape first; never let a stray byte through */
      cp = '?';
      len = 1;
    }
    w = scn_char_width(cp); /* 0 for control characters: they are never drawn */
    if (w == 0) cp = '?', w = 1;
    if (used + w > maxw) {
      ui_canvas_put(c, x + used, y, ' ', attr);
      used++;
      break;
    }
    ui_canvas_put(c, x + used, y, cp, attr);
    if (w == 2) ui_canvas_put(c, x + used + 1, y, 0, attr);
    used += w;
    p += len;
    n -= len;
  }
  return used;
}

int ui_canvas_printf(ui_canvas *c, int x, int y, int maxw, uint16_t attr, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return ui_canvas_text(c, x, y, maxw, buf, attr);
}

void ui_canvas_fill(ui_canvas *c, int x, int y, int w, int h, uint32_t ch, uint16_t attr)
{
  for (int j = y; j < y + h; j++)
    for (int i = x; i < x + w; i++) ui_canvas_put(c, i, j, ch, attr);
}

void ui_canvas_attr(ui_canvas *c, int x, int y, int w, uint16_t attr)
{
  if (y < 0 || y >= c->h) return;
  for (int i = x < 0 ? 0 : x; i < x + w && i < c->w; i++) c->cells[y * c->w + i].attr = attr;
}

void ui_canvas_box(ui_canvas *c, int x, int y, int w, int h, const char *title, uint16_t attr)
{
  if (w < 2 || h < 2) return;
  for (int i = x + 1; i < x + w - 1; i++) {
    ui_canvas_put(c, i, y, UI_HLINE, attr);
    ui_canvas_put(c, i, y + h - 1, UI_HLINE, attr);
  }
  for (int j = y + 1; j < y + h - 1; j++) {
    ui_canvas_put(c, x, j, UI_VLINE, attr);
    ui_canvas_put(c, x + w - 1, j, UI_VLINE, attr);
  }
  ui_canvas_put(c, x, y, UI_ULCORNER, attr);
  ui_canvas_put(c, x + w - 1, y, UI_URCORNER, attr);
  ui_canvas_put(c, x, y + h - 1, UI_LLCORNER, attr);
  ui_canvas_put(c, x + w - 1, y + h - 1, UI_LRCORNER, attr);
  if (title && *title && w > 4) {
    ui_canvas_put(c, x + 1, y, ' ', attr);
    int n = ui_canvas_text(c, x + 2, y, w - 4, title, attr | UI_BOLD);
    ui_canvas_put(c, x + 2 + n, y, ' ', attr);
  }
}

static void dump_row(const ui_canvas *c, int y, FILE *out)
{
  int last = c->w - 1;
  while (last >= 0 && c->cells[y * c->w + last].ch == ' ') last--;
  for (int x = 0; x <= last; x++) {
    uint32_t ch = c->cells[y * c->w + x].ch;
    char b[4];
    if (ch == 0) continue; /* right half of a wide character */
    fwrite(b, 1, scn_utf8_encode(ch, b), out);
  }
  fputc('\n', out);
}

void ui_canvas_dump(const ui_canvas *c, FILE *out)
{
  for (int y = 0; y < c->h; y++) dump_row(c, y, out);
}

void ui_canvas_dump_attrs(const ui_canvas *c, FILE *out)
{
  static const char roles[] = ".TbhsdoexkFFFFFF";
  for (int y = 0; y < c->h; y++) {
    dump_row(c, y, out);
    for (int x = 0; x < c->w; x++) fputc(roles[c->cells[y * c->w + x].attr & 0x0f], out);
    fputc('\n', out);
  }
}

int ui_canvas_width(const char *text)
{
  const uint8_t *p = (const uint8_t *)text;
  size_t n = strlen(text), len;
  int w = 0;
  while (n > 0) {
    uint32_t cp;
    int cw;
    if ((len = scn_utf8_decode(p, n, &cp)) == 0) len = 1, cp = '?';
    cw = scn_char_width(cp);
    w += cw ? cw : 1;
    p += len;
    n -= len;
  }
  return w;
}

int ui_canvas_cut(ui_canvas *c, int x, int y, int w, const char *text, uint16_t attr,
                  const char *ellipsis)
{
  int used;
  if (w <= 0) return 0;
  if (ui_canvas_width(text) <= w) return ui_canvas_text(c, x, y, w, text, attr);
  used = ui_canvas_text(c, x, y, w - 1, text, attr);
  if (used > w - 1) used = w - 1;
  return used + ui_canvas_text(c, x + used, y, 1, ellipsis, attr);
}
