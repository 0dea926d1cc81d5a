/* test-escape.c - untrusted bytes never reach the terminal raw: control bytes, C1
 * controls, bidi and zero-width characters, combining marks and invalid UTF-8 are shown
 * as escapes; printable text, valid UTF-8 included, passes; limits cut on character
 * boundaries. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

static const char *esc(const char *in, size_t n, bool utf8)
{
  static char out[4096];
  scn_escape((const uint8_t *)in, n, utf8, out, sizeof out, 0, NULL);
  return out;
}

static void ascii_passes(void **state)
{
  assert_string_equal(esc("hello, world", 12, true), "hello, world");
}

static void control_bytes_escaped(void **state)
{
  /* cursor movement, colour, window title, bell, NUL, DEL */
  assert_string_equal(esc("\x1b[2J\x1b[31mred", 12, true), "\\x1b[2J\\x1b[31mred");
  assert_string_equal(esc("\x1b]0;pwned\x07", 10, true), "\\x1b]0;pwned\\x07");
  assert_string_equal(esc("a\0b\x7f", 4, true), "a\\x00b\\x7f");
  assert_string_equal(esc("l1\nl2\tx\r", 8, true), "l1\\nl2\\tx\\r");
  assert_string_equal(esc("back\\slash", 10, true), "back\\\\slash");
}

/* Text whose escapes are done keeps its backslashes; the raw bytes around them are
 * escaped, and a column limit still holds. */
static void escaped_text_is_not_escaped_again(void **state)
{
  char out[64];
  const char *in = "bind @a\\x1b: in use \x1b[2J";
  assert_int_equal(scn_escape_text(in, strlen(in), true, out, sizeof out, 0), 27);
  assert_string_equal(out, "bind @a\\x1b: in use \\x1b[2J");
  scn_escape_text(in, strlen(in), true, out, sizeof out, 9);
  assert_string_equal(out, "bind @a\\x");
  scn_escape_text("\\\\", 2, true, out, sizeof out, 0);
  assert_string_equal(out, "\\\\");
}

static void c1_and_deceptive_escaped(void **state)
{
  assert_string_equal(esc("\xc2\x9b"
                          "2J",
                          4, true),
                      "\\u{9b}2J"); /* C1 CSI */
  assert_string_equal(esc("ab\xe2\x80\xae"
                          "cd",
                          7, true),
                      "ab\\u{202e}cd"); /* RLO */
  assert_string_equal(esc("a\xe2\x80\x8b"
                          "b",
                          5, true),
                      "a\\u{200b}b");                          /* ZWSP */
  assert_string_equal(esc("e\xcc\x81", 3, true), "e\\u{301}"); /* combining */
}

static void invalid_utf8_escaped(void **state)
{
  assert_string_equal(esc("\xff\xfe", 2, true), "\\xff\\xfe");
  assert_string_equal(esc("\xc0\x80", 2, true), "\\xc0\\x80");          /* overlong NUL */
  assert_string_equal(esc("\xed\xa0\x80", 3, true), "\\xed\\xa0\\x80"); /* surrogate */
  assert_string_equal(esc("ok\xe2\x82", 4, true), "ok\\xe2\\x82");      /* truncated */
}

static void valid_utf8_passes(void **state)
{
  assert_string_equal(esc("caf\xc3\xa9", 5, true), "caf\xc3\xa9");
  assert_string_equal(esc("\xe6\x97\xa5\xe6\x9c\xac", 6, true), "\xe6\x97\xa5\xe6\x9c\xac");
  /* without a UTF-8 terminal, every non-ASCII byte is escaped */
  assert_string_equal(esc("caf\xc3\xa9", 5, false), "caf\\xc3\\xa9");
}

static void widths_and_limits(void **state)
{
  char out[64];
  size_t used;
  int cols =
      scn_escape((const uint8_t *)"\xe6\x97\xa5\xe6\x9c\xac", 6, true, out, sizeof out, 3, &used);
  assert_int_equal(cols, 2); /* a second double-width character would need column 4 */
  assert_int_equal(used, 3);
  assert_string_equal(out, "\xe6\x97\xa5");
  cols = scn_escape((const uint8_t *)"\x1b"
                                     "abc",
                    4, true, out, sizeof out, 5, &used);
  assert_int_equal(cols, 5); /* "\x1b" is 4 columns, never cut in half */
  assert_string_equal(out, "\\x1ba");
  cols = scn_escape((const uint8_t *)"\x1b", 1, true, out, 4, 0, &used); /* buffer too small */
  assert_string_equal(out, "");
  assert_int_equal(used, 0);
}

static void big_datagram_bounded(void **state)
{
  size_t n = 65536, used;
  uint8_t *p = malloc(n);
  char out[256];
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)i;
  int cols = scn_escape(p, n, true, out, sizeof out, 80, &used);
  assert_true(cols <= 80);
  assert_true(strlen(out) < sizeof out);
  for (const char *c = out; *c; c++) assert_true(*c >= 0x20 && *c < 0x7f);
  free(p);
}

int main(void)
{
  setlocale(LC_CTYPE, "C.UTF-8"); /* wcwidth() needs a UTF-8 locale */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ascii_passes),
      cmocka_unit_test(control_bytes_escaped),
      cmocka_unit_test(c1_and_deceptive_escaped),
      cmocka_unit_test(escaped_text_is_not_escaped_again),
      cmocka_unit_test(invalid_utf8_escaped),
      cmocka_unit_test(valid_utf8_passes),
      cmocka_unit_test(widths_and_limits),
      cmocka_unit_test(big_datagram_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
