/* test-seqstats.c - sequence accounting on hand-computed sequences: in order, gaps
 * filled late, duplicates, the window's edge (reordered inside, late outside), 64-bit
 * wraparound, restarts (new nonce, back to the beginning, end of run), datagrams before
 * the run's first one, and a seeded stream with injected drop/dup/reorder whose counts
 * must match what was injected exactly. */
#include "testlib.h"

#include <string.h>

#define W MCB_SEQ_WINDOW

/* cmocka 1.1 has no assert_double_equal. */
#define assert_near(got, want, eps) assert_near_at((got), (want), (eps), __LINE__)
static void assert_near_at(double got, double want, double eps, int line)
{
  if (!(got - want <= eps && want - got <= eps))
    fail_msg("line %d: %.9g, expected %.9g", line, got, want);
}

static void assert_invariant(const mcb_seqstats *st)
{
  assert_true(st->received == st->expected - st->lost + st->duplicates + st->late);
}

/* Feeds seqs (same nonce) and checks each class. */
static void feed(mcb_seqstats *st, const uint64_t *seqs, const int *classes, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int c = (int)mcb_seqstats_add(st, seqs[i], true, 7);
    if (c != classes[i])
      fail_msg("datagram %zu (seq %llu): class %d, expected %d", i, (unsigned long long)seqs[i], c,
               classes[i]);
  }
  assert_invariant(st);
}

static void gaps_reorder_duplicates(void **state)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  const uint64_t seqs[] = {0, 1, 3, 4, 2, 2, 5, 9, 7, 4};
  const int cls[] = {MCB_SEQ_FIRST,     MCB_SEQ_NEXT,      MCB_SEQ_GAP,  MCB_SEQ_NEXT,
                     MCB_SEQ_REORDERED, MCB_SEQ_DUPLICATE, MCB_SEQ_NEXT, MCB_SEQ_GAP,
                     MCB_SEQ_REORDERED, MCB_SEQ_DUPLICATE};
  feed(&st, seqs, cls, 10);
  /* 0..9 expected; 6 and 8 never came; 2 and 7 came late but inside the window. */
  assert_int_equal(st.received, 10);
  assert_int_equal(st.expected, 10);
  assert_int_equal(st.lost, 2);
  assert_int_equal(st.reordered, 2);
  assert_int_equal(st.duplicates, 2);
  assert_int_equal(st.late, 0);
  assert_int_equal(st.runs, 1);
  assert_near(mcb_seqstats_loss_pct(&st, false), 20.0, 1e-9);
}

static void window_edge(void **state)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  /* 0..W+10 except 5 and 11: then 11 (W-1 behind: inside) and 5 (W+5 behind: late). */
  for (uint64_t s = 0; s <= W + 10; s++)
    if (s != 5 && s != 11) mcb_seqstats_add(&st, s, true, 1);
  assert_int_equal(st.lost, 2);
  assert_int_equal(mcb_seqstats_add(&st, 11, true, 1), MCB_SEQ_REORDERED);
  assert_int_equal(mcb_seqstats_add(&st, 5, true, 1), MCB_SEQ_LATE);
  assert_int_equal(mcb_seqstats_add(&st, 10, true, 1), MCB_SEQ_LATE); /* W behind: out */
  assert_int_equal(st.lost, 1); /* the late one does not fill its old gap */
  assert_int_equal(st.late, 2);
  assert_int_equal(st.reordered, 1);
  assert_int_equal(st.expected, W + 11);
  assert_invariant(&st);
}

