/* test-report.c - the report writers: the table (options and help come from it), the
 * exact output of each writer for one run, well-formed JUnit and JSON, check errors and
 * interruptions in the reports, and the snapshot of a session's sockets. Hostile strings
 * are test-report-escape's. */
#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report-fixture.h"

/* ---- a run played to writers, as the runner plays it ---- */

/* ---- the table ---- */

static void table_is_consistent(void **state)
{
  size_t defaults = 0;
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++) {
    assert_non_null((*w)->name);
    assert_non_null((*w)->help);
    assert_true((*w)->end != NULL || (*w)->console); /* a file writer writes at the end */
    for (const scn_report_writer *const *v = w + 1; *v; v++) {
      assert_string_not_equal((*w)->name, (*v)->name);
      if ((*w)->option && (*v)->option) assert_string_not_equal((*w)->option, (*v)->option);
    }
    if ((*w)->option == NULL) {
      defaults++;
      assert_true((*w)->console); /* the default is what the console shows */
      assert_ptr_equal(*w, scn_report_writers()[0]);
    } else {
      assert_ptr_equal(scn_report_writer_by_option((*w)->option), *w);
    }
    if (!(*w)->console) assert_non_null((*w)->arg); /* a file writer needs its FILE */
  }
  assert_int_equal(defaults, 1);
  assert_null(scn_report_writer_by_option("no-such-format"));
}

/* Choosing writers: the default console writer only when no console writer was chosen; two
 * console writers are refused. */
static void choosing_writers(void **state)
{
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++) {
    scn_reports rs = {0};
    if ((*w)->option == NULL) continue;
    assert_int_equal(scn_reports_add(&rs, *w, (*w)->arg ? "x" : NULL), 0);
    scn_reports_setup(&rs, stdout, stderr);
    assert_int_equal(rs.n, (*w)->console ? 1 : 2);
    assert_true(rs.outs[0].w->console);
    for (const scn_report_writer *const *v = scn_report_writers(); *v; v++)
      if (*v != *w && (*v)->option && (*v)->console && (*w)->console)
        assert_int_equal(scn_reports_add(&rs, *v, NULL), UV_EEXIST);
  }
}

/* A writer that streams to a file (as a CSV of intervals would) opens it in begin; when
 * another writer cannot start, nothing runs and that file is given up, not left behind. */
static int opens_a_file(scn_report_out *o, char *err, size_t errsize)
{
  return scn_outfile_open(&o->file, o->path, err, errsize);
}

static int cannot_start(scn_report_out *o, char *err, size_t errsize)
{
  snprintf(err, errsize, "%s: no such file or directory", o->path);
  return UV_ENOENT;
}

static void a_writer_that_cannot_start(void **state)
{
  static const scn_report_writer streams = {.name = "s", .arg = "FILE", .begin = opens_a_file},
                                 fails = {.name = "f", .arg = "FILE", .begin = cannot_start};
  char dir[] = "/tmp/mcb-begin-XXXXXX", path[64], *err_text = NULL;
  size_t err_len = 0;
  FILE *err = open_memstream(&err_text, &err_len);
  scn_reports rs = {.n = 2};
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/r.csv", dir);
  rs.outs[0] = (scn_report_out){.w = &streams, .out = stdout, .err = err, .path = path};
  rs.outs[1] = (scn_report_out){.w = &fails, .out = stdout, .err = err, .path = "/nowhere/x"};
  assert_int_equal(scn_reports_begin(&rs), 1);
  fclose(err);
  assert_string_equal(err_text, "mcbench: /nowhere/x: no such file or directory\n");
  assert_null(rs.outs[0].file.f);
  assert_int_equal(rmdir(dir), 0); /* empty: the temporary was removed */
  free(err_text);
}

/* ---- each writer's output ---- */

static void text_output(void **state)
{
  fixture fx = fx_plain();
  captured c;
  fx_capture(fx_writer("text"), &fx, &c);
  assert_string_equal(c.out, "a.mcb:7: > open rx udp4\n"
                             "a.mcb:7:   rx: udp4 socket open\n"
                             "a.mcb:7: PASS expect rx received == 3\n"
                             "a.mcb:7: FAIL expect rx payload \"x\": expected \"x\", got "
                             "\"\\x1b[2Jboom\"\n"
                             "a.mcb:7: say: hello\n"
                             "help text\nsecond line\n"
                             "a.mcb:3: error: join 239.1.1.1 on nosuch0: no such device (ENODEV)\n"
                             "1 passed, 1 failed, 1 error\n");
  assert_string_equal(c.err, "");
  fx_captured_free(&c);
}

