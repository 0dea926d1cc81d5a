/* test-report.c - the report writers: the default text lines, TAP, JUnit XML and JSON,
 * exact where the format is ours, well-formed where a parser reads it, and escaped
 * wherever a scenario or the network could inject bytes. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  fn(f, arg);
  fclose(f);
  return out;
}

static scn_result result(bool passed, const char *text, const char *exp, const char *act)
{
  scn_result r;
  memset(&r, 0, sizeof r);
  snprintf(r.file, sizeof r.file, "a.mcb");
  r.line = 7;
  snprintf(r.text, sizeof r.text, "%s", text);
  r.passed = passed;
  snprintf(r.expected, sizeof r.expected, "%s", exp);
  snprintf(r.actual, sizeof r.actual, "%s", act);
  r.elapsed_ns = 12000000;
  return r;
}

static void text_fn(FILE *f, void *arg)
{
  const scn_result *r = arg;
  scn_text_result(f, &r[0]);
  scn_text_result(f, &r[1]);
  scn_text_summary(f, 1, 1, 0);
  scn_text_summary(f, 3, 0, 2);
}

static void text_lines(void **state)
{
  scn_result r[2] = {result(true, "expect rx received == 3", "", ""),
                     result(false, "expect rx payload \"x\"", "\"x\"", "\"\x1b[2Jboom\"")};
  char *out = capture(text_fn, r);
  assert_string_equal(out, "a.mcb:7: PASS expect rx received == 3\n"
                           "a.mcb:7: FAIL expect rx payload \"x\": expected \"x\", got "
                           "\"\\x1b[2Jboom\"\n"
                           "1 passed, 1 failed\n"
                           "3 passed, 0 failed, 2 errors\n");
  free(out);
}

static void tap_fn(FILE *f, void *arg)
{
  const scn_result *r = arg;
  scn_tap t;
  scn_diag d;
  memset(&d, 0, sizeof d);
  d.line = 3;
  d.col = 1;
  snprintf(d.message, sizeof d.message, "join 239.1.1.1 on nosuch0: no such device (ENODEV)");
  scn_tap_begin(&t, f);
  scn_tap_result(&t, &r[0]);
  scn_tap_comment(&t, "two\nlines");
  scn_tap_result(&t, &r[1]);
  scn_tap_error(&t, &d);
  scn_tap_end(&t);
}

static void tap_stream(void **state)
{
  scn_result r[2] = {result(true, "expect rx ttl == 4", "", ""),
                     result(false, "expect rx received == 2", "received == 2", "say \"hi\"")};
  char *out = capture(tap_fn, r);
  assert_string_equal(
      out, "TAP version 13\n"
           "ok 1 - a.mcb:7 expect rx ttl == 4\n"
           "# two\n# lines\n"
           "not ok 2 - a.mcb:7 expect rx received == 2\n"
           "  ---\n"
           "  expected: \"received == 2\"\n"
           "  actual: \"say \\\"hi\\\"\"\n"
           "  ...\n"
           "not ok 3 - ?:3:1: error: join 239.1.1.1 on nosuch0: no such device (ENODEV)\n"
           "1..3\n");
  free(out);
}

/* A report with hostile strings in every field a scenario or peer controls. */
static void hostile_report(scn_file_report *rep)
{
  scn_result r = result(false, "expect rx payload \"<&'\\\">\"", "\"<&>\"", "\x1b]0;x\x07 \xff");
  scn_diag d;
  scn_file_report_init(rep, "we<ird>&\"name'.mcb");
  scn_file_report_add_result(rep, &r);
  r = result(true, "expect rx ttl == 1", "", "");
  scn_file_report_add_result(rep, &r);
  memset(&d, 0, sizeof d);
  d.line = 9;
  d.col = 2;
  snprintf(d.message, sizeof d.message, "bad \x01 thing <here>");
  scn_file_report_add_error(rep, &d);
  rep->sum.passed = 1;
  rep->sum.failed = 1;
  rep->sum.errors = 1;
}

static int validate(const char *kind, const char *path)
{
  char cmd[512];
  if (strcmp(kind, "xml") == 0)
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' %s",
             path);
  else
    snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s",
             path);
  return system(cmd);
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  static char buf[65536];
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  return buf;
}

