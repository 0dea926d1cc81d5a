/* test-stream.c - a send stream's plan (scenarios/stream.c): deadlines that never drift,
 * bursts, what is due when the loop is late (catch-up), seeded sizes and impairments with
 * exact counts, and the receive side's sequence statistics agreeing with what was
 * injected. Counts only: no clock is read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mcb.h"
#include "stream.h"

#define MS 1000000ull

static scn_stream_cfg paced(uint64_t interval_ns, unsigned burst, uint64_t count)
{
  return (scn_stream_cfg){.count = count,
                          .interval_ns = interval_ns,
                          .burst = burst,
                          .size_min = 64,
                          .size_max = 64,
                          .seed = 1};
}

/* Takes every sequence number due at `rel`; returns how many. */
static uint64_t take_until(scn_stream_gen *g, uint64_t rel)
{
  scn_wire w[SCN_WIRE_MAX];
  uint64_t due, n = 0;
  while (scn_stream_peek(g, &due) && due <= rel) {
    scn_stream_take(g, w);
    n++;
  }
  return n;
}

static void deadlines_are_absolute(void **state)
{
  scn_stream_cfg c = paced(1 * MS, 1, 0);
  for (uint64_t i = 0; i < 10; i++) assert_int_equal(scn_stream_deadline(&c, i), i * MS);
  /* no drift: the millionth deadline is exactly a million intervals away */
  assert_int_equal(scn_stream_deadline(&c, 1000000), 1000000 * MS);
  c.interval_ns = 333333; /* 3000 pps: rounding does not accumulate either */
  assert_int_equal(scn_stream_deadline(&c, 3000000), 3000000ull * 333333);
}

static void bursts_share_a_deadline(void **state)
{
  scn_stream_cfg c = paced(10 * MS, 4, 0);
  uint64_t want[] = {0, 0, 0, 0, 10 * MS, 10 * MS, 10 * MS, 10 * MS, 20 * MS};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    assert_int_equal(scn_stream_deadline(&c, i), want[i]);
  scn_stream_gen g;
  scn_stream_gen_init(&g, &c);
  assert_int_equal(take_until(&g, 0), 4);           /* the first burst at the start */
  assert_int_equal(take_until(&g, 10 * MS - 1), 0); /* nothing early */
  assert_int_equal(take_until(&g, 10 * MS), 4);
}

static void planned_counts(void **state)
{
  scn_stream_cfg c = paced(1 * MS, 1, 0);
  assert_int_equal(scn_stream_planned(&c), 0); /* until stopped */
  c.for_ns = 1000 * MS;                        /* rate 1000 pps for 1 s */
  assert_int_equal(scn_stream_planned(&c), 1000);
  c.for_ns = 1500000; /* 1.5 ms: deadlines at 0 and 1 ms */
  assert_int_equal(scn_stream_planned(&c), 2);
  c = paced(10 * MS, 10, 0); /* 1000 pps in bursts of 10, for 1 s */
  c.for_ns = 1000 * MS;
  assert_int_equal(scn_stream_planned(&c), 1000);
  c.count = 300; /* the smaller bound wins */
  assert_int_equal(scn_stream_planned(&c), 300);
  c = paced(0, 1, 0); /* unpaced `for` ends by the clock */
  c.for_ns = 1000 * MS;
  assert_int_equal(scn_stream_planned(&c), 0);
  c.count = 5;
  assert_int_equal(scn_stream_planned(&c), 5);
}

static void a_late_loop_catches_up(void **state)
{
  scn_stream_cfg c = paced(1 * MS, 1, 100);
  scn_stream_gen g;
  uint64_t due;
  scn_stream_gen_init(&g, &c);
  assert_int_equal(take_until(&g, 0), 1);
  /* the loop wakes 10.5 ms late: everything due meanwhile is due now, no more */
  assert_int_equal(take_until(&g, 10 * MS + MS / 2), 10);
  assert_true(scn_stream_peek(&g, &due));
  assert_int_equal(due, 11 * MS); /* the schedule did not move */
  /* far behind: the backlog is bounded by the plan */
  assert_int_equal(take_until(&g, 1000 * MS), 89);
  assert_false(scn_stream_peek(&g, &due));
}

static void unpaced_is_always_due(void **state)
{
  scn_stream_cfg c = paced(0, 1, 50);
  scn_stream_gen g;
  scn_stream_gen_init(&g, &c);
  assert_int_equal(take_until(&g, 0), 50);
}

/* Runs a whole plan; returns the wire datagrams in order. */
static size_t run_plan(const scn_stream_cfg *c, scn_stream_gen *g, scn_wire *out, size_t max)
{
  scn_wire w[SCN_WIRE_MAX];
  uint64_t due;
  size_t n = 0, k;
  scn_stream_gen_init(g, c);
  while (scn_stream_peek(g, &due)) {
    k = scn_stream_take(g, w);
    assert_true(n + k <= max);
    memcpy(out + n, w, k * sizeof w[0]);
    n += k;
  }
  k = scn_stream_flush(g, w);
  memcpy(out + n, w, k * sizeof w[0]);
  return n + k;
}

#define N 10000

