/* test-error.c - the message formatter every error text goes through: text that fits is
 * whole, text that does not ends with "...", never inside a UTF-8 sequence, and a tail
 * buffer too small for the whole mark still shows that it was cut. */
#include "testlib.h"

#include <string.h>

static void fits_whole(void **state)
{
  char buf[16];
  assert_false(mcb_msgf(buf, sizeof buf, "%s %d", "abc", 42));
  assert_string_equal(buf, "abc 42");
  assert_false(mcb_msgf(buf, sizeof buf, "%s", "exactly 15 char"));
  assert_string_equal(buf, "exactly 15 char");
}

static void cut_is_marked(void **state)
{
  char buf[16], big[MCB_MSG_MAX + 100];
  assert_true(mcb_msgf(buf, sizeof buf, "%s", "sixteen chars!!!"));
  assert_string_equal(buf, "sixteen char...");
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  {
    char msg[MCB_MSG_MAX];
    assert_true(mcb_msgf(msg, sizeof msg, "what: %s", big));
    assert_int_equal(strlen(msg), MCB_MSG_MAX - 1);
    assert_string_equal(msg + MCB_MSG_MAX - 4, "...");
  }
}

static void never_inside_utf8(void **state)
{
  char buf[8];
  /* "abcd" + U+00E9 (2 bytes) + "fgh": the mark would start inside the é. */
  assert_true(mcb_msgf(buf, sizeof buf, "%s",
                       "abc\xc3\xa9"
                       "fgh"));
  assert_string_equal(buf, "abc...");
}

static void tiny_tails(void **state)
{
  char buf[3];
  assert_true(mcb_msgf(buf, sizeof buf, "%s", "abcdef"));
  assert_string_equal(buf, "..");
  assert_true(mcb_msgf(buf, 1, "%s", "abc"));
  assert_string_equal(buf, "");
  assert_true(mcb_msgf(buf, 0, "%s", "abc"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fits_whole),
      cmocka_unit_test(cut_is_marked),
      cmocka_unit_test(never_inside_utf8),
      cmocka_unit_test(tiny_tails),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
