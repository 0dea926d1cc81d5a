/* test-delaystats.c - RFC 3550 interarrival jitter on a hand-computed sequence, and the
 * delay statistics: exact min/max/mean, percentiles within the documented 6.25%, exact
 * small values, negative delays (clocks out of step) and the histogram's top. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

/* cmocka 1.1 has no assert_double_equal. */
#define assert_near(got, want, eps) assert_near_at((got), (want), (eps), __LINE__)
static void assert_near_at(double got, double want, double eps, int line)
{
  if (!(got - want <= eps && want - got <= eps))
    fail_msg("line %d: %.9g, expected %.9g", line, got, want);
}

static void jitter_rfc3550(void **state)
{
  mcb_jitter j;
  mcb_jitter_init(&j);
  /* Sent every 20 ms; transits 160, 192, 176, 240 us, so D = 32, 16, 64 us and
   * J = 32000/16 = 2000; 2000 + (16000 - 2000)/16 = 2875;
   * 2875 + (64000 - 2875)/16 = 6695.3125 (ns). */
  const uint64_t send[] = {1000000000, 1020000000, 1040000000, 1060000000};
  const uint64_t transit[] = {160000, 192000, 176000, 240000};
  const double want[] = {0, 2000, 2875, 6695.3125};
  for (int i = 0; i < 4; i++) {
    mcb_jitter_add(&j, send[i], send[i] + transit[i]);
    assert_near(j.jitter_ns, want[i], 1e-9);
  }
  /* A constant clock offset (even making arrival < send) changes nothing. */
  mcb_jitter k;
  mcb_jitter_init(&k);
  for (int i = 0; i < 4; i++) mcb_jitter_add(&k, send[i] + 5000000000u, send[i] + transit[i]);
  assert_near(k.jitter_ns, 6695.3125, 1e-9);
  /* Equal spacing: no jitter at all. */
  mcb_jitter_init(&k);
  for (uint64_t i = 0; i < 100; i++) mcb_jitter_add(&k, i * 1000, i * 1000 + 77);
  assert_near(k.jitter_ns, 0, 0);
}

static void delay_hand_computed(void **state)
{
  mcb_delaystats d;
  mcb_delaystats_init(&d);
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 990), 0);
  for (int64_t v = 1; v <= 1000; v++) mcb_delaystats_add(&d, v);
  assert_int_equal(d.count, 1000);
  assert_int_equal(d.min_ns, 1);
  assert_int_equal(d.max_ns, 1000);
  assert_near(mcb_delaystats_mean_ns(&d), 500.5, 1e-9);
  /* p99 is 990, in [960, 1024) whose midpoint is 992; the median 500 is in [480, 512). */
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 990), 992);
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 500), 496);
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 1000), 1000); /* clamped to max */
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 1), 1);       /* exact below 8 ns */
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 5), 5);
}

static int cmp64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static void percentiles_within_precision(void **state)
{
  enum { N = 5000 };
  static int64_t v[N];
  mcb_delaystats d;
  uint64_t s = 7;
  mcb_delaystats_init(&d);
  for (int i = 0; i < N; i++) { /* log-uniform from 1 ns to ~68 s */
    s = s * 6364136223846793005u + 1442695040888963407u;
    v[i] = (int64_t)((s >> 20) & (((uint64_t)1 << ((s >> 58) % 37)) - 1)) + 1;
    mcb_delaystats_add(&d, v[i]);
  }
  qsort(v, N, sizeof v[0], cmp64);
  const unsigned q[] = {10, 250, 500, 900, 990, 999};
  for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
    int64_t exact = v[(N * q[i] + 999) / 1000 - 1], got = mcb_delaystats_quantile_ns(&d, q[i]);
    int64_t err = got > exact ? got - exact : exact - got;
    if (err > exact / 16) fail_msg("p%u: %lld, exact %lld", q[i], (long long)got, (long long)exact);
  }
}

static void negative_and_huge(void **state)
{
  mcb_delaystats d;
  mcb_delaystats_init(&d);
  mcb_delaystats_add(&d, -300);
  mcb_delaystats_add(&d, -100);
  assert_int_equal(d.negative, 2);
  assert_int_equal(d.min_ns, -300);
  assert_near(mcb_delaystats_mean_ns(&d), -200, 1e-9);
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 500), -300); /* rank 1: the minimum */
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 990), -100);
  mcb_delaystats_add(&d, -200);
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 500), -100); /* the 0 bucket, clamped */
  mcb_delaystats_init(&d);
  mcb_delaystats_add(&d, INT64_MAX);
  mcb_delaystats_add(&d, (int64_t)1 << 40);
  assert_int_equal(mcb_delaystats_quantile_ns(&d, 990), INT64_MAX);
  assert_int_equal(d.max_ns, INT64_MAX);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(jitter_rfc3550),
      cmocka_unit_test(delay_hand_computed),
      cmocka_unit_test(percentiles_within_precision),
      cmocka_unit_test(negative_and_huge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