static void text_summary_of_an_interrupted_run(void **state)
{
  fixture fx = fx_plain();
  captured c;
  fx.signal = SIGTERM;
  fx.error_msg = "interrupted by SIGTERM while running: wait 30s";
  fx_capture(fx_writer("text"), &fx, &c);
  assert_non_null(strstr(c.out, "a.mcb:3: error: interrupted by SIGTERM while running: wait 30s\n"
                                "1 passed, 1 failed, 1 error; interrupted by SIGTERM\n"));
  fx_captured_free(&c);
}

static void tap_output(void **state)
{
  fixture fx = fx_plain();
  captured c;
  fx.fail = fx_result(false, "expect rx received == 2 # TODO", "received == 2", "say \"hi\"");
  fx_capture(fx_writer("tap"), &fx, &c);
  assert_string_equal(c.out, "TAP version 13\n"
                             "# a.mcb:7: open rx udp4\n"
                             "# rx: udp4 socket open\n"
                             "ok 1 - a.mcb:7 expect rx received == 3\n"
                             "not ok 2 - a.mcb:7 expect rx received == 2 \\# TODO\n"
                             "  ---\n"
                             "  expected: \"received == 2\"\n"
                             "  actual: \"say \\\"hi\\\"\"\n"
                             "  ...\n"
                             "# hello\n"
                             "# help text\n# second line\n"
                             "not ok 3 - a.mcb:3: error: join 239.1.1.1 on nosuch0: no such "
                             "device (ENODEV)\n"
                             "1..3\n");
  fx_captured_free(&c);
}

static void junit_output(void **state)
{
  fixture fx = fx_plain();
  captured c;
  fx_capture(fx_writer("junit"), &fx, &c);
  assert_string_equal(c.out, "");
  assert_string_equal(
      c.file,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mcbench\">\n"
      "  <testsuite name=\"a.mcb\" tests=\"3\" failures=\"1\" errors=\"1\" time=\"0.000\">\n"
      "    <testcase classname=\"a.mcb\" name=\"line 7: expect rx received == 3\" "
      "time=\"0.012\"/>\n"
      "    <testcase classname=\"a.mcb\" name=\"line 7: expect rx payload &quot;x&quot;\" "
      "time=\"0.012\">\n"
      "      <failure message=\"expected &quot;x&quot;, got &quot;\\x1b[2Jboom&quot;\"/>\n"
      "    </testcase>\n"
      "    <testcase classname=\"a.mcb\" name=\"line 3: error\">\n"
      "      <error type=\"run-time\" message=\"join 239.1.1.1 on nosuch0: no such device "
      "(ENODEV)\">a.mcb:3: error: join 239.1.1.1 on nosuch0: no such device (ENODEV)</error>\n"
      "    </testcase>\n"
      "  </testsuite>\n</testsuites>\n");
  assert_int_equal(fx_validate("xml", c.file), 0);
  fx_captured_free(&c);
}

static void junit_interrupted_is_a_failure(void **state)
{
  fixture fx = fx_plain();
  captured c;
  fx.signal = SIGTERM;
  fx.error_msg = "interrupted by SIGTERM while running: wait 30s";
  fx_capture(fx_writer("junit"), &fx, &c);
  assert_non_null(strstr(c.file, "tests=\"3\" failures=\"2\" errors=\"0\""));
  assert_non_null(strstr(c.file, "<failure type=\"interrupted\" message=\"interrupted by SIGTERM"));
  assert_int_equal(fx_validate("xml", c.file), 0);
  fx_captured_free(&c);
}

static void json_output(void **state)
{
  fixture fx = fx_plain();
  captured c;
  fx_capture(fx_writer("json"), &fx, &c);
  assert_int_equal(fx_validate("json", c.file), 0);
  assert_non_null(strstr(c.file, "\"passed\": 1, \"failed\": 1, \"errors\": 1, \"not_run\": 0, "
                                 "\"interrupted\": null, \"files\": [{\"file\": \"a.mcb\""));
  assert_non_null(strstr(c.file, "\"actual\": \"\\\"\\u001b[2Jboom\\\"\""));
  assert_non_null(strstr(c.file, "\"run_errors\": [{\"line\": 3, \"col\": 0, \"kind\": "
                                 "\"run-time\", \"message\": \"join 239.1.1.1 on nosuch0"));
  assert_non_null(strstr(c.file, "\"check_errors\": []"));
  fx_captured_free(&c);
}

