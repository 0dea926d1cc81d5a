/* analysis.c - per-peer traffic analysis on the receive path: which payload a datagram
 * carries, sequence statistics per stream, one-way delay, jitter and round-trip time.
 *
 * The receive path calls mcb__analysis_add() for every datagram. A pre-check of the first
 * bytes sends plain payloads (text, zeros, anything no detector could accept) back after
 * a few compares, without touching the peer's analysis memory; only a payload that
 * carries a sequence number or a send time allocates it, once per peer slot (a recycled
 * slot keeps and resets it), so memory stays bounded by the peer table's cap. Streams are
 * kept in MCB_PEER_STREAMS slots; the least recently seen gives its slot to a new stream
 * and its counts to the peer's retired totals, so totals never go back.
 */
#include "internal.h"

#include <stdlib.h>

#define NS 1000000000u

struct mcb__analysis {
  mcb_payload_kind kind;
  unsigned kinds_seen;
  bool sequenced;
  size_t nstreams;
  uint64_t streams_evicted, invalid;
  mcb_seqstats retired; /* counts of evicted streams (window unused) */
  mcb_stream_stats streams[MCB_PEER_STREAMS];
  /* loss over the last whole second: counts at the start of second `sec` */
  uint64_t sec, base_lost, base_expected;
  double last_s_pct;
  mcb_jitter jitter;
  mcb_delaystats delay;
  mcb_delaystats *rtt; /* allocated at the first echo reply: most peers never send one */
};

void mcb__analysis_reset(mcb__analysis *an)
{
  mcb_delaystats *rtt = an->rtt; /* kept for the slot's next peer */
  memset(an, 0, sizeof *an);
  an->last_s_pct = -1;
  mcb_jitter_init(&an->jitter);
  mcb_delaystats_init(&an->delay);
  if ((an->rtt = rtt) != NULL) mcb_delaystats_init(rtt);
}

void mcb__analysis_free(mcb__analysis *an)
{
  if (an == NULL) return;
  free(an->rtt);
  free(an);
}

static void retire(mcb__analysis *an, const mcb_seqstats *st)
{
  mcb_seqstats *r = &an->retired;
  r->received += st->received;
  r->expected += st->expected;
  r->lost += st->lost;
  r->duplicates += st->duplicates;
  r->reordered += st->reordered;
  r->late += st->late;
  r->runs += st->runs;
}

/* The stream slot of a detected payload, moved to the front (most recently seen). */
static mcb_stream_stats *stream_of(mcb__analysis *an, const mcb_payload_info *in)
{
  mcb_stream_stats *s = an->streams, tmp;
  size_t i;
  /* the common case first: the same stream as the datagram before */
  if (an->nstreams > 0 && s->stream == in->stream && s->sender == in->sender &&
      s->kind == in->kind && s->echo == in->echo)
    return s;
  for (i = 1, s++; i < an->nstreams; i++, s++)
    if (s->kind == in->kind && s->stream == in->stream && s->sender == in->sender &&
        s->echo == in->echo)
      break;
  if (an->nstreams == 0) i = 0;
  if (i == an->nstreams) { /* new: a free slot, or the oldest one's */
    if (an->nstreams < MCB_PEER_STREAMS) {
      an->nstreams++;
    } else {
      i = MCB_PEER_STREAMS - 1;
      retire(an, &an->streams[i].seq);
      an->streams_evicted++;
    }
    s = &an->streams[i];
    s->kind = in->kind;
    s->stream = in->stream;
    s->sender = in->sender;
    s->echo = in->echo;
    mcb_seqstats_init(&s->seq);
  }
  if (i > 0) { /* move to the front */
    tmp = an->streams[i];
    memmove(&an->streams[1], &an->streams[0], i * sizeof tmp);
    an->streams[0] = tmp;
  }
  return &an->streams[0];
}

static void totals(const mcb__analysis *an, mcb_seqstats *t)
{
  *t = an->retired;
  for (size_t i = 0; i < an->nstreams; i++) {
    const mcb_seqstats *st = &an->streams[i].seq;
    t->received += st->received;
    t->expected += st->expected;
    t->lost += st->lost;
    t->duplicates += st->duplicates;
    t->reordered += st->reordered;
    t->late += st->late;
    t->runs += st->runs;
  }
}

/* At the first datagram of a new second: the loss over the second before. */
static void second_tick(mcb__analysis *an, uint64_t mono_ns)
{
  uint64_t sec = mono_ns / NS;
  mcb_seqstats t;
  if (sec == an->sec) return;
  totals(an, &t);
  if (an->sec != 0 && t.expected > an->base_expected) {
    uint64_t lost = t.lost > an->base_lost ? t.lost - an->base_lost : 0;
    an->last_s_pct = 100.0 * (double)lost / (double)(t.expected - an->base_expected);
  }
  an->sec = sec;
  an->base_lost = t.lost;
  an->base_expected = t.expected;
}

