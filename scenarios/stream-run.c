/* stream-run.c - a send stream's pacing and sending (stream-task-internal.h).
 *
 * Each wakeup takes every sequence number whose deadline has passed (stream.c decides
 * its length and impairments), encodes only the probe header of each datagram into its
 * slot (the fill is one shared buffer: byte k is k & 0xff), and hands them to the kernel
 * in sendmmsg batches (mcb_send_now), at most TICK_BUDGET per wakeup so the loop stays
 * responsive. When work is due now the stream runs from an idle handle (every loop pass,
 * after the poll), otherwise a timer waits for the next deadline; a full socket buffer
 * (EAGAIN, ENOBUFS) waits a millisecond. A stream that lags its deadlines by more than
 * LATE_NS says so once, and its record shows it; it never silently falls short.
 */
#include "stream-task-internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "values.h"

#define TICK_BUDGET    1024        /* datagrams per wakeup: a late paced stream's catch-up */
#define UNPACED_BUDGET 4096        /* an unpaced one's (fewer loop passes per datagram) */
#define LATE_NS        20000000ull /* behind its deadlines by more: say so */

double scn__stream_achieved(const stream *st, uint64_t rel)
{
  const scn_stream_cfg *c = &st->gen.cfg;
  uint64_t step = c->interval_ns / c->burst, elapsed;
  if (st->gen.next == 0) return 0;
  /* On time, sequence number k leaves at k * step: count one step for the last one. */
  elapsed = (st->exhausted ? st->last_take : rel) + step;
  return elapsed > 0 ? (double)st->gen.next * 1e9 / (double)elapsed : 0;
}

void scn__stream_update(stream *st, uint64_t rel)
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
  r->achieved_pps = scn__stream_achieved(st, rel);
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
    scn__stream_finish(st, SCN_STREAM_FAILED, rel);
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
           st->name, st->id, late, (unsigned long long)st->gen.next, scn__stream_achieved(st, rel),
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
  scn__stream_update(st, rel);
  if (st->exhausted && st->pcount == 0) return scn__stream_finish(st, SCN_STREAM_DONE, rel);
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

/* The clock starts when the destination is known. */
void scn__stream_go(stream *st)
{
  st->start = uv_hrtime();
  if (st->gen.cfg.interval_ns == 0 && st->gen.cfg.for_ns > 0)
    st->end = st->start + st->gen.cfg.for_ns;
  /* The first datagram leaves on the next loop pass, not from inside the exec; a timer
   * (not the idle handle) so streams started together begin in the order they started. */
  uv_timer_start(&st->timer, on_timer, 0, 0);
}
