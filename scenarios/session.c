/* session.c - the command queues: loading, running, parking and resuming commands.
 *
 * Each lane runs one command at a time. An exec function returns DONE, ERROR or WAIT; a
 * waiting command is finished by its waiter (after a bench event or at its deadline) or
 * by an asynchronous callback through scn_session_resume(). A failure is handed to an
 * `expect error` that follows it, otherwise reported; in the script lane it also stops
 * the scenario.
 */
#include "session-internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- sources and queue nodes ---- */

srcref *scn__srcref_new(scn_source *src)
{
  srcref *r = calloc(1, sizeof *r);
  if (r == NULL) return NULL;
  r->src = src;
  r->refs = 1; /* the loader's reference, dropped once its commands are queued */
  return r;
}

void scn__srcref_put(srcref *r)
{
  if (r != NULL && --r->refs == 0) {
    scn_source_free(r->src);
    free(r);
  }
}

void scn__node_free(qnode *n)
{
  scn_command_free(&n->cmd);
  scn__srcref_put(n->ref);
  free(n);
}

void scn__enqueue(lane *l, scn_command *cmd, srcref *ref)
{
  qnode *n = calloc(1, sizeof *n);
  if (n == NULL) {
    scn_command_free(cmd);
    return;
  }
  n->cmd = *cmd;
  n->ref = ref;
  ref->refs++;
  if (l->tail)
    l->tail->next = n;
  else
    l->head = n;
  l->tail = n;
}

void scn__drop_queue(lane *l)
{
  while (l->head) {
    qnode *n = l->head;
    l->head = n->next;
    scn__node_free(n);
  }
  l->tail = NULL;
}

lane *scn__lane_of_seq(scn_session *s, uint64_t seq)
{
  for (int i = 0; i < NLANES; i++)
    if (s->lanes[i].running && s->lanes[i].running->seq == seq) return &s->lanes[i];
  return NULL;
}

/* ---- running ---- */

static bool is_expect_error(const qnode *n)
{
  return n != NULL && strcmp(n->cmd.entry->name, "expect") == 0 && n->cmd.argc > 1 &&
         strcmp(n->cmd.argv[1].text, "error") == 0;
}

void scn__stop_waiting(lane *l)
{
  l->pausing = false;
  if (!l->waiting) return;
  l->waiting = false;
  uv_timer_stop(&l->deadline);
  free(l->waiter.data);
  memset(&l->waiter, 0, sizeof l->waiter);
}

/* Ends the lane's running command with `st`. */
static void finish(lane *l, scn_status st)
{
  scn_session *s = l->s;
  qnode *n = l->running;
  if (n == NULL) return;
  scn__stop_waiting(l);
  l->prev.valid = true;
  l->prev.code = st == SCN_ERROR ? l->err.code : 0;
  snprintf(l->prev.message, sizeof l->prev.message, "%s", st == SCN_ERROR ? l->err.message : "");
  l->running = NULL;
  if (st == SCN_ERROR && !is_expect_error(l->head)) {
    scn__report_error(s, n->cmd.src, l->err.line, l->err.col, l->err.width, l->err.code,
                      l->err.message);
    if (l->id == LANE_SCRIPT) {
      scn__node_free(n);
      scn__stop(s);
      return;
    }
  }
  if (l->keep_node)
    l->keep_node = false; /* a background send owns it now */
  else
    scn__node_free(n);
}

void scn__stop(scn_session *s)
{
  lane *l = &s->lanes[LANE_SCRIPT];
  if (l->stopped) return;
  l->stopped = true;
  s->sum.stopped = true;
  if (l->running) {
    scn__stop_waiting(l);
    scn__node_free(l->running);
    l->running = NULL;
  }
  scn__drop_queue(l);
  scn__bgsend_stop_lane(s, l);
  uv_timer_stop(&s->timeout);
  scn__report_done(s);
}

static void on_pacer(uv_timer_t *t)
{
  scn_session *s = t->data;
  s->paced = true;
  scn__advance(&s->lanes[LANE_SCRIPT]);
}

/* The script lane may be held back by stepping or by the pacing delay. */
static bool held(lane *l)
{
  scn_session *s = l->s;
  if (l->id != LANE_SCRIPT) return false;
  if (s->stepping && !s->step_once) return true;
  if (s->delay_ns > 0 && l->ran && !s->paced) {
    uv_timer_start(&s->pacer, on_pacer, (s->delay_ns + 999999) / 1000000, 0);
    return true;
  }
  s->paced = false;
  s->step_once = false;
  return false;
}

void scn__advance(lane *l)
{
  scn_session *s = l->s;
  bool ran = false;
  if (l->advancing) return; /* resumed from inside an exec: the outer loop continues */
  l->advancing = true;
  while (l->running == NULL && l->head != NULL && !l->stopped && !s->closing && !held(l)) {
    lane *outer = s->cur;
    scn_status st;
    l->running = l->head;
    l->head = l->head->next;
    if (l->head == NULL) l->tail = NULL;
    l->running->next = NULL;
    l->running->seq = ++s->seq;
    l->started = uv_hrtime();
    l->ran = ran = true;
    if (s->rep.command) s->rep.command(s->rep.arg, &l->running->cmd);
    s->cur = l;
    st = l->running->cmd.entry->exec(s, &l->running->cmd);
    s->cur = outer;
    if (st == SCN_WAIT && l->running != NULL) break;
    if (l->running != NULL) finish(l, st);
  }
  l->advancing = false;
  if (l->id == LANE_SCRIPT && l->running == NULL && l->head == NULL && !l->stopped && !s->closing &&
      (ran || l->resumed)) {
    l->resumed = false;
    uv_timer_stop(&s->timeout);
    scn__report_done(s);
  }
}

