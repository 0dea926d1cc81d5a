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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(durations), cmocka_unit_test(ms_rounding), cmocka_unit_test(numbers_and_ops),
      cmocka_unit_test(payloads),  cmocka_unit_test(error_names), cmocka_unit_test(address_shapes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
