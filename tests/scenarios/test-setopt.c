/* test-setopt.c - `set` follows the option table: every row is documented by `help set`
 * and the generated reference, every settable row is offered by Tab completion and
 * checks with a value of its type, read-only rows are refused at check time, and every
 * row appears in each socket's JSON state. Expected lists come from the table, so a new
 * row breaks nothing here. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "help.h"
#include "report.h"
#include "sockopt.h"

static char *capture_help(void (*fn)(FILE *, const scn_entry *), const scn_entry *e)
{
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  fn(f, e);
  fclose(f);
  return out;
}

static void markdown(FILE *f, const scn_entry *e)
{
  scn_help_markdown(f);
}

/* A value each type accepts. */
static const char *sample(const mcb_option *o, char *buf, size_t size)
{
  if (o->type == MCB_OPT_BOOL) return "toggle";
  if (o->type == MCB_OPT_IFACE) return "default";
  snprintf(buf, size, "%d", o->max);
  return buf;
}

static size_t diags_of(const char *text, char *first, size_t size)
{
  scn_vars vars = {0};
  scn_checker ck = {.vars = &vars};
  scn_diags d = {0};
  scn_source *src;
  scn_commands cmds;
  size_t n;
  ck.diags = &d;
  assert_int_equal(scn_source_new("t.mcb", text, strlen(text), &src), 0);
  scn_compile(src, &ck, &cmds);
  n = d.n;
  mcb_msgf(first, size, "%s", n ? d.items[0].message : "");
  scn_commands_free(&cmds);
  scn_source_free(src);
  return n;
}

static void every_option_is_documented(void **state)
{
  char why[256], want[64];
  const scn_entry *set = scn_table_find("set", why, sizeof why);
  char *text = capture_help(scn_help_verb, set), *md = capture_help(markdown, set);
  const mcb_option *o;
  assert_true(scn_option_count() >= 7);
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++) {
    snprintf(want, sizeof want, "\n  %-10s ", o->name);
    if (strstr(text, want) == NULL) fail_msg("help set does not list '%s'", o->name);
    snprintf(want, sizeof want, "| `%s` |", o->name);
    if (strstr(md, want) == NULL) fail_msg("the reference does not list '%s'", o->name);
    assert_true(strlen(o->help) > 10);
    assert_non_null(o->key);
    assert_non_null(o->noun);
    assert_ptr_equal(scn_option_find(o->name), o);
  }
  free(text);
  free(md);
}

static void every_option_is_completed_or_read_only(void **state)
{
  char out[SCN_MAX_OPTIONS + 8][SCN_NAME_MAX], why[256], text[128], val[16];
  const char *argv[] = {"set", "rx"}, *ph;
  scn_checker ck = {0};
  const mcb_option *o;
  size_t n, k = 0;
  scn_checker_add_name(&ck, "rx");
  n = scn_grammar_complete(&ck, scn_table_find("set", why, sizeof why), argv, 2, "", out,
                           SCN_MAX_OPTIONS + 8, &ph);
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++) {
    snprintf(text, sizeof text, "open rx udp4; set rx %s %s", o->name, sample(o, val, sizeof val));
    if (o->flags & MCB_OPT_READONLY) {
      assert_int_equal(diags_of(text, why, sizeof why), 1);
      if (strstr(why, "read-only") == NULL) fail_msg("'%s': %s", o->name, why);
      continue;
    }
    if (diags_of(text, why, sizeof why) != 0) fail_msg("'%s': %s", text, why);
    if (k >= n || strcmp(out[k], o->name) != 0) fail_msg("'%s' is not completed", o->name);
    k++;
  }
  assert_int_equal(k, n); /* nothing but the table's settable rows */
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

/* The JSON writer of the report-writer table, as `mcbench run --json` uses it. */
static int write_json(const char *path, const scn_file_report *r)
{
  scn_reports rs = {0};
  scn_run_totals totals = {0};
  FILE *sink = fopen("/dev/null", "w");
  size_t failed;
  assert_non_null(sink);
  assert_int_equal(scn_reports_add(&rs, scn_report_writer_by_option("json"), path), 0);
  scn_reports_setup(&rs, sink, sink);
  assert_int_equal(scn_reports_begin(&rs), 0);
  scn_reports_file_begin(&rs, r);
  scn_reports_file_end(&rs, r);
  failed = scn_reports_end(&rs, r, 1, &totals);
  fclose(sink);
  return failed == 0 ? 0 : -1;
}

