/* peer-figures.c - a peer's traffic figures as the peer panes and the peer list draw them:
 * the traffic line (loss, duplicates, reordering, delay, jitter, round trip) and the
 * sparkline of its last seconds (UTF-8 bars, or ASCII on a terminal without them). */
#include "render.h"

#include "values.h"

#include <stdio.h>
#include <string.h>

/* The last `w` seconds of the per-second history as bars scaled to their maximum; nothing
 * when they are all zero. Returns the cells drawn. */
int ui_sparkline(const ui_state *st, ui_canvas *c, int x, int y, int w, const ui_peer_view *p)
{
  static const char *const bars[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                     "\u2585", "\u2586", "\u2587", "\u2588"};
  static const char ascii[] = "_.-~=+*#";
  uint32_t max = 0;
  if (w > UI_SPARK) w = UI_SPARK;
  if (w <= 0) return 0;
  for (int i = UI_SPARK - w; i < UI_SPARK; i++)
    if (p->spark[i] > max) max = p->spark[i];
  if (max == 0) return 0;
  for (int i = 0; i < w; i++) {
    uint32_t v = p->spark[UI_SPARK - w + i];
    int level = v == 0 ? -1 : (int)((uint64_t)v * 7 / max);
    char cell[2] = {level < 0 ? ' ' : ascii[level], '\0'};
    ui_canvas_text(c, x + i, y, 1, level >= 0 && st->utf8 && !st->ascii ? bars[level] : cell,
                   UI_R_HEADER);
  }
  return w;
}

/* The traffic line of a peer whose payloads carry sequence numbers or send times: the most
 * telling figures first, as many as fit. */
void ui_traffic_line(ui_canvas *c, int x, int y, int w, const ui_peer_view *p)
{
  char parts[7][64], d[16];
  int n = 0, left = w;
  if (p->sequenced) {
    snprintf(parts[n++], sizeof parts[0], "%s loss %.2f%% (%llu/%llu)", p->kind, p->loss_pct,
             (unsigned long long)p->lost, (unsigned long long)p->expected);
    snprintf(parts[n++], sizeof parts[0], " dup %llu", (unsigned long long)p->dups);
    snprintf(parts[n++], sizeof parts[0], " reord %llu", (unsigned long long)p->reordered);
  } else {
    snprintf(parts[n++], sizeof parts[0], "%s", p->kind);
  }
  if (p->has_delay) {
    scn_format_delay(p->delay_ns, d, sizeof d);
    snprintf(parts[n++], sizeof parts[0], " delay %s", d);
    scn_format_delay(p->jitter_ns, d, sizeof d);
    snprintf(parts[n++], sizeof parts[0], " jitter %s", d);
  }
  if (p->has_rtt) {
    scn_format_delay(p->rtt_ns, d, sizeof d);
    snprintf(parts[n++], sizeof parts[0], " rtt %s", d);
  }
  if (p->invalid)
    snprintf(parts[n++], sizeof parts[0], " invalid %llu", (unsigned long long)p->invalid);
  for (int i = 0; i < n; i++) {
    int len = (int)strlen(parts[i]);
    if (len > left) continue;
    uint16_t attr = i == 0 && p->sequenced && p->lost ? UI_R_ERROR : UI_R_HEADER;
    x += ui_canvas_text(c, x, y, left, parts[i], attr);
    left -= len;
  }
}
