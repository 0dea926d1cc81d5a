/* test-values.c - the typed values of the language: durations, whole numbers, payloads,
 * comparisons, error names (libuv's table) and the shapes of addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uv.h>

#include "values.h"

static void durations(void **state)
{
  uint64_t ns;
  const char *why;
  char buf[32];
  assert_int_equal(scn_parse_duration("500us", &ns, &why), 0);
  assert_int_equal(ns, 500000);
  assert_int_equal(scn_parse_duration("100ms", &ns, &why), 0);
  assert_int_equal(ns, 100000000);
  assert_int_equal(scn_parse_duration("1.5s", &ns, &why), 0);
  assert_int_equal(ns, 1500000000);
  assert_int_equal(scn_parse_duration("2m", &ns, &why), 0);
  assert_int_equal(ns, 120000000000ull);
  assert_int_equal(scn_parse_duration("0s", &ns, &why), 0);
  assert_int_equal(scn_parse_duration("100", &ns, &why), -EINVAL);
  assert_string_equal(why, "a duration needs a unit: us, ms, s or m (e.g. 100ms)");
  assert_int_equal(scn_parse_duration("5h", &ns, &why), -EINVAL);
  assert_int_equal(scn_parse_duration("-1s", &ns, &why), -EINVAL);
  assert_int_equal(scn_parse_duration("ms", &ns, &why), -EINVAL);
  assert_int_equal(scn_parse_duration("25h", &ns, &why), -EINVAL);
  assert_int_equal(scn_parse_duration("1441m", &ns, &why), -ERANGE);
  assert_string_equal(why, "duration longer than 24 hours");
  scn_format_duration(1500000000, buf, sizeof buf);
  assert_string_equal(buf, "1.5s");
  scn_format_duration(120000000000ull, buf, sizeof buf);
  assert_string_equal(buf, "2m");
  scn_format_duration(300000000, buf, sizeof buf);
  assert_string_equal(buf, "300ms");
}

/* Timers round up: they never fire before the duration has passed. */
static void ms_rounding(void **state)
{
  assert_int_equal(scn_ms_ceil(0), 0);
  assert_int_equal(scn_ms_ceil(1), 1);
  assert_int_equal(scn_ms_ceil(999999), 1);
  assert_int_equal(scn_ms_ceil(1000000), 1);
  assert_int_equal(scn_ms_ceil(1000001), 2);
  assert_int_equal(scn_ms_ceil(1500000000), 1500);
  assert_true(scn_ms_ceil(UINT64_MAX) == UINT64_MAX / 1000000 + 1); /* no overflow */
}

static void numbers_and_ops(void **state)
{
  int64_t v;
  const char *why;
  scn_op op;
  assert_int_equal(scn_parse_int("255", 0, 255, &v, &why), 0);
  assert_int_equal(v, 255);
  assert_int_equal(scn_parse_int("256", 0, 255, &v, &why), -ERANGE);
  assert_int_equal(scn_parse_int("-3", -5, 5, &v, &why), 0);
  assert_int_equal(scn_parse_int("3x", 0, 9, &v, &why), -EINVAL);
  assert_int_equal(scn_parse_int("", 0, 9, &v, &why), -EINVAL);
  assert_int_equal(scn_parse_int("99999999999999999999", 0, 9, &v, &why), -ERANGE);
  assert_int_equal(scn_parse_op(">=", &op), 0);
  assert_true(scn_op_holds(op, 3, 3));
  assert_false(scn_op_holds(op, 2, 3));
  assert_int_equal(scn_parse_op("=>", &op), -EINVAL);
  assert_string_equal(scn_op_text(SCN_OP_NE), "!=");
}

static void payloads(void **state)
{
  uint8_t *d;
  size_t n;
  const char *why;
  assert_int_equal(scn_parse_payload("hex:48656c6C6f", 14, false, &d, &n, &why), 0);
  assert_int_equal(n, 5);
  assert_memory_equal(d, "Hello", 5);
  free(d);
  assert_int_equal(scn_parse_payload("hex:", 4, false, &d, &n, &why), 0);
  assert_int_equal(n, 0);
  assert_int_equal(scn_parse_payload("hex:abc", 7, false, &d, &n, &why), -EINVAL);
  assert_string_equal(why, "hex: needs an even number of hex digits");
  assert_int_equal(scn_parse_payload("hex:zz", 6, false, &d, &n, &why), -EINVAL);
  assert_int_equal(scn_parse_payload("size:30", 7, false, &d, &n, &why), 0);
  assert_int_equal(n, 30);
  assert_memory_equal(d, "abcdefghijklmnopqrstuvwxyzabcd", 30);
  free(d);
  assert_int_equal(scn_parse_payload("size:2000000", 12, false, &d, &n, &why), -EINVAL);
  /* quoted, "hex:..." is just text */
  assert_int_equal(scn_parse_payload("hex:41", 6, true, &d, &n, &why), 0);
  assert_int_equal(n, 6);
  free(d);
  assert_int_equal(scn_parse_payload("a\0b", 3, true, &d, &n, &why), 0);
  assert_int_equal(n, 3);
  free(d);
}

