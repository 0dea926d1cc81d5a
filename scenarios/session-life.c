/* session-life.c - a session's life: creating it, the bench events it listens to (echo
 * replies, waking parked commands, a closed socket cancelling its tasks), and closing it
 * once every handle has closed. */
#include "session-internal.h"

#include <stdlib.h>
#include <string.h>

/* Parked commands re-check their condition once per loop pass after the bench had
 * events, not once per datagram: a flood costs one evaluation per batch. An idle handle
 * (active only while a check is due) makes that pass come at once, whichever phase the
 * event came from (a close event arrives after the poll phase). */
/* The lab events the reporter was not told yet, oldest first (those pushed out of the
 * log meanwhile are skipped). */
static void tell_lab_events(scn_session *s)
{
  uint64_t next;
  mcb_lab_event ev;
  if (s->lab == NULL || s->lab_told == 0) return;
  next = mcb_lab_event_next(s->lab);
  for (; s->lab_told < next; s->lab_told++)
    if (s->rep.lab_event != NULL && mcb_lab_event_get(s->lab, s->lab_told, &ev) == 0)
      s->rep.lab_event(s->rep.arg, &ev);
}

static void on_idle(uv_idle_t *h)
{
  scn_session *s = h->data;
  uv_idle_stop(h);
  s->poll_due = false;
  tell_lab_events(s);
  for (int i = 0; i < NLANES; i++) {
    lane *l = &s->lanes[i], *outer = s->cur;
    scn_status st;
    bool finished;
    if (!l->waiting || l->waiter.poll == NULL || l->running == NULL) continue;
    s->cur = l;
    finished = l->waiter.poll(s, &l->running->cmd, &st);
    s->cur = outer;
    if (finished) scn__resume_lane(l, st);
  }
}

static void on_echo_sent(mcb_socket *sock, const mcb_send_result *r, void *arg)
{
  scn_count_send(sock, r->status);
}

/* Reflects a datagram to its sender. A probe goes back marked as an echo reply (its
 * sender measures the round trip); an echo reply is never reflected, so two echoing
 * sockets cannot loop. Other payloads go back unchanged. */
static void echo(scn_session *s, const mcb_event *ev)
{
  const mcb_message *m = ev->msg;
  mcb_probe pr;
  uint8_t *copy = NULL;
  const void *data = m->data;
  int rc;
  if (mcb_probe_decode(m->data, m->len, 0, &pr) == 0) {
    if (pr.flags & MCB_PROBE_ECHO) return;
    if ((copy = malloc(m->len)) == NULL) {
      scn_count_send(ev->sock, UV_ENOMEM);
      return;
    }
    memcpy(copy, m->data, m->len);
    pr.flags |= MCB_PROBE_ECHO;
    mcb_probe_encode_header(&pr, copy, m->len);
    data = copy;
  }
  rc = mcb_send_addr(ev->sock, data, m->len, m->src, on_echo_sent, NULL); /* copies */
  free(copy);
  if (rc != 0) scn_count_send(ev->sock, mcb_last_error_code(s->bench));
}

void scn_session_poke(scn_session *s)
{
  if (!s->poll_due && !s->closing) {
    s->poll_due = true;
    uv_idle_start(&s->idle, on_idle);
  }
}

/* Bench events: echo replies, a closed socket's tasks cancelled (whoever closed it), and
 * a note that parked commands should look again. */
static void on_event(const mcb_event *ev, void *arg)
{
  scn_session *s = arg;
  if (ev->type == MCB_EV_MESSAGE) {
    scn_sock *ss = mcb_socket_data(ev->sock);
    if (ss != NULL && ss->echo && ev->msg->src->len > offsetof(struct sockaddr_un, sun_path))
      echo(s, ev);
  }
  if (ev->type == MCB_EV_CLOSE) scn_tasks_cancel(s, ev->sock);
  scn_session_poke(s);
}

int scn_session_new(uv_loop_t *loop, const scn_session_opts *opts, const scn_reporter *rep,
                    scn_session **out)
{
  scn_session *s = calloc(1, sizeof *s);
  mcb_limits lim;
  int rc;

  *out = NULL;
  if (s == NULL) return UV_ENOMEM;
  s->loop = loop;
  if (opts) s->opts = *opts;
  if (rep) s->rep = *rep;
  if (s->opts.limits) {
    lim = *s->opts.limits;
  } else {
    mcb_limits_default(&lim);
    lim.payload_cap = 1500; /* `expect payload` compares up to a full Ethernet frame */
  }
  if ((rc = mcb_bench_new(loop, &lim, &s->bench)) != 0) {
    free(s);
    return rc;
  }
  mcb_observe(s->bench, on_event, s);
  s->ck.vars = &s->vars;
  scn_checker_default_nodes(&s->ck);
  s->cur = &s->lanes[LANE_OPERATOR];
  for (int i = 0; i < NLANES; i++) {
    s->lanes[i].s = s;
    s->lanes[i].id = i;
    uv_timer_init(loop, &s->lanes[i].deadline);
    s->lanes[i].deadline.data = &s->lanes[i];
  }
  uv_timer_init(loop, &s->pacer);
  uv_timer_init(loop, &s->timeout);
  s->pacer.data = s->timeout.data = s;
  uv_idle_init(loop, &s->idle);
  s->idle.data = s;
  scn__watch_default_lab(s);
  *out = s;
  return 0;
}

/* ---- closing ---- */

static void maybe_free(scn_session *s)
{
  if (s->handles_open > 0 || !s->bench_gone) return;
  while (s->kept) {
    srcref *r = s->kept;
    s->kept = r->next;
    scn__srcref_put(r);
  }
  mcb_lab_free(s->lab); /* after the bench: no socket of a node is left open */
  if (s->close_done) s->close_done(s->close_arg);
  free(s);
}

static void handle_closed(scn_session *s)
{
  s->handles_open--;
  maybe_free(s);
}

static void on_lane_timer_closed(uv_handle_t *h)
{
  handle_closed(((lane *)h->data)->s);
}

static void on_session_timer_closed(uv_handle_t *h)
{
  handle_closed(h->data);
}

static void on_bench_closed(mcb_bench *b, void *arg)
{
  scn_session *s = arg;
  s->bench_gone = true;
  maybe_free(s); /* the bench itself is freed after this callback returns */
}

void scn_session_close(scn_session *s, void (*done)(void *), void *arg)
{
  if (s->closing) return;
  s->closing = true;
  s->close_done = done;
  s->close_arg = arg;
  for (int i = 0; i < NLANES; i++) {
    lane *l = &s->lanes[i];
    scn__lane_clear(l);
    uv_close((uv_handle_t *)&l->deadline, on_lane_timer_closed);
  }
  scn__tasks_stop(s, -1);
  if (s->lab != NULL) mcb_lab_unwatch(s->lab); /* its handles close with the session's */
  s->handles_open = NLANES + 3;                /* lane deadlines, pacer, timeout, idle */
  uv_close((uv_handle_t *)&s->idle, on_session_timer_closed);
  uv_close((uv_handle_t *)&s->pacer, on_session_timer_closed);
  uv_close((uv_handle_t *)&s->timeout, on_session_timer_closed);
  mcb_bench_close(s->bench, on_bench_closed, s);
}
