/* stream-task.c - a send stream as a session task (stream-task.h).
 *
 * Each wakeup takes every sequence number whose deadline has passed (stream.c decides
 * its length and impairments), encodes only the probe header of each datagram into its
 * slot (the fill is one shared buffer: byte k is k & 0xff), and hands them to the kernel
 * in sendmmsg batches (mcb_send_now), at most TICK_BUDGET per wakeup so the loop stays
 * responsive. When work is due now the stream runs from an idle handle (every loop pass,
 * after the poll), otherwise a timer waits for the next deadline; a full socket buffer
 * (EAGAIN) waits a millisecond. A stream that lags its deadlines by more than LATE_NS
 * says so once, and its record shows it; it never silently falls short.
 */
#include "stream-task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <time.h>
#include <unistd.h>

#include "values.h"

#define SLOTS          MCB_SEND_BATCH             /* datagrams built per sendmmsg batch */
#define PEND           (SLOTS + 2 * SCN_WIRE_MAX) /* taken, not yet handed to the kernel */
#define TICK_BUDGET    1024        /* datagrams per wakeup: a late paced stream's catch-up */
#define UNPACED_BUDGET 4096        /* an unpaced one's (fewer loop passes per datagram) */
#define LATE_NS        20000000ull /* behind its deadlines by more: say so */

typedef struct pending {
  scn_wire w;
  uint64_t due; /* relative deadline of its sequence number */
} pending;

typedef struct stream {
  scn_task *task;
  mcb_socket *sock;
  unsigned id;
  char name[SCN_NAME_MAX];
  char dest[96];
  bool probe, foreground, exhausted, failed, warned_error;
  uint64_t fg_seq;
  double rate_pps;
  scn_stream_gen gen;
  uint32_t sender, nonce;
  mcb_addr first;
  uint64_t ndest;
  uint64_t start, end; /* uv_hrtime; end: an unpaced `for` (0: none) */
  uint64_t last_take;  /* relative time the last sequence number was taken */
  uint64_t sent, bytes, errors, backpressure;
  bool behind;
  pending pend[PEND];
  size_t phead, pcount;
  uv_timer_t timer;
  uv_idle_t idle;
  uv_getaddrinfo_t gai;
  char host[256]; /* a host name to resolve first, or "" */
  int port;
  bool resolving;
  int handles_open; /* and the name lookup while it is pending */
  uint8_t hdr[SLOTS][MCB_PROBE_HDR_LEN];
  struct iovec iov[SLOTS][2];
  mcb_addr dst[SLOTS];
  mcb_dgram dg[SLOTS];
  size_t body_len;
  uint8_t body[];
} stream;

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

static double achieved(const stream *st, uint64_t rel)
{
  const scn_stream_cfg *c = &st->gen.cfg;
  uint64_t step = c->interval_ns / c->burst, elapsed;
  if (st->gen.next == 0) return 0;
  /* On time, sequence number k leaves at k * step: count one step for the last one. */
  elapsed = (st->exhausted ? st->last_take : rel) + step;
  return elapsed > 0 ? (double)st->gen.next * 1e9 / (double)elapsed : 0;
}

static void update_record(stream *st, uint64_t rel)
{
  scn_stream_stat *r = scn_stream_find(st->sock, st->id);
  if (r == NULL) return;
  r->seqs = st->gen.next;
  r->sent = st->sent;
  r->bytes = st->bytes;
  r->errors = st->errors;
  r->backpressure = st->backpressure;
  r->dropped = st->gen.dropped;
  r->duplicated = st->gen.duplicated;
  r->reordered = st->gen.reordered;
  r->behind = st->behind;
  r->achieved_pps = achieved(st, rel);
}

static void push(stream *st, const scn_wire *w, size_t n, uint64_t due)
{
  for (size_t i = 0; i < n; i++) {
    st->pend[(st->phead + st->pcount) % PEND] = (pending){.w = w[i], .due = due};
    st->pcount++;
  }
}

/* Takes the sequence numbers due at `rel`; returns the deadline of the next one when it
 * is not due yet (UINT64_MAX when none). */
static uint64_t take_due(stream *st, uint64_t now, uint64_t rel)
{
  scn_wire w[SCN_WIRE_MAX];
  uint64_t due;
  while (!st->exhausted && st->pcount + SCN_WIRE_MAX <= PEND) {
    if ((st->end != 0 && now >= st->end) || !scn_stream_peek(&st->gen, &due)) {
      st->exhausted = true;
      push(st, w, scn_stream_flush(&st->gen, w), rel);
      break;
    }
    if (due > rel) return due;
    push(st, w, scn_stream_take(&st->gen, w), due);
    st->last_take = rel;
  }
  return UINT64_MAX;
}