static void wraps_at_2_64(void **state)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  const uint64_t seqs[] = {UINT64_MAX - 2, UINT64_MAX - 1, UINT64_MAX, 0, 1, 4, 2, 3};
  const int cls[] = {MCB_SEQ_FIRST, MCB_SEQ_NEXT, MCB_SEQ_NEXT,      MCB_SEQ_NEXT,
                     MCB_SEQ_NEXT,  MCB_SEQ_GAP,  MCB_SEQ_REORDERED, MCB_SEQ_REORDERED};
  feed(&st, seqs, cls, 8);
  assert_int_equal(st.expected, 8);
  assert_int_equal(st.lost, 0);
  assert_int_equal(st.runs, 1);
  /* A gap across the wrap: MAX-1 then 1 loses MAX and 0. */
  mcb_seqstats_init(&st);
  mcb_seqstats_add(&st, UINT64_MAX - 1, false, 0);
  assert_int_equal(mcb_seqstats_add(&st, 1, false, 0), MCB_SEQ_GAP);
  assert_int_equal(st.lost, 2);
  assert_int_equal(mcb_seqstats_add(&st, 0, false, 0), MCB_SEQ_REORDERED);
  assert_int_equal(st.lost, 1);
  assert_invariant(&st);
}

static void restarts(void **state)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  /* A new nonce is a new run, exactly, even at a higher sequence number. */
  for (uint64_t s = 0; s < 10; s++) mcb_seqstats_add(&st, s, true, 0xaaaa);
  assert_int_equal(mcb_seqstats_add(&st, 0, true, 0xbbbb), MCB_SEQ_RESTART);
  assert_int_equal(mcb_seqstats_add(&st, 1, true, 0xbbbb), MCB_SEQ_NEXT);
  assert_int_equal(mcb_seqstats_add(&st, 500, true, 0xcccc), MCB_SEQ_RESTART);
  assert_int_equal(st.runs, 3);
  assert_int_equal(st.lost, 0); /* not a huge loss */
  assert_int_equal(st.expected, 13);
  assert_int_equal(st.run_expected, 1);
  /* The same number again under the same nonce: a duplicate, not a restart. */
  assert_int_equal(mcb_seqstats_add(&st, 500, true, 0xcccc), MCB_SEQ_DUPLICATE);
  assert_invariant(&st);

  /* Without a nonce: back past the window to (or before) the run's start is a restart;
   * past the window but after the start is late. */
  mcb_seqstats_init(&st);
  for (uint64_t s = 100; s <= 3000; s++) mcb_seqstats_add(&st, s, false, 0);
  assert_int_equal(mcb_seqstats_add(&st, 500, false, 0), MCB_SEQ_LATE);
  assert_int_equal(mcb_seqstats_add(&st, 1, false, 0), MCB_SEQ_RESTART);
  assert_int_equal(mcb_seqstats_add(&st, 2, false, 0), MCB_SEQ_NEXT);
  assert_int_equal(st.runs, 2);
  assert_int_equal(st.lost, 0);
  assert_int_equal(st.run_first, 1);
  assert_int_equal(st.run_expected, 2);
  assert_invariant(&st);

  /* The sender says it is done (iperf 2's negative id): the next datagram starts anew. */
  mcb_seqstats_init(&st);
  mcb_payload_info info = {.kind = MCB_PAYLOAD_IPERF2, .has_seq = true};
  for (info.seq = 1; info.seq <= 5; info.seq++) mcb_seqstats_add_payload(&st, &info);
  info.has_seq = false;
  info.end_of_run = true;
  assert_int_equal(mcb_seqstats_add_payload(&st, &info), -1);
  info = (mcb_payload_info){.kind = MCB_PAYLOAD_IPERF2, .has_seq = true, .seq = 1};
  assert_int_equal(mcb_seqstats_add_payload(&st, &info), MCB_SEQ_RESTART);
  info.error = UV_EPROTO;
  assert_int_equal(mcb_seqstats_add_payload(&st, &info), -1);
  assert_int_equal(st.invalid, 1);
  assert_int_equal(st.runs, 2);
  assert_int_equal(st.received, 6);
  assert_invariant(&st);
}

static void before_the_first(void **state)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  const uint64_t seqs[] = {10, 12, 9, 11, 7};
  const int cls[] = {MCB_SEQ_FIRST, MCB_SEQ_GAP, MCB_SEQ_REORDERED, MCB_SEQ_REORDERED,
                     MCB_SEQ_REORDERED};
  feed(&st, seqs, cls, 5);
  assert_int_equal(st.run_first, 7);
  assert_int_equal(st.expected, 6); /* 7..12 */
  assert_int_equal(st.lost, 1);     /* 8 */
  assert_near(mcb_seqstats_loss_pct(&st, true), 100.0 / 6, 1e-9);
}