void mcb__analysis_add(mcb__analysis **anp, const mcb_message *m)
{
  mcb_payload_info in;
  mcb__analysis *an = *anp;

  if (mcb_payload_detect(m->data, m->len, 0, &in) == 0 && in.kind == MCB_PAYLOAD_PLAIN) {
    mcb__analysis_plain(an);
    return;
  }
  if (an == NULL) {
    if ((an = calloc(1, sizeof *an)) == NULL) return; /* out of memory: counted, not analysed */
    mcb__analysis_reset(an);
    *anp = an;
  }
  an->kind = in.kind;
  an->kinds_seen |= 1u << in.kind;
  if (in.error != 0) {
    an->invalid++;
    return;
  }
  if (in.has_seq || in.end_of_run) {
    mcb_stream_stats *s = stream_of(an, &in);
    s->last_seen_ns = m->mono_ns;
    if (in.has_seq) an->sequenced = true;
    second_tick(an, m->mono_ns);
    if (in.has_seq)
      mcb_seqstats_add(&s->seq, in.seq, in.has_nonce, in.nonce);
    else
      mcb_seqstats_end_run(&s->seq); /* iperf 2's closing datagrams */
  }
  if (in.has_time) {
    int64_t d = m->realtime_ns - (int64_t)in.send_ns;
    if (in.echo) {
      if (an->rtt == NULL && (an->rtt = malloc(sizeof *an->rtt)) != NULL)
        mcb_delaystats_init(an->rtt);
      if (an->rtt != NULL) mcb_delaystats_add(an->rtt, d);
    } else {
      mcb_delaystats_add(&an->delay, d);
      mcb_jitter_add(&an->jitter, in.send_ns, (uint64_t)m->realtime_ns);
    }
  }
}

void mcb__analysis_get(const mcb__analysis *an, uint64_t now_ns, mcb_peer_analysis *out)
{
  mcb_seqstats t;
  memset(out, 0, sizeof *out);
  out->loss_pct_last_s = -1;
  if (an == NULL) {
    out->kinds_seen = 1u << MCB_PAYLOAD_PLAIN;
    return;
  }
  out->kind = an->kind;
  out->kinds_seen = an->kinds_seen;
  out->sequenced = an->sequenced;
  out->streams = an->nstreams;
  out->streams_evicted = an->streams_evicted;
  out->invalid = an->invalid;
  totals(an, &t);
  out->received = t.received;
  out->expected = t.expected;
  out->lost = t.lost;
  out->duplicates = t.duplicates;
  out->reordered = t.reordered;
  out->late = t.late;
  out->runs = t.runs;
  for (size_t i = 0; i < an->nstreams; i++) out->invalid += an->streams[i].seq.invalid;
  out->loss_pct = t.expected ? 100.0 * (double)t.lost / (double)t.expected : 0;
  /* The second just ended, when the stream went on into the current one (or the one
   * before ended at the last datagram). */
  if (an->sec != 0 && now_ns / NS <= an->sec + 1) out->loss_pct_last_s = an->last_s_pct;
  if ((out->delay_count = an->delay.count) > 0) {
    out->delay_negative = an->delay.negative;
    out->delay_min_ns = an->delay.min_ns;
    out->delay_max_ns = an->delay.max_ns;
    out->delay_avg_ns = mcb_delaystats_mean_ns(&an->delay);
    out->delay_p50_ns = mcb_delaystats_quantile_ns(&an->delay, 500);
    out->delay_p99_ns = mcb_delaystats_quantile_ns(&an->delay, 990);
    out->jitter_ns = an->jitter.jitter_ns;
  }
  if (an->rtt != NULL && (out->rtt_count = an->rtt->count) > 0) {
    out->rtt_min_ns = an->rtt->min_ns;
    out->rtt_max_ns = an->rtt->max_ns;
    out->rtt_avg_ns = mcb_delaystats_mean_ns(an->rtt);
    out->rtt_p99_ns = mcb_delaystats_quantile_ns(an->rtt, 990);
  }
}

size_t mcb__analysis_streams(const mcb__analysis *an)
{
  return an ? an->nstreams : 0;
}

const mcb_stream_stats *mcb__analysis_stream(const mcb__analysis *an, size_t index)
{
  return an && index < an->nstreams ? &an->streams[index] : NULL;
}

const mcb_delaystats *mcb__analysis_delay(const mcb__analysis *an)
{
  return an && an->delay.count > 0 ? &an->delay : NULL;
}

void mcb__analysis_plain(mcb__analysis *an)
{
  if (an == NULL) return;
  an->kind = MCB_PAYLOAD_PLAIN;
  an->kinds_seen |= 1u << MCB_PAYLOAD_PLAIN;
}