void scn__resume_lane(lane *l, scn_status status)
{
  if (l->running == NULL) return;
  finish(l, status);
  l->resumed = true;
  scn__advance(l);
}

void scn_session_resume(scn_session *s, uint64_t seq, scn_status status)
{
  lane *l = scn__lane_of_seq(s, seq);
  if (l != NULL) scn__resume_lane(l, status);
}

const scn_command *scn_command_for(scn_session *s, uint64_t seq, scn_waiter **w)
{
  lane *l = scn__lane_of_seq(s, seq);
  if (w) *w = (l && l->waiting) ? &l->waiter : NULL;
  return l ? &l->running->cmd : NULL;
}

uint64_t scn_command_seq(const scn_session *s)
{
  return s->cur && s->cur->running ? s->cur->running->seq : 0;
}

static void on_deadline(uv_timer_t *t)
{
  lane *l = t->data;
  scn_session *s = l->s;
  scn_status st = SCN_DONE;
  if (!l->waiting || l->running == NULL) return;
  if (l->waiter.expire) {
    lane *outer = s->cur;
    s->cur = l;
    st = l->waiter.expire(s, &l->running->cmd);
    s->cur = outer;
  }
  scn__resume_lane(l, st);
}

scn_status scn_wait(scn_session *s, scn_command *cmd, uint64_t timeout_ns, scn_waiter w)
{
  lane *l = s->cur;
  l->waiting = true;
  l->waiter = w;
  l->waiter.started = l->started;
  if (timeout_ns > 0) uv_timer_start(&l->deadline, on_deadline, (timeout_ns + 999999) / 1000000, 0);
  return SCN_WAIT;
}

void scn_session_mark_pausing(scn_session *s)
{
  s->cur->pausing = true;
}

scn_waiter *scn_current_waiter(scn_session *s)
{
  return s->cur && s->cur->waiting ? &s->cur->waiter : NULL;
}

const scn_outcome *scn_previous_outcome(const scn_session *s)
{
  return &s->cur->prev;
}

/* Parked commands re-check their condition once per loop pass after the bench had
 * events, not once per datagram: a flood costs one evaluation per batch. An idle handle
 * (active only while a check is due) makes that pass come at once, whichever phase the
 * event came from (a close event arrives after the poll phase). */
static void on_idle(uv_idle_t *h)
{
  scn_session *s = h->data;
  uv_idle_stop(h);
  s->poll_due = false;
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

/* Bench events: echo replies, and a note that parked commands should look again. */
static void on_event(const mcb_event *ev, void *arg)
{
  scn_session *s = arg;
  if (ev->type == MCB_EV_MESSAGE) {
    scn_sock *ss = mcb_socket_data(ev->sock);
    if (ss != NULL && ss->echo && ev->msg->src->len > offsetof(struct sockaddr_un, sun_path))
      (void)mcb_send_addr(ev->sock, ev->msg->data, ev->msg->len, ev->msg->src, NULL, NULL);
  }
  if (!s->poll_due && !s->closing) {
    s->poll_due = true;
    uv_idle_start(&s->idle, on_idle);
  }
}

static void on_timeout(uv_timer_t *t)
{
  scn_session *s = t->data;
  lane *l = &s->lanes[LANE_SCRIPT];
  char msg[300], dur[32], text[200] = "";
  const scn_command *cmd = l->running ? &l->running->cmd : NULL;
  if (l->stopped) return;
  s->sum.timed_out = true;
  scn_format_duration(s->opts.timeout_ns, dur, sizeof dur);
  if (cmd) scn_command_text(cmd, text, sizeof text);
  snprintf(msg, sizeof msg, "scenario timed out after %s%s%s", dur, cmd ? " while running: " : "",
           text);
  scn__report_error(s, cmd ? cmd->src : NULL, cmd ? cmd->line : 0, cmd ? cmd->argv[0].col : 0,
                    cmd ? cmd->argv[0].width : 0, UV_ETIMEDOUT, msg);
  scn__stop(s);
}

void scn_session_run(scn_session *s)
{
  if (!s->started && s->opts.timeout_ns > 0)
    uv_timer_start(&s->timeout, on_timeout, (s->opts.timeout_ns + 999999) / 1000000, 0);
  s->started = true;
  scn__advance(&s->lanes[LANE_SCRIPT]);
}

/* ---- public API ---- */

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
    scn__stop_waiting(l);
    if (l->running) {
      if (!l->keep_node) scn__node_free(l->running);
      l->running = NULL;
    }
    scn__drop_queue(l);
    uv_close((uv_handle_t *)&l->deadline, on_lane_timer_closed);
  }
  scn__bgsend_stop_lane(s, NULL);
  s->handles_open = NLANES + 3; /* lane deadlines, pacer, timeout, idle */
  uv_close((uv_handle_t *)&s->idle, on_session_timer_closed);
  uv_close((uv_handle_t *)&s->pacer, on_session_timer_closed);
  uv_close((uv_handle_t *)&s->timeout, on_session_timer_closed);
  mcb_bench_close(s->bench, on_bench_closed, s);
}