static void wire_dest(const stream *st, uint64_t seq, mcb_addr *out, uint64_t *probe_seq)
{
  /* A range: sequence number i goes to member i % n, which sees its own sequence
   * i / n, so every receiver of one group sees an unbroken sequence. */
  scn_range_at(&st->first, st->ndest > 1 ? seq % st->ndest : 0, out);
  *probe_seq = st->ndest > 1 ? seq / st->ndest : seq;
}

static int64_t realtime_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Builds up to SLOTS datagrams from the pending ones and sends them: how many the kernel
 * took, or a negative code for the first one. */
static int send_batch(stream *st, size_t k)
{
  uint64_t now_real = (uint64_t)realtime_ns();
  for (size_t i = 0; i < k; i++) {
    const scn_wire *w = &st->pend[(st->phead + i) % PEND].w;
    uint64_t pseq = w->seq;
    const mcb_addr *dest = &st->first;
    if (st->ndest > 1) {
      wire_dest(st, w->seq, &st->dst[i], &pseq);
      dest = &st->dst[i];
    }
    if (st->probe) {
      mcb_probe p = {.stream = (uint16_t)st->id,
                     .sender = st->sender,
                     .nonce = st->nonce,
                     .seq = pseq,
                     .send_ns = now_real};
      mcb_probe_encode_header(&p, st->hdr[i], w->len);
      st->iov[i][0] = (struct iovec){st->hdr[i], MCB_PROBE_HDR_LEN};
      st->iov[i][1] = (struct iovec){st->body + MCB_PROBE_HDR_LEN, w->len - MCB_PROBE_HDR_LEN};
      st->dg[i].iovcnt = w->len > MCB_PROBE_HDR_LEN ? 2 : 1;
    } else {
      st->iov[i][0] = (struct iovec){st->body, w->len};
      st->dg[i].iovcnt = 1;
    }
    st->dg[i].iov = st->iov[i];
    st->dg[i].dest = dest;
  }
  return mcb_send_now(st->sock, st->dg, k);
}

static void pop(stream *st, size_t n)
{
  st->phead = (st->phead + n) % PEND;
  st->pcount -= n;
}

static void finish(stream *st, scn_stream_state state, uint64_t rel);

/* A failed datagram: counted on the socket and the stream, told once; a foreground
 * stream fails its command and ends. */
static bool send_failed(stream *st, int code, uint64_t rel)
{
  scn_session *s = scn_task_session(st->task);
  mcb_bench *b = mcb_socket_bench(st->sock);
  scn_count_send(st->sock, code);
  st->errors++;
  pop(st, 1);
  if (st->foreground) {
    const scn_command *cmd = scn_command_for(s, st->fg_seq, NULL);
    if (cmd != NULL)
      scn_fail_seq(s, st->fg_seq, scn_arg(cmd, "DEST"), code, "%s", mcb_last_error(b));
    st->failed = true;
    finish(st, SCN_STREAM_FAILED, rel);
    return false;
  }
  if (!st->warned_error) {
    st->warned_error = true;
    scn_note(s, scn_task_origin(st->task),
             "%s stream %u: a send failed: %s; counted (expect %s send-errors), the stream goes on",
             st->name, st->id, mcb_last_error(b), st->name);
  }
  return true;
}

static void on_idle(uv_idle_t *h);
static void on_timer(uv_timer_t *h);

static void arm(stream *st, bool now, uint64_t wait_ns)
{
  if (now) {
    uv_timer_stop(&st->timer);
    uv_idle_start(&st->idle, on_idle);
    return;
  }
  uv_idle_stop(&st->idle);
  /* Whole milliseconds, rounded up: never early; lateness does not accumulate because
   * the deadlines are absolute. */
  uv_timer_start(&st->timer, on_timer, wait_ns > 1000000 ? (wait_ns + 999999) / 1000000 : 1, 0);
}

static void note_behind(stream *st, uint64_t lag, uint64_t rel)
{
  char late[32];
  if (st->behind) return;
  st->behind = true;
  scn_format_duration(lag, late, sizeof late);
  scn_note(scn_task_session(st->task), scn_task_origin(st->task),
           "%s stream %u falls behind its rate: %s late at sequence %llu, %.0f pps achieved of "
           "%.0f requested (the CPU or the socket cannot keep up); it catches up in bounded "
           "batches",
           st->name, st->id, late, (unsigned long long)st->gen.next, achieved(st, rel),
           st->rate_pps);
}

