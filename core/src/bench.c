/* bench.c - the bench: owner of a loop's sockets, its limits and its observers.
 *
 * Several benches may share one loop. Events fan out to observers in registration order;
 * observers removed during an event are skipped at once and compacted afterwards.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *mcb_version(void)
{
  return MCB_VERSION_STRING;
}

void mcb_limits_default(mcb_limits *l)
{
  l->max_sockets = 256;
  l->max_peers = 256;
  l->history = 32;
  l->payload_cap = 256;
  l->rx_batch = 32;
  l->send_queue_bytes = 4u << 20;
  l->rate_window_ns = 1000000000ull;
  l->max_groups = MCB_MAX_GROUPS;
}

static bool limits_valid(const mcb_limits *l)
{
  return l->max_sockets >= 1 && l->max_sockets <= 65536 && l->max_peers >= 1 &&
         l->max_peers <= (1u << 20) && l->history >= 1 && l->history <= 65536 &&
         l->payload_cap <= 65536 && l->rx_batch >= 1 && l->rx_batch <= 1024 &&
         l->send_queue_bytes >= 65536 && l->rate_window_ns >= 10000000ull;
}

int mcb_bench_new(uv_loop_t *loop, const mcb_limits *limits, mcb_bench **out)
{
  mcb_bench *b;
  int rc;

  *out = NULL;
  if (loop == NULL) return UV_EINVAL;
  b = calloc(1, sizeof *b);
  if (b == NULL) return UV_ENOMEM;
  b->loop = loop;
  if (limits != NULL)
    b->limits = *limits;
  else
    mcb_limits_default(&b->limits);
  if (!limits_valid(&b->limits)) {
    free(b);
    return UV_EINVAL;
  }
  mcb__list_init(&b->sockets);
  if (uv_random(NULL, NULL, b->hash_key, sizeof b->hash_key, 0, NULL) != 0) {
    b->hash_key[0] = uv_hrtime();
    b->hash_key[1] = (uint64_t)(uintptr_t)b;
  }
  b->next_peer_id = 1;
  if ((rc = mcb__rx_new(b)) != 0) {
    free(b);
    return rc;
  }
  *out = b;
  return 0;
}

uv_loop_t *mcb_bench_loop(const mcb_bench *bench)
{
  return bench->loop;
}

int mcb_observe(mcb_bench *b, mcb_observer_cb cb, void *arg)
{
  size_t i;
  if (cb == NULL) return mcb__fail(b, UV_EINVAL, "no callback", "observe");
  for (i = 0; i < b->nobservers; i++)
    if (b->observers[i].cb == NULL) break;
  if (i == MCB_MAX_OBSERVERS)
    return mcb__fail(b, UV_ENOBUFS, "too many observers (limit " MCB__STR(MCB_MAX_OBSERVERS) ")",
                     "observe");
  b->observers[i].cb = cb;
  b->observers[i].arg = arg;
  if (i == b->nobservers) b->nobservers++;
  return 0;
}

int mcb_unobserve(mcb_bench *b, mcb_observer_cb cb, void *arg)
{
  for (size_t i = 0; i < b->nobservers; i++) {
    if (b->observers[i].cb == cb && b->observers[i].arg == arg) {
      b->observers[i].cb = NULL; /* a free slot; safe while an event is being delivered */
      while (b->nobservers > 0 && b->observers[b->nobservers - 1].cb == NULL) b->nobservers--;
      return 0;
    }
  }
  return mcb__fail(b, UV_ENOENT, "not an observer of this bench", "unobserve");
}

void mcb__emit(mcb_bench *b, const mcb_event *ev)
{
  for (size_t i = 0; i < b->nobservers; i++)
    if (b->observers[i].cb != NULL) b->observers[i].cb(ev, b->observers[i].arg);
}

static void bench_free(mcb_bench *b)
{
  while (!mcb__list_empty(&b->sockets)) {
    mcb_socket *s = MCB__CONTAINER(b->sockets.next, mcb_socket, link);
    mcb__list_remove(&s->link);
    mcb__peers_free(&s->peers);
    free(s->groups);
    free(s);
  }
  mcb__rx_free(b);
  free(b);
}

static void maybe_finish_close(mcb_bench *b)
{
  if (!b->closing || b->nsockets_open > 0 || b->nsockets_closing > 0) return;
  if (b->close_done != NULL) b->close_done(b, b->close_arg);
  bench_free(b);
}

void mcb__socket_released(mcb_socket *s)
{
  mcb_bench *b = s->bench;
  b->nsockets_closing--;
  maybe_finish_close(b);
}

void mcb_bench_close(mcb_bench *b, void (*done)(mcb_bench *, void *), void *arg)
{
  mcb__link *l, *next;
  if (b->closing) return;
  b->closing = true;
  b->close_done = done;
  b->close_arg = arg;
  b->nobservers = 0; /* nobody is told about the teardown */
  for (l = b->sockets.next; l != &b->sockets; l = next) {
    next = l->next;
    mcb_socket *s = MCB__CONTAINER(l, mcb_socket, link);
    if (s->state == MCB_STATE_OPEN || s->state == MCB_STATE_BOUND) mcb_close(s);
  }
  maybe_finish_close(b);
}
