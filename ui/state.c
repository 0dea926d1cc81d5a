/* state.c - the front end's state helpers (see state.h). */
#include "state.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
