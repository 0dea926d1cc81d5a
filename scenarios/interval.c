/* interval.c - `mcbench run --interval DUR`: every DUR while a scenario runs, one
 * scn_interval per peer of every socket (what arrived in that interval), told to every
 * report writer and kept in the file's report. Like iperf's -i, the counts are the
 * differences from the previous sample, found by the peer's id (unique per bench, never
 * reused, so an evicted and returning peer starts again from zero). Bounded: one sample
 * per peer of the session's sockets, rebuilt at every tick.
 */
#include "interval.h"
#include "values.h"

#include <stdlib.h>
#include <string.h>

typedef struct sample {
  uint64_t id, msgs, bytes, expected, lost;
} sample;

struct scn_interval_clock {
  uv_timer_t timer;
  const scn_session *s;
  scn_reports *rs;
  scn_file_report *rep;
  uint64_t t0, last; /* scenario start, previous tick (uv_hrtime) */
  sample *prev;
  size_t nprev;
};

static int by_id(const void *a, const void *b)
{
  uint64_t x = ((const sample *)a)->id, y = ((const sample *)b)->id;
  return x < y ? -1 : x > y;
}

static const sample *find_prev(const scn_interval_clock *c, uint64_t id)
{
  sample key = {.id = id};
  return c->nprev ? bsearch(&key, c->prev, c->nprev, sizeof key, by_id) : NULL;
}

static size_t count_peers(const scn_session *s)
{
  size_t n = 0;
  for (size_t i = 0; i < scn_session_socket_count(s); i++) {
    const scn_sock *ss = scn_session_socket_at(s, i);
    if (ss->sock != NULL) n += mcb_peer_count(ss->sock);
  }
  return n;
}

static void emit(scn_interval_clock *c, const scn_sock *ss, const mcb_peer *p, uint64_t now,
                 sample *cur)
{
  mcb_peer_stats st;
  mcb_peer_analysis a;
  scn_interval iv;
  const sample *old;
  double secs = (double)(now - c->last) / 1e9;

  mcb_peer_stats_get(p, now, &st);
  mcb_peer_analysis_get(p, now, &a);
  *cur = (sample){
      .id = st.id, .msgs = st.msgs, .bytes = st.bytes, .expected = a.expected, .lost = a.lost};
  old = find_prev(c, st.id);
  memset(&iv, 0, sizeof iv);
  snprintf(iv.socket, sizeof iv.socket, "%s", ss->name);
  iv.src = st.src;
  iv.dst = st.dst;
  iv.start_ns = c->last - c->t0;
  iv.end_ns = now - c->t0;
  iv.kind = a.kind;
  iv.received = st.msgs - (old ? old->msgs : 0);
  iv.bytes = st.bytes - (old ? old->bytes : 0);
  iv.sequenced = a.sequenced;
  iv.expected = a.expected - (old ? old->expected : 0);
  /* a late datagram may fill a gap of an earlier interval: never below zero */
  iv.lost = old && a.lost < old->lost ? 0 : a.lost - (old ? old->lost : 0);
  iv.loss_pct = iv.expected ? 100.0 * (double)iv.lost / (double)iv.expected : 0;
  iv.rate_pps = secs > 0 ? (double)iv.received / secs : 0;
  iv.rate_bps = secs > 0 ? (double)iv.bytes * 8 / secs : 0;
  iv.jitter_ns = a.delay_count ? a.jitter_ns : 0;
  scn_file_report_add_interval(c->rep, &iv);
  scn_reports_interval(c->rs, &iv);
}

/* One sample of every peer; peers silent since the last tick are not reported. */
static void tick(scn_interval_clock *c, uint64_t now)
{
  size_t n = count_peers(c->s), k = 0;
  sample *cur = n ? calloc(n, sizeof *cur) : NULL;
  if (n && cur == NULL) return; /* out of memory: this interval is skipped */
  for (size_t i = 0; i < scn_session_socket_count(c->s); i++) {
    const scn_sock *ss = scn_session_socket_at(c->s, i);
    if (ss->sock == NULL) continue;
    for (const mcb_peer *p = mcb_peer_next(ss->sock, NULL); p && k < n;
         p = mcb_peer_next(ss->sock, p)) {
      mcb_peer_stats st;
      mcb_peer_stats_get(p, now, &st);
      const sample *old = find_prev(c, st.id);
      if (old != NULL && old->msgs == st.msgs) { /* silent: carried over, not reported */
        cur[k++] = *old;
        continue;
      }
      emit(c, ss, p, now, &cur[k++]);
    }
  }
  qsort(cur, k, sizeof *cur, by_id);
  free(c->prev);
  c->prev = cur;
  c->nprev = k;
  c->last = now;
}

static void on_timer(uv_timer_t *t)
{
  scn_interval_clock *c = t->data;
  tick(c, uv_hrtime());
}