static void error_names(void **state)
{
  int code;
  assert_int_equal(scn_parse_errcode("EACCES", &code), 0);
  assert_int_equal(code, UV_EACCES);
  assert_int_equal(scn_parse_errcode("EAI_NONAME", &code), 0);
  assert_int_equal(code, UV_EAI_NONAME);
  assert_int_equal(scn_parse_errcode("EACCESS", &code), -EINVAL);
  assert_string_equal(scn_suggest_errcode("EACCESS"), "EACCES");
  assert_string_equal(scn_suggest_errcode("ENODEVICE") ? "x" : "none", "none");
}

static void address_shapes(void **state)
{
  const char *why;
  assert_true(scn_is_endpoint(":5000", &why));
  assert_true(scn_is_endpoint("0.0.0.0:0", &why));
  assert_true(scn_is_endpoint("[::]:5000", &why));
  assert_true(scn_is_endpoint("/tmp/s.sock", &why));
  assert_true(scn_is_endpoint("localhost:5000", &why)); /* resolved at run time */
  assert_false(scn_is_endpoint("[localhost]:5000", &why));
  assert_false(scn_is_endpoint(":5000x", &why));
  assert_string_equal(why, "port must be 0..65535");
  assert_true(scn_is_destination("239.1.1.1:5000", &why));
  assert_true(scn_is_destination("[ff02::1%lo]:5000", &why));
  assert_true(scn_is_destination("host.name:5000", &why));
  assert_true(scn_is_destination("@abstract", &why));
  assert_false(scn_is_destination("239.1.1.1:0", &why));
  assert_false(scn_is_destination("ff02::1:5000", &why));
  assert_string_equal(why, "write IPv6 addresses in brackets: [ff02::1%mcb0]:5000");
  assert_false(scn_is_destination("239.1.1.1", &why));
  assert_true(scn_is_peer_filter("10.0.0.1", &why));
  assert_true(scn_is_peer_filter("10.0.0.1:40000", &why));
  assert_true(scn_is_peer_filter("[fe80::1]:5", &why));
  assert_false(scn_is_peer_filter("somehost", &why));
  assert_true(scn_is_numeric_host("fe80::1%mcb0"));
  assert_false(scn_is_numeric_host("fe80::1%"));
  assert_true(scn_is_identifier("rx-1.a_b"));
  assert_false(scn_is_identifier("1rx"));
  assert_false(scn_is_identifier("a-very-long-name-of-thirty-two-c"));
  assert_int_equal(scn_edit_distance("sned", "send"), 2);
  assert_int_equal(scn_edit_distance("join", "join"), 0);
}

/* The stream options' values: percentages, sizes and ranges of sizes, rates with units. */
static void stream_values(void **state)
{
  uint32_t ppm;
  size_t lo, hi;
  double pps;
  const char *why;
  assert_true(scn_is_probe_payload("probe", false));
  assert_false(scn_is_probe_payload("probe", true)); /* "probe" quoted is the text */
  assert_int_equal(scn_parse_ppm("5%", &ppm, &why), 0);
  assert_int_equal(ppm, 50000);
  assert_int_equal(scn_parse_ppm("0.25%", &ppm, &why), 0);
  assert_int_equal(ppm, 2500);
  assert_int_equal(scn_parse_ppm("100%", &ppm, &why), 0);
  assert_int_equal(ppm, 1000000);
  assert_int_equal(scn_parse_ppm("5", &ppm, &why), 0); /* the % sign is optional */
  assert_int_equal(ppm, 50000);
  assert_true(scn_parse_ppm("101%", &ppm, &why) < 0);
  assert_true(scn_parse_ppm("-1%", &ppm, &why) < 0);
  assert_true(scn_parse_ppm("5%%", &ppm, &why) < 0);
  assert_int_equal(scn_parse_size_range("1200", 65507, &lo, &hi, &why), 0);
  assert_true(lo == 1200 && hi == 1200);
  assert_int_equal(scn_parse_size_range("64..1400", 65507, &lo, &hi, &why), 0);
  assert_true(lo == 64 && hi == 1400);
  assert_true(scn_parse_size_range("1400..64", 65507, &lo, &hi, &why) < 0);
  assert_true(scn_parse_size_range("64..", 65507, &lo, &hi, &why) < 0);
  assert_true(scn_parse_size_range("70000", 65507, &lo, &hi, &why) < 0);
  assert_int_equal(scn_parse_rate("1000", "pps", 64, &pps, &why), 0);
  assert_true(pps == 1000);
  /* bit rates count payload bytes: 8 Mbit/s of 1000-byte datagrams is 1000 per second */
  assert_int_equal(scn_parse_rate("8", "Mbps", 1000, &pps, &why), 0);
  assert_true(pps > 999.999 && pps < 1000.001);
  assert_int_equal(scn_parse_rate("64", "kbps", 8, &pps, &why), 0);
  assert_true(pps > 999.999 && pps < 1000.001);
  assert_int_equal(scn_parse_rate("2.5", "pps", 1, &pps, &why), 0);
  assert_true(scn_parse_rate("0", "pps", 1, &pps, &why) < 0);
  assert_true(scn_parse_rate("1e3", "pps", 1, &pps, &why) < 0);
  assert_true(scn_parse_rate("8", "Mbps", 0, &pps, &why) < 0); /* empty datagrams */
}