static void impairments_are_seeded_and_exact(void **state)
{
  static scn_wire a[2 * N], b[2 * N];
  scn_stream_cfg c = paced(100000, 1, N);
  scn_stream_gen g, h;
  c.drop_ppm = 50000;    /* 5% */
  c.dup_ppm = 20000;     /* 2% */
  c.reorder_ppm = 20000; /* 2% */
  c.seed = 7;
  size_t na = run_plan(&c, &g, a, 2 * N);
  /* exact for seed 7: a change to the plan's draws shows here first */
  assert_int_equal(g.dropped, 514);
  assert_int_equal(g.duplicated, 176);
  assert_int_equal(g.reordered, 191);
  /* and near what was asked (5%, 2%, 2% of 10000; binomial, 4 sigma) */
  assert_in_range(g.dropped, 500 - 88, 500 + 88);
  assert_in_range(g.duplicated, 200 - 56, 200 + 56);
  assert_int_equal(na, N - g.dropped + g.duplicated);
  /* the same seed gives the same datagrams; another seed others */
  size_t nb = run_plan(&c, &h, b, 2 * N);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na * sizeof a[0]);
  c.seed = 8;
  run_plan(&c, &h, b, 2 * N);
  assert_true(h.dropped != g.dropped || h.duplicated != g.duplicated || h.reordered != g.reordered);
  /* one impairment never shifts another's choices: the drops of seed 7 are the same
   * with or without duplicates and reordering */
  c.seed = 7;
  c.dup_ppm = c.reorder_ppm = 0;
  run_plan(&c, &h, b, 2 * N);
  assert_int_equal(h.dropped, g.dropped);
  assert_int_equal(h.duplicated + h.reordered, 0);
}

/* What the receiving side counts (core/src/seqstats.c) is exactly what was injected. */
static void receiver_counts_match_the_injection(void **state)
{
  static scn_wire w[2 * N];
  scn_stream_cfg c = paced(100000, 1, N);
  scn_stream_gen g;
  mcb_seqstats st;
  c.drop_ppm = 50000;
  c.dup_ppm = 20000;
  c.reorder_ppm = 20000;
  for (uint64_t seed = 1; seed <= 5; seed++) {
    c.seed = seed;
    size_t n = run_plan(&c, &g, w, 2 * N);
    mcb_seqstats_init(&st);
    for (size_t i = 0; i < n; i++) mcb_seqstats_add(&st, w[i].seq, true, 42);
    /* a drop at the very end leaves no gap to see: the plan's last number counts */
    uint64_t tail = 0;
    for (uint64_t s = N; s-- > 0 && st.run_highest < s;) tail++;
    assert_int_equal(st.lost + tail, g.dropped);
    assert_int_equal(st.duplicates, g.duplicated);
    assert_int_equal(st.reordered, g.reordered);
    assert_int_equal(st.late, 0);
    assert_int_equal(st.received, n);
  }
}

static void the_first_is_never_held_back(void **state)
{
  scn_stream_cfg c = paced(MS, 1, 100);
  scn_stream_gen g;
  scn_wire w[300];
  c.reorder_ppm = SCN_PPM; /* every datagram would be held */
  size_t n = run_plan(&c, &g, w, 300);
  assert_int_equal(n, 100);
  assert_int_equal(w[0].seq, 0);
  /* 1 held, 2 sent then 1, 3 held, 4 then 3, ...: pairs swapped after the first */
  assert_int_equal(w[1].seq, 2);
  assert_int_equal(w[2].seq, 1);
  assert_int_equal(g.reordered, 49);
  assert_int_equal(w[99].seq, 99); /* held at the end: flushed, not overtaken */
}

static void sizes_are_seeded_within_the_range(void **state)
{
  scn_stream_cfg c = paced(MS, 1, 1000);
  scn_stream_gen g;
  static scn_wire w[1000];
  bool lo = false, hi = false;
  c.size_min = 64;
  c.size_max = 1400;
  c.seed = 3;
  size_t n = run_plan(&c, &g, w, 1000);
  assert_int_equal(n, 1000);
  for (size_t i = 0; i < n; i++) {
    assert_in_range(w[i].len, 64, 1400);
    lo = lo || w[i].len < 200;
    hi = hi || w[i].len > 1260;
  }
  assert_true(lo && hi); /* spread over the range */
}

static void jitter_delays_and_keeps_order(void **state)
{
  scn_stream_cfg c = paced(MS, 1, 1000);
  scn_stream_gen g;
  scn_wire w[SCN_WIRE_MAX];
  uint64_t due, prev = 0, moved = 0;
  c.jitter_ns = 5 * MS;
  c.seed = 11;
  scn_stream_gen_init(&g, &c);
  for (uint64_t i = 0; scn_stream_peek(&g, &due); i++) {
    assert_true(due >= scn_stream_deadline(&c, i));
    assert_true(due >= prev); /* never before the one before it */
    assert_true(due <= scn_stream_deadline(&c, i) + c.jitter_ns);
    moved += due != scn_stream_deadline(&c, i);
    prev = due;
    assert_int_equal(scn_stream_take(&g, w), 1);
    assert_int_equal(w[0].seq, i);
  }
  assert_true(moved > 900);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(deadlines_are_absolute),
      cmocka_unit_test(bursts_share_a_deadline),
      cmocka_unit_test(planned_counts),
      cmocka_unit_test(a_late_loop_catches_up),
      cmocka_unit_test(unpaced_is_always_due),
      cmocka_unit_test(impairments_are_seeded_and_exact),
      cmocka_unit_test(receiver_counts_match_the_injection),
      cmocka_unit_test(the_first_is_never_held_back),
      cmocka_unit_test(sizes_are_seeded_within_the_range),
      cmocka_unit_test(jitter_delays_and_keeps_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
