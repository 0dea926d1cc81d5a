/* test-report-escape.c - for every writer in the table, hostile strings (escapes, CSI,
 * OSC, C1 bytes, DEL, '#') in file names, results, notes, `say`, traces and errors never
 * put a control byte on a terminal, and the file formats escape them exactly. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report-fixture.h"

/* ---- hostile strings, every writer ---- */

/* No C0 control but newline and tab, no DEL, no C1 (encoded or as a lone byte). */
static void assert_terminal_safe(const char *what, const char *s, size_t len)
{
  const uint8_t *p = (const uint8_t *)s;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = scn_utf8_decode(p + i, len - i, &cp);
    if (n == 0) { /* a lone byte */
      if (p[i] < 0x20 ? p[i] != '\n' && p[i] != '\t' : (p[i] == 0x7f || p[i] < 0xa0))
        fail_msg("%s: byte 0x%02x at %zu reaches the terminal", what, p[i], i);
      i++;
      continue;
    }
    if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
      fail_msg("%s: control U+%04X at %zu reaches the terminal", what, cp, i);
    i += n;
  }
}

static fixture hostile(void)
{
  static const char evil[] = "\x1b]0;pwned\x07\x1b[2J\x9b"
                             "31m\xc2\x9b"
                             "1m\x7f\r\x01#";
  fixture f = {.file = "we<ird>&\"\x1b[1m.mcb",
               .say = evil,
               .trace = evil,
               .command = "send tx 239.1.1.1:5000 \"\x1b]0;t\x07\"",
               .pass = fx_result(true, evil, "", ""),
               .fail =
                   fx_result(false, "expect rx payload \"<&'\\\">\"", evil, "\x1b]0;x\x07 \xff"),
               .error_msg = "bad \x01 thing <here>"};
  snprintf(f.pass.file, sizeof f.pass.file, "%s", f.file);
  return f;
}

static void hostile_strings_never_reach_a_terminal(void **state)
{
  fixture fx = hostile();
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++) {
    captured c;
    fx_capture(*w, &fx, &c);
    assert_terminal_safe((*w)->name, c.out, c.out_len);
    assert_terminal_safe((*w)->name, c.err, c.err_len);
    assert_terminal_safe((*w)->name, c.file, strlen(c.file));
    if (strcmp((*w)->name, "junit") == 0) assert_int_equal(fx_validate("xml", c.file), 0);
    if (strcmp((*w)->name, "json") == 0) assert_int_equal(fx_validate("json", c.file), 0);
    if (!(*w)->console) assert_true(strlen(c.file) > 0);
    fx_captured_free(&c);
  }
}

/* The JUnit and JSON escapes, exactly. */
static void file_escapes(void **state)
{
  fixture fx = hostile();
  captured c;
  fx_capture(fx_writer("junit"), &fx, &c);
  assert_non_null(strstr(c.file, "<testsuite name=\"we&lt;ird&gt;&amp;&quot;\\x1b[1m.mcb\""));
  assert_non_null(strstr(c.file, ", got \\x1b]0;x\\x07 \\xff\"/>"));
  fx_captured_free(&c);
  fx_capture(fx_writer("json"), &fx, &c);
  assert_non_null(strstr(c.file, "\"actual\": \"\\u001b]0;x\\u0007 \\u00ff\""));
  assert_non_null(strstr(c.file, "\"message\": \"bad \\u0001 thing <here>\""));
  fx_captured_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hostile_strings_never_reach_a_terminal),
      cmocka_unit_test(file_escapes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