static void address_ranges(void **state)
{
  mcb_addr first, a;
  uint64_t n;
  const char *why;
  char buf[MCB_ADDRSTRLEN];
  assert_int_equal(scn_parse_range("239.1.1.1..239.1.1.200", false, &first, &n, &why), 0);
  assert_int_equal(n, 200);
  scn_range_at(&first, 199, &a);
  assert_string_equal(mcb_addr_format_host(&a, buf, sizeof buf), "239.1.1.200");
  /* carries across bytes */
  assert_int_equal(scn_parse_range("239.1.1.250..239.1.2.10", false, &first, &n, &why), 0);
  assert_int_equal(n, 17);
  scn_range_at(&first, 6, &a);
  assert_string_equal(mcb_addr_format_host(&a, buf, sizeof buf), "239.1.2.0");
  assert_int_equal(scn_parse_range("ff05::1..ff05::20", false, &first, &n, &why), 0);
  assert_int_equal(n, 32);
  scn_range_at(&first, 31, &a);
  assert_string_equal(mcb_addr_format_host(&a, buf, sizeof buf), "ff05::20");
  /* with a port, for send */
  assert_int_equal(scn_parse_range("239.1.1.1..239.1.1.3:5000", true, &first, &n, &why), 0);
  assert_int_equal(n, 3);
  scn_range_at(&first, 2, &a);
  assert_string_equal(mcb_addr_format(&a, buf, sizeof buf), "239.1.1.3:5000");
  assert_int_equal(scn_parse_range("[ff05::1]..[ff05::2]:5000", true, &first, &n, &why), 0);
  assert_int_equal(n, 2);
  /* a single address is a range of one */
  assert_int_equal(scn_parse_range("239.1.1.1:5000", true, &first, &n, &why), 0);
  assert_int_equal(n, 1);
  /* refused: backwards, mixed families, too large, IPv6 beyond the low 64 bits, no port */
  assert_true(scn_parse_range("239.1.1.2..239.1.1.1", false, &first, &n, &why) < 0);
  assert_true(scn_parse_range("239.1.1.1..ff05::1", false, &first, &n, &why) < 0);
  assert_true(scn_parse_range("239.0.0.0..239.1.0.0", false, &first, &n, &why) < 0);
  assert_string_equal(why, "a range holds at most 65536 addresses");
  assert_int_equal(scn_parse_range("239.0.0.0..239.0.255.255", false, &first, &n, &why), 0);
  assert_int_equal(n, 65536);
  assert_true(scn_parse_range("ff05::1..ff06::1", false, &first, &n, &why) < 0);
  assert_true(scn_parse_range("239.1.1.1..239.1.1.3", true, &first, &n, &why) < 0);
  assert_true(scn_is_destination("239.1.1.1..239.1.1.3:5000", &why));
  assert_false(scn_is_destination("239.1.1.3..239.1.1.1:5000", &why));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(durations),       cmocka_unit_test(ms_rounding),
      cmocka_unit_test(numbers_and_ops), cmocka_unit_test(payloads),
      cmocka_unit_test(error_names),     cmocka_unit_test(address_shapes),
      cmocka_unit_test(stream_values),   cmocka_unit_test(address_ranges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
