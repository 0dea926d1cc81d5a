/* bgsend.c - background sends (`send ... count N every DUR`).
 *
 * Paced by absolute deadlines t0 + k * interval, so timer lateness never accumulates
 * into drift; when the loop falls behind, a bounded burst catches up, and when the
 * socket cannot keep up the sender waits for it (at most MAX_INFLIGHT pending). A failed send is
 * reported with the `send` line's position and stops that sender (and, headless, the
 * scenario, like any failed command).
 */
#include "session-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BACKGROUND 64
#define MAX_BURST      64
/* Sends handed to the core and not yet completed: past this the sender waits, so a fast
 * pace cannot outrun the socket and fill its queue (backpressure, not ENOBUFS). */
#define MAX_INFLIGHT 64

static void bg_free_if_idle(scn_bgsend *bg)
{
  if (!bg->stopped || bg->inflight > 0 || !bg->timer_closed) return;
  if (bg->node) scn__node_free(bg->node);
  free(bg->payload);
  free(bg);
}

static void on_timer_closed(uv_handle_t *h)
{
  scn_bgsend *bg = h->data;
  bg->timer_closed = true;
  bg_free_if_idle(bg);
}

/* Unlinks the sender from its session; it frees itself once its sends have completed. */
static void bg_stop(scn_bgsend *bg)
{
  scn_session *s = bg->s;
  if (bg->stopped) return;
  bg->stopped = true;
  for (scn_bgsend **pp = &s->bg; *pp; pp = &(*pp)->next)
    if (*pp == bg) {
      *pp = bg->next;
      s->nbg--;
      break;
    }
  uv_close((uv_handle_t *)&bg->timer, on_timer_closed);
}

static void bg_error(scn_bgsend *bg, int code, const char *message)
{
  scn_session *s = bg->s;
  const scn_command *cmd = &bg->node->cmd;
  char text[400];
  snprintf(text, sizeof text, "%s (background send %llu of %llu)", message,
           (unsigned long long)bg->done + 1, (unsigned long long)bg->count);
  scn__report_error(s, cmd->src, cmd->line, cmd->argv[0].col, cmd->argv[0].width, code, text);
  bg_stop(bg);
  if (bg->lane->id == LANE_SCRIPT) scn__stop(s); /* like any failed script command */
}

static void schedule(scn_bgsend *bg);

static void on_sent(mcb_socket *sock, const mcb_send_result *r, void *arg)
{
  scn_bgsend *bg = arg;
  bg->inflight--;
  if (bg->stopped) {
    bg_free_if_idle(bg);
    return;
  }
  if (r->status != 0) {
    bg_error(bg, r->status, r->message);
    bg_free_if_idle(bg);
    return;
  }
  bg->done++;
  if (bg->done == bg->count) {
    scn_note(bg->s, &bg->node->cmd, "%s: background send done, %llu datagrams", bg->ss->name,
             (unsigned long long)bg->count);
    bg_stop(bg);
    bg_free_if_idle(bg);
  }
}

static void tick(uv_timer_t *t)
{
  scn_bgsend *bg = t->data;
  uint64_t now = uv_hrtime();
  unsigned burst = 0;
  while (bg->issued < bg->count && bg->t0 + bg->issued * bg->interval_ns <= now &&
         bg->inflight < MAX_INFLIGHT && burst++ < MAX_BURST) {
    if (mcb_send(bg->ss->sock, bg->payload, bg->len, bg->dest, on_sent, bg) != 0) {
      mcb_bench *b = mcb_socket_bench(bg->ss->sock);
      bg_error(bg, mcb_last_error_code(b), mcb_last_error(b));
      return;
    }
    bg->issued++;
    bg->inflight++;
  }
  schedule(bg);
}

static void schedule(scn_bgsend *bg)
{
  uint64_t now = uv_hrtime(), next;
  if (bg->stopped || bg->issued >= bg->count) return;
  next = bg->t0 + bg->issued * bg->interval_ns;
  /* At least 1 ms: a timer re-armed with 0 from its own callback runs again before the
   * loop polls anything, so the socket would never drain (libuv 1.44). */
  uv_timer_start(&bg->timer, tick, next > now + 1000000 ? (next - now) / 1000000 : 1, 0);
}

int scn_bgsend_start(scn_session *s, const scn_command *cmd, scn_sock *ss, const char *dest,
                     uint8_t *payload, size_t len, uint64_t count, uint64_t interval_ns)
{
  scn_bgsend *bg;
  if (s->nbg >= MAX_BACKGROUND) {
    free(payload);
    return UV_ENOBUFS;
  }
  bg = calloc(1, sizeof *bg);
  if (bg == NULL) {
    free(payload);
    return UV_ENOMEM;
  }
  bg->s = s;
  bg->lane = scn__lane_of_running(s);
  bg->node = bg->lane->running; /* the session hands the command over (keep_node) */
  bg->lane->keep_node = true;
  bg->ss = ss;
  snprintf(bg->dest, sizeof bg->dest, "%s", dest);
  bg->payload = payload;
  bg->len = len;
  bg->count = count;
  bg->interval_ns = interval_ns;
  bg->t0 = uv_hrtime();
  uv_timer_init(s->loop, &bg->timer);
  bg->timer.data = bg;
  bg->next = s->bg;
  s->bg = bg;
  s->nbg++;
  (void)cmd;
  /* The first datagram leaves on the next loop pass, not from inside the exec. */
  uv_timer_start(&bg->timer, tick, 0, 0);
  return 0;
}

void scn__bgsend_stop_lane(scn_session *s, const lane *l)
{
  scn_bgsend *bg = s->bg, *next;
  for (; bg; bg = next) {
    next = bg->next;
    if (l != NULL && bg->lane != l) continue;
    bg_stop(bg);
    bg_free_if_idle(bg);
  }
}

size_t scn_session_background_sends(const scn_session *s)
{
  return s->nbg;
}
