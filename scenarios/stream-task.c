/* stream-task.c - a send stream as a session task (stream-task.h): it starts (after a
 * name lookup that never blocks, when DEST is a host name), keeps the socket's stream
 * record, ends (done, stop, close, the end of the scenario) with a note, and resumes a
 * foreground stream's command. Pacing and sending are stream-run.c's.
 */
#include "stream-task-internal.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "values.h"

static void stream_release_if_idle(stream *st)
{
  if (scn_task_stopped(st->task) && st->handles_open == 0) scn_task_release(st->task);
}

static void on_handle_closed(uv_handle_t *h)
{
  stream *st = h->data;
  st->handles_open--;
  stream_release_if_idle(st);
}

void scn__stream_finish(stream *st, scn_stream_state state, uint64_t rel)
{
  scn_session *s = scn_task_session(st->task);
  scn_stream_stat *r = scn_stream_find(st->sock, st->id);
  scn__stream_update(st, rel);
  if (r != NULL) r->state = state;
  if (state == SCN_STREAM_DONE) {
    char dur[32], inj[160] = "";
    scn_format_duration(st->last_take, dur, sizeof dur);
    if (st->gen.dropped || st->gen.duplicated || st->gen.reordered)
      snprintf(inj, sizeof inj, "; injected: %llu dropped, %llu duplicated, %llu reordered",
               (unsigned long long)st->gen.dropped, (unsigned long long)st->gen.duplicated,
               (unsigned long long)st->gen.reordered);
    if (st->rate_pps > 0)
      scn_note(s, scn_task_origin(st->task),
               "%s stream %u done: %llu datagrams sent to %s, %llu failed, in %s; %.0f pps "
               "achieved of %.0f requested%s%s",
               st->name, st->id, (unsigned long long)st->sent, st->dest,
               (unsigned long long)st->errors, dur, scn__stream_achieved(st, rel), st->rate_pps,
               st->behind ? " (it fell behind)" : "", inj);
    else
      scn_note(s, scn_task_origin(st->task),
               "%s stream %u done: %llu datagrams sent to %s, %llu failed%s", st->name, st->id,
               (unsigned long long)st->sent, st->dest, (unsigned long long)st->errors, inj);
  }
  /* Done first: resuming a failed command stops its lane, which would stop the stream
   * again as STOPPED. The stream's memory outlives this (its handles are closing). */
  scn_task_done(st->task);
  if (st->foreground) scn_session_resume(s, st->fg_seq, st->failed ? SCN_ERROR : SCN_DONE);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
  stream *st = req->data;
  scn_session *s = scn_task_session(st->task);
  mcb_addr a;
  int rc = status;
  st->resolving = false;
  st->handles_open--;
  if (scn_task_stopped(st->task)) {
    uv_freeaddrinfo(res);
    return stream_release_if_idle(st);
  }
  if (rc == 0 && (res == NULL || res->ai_addrlen > sizeof a.u)) rc = UV_EAI_NONAME;
  if (rc == 0) {
    memset(&a, 0, sizeof a);
    memcpy(&a.u, res->ai_addr, res->ai_addrlen);
    a.len = res->ai_addrlen;
    if (a.u.sa.sa_family == AF_INET)
      a.u.in4.sin_port = htons((uint16_t)st->port);
    else
      a.u.in6.sin6_port = htons((uint16_t)st->port);
    rc = mcb_send_fit(st->sock, &a, &st->first);
  }
  uv_freeaddrinfo(res);
  if (rc == 0) return scn__stream_go(st);
  scn_count_send(st->sock, rc);
  st->errors++;
  if (st->foreground) {
    const scn_command *cmd = scn_command_for(s, st->fg_seq, NULL);
    if (cmd != NULL)
      scn_fail_seq(s, st->fg_seq, scn_arg(cmd, "DEST"), rc, "send to %s: %s (%s)", st->dest,
                   mcb_strerror(rc), mcb_err_name(rc));
    st->failed = true;
  } else {
    scn_note(s, scn_task_origin(st->task), "%s stream %u: cannot send to %s: %s (%s)", st->name,
             st->id, st->dest, mcb_strerror(rc), mcb_err_name(rc));
  }
  scn__stream_finish(st, SCN_STREAM_FAILED, 0);
}

static int stream_begin(scn_task *t)
{
  stream *st = scn_task_data(t);
  uv_loop_t *loop = scn_session_loop(scn_task_session(t));
  st->task = t;
  if (st->host[0] != '\0') {
    struct addrinfo hints = {.ai_socktype = SOCK_DGRAM};
    mcb_family fam = mcb_socket_family(st->sock);
    int rc;
    hints.ai_family = fam == MCB_UDP6 ? AF_INET6 : AF_INET;
    if (fam == MCB_UDP6) hints.ai_flags = AI_V4MAPPED;
    st->gai.data = st;
    if ((rc = uv_getaddrinfo(loop, &st->gai, on_resolved, st->host, NULL, &hints)) != 0) return rc;
    st->resolving = true;
    st->handles_open++;
  }
  uv_timer_init(loop, &st->timer);
  uv_idle_init(loop, &st->idle);
  st->timer.data = st->idle.data = st;
  st->handles_open += 2;
  if (!st->resolving) scn__stream_go(st);
  return 0;
}