/* A report holding one socket with a probe peer, a hostile unix peer and an interval. */
static void traffic_report(scn_file_report *rep)
{
  scn_sock_report *s;
  scn_interval iv = {.socket = "rx",
                     .start_ns = 0,
                     .end_ns = 1000000000,
                     .kind = MCB_PAYLOAD_PROBE,
                     .received = 98,
                     .bytes = 9800,
                     .sequenced = true,
                     .expected = 100,
                     .lost = 2,
                     .loss_pct = 2,
                     .rate_pps = 98,
                     .rate_bps = 78400,
                     .jitter_ns = 1500};
  scn_file_report_init(rep, "t.mcb");
  rep->elapsed_ns = 2000000000;
  rep->sockets = calloc(1, sizeof *rep->sockets);
  rep->nsockets = 1;
  s = &rep->sockets[0];
  snprintf(s->name, sizeof s->name, "rx");
  mcb_addr_parse("127.0.0.1:5000", MCB_UDP4, &s->info.local);
  s->info.counters.rx_msgs = 99;
  s->info.counters.rx_kernel_drops = 1904;
  s->npeers = 2;
  s->peers = calloc(2, sizeof *s->peers);
  s->analysis = calloc(2, sizeof *s->analysis);
  mcb_addr_parse("10.0.0.2:4000", MCB_UDP4, &s->peers[0].src);
  mcb_addr_parse("127.0.0.1:5000", MCB_UDP4, &s->peers[0].dst);
  s->peers[0].msgs = 98;
  s->analysis[0] = (mcb_peer_analysis){.kind = MCB_PAYLOAD_PROBE,
                                       .sequenced = true,
                                       .streams = 1,
                                       .received = 98,
                                       .expected = 100,
                                       .lost = 2,
                                       .loss_pct = 2,
                                       .duplicates = 1,
                                       .delay_count = 98,
                                       .delay_min_ns = 1000,
                                       .delay_avg_ns = 2000,
                                       .delay_max_ns = 3000,
                                       .delay_p99_ns = 3000,
                                       .jitter_ns = 1500};
  s->peers[1].src.u.un.sun_family = AF_UNIX;
  snprintf(s->peers[1].src.u.un.sun_path, sizeof s->peers[1].src.u.un.sun_path, "/tmp/a,\"b\n\x1b");
  s->peers[1].src.len = sizeof s->peers[1].src.u.un;
  s->peers[1].msgs = 1;
  mcb_addr_parse("10.0.0.2:4000", MCB_UDP4, &iv.src);
  mcb_addr_parse("127.0.0.1:5000", MCB_UDP4, &iv.dst);
  assert_int_equal(scn_file_report_add_interval(rep, &iv), 0);
}

static void write_report(const char *writer, const scn_file_report *rep, char **out)
{
  char dir[] = "/tmp/mcb-report-XXXXXX", path[64], err[256];
  scn_run_totals t = {.files = 1};
  scn_report_out o = {.w = fx_writer(writer), .out = stdout, .err = stderr, .path = path};
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/r", dir);
  assert_int_equal(o.w->end(&o, rep, 1, &t, err, sizeof err), 0);
  *out = fx_slurp(path);
  unlink(path);
  assert_int_equal(rmdir(dir), 0);
}

/* CSV: one table (every row as many columns as the header), peers, sockets with their
 * kernel drops, intervals; hostile bytes quoted and escaped. */
static void csv_traffic(void **state)
{
  scn_file_report rep;
  char *x, *line, *save = NULL;
  size_t rows = 0, cols = 0;
  traffic_report(&rep);
  write_report("csv", &rep, &x);
  assert_non_null(strstr(x, "interval,t.mcb,rx,10.0.0.2:4000,127.0.0.1:5000,probe,0.000,1.000,98,"
                            "9800,100,2,2.0000,,,,,,98.000,78400.000,,,,,0.001500,,\n"));
  assert_non_null(strstr(x, "socket,t.mcb,rx,127.0.0.1:5000,,,,2.000,99,0,"));
  assert_non_null(strstr(x, ",1904\n"));
  assert_non_null(strstr(x, "peer,t.mcb,rx,10.0.0.2:4000,127.0.0.1:5000,probe,,2.000,98,0,100,2,"
                            "2.0000,1,0,0,0,0,0.000,0.000,0.001000,0.002000,0.003000,0.003000,"
                            "0.001500,,\n"));
  assert_null(strchr(x, '\x1b'));
  assert_non_null(strstr(x, "\"/tmp/a,\"\"b"));
  for (line = strtok_r(x, "\n", &save); line; line = strtok_r(NULL, "\n", &save), rows++) {
    size_t n = 1;
    bool q = false;
    for (const char *p = line; *p; p++) {
      if (*p == '"') q = !q;
      if (*p == ',' && !q) n++;
    }
    if (rows == 0) cols = n;
    assert_int_equal(n, cols);
  }
  assert_int_equal(rows, 1 + 1 + 1 + 2); /* header, interval, socket, two peers */
  free(x);
  scn_file_report_free(&rep);
}