static void big_and_huge_jumps(void **state)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  mcb_seqstats_add(&st, 0, true, 1);
  assert_int_equal(mcb_seqstats_add(&st, MCB_SEQ_MAX_JUMP, true, 1), MCB_SEQ_GAP);
  assert_true(st.lost == MCB_SEQ_MAX_JUMP - 1);
  /* The window was cleared: numbers just behind the new highest fill their gaps. */
  assert_int_equal(mcb_seqstats_add(&st, MCB_SEQ_MAX_JUMP - 5, true, 1), MCB_SEQ_REORDERED);
  assert_true(st.lost == MCB_SEQ_MAX_JUMP - 2);
  assert_invariant(&st);
  /* A garbled number far ahead (or behind) starts a run instead of poisoning this one; the
   * next real datagram jumps back just as far and starts a run again. */
  mcb_seqstats_init(&st);
  for (uint64_t s = 0; s < 10; s++) mcb_seqstats_add(&st, s, true, 1);
  assert_int_equal(mcb_seqstats_add(&st, (uint64_t)1 << 40, true, 1), MCB_SEQ_RESTART);
  assert_int_equal(mcb_seqstats_add(&st, 10, true, 1), MCB_SEQ_RESTART);
  assert_int_equal(mcb_seqstats_add(&st, 11, true, 1), MCB_SEQ_NEXT);
  assert_int_equal(mcb_seqstats_add(&st, (uint64_t)1 << 63, true, 1), MCB_SEQ_RESTART);
  assert_int_equal(st.lost, 0);
  assert_int_equal(st.runs, 4);
  assert_invariant(&st);
}

/* A seeded stream: drop, duplicate and displace datagrams (by less than the window), and
 * compare with the ground truth counted while injecting. */
static uint64_t rng(uint64_t *s)
{
  *s = *s * 6364136223846793005u + 1442695040888963407u;
  return *s >> 33;
}

static void injected_faults_counted_exactly(void **state)
{
  enum { N = 20000, HOLD = 64 };
  static uint64_t out[2 * N];
  static bool seen[N];
  uint64_t s = 42, n = 0, drops = 0, dups = 0, reordered = 0, highest = 0;
  for (uint64_t q = 0; q < N; q++) {
    if (q != 0 && q != N - 1 && rng(&s) % 100 < 5) {
      drops++;
      continue;
    }
    out[n++] = q;
    if (rng(&s) % 100 < 2) out[n++] = q; /* duplicate */
  }
  for (uint64_t i = 0; i + 1 < n; i++) { /* swap with a neighbour up to HOLD ahead */
    if (rng(&s) % 100 < 2) {
      uint64_t j = i + 1 + rng(&s) % HOLD;
      if (j < n) {
        uint64_t t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }
  }
  memset(seen, 0, sizeof seen);
  for (uint64_t i = 0; i < n; i++) { /* ground truth in arrival order */
    uint64_t q = out[i];
    if (seen[q])
      dups++;
    else if (i > 0 && q < highest)
      reordered++;
    seen[q] = true;
    if (q > highest) highest = q;
  }
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  for (uint64_t i = 0; i < n; i++) mcb_seqstats_add(&st, out[i], true, 3);
  assert_true(out[0] != 0 || st.run_first == 0);
  assert_int_equal(st.expected, N);
  assert_int_equal(st.lost, drops);
  assert_int_equal(st.duplicates, dups);
  assert_int_equal(st.reordered, reordered);
  assert_int_equal(st.late, 0);
  assert_int_equal(st.received, n);
  assert_true(drops > 500 && dups > 200 && reordered > 100); /* the faults happened */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(gaps_reorder_duplicates),
      cmocka_unit_test(window_edge),
      cmocka_unit_test(wraps_at_2_64),
      cmocka_unit_test(restarts),
      cmocka_unit_test(before_the_first),
      cmocka_unit_test(big_and_huge_jumps),
      cmocka_unit_test(injected_faults_counted_exactly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
