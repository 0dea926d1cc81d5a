/* testlib.c - shared test helpers: private namespace, bounded loops, event recorder. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

static int net_state; /* 0 unknown, 1 ready, -1 unavailable: per process, set in main() */

bool mcbt_private_network(void)
{
  char err[256];
  if (net_state == 0) {
    if (mcb_private_network(err, sizeof err) == 0) {
      net_state = 1;
    } else {
      net_state = -1;
      fprintf(stderr, "SKIP network tests: %s\n", err);
    }
  }
  return net_state == 1;
}

bool mcbt_private_lab(void)
{
  char err[256];
  if (net_state == 0) {
    if (mcb_private_lab(err, sizeof err) == 0) {
      net_state = 1;
    } else {
      net_state = -1;
      fprintf(stderr, "SKIP network tests: %s\n", err);
    }
  }
  return net_state == 1;
}

bool mcbt_have_net(void)
{
  return net_state == 1;
}

typedef struct until {
  bool (*done)(void *);
  void *arg;
  bool timed_out;
} until;

/* uv_stop too: libuv runs due timers at the start of a UV_RUN_ONCE pass and then polls;
 * without a stop, a timer already due when the pass starts (the caller was busy longer
 * than the timeout) would leave that poll waiting forever. */
static void on_timeout(uv_timer_t *t)
{
  ((until *)t->data)->timed_out = true;
  uv_stop(t->loop);
}

bool mcbt_run_until(uv_loop_t *loop, bool (*done)(void *), void *arg, unsigned timeout_ms)
{
  uv_timer_t timer;
  until u = {done, arg, false};
  uv_timer_init(loop, &timer);
  timer.data = &u;
  uv_update_time(loop); /* the timeout counts from now, not from the loop's last pass */
  uv_timer_start(&timer, on_timeout, timeout_ms, 0);
  while (!u.timed_out && (done == NULL || !done(arg))) uv_run(loop, UV_RUN_ONCE);
  uv_close((uv_handle_t *)&timer, NULL);
  uv_run(loop, UV_RUN_NOWAIT);
  return done != NULL && done(arg);
}

void mcbt_run_for(uv_loop_t *loop, unsigned ms)
{
  (void)mcbt_run_until(loop, NULL, NULL, ms);
}

static void close_walk(uv_handle_t *h, void *arg)
{
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

void mcbt_loop_close(uv_loop_t *loop)
{
  uv_walk(loop, close_walk, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(loop), 0);
}

static void record(const mcb_event *ev, void *arg)
{
  mcbt_bench *t = arg;
  switch (ev->type) {
  case MCB_EV_LISTENING:
    t->listening++;
    break;
  case MCB_EV_CLOSE:
    t->closes++;
    break;
  case MCB_EV_ERROR:
    t->errors++;
    break;
  case MCB_EV_CHANGED:
    t->changed++;
    break;
  case MCB_EV_SENT_BATCH:
    break;
  case MCB_EV_SENT:
    t->sent++;
    t->last_send_status = ev->sent->status;
    break;
  case MCB_EV_MESSAGE: {
    const mcb_message *m = ev->msg;
    t->messages++;
    if (t->nmsgs < MCBT_MAX_MSGS) {
      mcbt_msg *r = &t->msgs[t->nmsgs++];
      r->sock = ev->sock;
      r->src = *m->src;
      r->dst = *m->dst;
      r->ifindex = m->ifindex;
      r->ttl = m->ttl;
      r->len = m->len;
      r->wire_len = m->wire_len;
      r->truncated = m->truncated;
      memcpy(r->data, m->data, m->len < sizeof r->data ? m->len : sizeof r->data);
    }
    break;
  }
  }
}

void mcbt_bench_init(mcbt_bench *t)
{
  memset(t, 0, sizeof *t);
  assert_int_equal(uv_loop_init(&t->loop), 0);
  assert_int_equal(mcb_bench_new(&t->loop, NULL, &t->bench), 0);
  assert_int_equal(mcb_observe(t->bench, record, t), 0);
}

static void bench_gone(mcb_bench *b, void *arg)
{
  *(bool *)arg = true;
}

static bool flag_set(void *arg)
{
  return *(bool *)arg;
}

void mcbt_bench_done(mcbt_bench *t)
{
  bool gone = false;
  mcb_bench_close(t->bench, bench_gone, &gone);
  assert_true(mcbt_run_until(&t->loop, flag_set, &gone, 5000));
  mcbt_loop_close(&t->loop);
}

size_t mcbt_count_for(const mcbt_bench *t, const mcb_socket *s)
{
  size_t n = 0;
  for (size_t i = 0; i < t->nmsgs; i++)
    if (t->msgs[i].sock == s) n++;
  return n;
}

typedef struct wait_msgs {
  mcbt_bench *t;
  const mcb_socket *s;
  size_t n;
} wait_msgs;

static bool have_msgs(void *arg)
{
  wait_msgs *w = arg;
  return mcbt_count_for(w->t, w->s) >= w->n;
}

size_t mcbt_wait_msgs(mcbt_bench *t, const mcb_socket *s, size_t n, unsigned timeout_ms)
{
  wait_msgs w = {t, s, n};
  mcbt_run_until(&t->loop, have_msgs, &w, timeout_ms);
  return mcbt_count_for(t, s);
}

typedef struct send_wait {
  bool done;
  int status;
} send_wait;

static void on_sent(mcb_socket *s, const mcb_send_result *r, void *arg)
{
  send_wait *w = arg;
  w->done = true;
  w->status = r->status;
}

int mcbt_send_sync(mcbt_bench *t, mcb_socket *s, const void *buf, size_t len, const char *dest)
{
  send_wait w = {false, 0};
  int rc = mcb_send(s, buf, len, dest, on_sent, &w);
  if (rc != 0) return rc;
  assert_true(mcbt_run_until(&t->loop, flag_set, &w.done, 5000));
  return w.status;
}

mcb_socket *mcbt_open_bound(mcbt_bench *t, mcb_family f, unsigned flags, const char *host, int port)
{
  mcb_socket *s = NULL;
  assert_int_equal(mcb_open(t->bench, f, flags, &s), 0);
  if (mcb_bind(s, host, port) != 0) fail_msg("bind: %s", mcb_last_error(t->bench));
  return s;
}

int mcbt_port(const mcb_socket *s)
{
  mcb_addr a;
  assert_int_equal(mcb_address(s, &a), 0);
  return mcb_addr_port(&a);
}
