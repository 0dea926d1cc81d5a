/* session.c - the command queues: loading, running, parking and resuming commands.
 *
 * Each lane runs one command at a time. An exec function returns DONE, ERROR or WAIT; a
 * waiting command is finished by its waiter (after a bench event or at its deadline) or
 * by an asynchronous callback through scn_session_resume(). A failure is handed to an
 * `expect error` that follows it, otherwise reported; in the script lane it also stops
 * the scenario and the background tasks its commands started.
 */
#include "session-internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- sources and queue nodes ---- */

static void node_free(qnode *n)
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

static void drop_queue(lane *l)
{
  while (l->head) {
    qnode *n = l->head;
    l->head = n->next;
    node_free(n);
  }
  l->tail = NULL;
}

/* ---- running ---- */

static bool is_expect_error(const qnode *n)
{
  return n != NULL && strcmp(n->cmd.entry->name, "expect") == 0 && scn_arg(&n->cmd, "error");
}

static void stop_script(scn_session *s);

static void stop_waiting(lane *l)
{
  l->pausing = false;
  if (!l->waiting) return;
  l->waiting = false;
  uv_timer_stop(&l->deadline);
  free(l->waiter.data);
  memset(&l->waiter, 0, sizeof l->waiter);
}

void scn__lane_clear(lane *l)
{
  stop_waiting(l);
  if (l->running) {
    node_free(l->running);
    l->running = NULL;
  }
  drop_queue(l);
}

/* Ends the lane's running command with `st`. */
static void finish(lane *l, scn_status st)
{
  scn_session *s = l->s;
  qnode *n = l->running;
  if (n == NULL) return;
  stop_waiting(l);
  l->prev.valid = true;
  l->prev.code = st == SCN_ERROR ? l->err.code : 0;
  mcb_msgf(l->prev.message, sizeof l->prev.message, "%s", st == SCN_ERROR ? l->err.message : "");
  l->running = NULL;
  if (st == SCN_ERROR && !is_expect_error(l->head)) {
    scn__report_error(s, n->cmd.src, l->err.line, l->err.col, l->err.width, l->err.code,
                      l->err.message);
    if (l->id == LANE_SCRIPT) {
      node_free(n);
      stop_script(s);
      return;
    }
  }
  node_free(n);
}

/* Stops the script lane: a failure without `expect error`, or the timeout. */
static void stop_script(scn_session *s)
{
  lane *l = &s->lanes[LANE_SCRIPT];
  if (l->stopped) return;
  l->stopped = true;
  s->sum.stopped = true;
  scn__lane_clear(l);
  scn__tasks_stop(s, LANE_SCRIPT);
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
    uv_timer_start(&s->pacer, on_pacer, scn_ms_ceil(s->delay_ns), 0);
    return true;
  }
  s->paced = false;
  s->step_once = false;
  return false;
}

/* The lab node the command's socket lives in, or NULL: its resolved target, or the
 * socket its NAME names when the verb resolves its own (`set`); never for a verb that
 * declares the name (`open` chooses the node itself). */
static const char *node_of(scn_session *s, const lane *l, const scn_command *cmd)
{
  const scn_sock *ss = l->target;
  const scn_token *name;
  if (s->lab == NULL) return NULL;
  if (ss == NULL && !(cmd->entry->flags & SCN_F_DECLARES) && (name = scn_arg(cmd, "NAME")) != NULL)
    ss = scn_find_sock(s, name->text);
  return ss != NULL && ss->node[0] ? ss->node : NULL;
}

scn_status scn__exec(scn_session *s, lane *l, scn_command *cmd)
{
  const char *node;
  lane *outer = s->cur;
  scn_sock *parked = l->target; /* an immediate command must not change a parked one's */
  scn_status st;
  s->cur = l;
  l->target = NULL;
  st = scn__resolve_target(s, l, cmd);
  node = st == SCN_DONE ? node_of(s, l, cmd) : NULL;
  if (node != NULL) {
    /* A socket of a lab node: interface names and addresses it is given are the node's,
     * so the command runs inside the node (the thread returns home right after). */
    mcb_lab *lab = s->lab;
    if (mcb_lab_enter(lab, node) != 0)
      st = scn_fail(s, cmd, NULL, UV_EIO, "%s", mcb_lab_last_error(lab));
    else {
      st = cmd->entry->exec(s, cmd);
      if (mcb_lab_leave(lab) != 0) abort(); /* never go on in the wrong namespace */
    }
  } else if (st == SCN_DONE) {
    st = cmd->entry->exec(s, cmd);
  }
  if (l->running == NULL || &l->running->cmd != cmd) l->target = parked;
  s->cur = outer;
  return st;
}

void scn__advance(lane *l)
{
  scn_session *s = l->s;
  bool ran = false;
  if (l->advancing) return; /* resumed from inside an exec: the outer loop continues */
  l->advancing = true;
  while (l->running == NULL && l->head != NULL && !l->stopped && !s->closing && !held(l)) {
    scn_status st;
    l->running = l->head;
    l->head = l->head->next;
    if (l->head == NULL) l->tail = NULL;
    l->running->next = NULL;
    l->running->seq = ++s->seq;
    l->started = uv_hrtime();
    l->ran = ran = true;
    if (s->rep.command) s->rep.command(s->rep.arg, &l->running->cmd);
    st = scn__exec(s, l, &l->running->cmd);
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
  if (timeout_ns > 0) {
    uv_update_time(s->loop); /* count from now, not from the loop's cached time */
    uv_timer_start(&l->deadline, on_deadline, scn_ms_ceil(timeout_ns), 0);
  }
  return SCN_WAIT;
}

/* `pause`: parks the command until scn_session_continue(). */
scn_status scn_pause(scn_session *s, scn_command *cmd, const char *text)
{
  if (s->rep.pause == NULL) return SCN_DONE;
  s->rep.pause(s->rep.arg, cmd, text);
  s->cur->pausing = true;
  return scn_wait(s, cmd, 0, (scn_waiter){0});
}

scn_waiter *scn_current_waiter(scn_session *s)
{
  return s->cur && s->cur->waiting ? &s->cur->waiter : NULL;
}

const scn_outcome *scn_previous_outcome(const scn_session *s)
{
  return &s->cur->prev;
}

static void on_timeout(uv_timer_t *t)
{
  scn_session *s = t->data;
  lane *l = &s->lanes[LANE_SCRIPT];
  char msg[MCB_MSG_MAX], dur[32], text[MCB_MSG_MAX] = "";
  const scn_command *cmd = l->running ? &l->running->cmd : NULL;
  if (l->stopped) return;
  s->sum.timed_out = true;
  scn_format_duration(s->opts.timeout_ns, dur, sizeof dur);
  if (cmd) scn_command_text(cmd, text, sizeof text);
  mcb_msgf(msg, sizeof msg, "scenario timed out after %s%s%s", dur, cmd ? " while running: " : "",
           text);
  scn__report_error(s, cmd ? cmd->src : NULL, cmd ? cmd->line : 0, cmd ? cmd->argv[0].col : 0,
                    cmd ? cmd->argv[0].width : 0, UV_ETIMEDOUT, msg);
  stop_script(s);
}

void scn_session_run(scn_session *s)
{
  if (!s->started && s->opts.timeout_ns > 0)
    uv_timer_start(&s->timeout, on_timeout, scn_ms_ceil(s->opts.timeout_ns), 0);
  s->started = true;
  scn__advance(&s->lanes[LANE_SCRIPT]);
}
