/* test-persec.c - the per-second history ring: counts land in the right second, idle
 * seconds read as zero, the ring forgets after MCB_PERSEC_SLOTS seconds, and the
 * sliding-window rate weights the oldest partial second. */
#include "testlib.h"

#define SEC 1000000000ull

/* cmocka 1.1 has no assert_double_equal. */
#define assert_near(got, want, eps) assert_near_at((got), (want), (eps), __LINE__)
static void assert_near_at(double got, double want, double eps, int line)
{
  if (!(got - want <= eps && want - got <= eps))
    fail_msg("line %d: %.9g, expected %.9g", line, got, want);
}

static void seconds_and_rates(void **state)
{
  mcb_persec r;
  uint64_t m, b;
  double pps, bps;
  mcb_persec_init(&r);
  mcb_persec_get(&r, 5 * SEC, 0, &m, &b);
  assert_true(m == 0 && b == 0);
  for (int i = 0; i < 3; i++) mcb_persec_add(&r, 1000 * SEC + SEC / 2, 100);
  for (int i = 0; i < 2; i++) mcb_persec_add(&r, 1001 * SEC + SEC / 5, 50);
  mcb_persec_add(&r, 1003 * SEC + 9 * SEC / 10, 10);
  uint64_t now = 1003 * SEC + 95 * SEC / 100;
  const uint64_t want_m[] = {1, 0, 2, 3, 0}, want_b[] = {10, 0, 100, 300, 0};
  for (unsigned ago = 0; ago < 5; ago++) {
    mcb_persec_get(&r, now, ago, &m, &b);
    assert_int_equal(m, want_m[ago]);
    assert_int_equal(b, want_b[ago]);
  }
  /* 2 s ending at 1003.95: seconds 1003 and 1002 whole, 5% of second 1001. */
  mcb_persec_rate(&r, now, 2, &pps, &bps);
  assert_near(pps, (1 + 0 + 2 * 0.05) / 2, 1e-9);
  assert_near(bps, (10 + 0 + 100 * 0.05) / 2, 1e-9);
  /* Nothing arrives for a while: the rate decays to zero instead of staying up. */
  mcb_persec_rate(&r, 1010 * SEC, 5, &pps, &bps);
  assert_near(pps, 0, 0);
  mcb_persec_get(&r, 1003 * SEC + 61 * SEC, 0, &m, &b);
  assert_int_equal(m, 0);
}

static void ring_forgets_after_its_length(void **state)
{
  mcb_persec r;
  uint64_t m, b;
  mcb_persec_init(&r);
  for (uint64_t s = 0; s < 70; s++)
    for (uint64_t k = 0; k <= s % 3; k++) mcb_persec_add(&r, (500 + s) * SEC + k, 1);
  uint64_t now = 569 * SEC + 1;
  for (unsigned ago = 0; ago < MCB_PERSEC_SLOTS; ago++) {
    mcb_persec_get(&r, now, ago, &m, &b);
    assert_int_equal(m, (69 - ago) % 3 + 1);
  }
  mcb_persec_get(&r, now, MCB_PERSEC_SLOTS, &m, &b);
  assert_int_equal(m, 0);
  /* A jump of more than the ring clears it all. */
  mcb_persec_add(&r, 1000 * SEC, 7);
  mcb_persec_get(&r, 1000 * SEC, 1, &m, &b);
  assert_int_equal(m, 0);
  mcb_persec_get(&r, 1000 * SEC, 0, &m, &b);
  assert_true(m == 1 && b == 7);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seconds_and_rates),
      cmocka_unit_test(ring_forgets_after_its_length),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
