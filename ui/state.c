/* state.c - the front end's state helpers (see state.h). */
#include "state.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void ui_state_init(ui_state *st)
{
  memset(st, 0, sizeof *st);
  st->utf8 = true;
  snprintf(st->title, sizeof st->title, "interactive");
}

void ui_state_set_status(ui_state *st, bool error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  mcb_vmsgf(st->status, sizeof st->status, fmt, ap);
  va_end(ap);
  st->status_error = error;
  {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ui_state_log(st, error, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, st->status);
  }
}

void ui_state_log(ui_state *st, bool error, int64_t real_ns, const char *text)
{
  ui_log_entry *e = &st->log[st->log_end];
  e->real_ns = real_ns;
  e->error = error;
  mcb_msgf(e->text, sizeof e->text, "%s", text);
  st->log_end = (st->log_end + 1) % UI_LOG_MAX;
  if (st->log_n < UI_LOG_MAX) st->log_n++;
}

const ui_log_entry *ui_state_log_at(const ui_state *st, size_t i)
{
  if (i >= st->log_n) return NULL;
  return &st->log[(st->log_end + UI_LOG_MAX - 1 - i) % UI_LOG_MAX];
}

void ui_state_say(ui_state *st, const char *text)
{
  size_t n = UI_NARRATION_KEPT - 1;
  if (st->narration[0]) {
    memmove(&st->narration_old[0], &st->narration_old[1], (n - 1) * sizeof st->narration_old[0]);
    snprintf(st->narration_old[n - 1], sizeof st->narration_old[0], "%s", st->narration);
  }
  snprintf(st->narration, sizeof st->narration, "%s", text);
}

void ui_state_add_result(ui_state *st, const char *text, bool passed)
{
  if (st->nresults == UI_RESULTS_SHOWN) {
    memmove(&st->results[0], &st->results[1], (UI_RESULTS_SHOWN - 1) * sizeof st->results[0]);
    st->nresults--;
  }
  snprintf(st->results[st->nresults].text, sizeof st->results[0].text, "%s", text);
  st->results[st->nresults].passed = passed;
  st->nresults++;
  if (passed)
    st->passed++;
  else
    st->failed++;
}

ui_pane_state *ui_state_pane(ui_state *st, uint64_t peer_id)
{
  ui_pane_state *lru = &st->panes[0];
  for (size_t i = 0; i < UI_MAX_PANE_STATES; i++) {
    ui_pane_state *p = &st->panes[i];
    if (p->peer_id == peer_id && peer_id != 0) {
      p->used = ++st->pane_clock;
      return p;
    }
    if (p->used < lru->used) lru = p;
  }
  memset(lru, 0, sizeof *lru);
  lru->peer_id = peer_id;
  lru->used = ++st->pane_clock;
  return lru;
}

const ui_pane_state *ui_state_find_pane(const ui_state *st, uint64_t peer_id)
{
  for (size_t i = 0; i < UI_MAX_PANE_STATES; i++)
    if (st->panes[i].peer_id == peer_id && peer_id != 0) return &st->panes[i];
  return NULL;
}