int scn_interval_start(uv_loop_t *loop, uint64_t period_ns, const scn_session *s, scn_reports *rs,
                       scn_file_report *rep, scn_interval_clock **out)
{
  scn_interval_clock *c = calloc(1, sizeof *c);
  uint64_t ms = (period_ns + 999999) / 1000000;
  int rc;
  *out = NULL;
  if (c == NULL) return UV_ENOMEM;
  c->s = s;
  c->rs = rs;
  c->rep = rep;
  c->t0 = c->last = uv_hrtime();
  if ((rc = uv_timer_init(loop, &c->timer)) != 0) {
    free(c);
    return rc;
  }
  c->timer.data = c;
  uv_timer_start(&c->timer, on_timer, ms, ms);
  *out = c;
  return 0;
}

static void clock_closed(uv_handle_t *h)
{
  scn_interval_clock *c = h->data;
  free(c->prev);
  free(c);
}

void scn_interval_stop(scn_interval_clock *c)
{
  if (c == NULL) return;
  tick(c, uv_hrtime()); /* the last, partial interval */
  uv_timer_stop(&c->timer);
  uv_close((uv_handle_t *)&c->timer, clock_closed);
}

/* "k", "M" or "G" units for a rate, as iperf prints bit rates. */
static void si(double v, const char *unit, char *buf, size_t size)
{
  if (v >= 1e9)
    snprintf(buf, size, "%.2f G%s", v / 1e9, unit);
  else if (v >= 1e6)
    snprintf(buf, size, "%.2f M%s", v / 1e6, unit);
  else if (v >= 1e3)
    snprintf(buf, size, "%.2f k%s", v / 1e3, unit);
  else
    snprintf(buf, size, "%.0f %s", v, unit);
}

void scn_interval_format(const scn_interval *iv, char *buf, size_t size)
{
  char src[MCB_ADDRSTRLEN], dst[MCB_ADDRSTRLEN], bps[32], jit[32] = "";
  size_t o;
  si(iv->rate_bps, "bit/s", bps, sizeof bps);
  o = (size_t)snprintf(buf, size, "[%6.2f-%6.2f s] %s %s > %s %s: received %llu",
                       (double)iv->start_ns / 1e9, (double)iv->end_ns / 1e9, iv->socket,
                       mcb_addr_format(&iv->src, src, sizeof src),
                       mcb_addr_format(&iv->dst, dst, sizeof dst), mcb_payload_kind_name(iv->kind),
                       (unsigned long long)iv->received);
  if (iv->sequenced && o < size)
    o += (size_t)snprintf(buf + o, size - o, ", lost %llu (%.2f%%)", (unsigned long long)iv->lost,
                          iv->loss_pct);
  if (iv->jitter_ns > 0) snprintf(jit, sizeof jit, ", jitter %.1fus", iv->jitter_ns / 1e3);
  if (o < size) snprintf(buf + o, size - o, ", %.0f pps, %s%s", iv->rate_pps, bps, jit);
}

void scn_peer_format(const char *sock, const mcb_peer_stats *p, const mcb_peer_analysis *a,
                     char *buf, size_t size)
{
  char src[MCB_ADDRSTRLEN], dst[MCB_ADDRSTRLEN], bps[32], d1[16], d2[16], d3[16], d4[16];
  size_t o;
  si(p->rate_bytes * 8, "bit/s", bps, sizeof bps);
  o = (size_t)snprintf(buf, size, "%s %s > %s %s: received %llu, %.0f pps, %s", sock,
                       mcb_addr_format(&p->src, src, sizeof src),
                       mcb_addr_format(&p->dst, dst, sizeof dst), mcb_payload_kind_name(a->kind),
                       (unsigned long long)p->msgs, p->rate_msgs, bps);
  if (a->sequenced && o < size)
    o += (size_t)snprintf(buf + o, size - o,
                          ", lost %llu of %llu (%.2f%%), dups %llu, reordered %llu, late %llu, "
                          "runs %llu",
                          (unsigned long long)a->lost, (unsigned long long)a->expected, a->loss_pct,
                          (unsigned long long)a->duplicates, (unsigned long long)a->reordered,
                          (unsigned long long)a->late, (unsigned long long)a->runs);
  if (a->invalid && o < size)
    o += (size_t)snprintf(buf + o, size - o, ", invalid %llu", (unsigned long long)a->invalid);
  if (a->delay_count && o < size) {
    scn_format_delay((double)a->delay_min_ns, d1, sizeof d1);
    scn_format_delay(a->delay_avg_ns, d2, sizeof d2);
    scn_format_delay((double)a->delay_max_ns, d3, sizeof d3);
    scn_format_delay((double)a->delay_p99_ns, d4, sizeof d4);
    o += (size_t)snprintf(buf + o, size - o, ", delay min/avg/max/p99 %s/%s/%s/%s", d1, d2, d3, d4);
    scn_format_delay(a->jitter_ns, d1, sizeof d1);
    if (o < size) o += (size_t)snprintf(buf + o, size - o, ", jitter %s", d1);
  }
  if (a->rtt_count && o < size) {
    scn_format_delay((double)a->rtt_min_ns, d1, sizeof d1);
    scn_format_delay(a->rtt_avg_ns, d2, sizeof d2);
    scn_format_delay((double)a->rtt_max_ns, d3, sizeof d3);
    scn_format_delay((double)a->rtt_p99_ns, d4, sizeof d4);
    snprintf(buf + o, size - o, ", rtt min/avg/max/p99 %s/%s/%s/%s", d1, d2, d3, d4);
  }
}