static void junit_and_json_are_well_formed(void **state)
{
  scn_file_report rep;
  char dir[] = "/tmp/mcb-report-XXXXXX", xml[64], json[64], err[256];
  assert_non_null(mkdtemp(dir));
  snprintf(xml, sizeof xml, "%s/r.xml", dir);
  snprintf(json, sizeof json, "%s/r.json", dir);
  hostile_report(&rep);
  assert_int_equal(scn_write_junit(xml, &rep, 1, err, sizeof err), 0);
  assert_int_equal(scn_write_json(json, &rep, 1, err, sizeof err), 0);
  if (system("python3 -c pass") == 0) { /* python3 is how we parse them here */
    assert_int_equal(validate("xml", xml), 0);
    assert_int_equal(validate("json", json), 0);
  }
  const char *x = slurp(xml);
  assert_non_null(strstr(x, "<testsuite name=\"we&lt;ird&gt;&amp;&quot;name&apos;.mcb\" "
                            "tests=\"3\" failures=\"1\" errors=\"1\""));
  assert_non_null(strstr(
      x, "<failure message=\"expected &quot;&lt;&amp;&gt;&quot;, got \\x1b]0;x\\x07 \\xff\"/>"));
  assert_non_null(strstr(x, "name=\"line 9: error\""));
  assert_null(strchr(x, '\x1b'));
  const char *j = slurp(json);
  assert_non_null(strstr(j, "\"actual\": \"\\u001b]0;x\\u0007 \\u00ff\""));
  assert_non_null(strstr(
      j, "\"run_errors\": [{\"line\": 9, \"col\": 2, \"message\": \"bad \\u0001 thing <here>\"}]"));
  /* an unwritable path is an error with the path in it, not a crash */
  assert_true(scn_write_json("/nonexistent-dir/r.json", &rep, 1, err, sizeof err) < 0);
  assert_non_null(strstr(err, "/nonexistent-dir/r.json"));
  scn_file_report_free(&rep);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

static void on_done(void *arg, const scn_summary *s)
{
  *(bool *)arg = true;
}

static bool flag(void *arg)
{
  return *(bool *)arg;
}

static void set_flag(void *arg)
{
  *(bool *)arg = true;
}

static void snapshot_of_a_session(void **state)
{
  uv_loop_t loop;
  scn_session *s;
  bool done = false, closed = false;
  scn_reporter rep = {.arg = &done, .done = on_done};
  scn_diags *d = calloc(1, sizeof *d);
  scn_source *src;
  scn_file_report r;
  const char *text = "open rx udp4; bind rx 127.0.0.1:7201; join rx 239.3.3.3 on lo\n"
                     "open tx udp4; set tx ttl 11\n"
                     "send tx 127.0.0.1:7201 \"abc\" count 2\n"
                     "expect rx received == 2 within 1s\n";
  MCBT_NEED_NET();
  uv_loop_init(&loop);
  assert_int_equal(scn_session_new(&loop, NULL, &rep, &s), 0);
  assert_int_equal(scn_source_new("s.mcb", text, strlen(text), &src), 0);
  assert_int_equal(scn_session_load(s, src, d), 0);
  scn_session_run(s);
  assert_true(mcbt_run_until(&loop, flag, &done, 5000));
  scn_file_report_init(&r, "s.mcb");
  assert_int_equal(scn_file_report_snapshot(&r, s), 0);
  assert_int_equal(r.nsockets, 2);
  assert_string_equal(r.sockets[0].name, "rx");
  assert_int_equal(r.sockets[0].ngroups, 1);
  assert_int_equal(r.sockets[0].npeers, 1);
  assert_int_equal(r.sockets[0].peers[0].msgs, 2);
  assert_int_equal(r.sockets[0].peers[0].last_ttl, 11);
  assert_int_equal(r.sockets[1].info.counters.tx_msgs, 2);
  scn_file_report_free(&r);
  scn_session_close(s, set_flag, &closed);
  assert_true(mcbt_run_until(&loop, flag, &closed, 5000));
  mcbt_loop_close(&loop);
  free(d);
}

/* A unix peer has no TTL: the JSON report says null, not -1. */
static void unix_peer_ttl_is_null_in_json(void **state)
{
  uv_loop_t loop;
  scn_session *s;
  bool done = false, closed = false;
  scn_reporter rep = {.arg = &done, .done = on_done};
  scn_diags *d = calloc(1, sizeof *d);
  scn_source *src;
  scn_file_report r;
  char dir[] = "/tmp/mcb-report-XXXXXX", json[64], err[256], cmd[128];
  const char *text = "open u unix; bind u @mcb-test-report-ttl; open t unix\n"
                     "send t @mcb-test-report-ttl \"abc\"\n"
                     "expect u received == 1 within 1s\n";
  MCBT_NEED_NET(); /* abstract names: keep them in the private namespace */
  assert_non_null(mkdtemp(dir));
  snprintf(json, sizeof json, "%s/r.json", dir);
  uv_loop_init(&loop);
  assert_int_equal(scn_session_new(&loop, NULL, &rep, &s), 0);
  assert_int_equal(scn_source_new("u.mcb", text, strlen(text), &src), 0);
  assert_int_equal(scn_session_load(s, src, d), 0);
  scn_session_run(s);
  assert_true(mcbt_run_until(&loop, flag, &done, 5000));
  scn_file_report_init(&r, "u.mcb");
  assert_int_equal(scn_file_report_snapshot(&r, s), 0);
  assert_int_equal(r.sockets[0].npeers, 1);
  assert_int_equal(scn_write_json(json, &r, 1, err, sizeof err), 0);
  const char *j = slurp(json);
  assert_non_null(strstr(j, "\"last_ttl\": null"));
  assert_null(strstr(j, "\"last_ttl\": -1"));
  scn_file_report_free(&r);
  scn_session_close(s, set_flag, &closed);
  assert_true(mcbt_run_until(&loop, flag, &closed, 5000));
  mcbt_loop_close(&loop);
  free(d);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(text_lines),
      cmocka_unit_test(tap_stream),
      cmocka_unit_test(junit_and_json_are_well_formed),
      cmocka_unit_test(snapshot_of_a_session),
      cmocka_unit_test(unix_peer_ttl_is_null_in_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