static void json_traffic(void **state)
{
  scn_file_report rep;
  char *x;
  traffic_report(&rep);
  write_report("json", &rep, &x);
  assert_int_equal(fx_validate("json", x), 0);
  assert_non_null(strstr(x, "\"rx_kernel_drops\": 1904"));
  assert_non_null(strstr(x, "\"analysis\": {\"kind\": \"probe\", \"sequenced\": true, "
                            "\"streams\": 1, \"received\": 98, \"expected\": 100, \"lost\": 2, "
                            "\"loss_pct\": 2.0000, \"duplicates\": 1"));
  assert_non_null(strstr(x, "\"delay_p99_ms\": 0.003000, \"jitter_ms\": 0.001500"));
  assert_non_null(strstr(x, "\"rtt_min_ms\": null"));
  assert_non_null(strstr(x, "\"intervals\": [{\"socket\": \"rx\""));
  free(x);
  scn_file_report_free(&rep);
}

/* A file that did not check: errored testcases with the compiler-style text, in the files. */
static void check_errors_in_file_reports(void **state)
{
  const char *text = "open rx udp4\nsned rx\n";
  char dir[] = "/tmp/mcb-report-XXXXXX", path[64], err[256];
  scn_run_totals t = {.files = 1, .errors = 1, .not_run = 1};
  scn_source *src;
  scn_file_report rep;
  scn_diag d = {.line = 2, .col = 1, .width = 4};
  assert_non_null(mkdtemp(dir));
  assert_int_equal(scn_source_new("bad.mcb", text, strlen(text), &src), 0);
  d.src = src;
  snprintf(d.message, sizeof d.message, "unknown command 'sned'");
  scn_file_report_init(&rep, "bad.mcb");
  rep.not_run = true;
  rep.sum.errors = 1;
  scn_file_report_add_error(&rep, &d, SCN_ERR_PARSE);
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++) {
    scn_report_out o = {.w = *w, .out = stdout, .err = stderr, .path = path};
    char *x;
    if ((*w)->console) continue;
    snprintf(path, sizeof path, "%s/r.%s", dir, (*w)->name);
    assert_int_equal((*w)->end(&o, &rep, 1, &t, err, sizeof err), 0);
    x = fx_slurp(path);
    if ((*w)->statistics) { /* a table of figures: the file is there, without errors */
      assert_non_null(strstr(x, "record,"));
      free(x);
      continue;
    }
    assert_non_null(strstr(x, "bad.mcb:2:1: error: unknown command"));
    assert_non_null(strstr(x, "sned rx"));
    if (strcmp((*w)->name, "junit") == 0)
      assert_non_null(strstr(x, "<error type=\"check\" message=\"unknown command &apos;sned"));
    if (strcmp((*w)->name, "json") == 0) assert_non_null(strstr(x, "\"not_run\": true"));
    free(x);
  }
  scn_file_report_free(&rep);
  scn_source_free(src);
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++) {
    snprintf(path, sizeof path, "%s/r.%s", dir, (*w)->name);
    unlink(path);
  }
  assert_int_equal(rmdir(dir), 0);
}

/* A report that cannot be written says so, with its path. */
static void unwritable_report(void **state)
{
  scn_file_report rep;
  scn_run_totals t = {0};
  char err[256];
  scn_file_report_init(&rep, "a.mcb");
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++) {
    scn_report_out o = {.w = *w, .out = stdout, .err = stderr, .path = "/nonexistent-dir/r"};
    if ((*w)->console) continue;
    err[0] = '\0';
    assert_true((*w)->end(&o, &rep, 1, &t, err, sizeof err) < 0);
    assert_non_null(strstr(err, "/nonexistent-dir/r"));
  }
  scn_file_report_free(&rep);
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

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(table_is_consistent),
      cmocka_unit_test(choosing_writers),
      cmocka_unit_test(a_writer_that_cannot_start),
      cmocka_unit_test(text_output),
      cmocka_unit_test(text_summary_of_an_interrupted_run),
      cmocka_unit_test(tap_output),
      cmocka_unit_test(junit_output),
      cmocka_unit_test(junit_interrupted_is_a_failure),
      cmocka_unit_test(json_output),
      cmocka_unit_test(csv_traffic),
      cmocka_unit_test(json_traffic),
      cmocka_unit_test(check_errors_in_file_reports),
      cmocka_unit_test(unwritable_report),
      cmocka_unit_test(snapshot_of_a_session),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