/* Runs `text` headless and writes its JSON report; returns the report's text. */
static char *run_to_json(const char *text, scn_summary *sum)
{
  uv_loop_t loop;
  scn_session *s;
  bool done = false, closed = false;
  scn_reporter rep = {.arg = &done, .done = on_done};
  scn_diags *d = calloc(1, sizeof *d);
  scn_source *src;
  scn_file_report r;
  char path[] = "/tmp/mcb-setopt-XXXXXX", *json = NULL;
  size_t len = 0;
  int fd = mkstemp(path);
  FILE *f;

  assert_true(fd >= 0);
  close(fd);
  uv_loop_init(&loop);
  assert_int_equal(scn_session_new(&loop, NULL, &rep, &s), 0);
  assert_int_equal(scn_source_new("s.mcb", text, strlen(text), &src), 0);
  assert_int_equal(scn_session_load(s, src, d), 0);
  scn_session_run(s);
  assert_true(mcbt_run_until(&loop, flag, &done, 5000));
  *sum = scn_session_summary(s);
  scn_file_report_init(&r, "s.mcb");
  assert_int_equal(scn_file_report_snapshot(&r, s), 0);
  assert_int_equal(write_json(path, &r), 0);
  scn_file_report_free(&r);
  scn_session_close(s, set_flag, &closed);
  assert_true(mcbt_run_until(&loop, flag, &closed, 5000));
  mcbt_loop_close(&loop);
  free(d);
  f = fopen(path, "r");
  assert_non_null(f);
  assert_int_equal(getdelim(&json, &len, '\0', f) > 0, 1);
  fclose(f);
  unlink(path);
  return json;
}

static size_t count(const char *hay, const char *needle)
{
  size_t n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

static void every_option_is_reported(void **state)
{
  char script[4096], val[16], key[64];
  const mcb_option *o;
  size_t n;
  scn_summary sum;
  char *json;
  MCBT_NEED_NET();
  n = (size_t)snprintf(script, sizeof script, "open a udp4; open b udp6; open c unix\n");
  /* every settable row, applied to the socket families it fits */
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++)
    if (!(o->flags & MCB_OPT_READONLY))
      n += (size_t)snprintf(script + n, sizeof script - n, "set a %s %s\n", o->name,
                            sample(o, val, sizeof val));
  json = run_to_json(script, &sum);
  if (sum.errors != 0) fail_msg("%s", json);
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++) {
    snprintf(key, sizeof key, "\"%s\": ", o->key);
    if (count(json, key) != 3) fail_msg("'%s' is not in every socket's state:\n%s", o->key, json);
  }
  free(json);
}

static void tos_is_recorded(void **state)
{
  scn_summary sum;
  char *json;
  MCBT_NEED_NET();
  json = run_to_json("open a udp4\nset a tos 0x10\n", &sum);
  assert_int_equal(sum.errors, 0);
  assert_non_null(strstr(json, "\"tos\": 16"));
  free(json);
}

/* Interfaces as Node means them, from the language: defaults and a foreign address. */
static void interface_arguments(void **state)
{
  scn_summary sum;
  char *json;
  MCBT_NEED_NET();
  json = run_to_json("open a udp4; bind a :0\n"
                     "join a 239.5.5.1 on 0.0.0.0; join a 239.5.5.2 on default; "
                     "join a 239.5.5.3 on ::\n"
                     "set a mcast-if mcb0; set a mcast-if 0.0.0.0\n"
                     "join a 239.5.5.4 on 224.0.0.2\nexpect error EADDRNOTAVAIL\n"
                     "set a mcast-if 10.1.2.3\nexpect error EADDRNOTAVAIL\n",
                     &sum);
  if (sum.errors != 0 || sum.failed != 0) fail_msg("%s", json);
  assert_int_equal(sum.passed, 2);
  assert_non_null(strstr(json, "\"mcast_if\": \"\""));
  assert_int_equal(count(json, "\"interface\": \"\""), 3);
  free(json);
}

static void read_only_rows_are_reported(void **state)
{
  scn_summary sum;
  char *json;
  MCBT_NEED_NET();
  json = run_to_json("open a udp6\nopen b udp6 v6only\nopen c udp4\n", &sum);
  assert_int_equal(sum.errors, 0);
  assert_int_equal(count(json, "\"v6only\": false"), 1);
  assert_int_equal(count(json, "\"v6only\": true"), 1);
  assert_int_equal(count(json, "\"v6only\": null"), 1);
  assert_int_equal(count(json, "\"mcast_all\": false"), 3); /* read-only, and off */
  free(json);
}

/* Interface names come from the kernel after `on` and as mcast-if's value (lo is in
 * every network namespace). */
static void interface_names_are_completed(void **state)
{
  char out[40][SCN_NAME_MAX], why[256];
  const char *join[] = {"join", "rx", "239.1.1.1", "on"}, *set[] = {"set", "rx", "mcast-if"}, *ph;
  scn_checker ck = {0};
  size_t n;
  (void)state;
  scn_checker_add_name(&ck, "rx");
  n = scn_grammar_complete(&ck, scn_table_find("join", why, sizeof why), join, 4, "l", out, 40,
                           &ph);
  assert_int_equal(n, 1);
  assert_string_equal(out[0], "lo");
  n = scn_grammar_complete(&ck, scn_table_find("set", why, sizeof why), set, 3, "", out, 40, &ph);
  assert_true(n >= 2);
  assert_string_equal(out[0], "default");
  for (size_t i = 1; i < n && strcmp(out[i], "lo") != 0; i++)
    if (i == n - 1) fail_msg("lo is not offered for mcast-if");
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_option_is_documented),
      cmocka_unit_test(every_option_is_completed_or_read_only),
      cmocka_unit_test(every_option_is_reported),
      cmocka_unit_test(tos_is_recorded),
      cmocka_unit_test(interface_arguments),
      cmocka_unit_test(read_only_rows_are_reported),
      cmocka_unit_test(interface_names_are_completed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