static void run(stream *st)
{
  uint64_t now = uv_hrtime(), rel = now - st->start, next_due = UINT64_MAX;
  unsigned budget = st->gen.cfg.interval_ns ? TICK_BUDGET : UNPACED_BUDGET;
  bool blocked = false;

  while (budget > 0) {
    next_due = take_due(st, now, rel);
    if (st->pcount == 0) break;
    size_t k = st->pcount < SLOTS ? st->pcount : SLOTS;
    if (k > budget) k = budget;
    int rc = send_batch(st, k);
    if (scn_task_stopped(st->task)) return; /* an observer closed the socket */
    if (rc > 0) {
      for (int i = 0; i < rc; i++) st->bytes += st->pend[(st->phead + (size_t)i) % PEND].w.len;
      st->sent += (uint64_t)rc;
      pop(st, (size_t)rc);
      budget -= (unsigned)rc;
    } else if (rc == UV_EAGAIN || rc == UV_ENOBUFS) {
      /* The socket's (or the device queue's) buffer is full: backpressure, not loss. */
      st->backpressure++;
      blocked = true;
      break;
    } else {
      if (!send_failed(st, rc, rel)) return;
      budget--;
    }
  }
  if (st->pcount > 0 && st->rate_pps > 0 && rel > st->pend[st->phead].due + LATE_NS)
    note_behind(st, rel - st->pend[st->phead].due, rel);
  if (scn_task_stopped(st->task)) return;
  update_record(st, rel);
  if (st->exhausted && st->pcount == 0) return finish(st, SCN_STREAM_DONE, rel);
  if (blocked)
    arm(st, false, 1000000);
  else if (st->pcount > 0 || next_due <= rel || (next_due == UINT64_MAX && !st->exhausted))
    arm(st, true, 0);
  else
    arm(st, false, next_due - rel);
}

static void on_idle(uv_idle_t *h)
{
  run(h->data);
}

static void on_timer(uv_timer_t *h)
{
  run(h->data);
}

static void finish(stream *st, scn_stream_state state, uint64_t rel)
{
  scn_session *s = scn_task_session(st->task);
  scn_stream_stat *r = scn_stream_find(st->sock, st->id);
  update_record(st, rel);
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
               (unsigned long long)st->errors, dur, achieved(st, rel), st->rate_pps,
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

/* The clock starts when the destination is known. */
static void go(stream *st)
{
  st->start = uv_hrtime();
  if (st->gen.cfg.interval_ns == 0 && st->gen.cfg.for_ns > 0)
    st->end = st->start + st->gen.cfg.for_ns;
  /* The first datagram leaves on the next loop pass, not from inside the exec; a timer
   * (not the idle handle) so streams started together begin in the order they started. */
  uv_timer_start(&st->timer, on_timer, 0, 0);
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
  if (rc == 0) return go(st);
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
  finish(st, SCN_STREAM_FAILED, 0);
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
  if (!st->resolving) go(st);
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
    update_record(st, rel);
    if (r != NULL) r->state = why == SCN_TASK_CANCELLED ? SCN_STREAM_CANCELLED : SCN_STREAM_STOPPED;
    if (why == SCN_TASK_CANCELLED) scn_count_cancelled(st->sock, left + st->pcount);
    if (why == SCN_TASK_CANCELLED || why == SCN_TASK_ENDED)
      scn_note(s, scn_task_origin(t), "%s stream %u %s: %llu datagrams sent, %llu failed%s",
               st->name, st->id, why == SCN_TASK_ENDED ? "stopped" : "cancelled by close",
               (unsigned long long)st->sent, (unsigned long long)st->errors,
               st->foreground ? "" : "");
    if (st->foreground && why == SCN_TASK_ENDED) scn_session_resume(s, st->fg_seq, SCN_DONE);
    if (st->foreground && why == SCN_TASK_CANCELLED) {
      const scn_command *cmd = scn_command_for(s, st->fg_seq, NULL);
      if (cmd != NULL) {
        scn_fail_seq(s, st->fg_seq, scn_arg(cmd, "DEST"), UV_ECANCELED,
                     "%s stream %u cancelled: its socket closed", st->name, st->id);
        scn_session_resume(s, st->fg_seq, SCN_ERROR);
      }
    }
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
  if (uv_random(NULL, NULL, &v, sizeof v, 0, NULL) != 0) v = uv_hrtime() ^ (uint64_t)realtime_ns();
  return v;
}

int scn_stream_start(scn_session *s, const scn_command *cmd, scn_sock *ss,
                     const scn_stream_spec *spec, unsigned *id, const char **why)
{
  size_t body = spec->probe ? spec->cfg.size_max : spec->len;
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
  } else if (body > 0) {
    memcpy(st->body, spec->payload, body);
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
