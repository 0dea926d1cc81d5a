/* render-util.c - number, time and hit-region helpers shared by the panes. */
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void ui_fmt_bytes(uint64_t n, char *buf, size_t size)
{
  if (n < 1000)
    snprintf(buf, size, "%llu", (unsigned long long)n);
  else if (n < 1000000)
    snprintf(buf, size, "%.1fK", (double)n / 1e3);
  else if (n < 1000000000)
    snprintf(buf, size, "%.1fM", (double)n / 1e6);
  else
    snprintf(buf, size, "%.1fG", (double)n / 1e9);
}

void ui_fmt_rate(double r, char *buf, size_t size)
{
  if (r < 0.05)
    snprintf(buf, size, "0");
  else if (r < 100)
    snprintf(buf, size, "%.1f", r);
  else if (r < 1000)
    snprintf(buf, size, "%.0f", r);
  else if (r < 1e6)
    snprintf(buf, size, "%.1fK", r / 1e3);
  else
    snprintf(buf, size, "%.1fM", r / 1e6);
}

void ui_fmt_time(int64_t ns, char *buf, size_t size)
{
  time_t secs = (time_t)(ns / 1000000000);
  struct tm tm;
  if (ns <= 0 || localtime_r(&secs, &tm) == NULL) {
    snprintf(buf, size, "--:--:--.---");
    return;
  }
  snprintf(buf, size, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
           (int)(ns / 1000000 % 1000));
}

void ui_add_hit(ui_layout *lay, int x, int y, int w, int h, const char *fmt, ...)
{
  va_list ap;
  ui_hit *hit;
  if (lay->nhits == UI_MAX_HITS) return;
  hit = &lay->hits[lay->nhits++];
  hit->r = (ui_rect){x, y, w, h};
  va_start(ap, fmt);
  vsnprintf(hit->command, sizeof hit->command, fmt, ap);
  va_end(ap);
}

const char *ui_ellipsis(const ui_state *st)
{
  return st->utf8 && !st->ascii ? "\u2026" : "~";
}

void ui_fit(const ui_state *st, char *text, size_t size, int w)
{
  const char *ell = ui_ellipsis(st);
  size_t keep = strlen(text);
  if (w < 1 || ui_canvas_width(text) <= w) return;
  /* drop whole characters from the end until the text and the ellipsis fit */
  while (keep > 0) {
    do keep--;
    while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80);
    text[keep] = '\0';
    if (ui_canvas_width(text) + 1 <= w) break;
  }
  if (keep + strlen(ell) < size) memcpy(text + keep, ell, strlen(ell) + 1);
}