static void stream_end(scn_task *t, scn_task_end why)
{
  stream *st = scn_task_data(t);
  scn_session *s = scn_task_session(t);
  uint64_t rel = uv_hrtime() - st->start;
  scn_stream_stat *r = scn_stream_find(st->sock, st->id);
  if (why != SCN_TASK_DONE) {
    uint64_t left = st->gen.planned > st->gen.next ? st->gen.planned - st->gen.next : 0;
    scn__stream_update(st, rel);
    if (r != NULL) r->state = why == SCN_TASK_CANCELLED ? SCN_STREAM_CANCELLED : SCN_STREAM_STOPPED;
    if (why == SCN_TASK_CANCELLED) scn_count_cancelled(st->sock, left + st->pcount);
    if (why == SCN_TASK_CANCELLED || why == SCN_TASK_ENDED)
      scn_note(s, scn_task_origin(t), "%s stream %u %s: %llu datagrams sent, %llu failed%s",
               st->name, st->id, why == SCN_TASK_ENDED ? "stopped" : "cancelled by close",
               (unsigned long long)st->sent, (unsigned long long)st->errors,
               st->foreground ? "" : "");
    /* `stop` or `close` runs now: the parked foreground command sees the record's state
     * on the next pass (its poll), not inside that other command. */
    if (st->foreground && (why == SCN_TASK_ENDED || why == SCN_TASK_CANCELLED)) scn_session_poke(s);
  }
  if (st->resolving) uv_cancel((uv_req_t *)&st->gai); /* on_resolved still runs */
  uv_close((uv_handle_t *)&st->timer, on_handle_closed);
  uv_close((uv_handle_t *)&st->idle, on_handle_closed);
}

static const scn_task_ops stream_ops = {
    .kind = "stream",
    .start = stream_begin,
    .stop = stream_end,
    .free = free,
};

static uint64_t random_seed(void)
{
  uint64_t v = 0;
  if (uv_random(NULL, NULL, &v, sizeof v, 0, NULL) != 0)
    v = uv_hrtime() ^ ((uint64_t)time(NULL) << 32);
  return v;
}

int scn_stream_start(scn_session *s, const scn_command *cmd, scn_sock *ss,
                     const scn_stream_spec *spec, unsigned *id, const char **why)
{
  size_t body = spec->probe || spec->cfg.size_max > spec->len ? spec->cfg.size_max : spec->len;
  scn_stream_stat *r;
  stream *st;
  uint64_t ids;
  int rc;

  *why = "out of memory";
  if ((st = calloc(1, sizeof *st + body)) == NULL) return UV_ENOMEM;
  if ((r = scn_stream_add(ss)) == NULL) {
    free(st);
    *why = "every stream record of this socket is running (stop one)";
    return UV_ENOBUFS;
  }
  st->sock = ss->sock;
  st->id = r->id;
  snprintf(st->name, sizeof st->name, "%s", ss->name);
  snprintf(st->dest, sizeof st->dest, "%s", spec->dest_text);
  st->probe = spec->probe;
  st->foreground = spec->foreground;
  st->fg_seq = spec->foreground ? scn_command_seq(s) : 0;
  st->rate_pps = spec->rate_pps;
  if (spec->lookup_host != NULL) {
    snprintf(st->host, sizeof st->host, "%s", spec->lookup_host);
    st->port = spec->lookup_port;
  } else {
    st->first = *spec->first;
  }
  st->ndest = spec->ndest ? spec->ndest : 1;
  scn_stream_gen_init(&st->gen, &spec->cfg);
  /* The sender id names this process's socket (the same for all its streams); the nonce
   * is new at every start, seed or not: a receiver that outlives the sender must tell a
   * rerun from a continuation, whatever the seed decides about sizes and faults. */
  ids = (uint64_t)getpid();
  for (const char *p = ss->name; *p; p++) ids = ids * 131 + (unsigned char)*p;
  st->sender = (uint32_t)scn_rand_next(&ids);
  st->nonce = (uint32_t)random_seed();
  st->body_len = body;
  if (spec->probe) {
    mcb_probe p = {0};
    mcb_probe_encode(&p, st->body, body, body); /* the fill; headers are per datagram */
  } else if (body > 0) { /* the payload, then the pattern of size:N where it is longer */
    scn_fill_pattern(st->body, body);
    if (spec->len > 0) memcpy(st->body, spec->payload, spec->len);
  }
  snprintf(r->dest, sizeof r->dest, "%s", spec->dest_text);
  r->probe = spec->probe;
  r->foreground = spec->foreground;
  r->state = SCN_STREAM_RUNNING;
  r->rate_pps = spec->rate_pps;
  r->planned = st->gen.planned;
  r->seed = spec->cfg.seed;
  *id = r->id;
  if ((rc = scn_task_start(s, cmd, ss->sock, &stream_ops, st)) != 0) {
    r->state = SCN_STREAM_FAILED;
    *why = rc == UV_ENOBUFS ? "too many background tasks" : mcb_strerror(rc);
  }
  return rc;
}

static bool pick_id(void *data, void *arg)
{
  return ((stream *)data)->id == *(unsigned *)arg;
}

size_t scn_streams_stop(scn_session *s, mcb_socket *sock, unsigned id)
{
  return scn_tasks_end(s, sock, &stream_ops, id ? pick_id : NULL, &id);
}

uint64_t scn_stream_random_seed(void)
{
  return random_seed();
}
