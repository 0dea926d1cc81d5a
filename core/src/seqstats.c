/* seqstats.c - per-stream sequence accounting: received, lost, duplicates, reordered,
 * late and restarts, in a fixed window of MCB_SEQ_WINDOW sequence numbers.
 *
 * The window is a bitmap indexed by seq % MCB_SEQ_WINDOW covering the sequence numbers
 * (highest - WINDOW, highest]. A datagram ahead of the highest slides the window (the
 * bits that enter it are cleared) and counts the numbers it skipped as lost; one inside
 * the window either fills its gap (lost - 1, reordered + 1) or is a duplicate; one older
 * than the window is late and never reduces the loss. All arithmetic is modulo 2^64, so
 * a sequence wrapping from 2^64 - 1 to 0 is the next one, not a restart. The common case
 * (the next sequence number) costs a subtraction, one bit cleared and one set.
 */
#include <mcb.h>
#include <string.h>

#define WORDS (MCB_SEQ_WINDOW / 64)
#define MASK  (MCB_SEQ_WINDOW - 1)

_Static_assert((MCB_SEQ_WINDOW & MASK) == 0 && MCB_SEQ_WINDOW >= 64, "window: power of two");

void mcb_seqstats_init(mcb_seqstats *st)
{
  memset(st, 0, sizeof *st);
}

static inline bool test_bit(const mcb_seqstats *st, uint64_t seq)
{
  unsigned b = (unsigned)(seq & MASK);
  return (st->window[b >> 6] >> (b & 63)) & 1;
}

static inline void set_bit(mcb_seqstats *st, uint64_t seq)
{
  unsigned b = (unsigned)(seq & MASK);
  st->window[b >> 6] |= (uint64_t)1 << (b & 63);
}

/* Clears the bits of the n sequence numbers after `from` (they enter the window). */
static void clear_range(mcb_seqstats *st, uint64_t from, uint64_t n)
{
  if (n >= MCB_SEQ_WINDOW) {
    memset(st->window, 0, sizeof st->window);
    return;
  }
  unsigned b = (unsigned)((from + 1) & MASK);
  while (n > 0) {
    unsigned off = b & 63, take = 64 - off;
    if (take > n) take = (unsigned)n;
    uint64_t bits = take == 64 ? ~(uint64_t)0 : (((uint64_t)1 << take) - 1) << off;
    st->window[b >> 6] &= ~bits;
    n -= take;
    b = (b + take) & MASK;
  }
}

static void start_run(mcb_seqstats *st, uint64_t seq, bool has_nonce, uint32_t nonce)
{
  memset(st->window, 0, sizeof st->window);
  set_bit(st, seq);
  st->active = true;
  st->run_first = st->run_highest = seq;
  st->run_expected = 1;
  st->run_lost = 0;
  st->run_has_nonce = has_nonce;
  st->run_nonce = nonce;
  st->runs++;
  st->expected++;
}

/* Behind the highest by `back` (1..): inside the window, or late, or a restart. */
static mcb_seq_class behind(mcb_seqstats *st, uint64_t seq, uint64_t back, bool has_nonce,
                            uint32_t nonce)
{
  if (back >= MCB_SEQ_WINDOW) {
    /* Without a nonce, going back to (or before) the run's start is a restart. */
    if (!has_nonce && (int64_t)(seq - st->run_first) <= 0) {
      start_run(st, seq, has_nonce, nonce);
      return MCB_SEQ_RESTART;
    }
    st->late++;
    return MCB_SEQ_LATE;
  }
  if (test_bit(st, seq)) {
    st->duplicates++;
    return MCB_SEQ_DUPLICATE;
  }
  set_bit(st, seq);
  st->reordered++;
  int64_t before = (int64_t)(st->run_first - seq);
  if (before > 0) {
    /* Earlier than the run's first datagram: the run starts here, and the numbers
     * between this one and the old start are missing. */
    uint64_t gap = (uint64_t)before - 1;
    st->run_first = seq;
    st->run_expected += (uint64_t)before;
    st->expected += (uint64_t)before;
    st->run_lost += gap;
    st->lost += gap;
    return MCB_SEQ_REORDERED;
  }
  st->run_lost--;
  st->lost--;
  return MCB_SEQ_REORDERED;
}

mcb_seq_class mcb_seqstats_add(mcb_seqstats *st, uint64_t seq, bool has_nonce, uint32_t nonce)
{
  st->received++;
  if (!st->active) {
    bool restart = st->runs > 0;
    start_run(st, seq, has_nonce, nonce);
    return restart ? MCB_SEQ_RESTART : MCB_SEQ_FIRST;
  }
  if (has_nonce != st->run_has_nonce || (has_nonce && nonce != st->run_nonce)) {
    start_run(st, seq, has_nonce, nonce);
    return MCB_SEQ_RESTART;
  }
  uint64_t ahead = seq - st->run_highest;
  if (ahead == 1) {
    unsigned b = (unsigned)(seq & MASK);
    st->window[b >> 6] |= (uint64_t)1 << (b & 63); /* the bit leaving is the one entering */
    st->run_highest = seq;
    st->run_expected++;
    st->expected++;
    return MCB_SEQ_NEXT;
  }
  if (ahead > MCB_SEQ_MAX_JUMP && ahead < 0 - (uint64_t)MCB_SEQ_MAX_JUMP) {
    /* Nobody loses 2^31 datagrams and carries on: a new run (or garbage, after which
     * the next real datagram jumps back just as far and starts a run again). */
    start_run(st, seq, has_nonce, nonce);
    return MCB_SEQ_RESTART;
  }
  if (ahead == 0) {
    st->duplicates++;
    return MCB_SEQ_DUPLICATE;
  }
  if ((int64_t)ahead < 0) return behind(st, seq, (uint64_t)0 - ahead, has_nonce, nonce);
  clear_range(st, st->run_highest, ahead);
  set_bit(st, seq);
  st->run_highest = seq;
  st->run_expected += ahead;
  st->expected += ahead;
  st->run_lost += ahead - 1;
  st->lost += ahead - 1;
  return MCB_SEQ_GAP;
}

int mcb_seqstats_add_payload(mcb_seqstats *st, const mcb_payload_info *info)
{
  if (info->error != 0) {
    st->invalid++;
    return -1;
  }
  if (info->end_of_run) {
    st->active = false;
    return -1;
  }
  if (!info->has_seq) return -1;
  return (int)mcb_seqstats_add(st, info->seq, info->has_nonce, info->nonce);
}

void mcb_seqstats_invalid(mcb_seqstats *st)
{
  st->invalid++;
}

void mcb_seqstats_end_run(mcb_seqstats *st)
{
  st->active = false;
}

double mcb_seqstats_loss_pct(const mcb_seqstats *st, bool run_only)
{
  uint64_t lost = run_only ? st->run_lost : st->lost;
  uint64_t expected = run_only ? st->run_expected : st->expected;
  return expected == 0 ? 0.0 : 100.0 * (double)lost / (double)expected;
}
