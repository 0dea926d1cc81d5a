/* test-table.c - the one command table: every entry complete, lookup by name, alias and
 * unique prefix, usage lines from the grammar forms, and Tab completion candidates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "grammar.h"
#include "help.h"
#include "sockopt.h"

static void entries_are_complete(void **state)
{
  size_t n = 0;
  for (const scn_entry *const *t = scn_table(); *t; t++, n++) {
    const scn_entry *e = *t;
    assert_non_null(e->name);
    assert_non_null(e->forms);
    assert_non_null(e->forms[0]);
    assert_true(strlen(e->summary) > 5);
    assert_true(strlen(e->help) > 20);
    assert_true(strlen(e->example) > 0);
    assert_non_null(e->exec);
    /* every example is valid language */
    scn_vars vars = {0};
    scn_checker ck = {0};
    scn_diags d = {0};
    scn_commands cmds;
    scn_source *src;
    ck.vars = &vars;
    ck.diags = &d;
    for (const char *nm = "rx\0tx\0srv\0cli\0v4\0r6\0"; *nm; nm += strlen(nm) + 1)
      scn_checker_add_name(&ck, nm);
    scn_checker_default_nodes(&ck); /* as every run has them: local and peer */
    assert_int_equal(scn_source_new("ex", e->example, strlen(e->example), &src), 0);
    scn_compile(src, &ck, &cmds);
    if (d.n) fail_msg("example of '%s': %s", e->name, d.items[0].message);
    scn_commands_free(&cmds);
    scn_source_free(src);
  }
  assert_true(n >= 28);
}

/* A form word longer than the grammar's slot would be cut silently ("rtt-p99" read as
 * "rt"): every word of every form fits. */
static void form_words_fit(void **state)
{
  (void)state;
  for (const scn_entry *const *t = scn_table(); *t; t++)
    for (const char *const *f = (*t)->forms; *f != NULL; f++)
      for (const char *w = *f; *w != '\0';) {
        size_t n = strcspn(w, " []");
        if (n >= SCN_WORD_MAX)
          fail_msg("'%s': a word of '%s' is %zu bytes long", (*t)->name, *f, n);
        w += n;
        w += strspn(w, " []");
      }
}

static void lookup(void **state)
{
  char why[256];
  assert_string_equal(scn_table_find("join", why, sizeof why)->name, "join");
  assert_string_equal(scn_table_find("jo", why, sizeof why)->name, "join"); /* unique prefix */
  assert_string_equal(scn_table_find("exp", why, sizeof why)->name, "expect");
  assert_null(scn_table_find("se", why, sizeof why));
  assert_string_equal(why, "ambiguous command 'se': could be send, set, select");
  assert_null(scn_table_find("jion", why, sizeof why));
  assert_string_equal(why, "unknown command 'jion'; did you mean 'join'?");
  assert_null(scn_table_find("", why, sizeof why));
}

static void usage_lines(void **state)
{
  char usage[256], why[256];
  const scn_entry *set = scn_table_find("set", why, sizeof why);
  scn_entry_usage(set, 0, usage, sizeof usage);
  assert_string_equal(usage, "set NAME OPTION VALUE");
  scn_entry_usage(scn_table_find("clear", why, sizeof why), 0, usage, sizeof usage);
  assert_string_equal(usage, "clear");
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  scn_help_verb(f, scn_table_find("wait", why, sizeof why));
  fclose(f);
  assert_string_equal(out, "usage: wait DUR\n\n  Waits DUR before the next command; traffic keeps "
                           "flowing and being counted.\n  Prefer 'expect ... within DUR', which "
                           "ends as soon as its condition holds.\n\nexamples:\n  wait 500ms\n  "
                           "wait 1.5s\n");
  free(out);
}

static size_t complete(const char *verb, const char *const *argv, size_t argc, const char *prefix,
                       char (*out)[SCN_NAME_MAX], const char **ph)
{
  char why[256];
  scn_checker ck = {0};
  scn_checker_add_name(&ck, "rx");
  scn_checker_add_name(&ck, "tx");
  return scn_grammar_complete(&ck, scn_table_find(verb, why, sizeof why), argv, argc, prefix, out,
                              32, ph);
}

static void completion(void **state)
{
  char out[32][SCN_NAME_MAX];
  const char *ph;
  const char *a1[] = {"set", "rx"};
  size_t n = complete("set", a1, 2, "", out, &ph), want = 0;
  /* the option table's settable rows (test-setopt.c walks them all) */
  for (size_t i = 0; scn_option_at(i) != NULL; i++)
    want += !(scn_option_at(i)->flags & MCB_OPT_READONLY);
  assert_int_equal(n, want);
  const char *a8[] = {"set", "rx", "loopback"};
  n = complete("set", a8, 3, "", out, &ph);
  assert_int_equal(n, 3);
  assert_string_equal(out[2], "toggle");
  const char *a9[] = {"set", "rx", "ttl"};
  n = complete("set", a9, 3, "", out, &ph);
  assert_int_equal(n, 0);
  assert_string_equal(ph, "ttl"); /* the prompt shows the option's help */
  const char *a2[] = {"join"};
  n = complete("join", a2, 1, "", out, &ph);
  assert_int_equal(n, 2);
  assert_string_equal(out[0], "rx");
  const char *a3[] = {"join", "rx"};
  n = complete("join", a3, 2, "", out, &ph);
  assert_int_equal(n, 0);
  assert_string_equal(ph, "GROUPS");
  /* a clause with a unit: after its value, the units */
  const char *a10[] = {"send", "rx", "239.1.1.1:5000", "probe", "rate", "10"};
  n = complete("send", a10, 6, "", out, &ph);
  assert_int_equal(n, 3);
  assert_string_equal(out[0], "pps");
  assert_string_equal(out[2], "Mbps");
  const char *a11[] = {"send", "rx", "239.1.1.1:5000", "probe", "rate", "10", "pps"};
  n = complete("send", a11, 7, "dr", out, &ph);
  assert_int_equal(n, 1);
  assert_string_equal(out[0], "drop");
  const char *a4[] = {"join", "rx", "239.1.1.1", "on", "mcb0"};
  n = complete("join", a4, 5, "", out, &ph);
  assert_int_equal(n, 2);
  assert_string_equal(out[0], "from"); /* 'on' is used */
  assert_string_equal(out[1], "except");
  const char *a12[] = {"drop", "rx", "239.1.1.1"};
  n = complete("drop", a12, 3, "ex", out, &ph);
  assert_int_equal(n, 1);
  assert_string_equal(out[0], "except");
  const char *a5[] = {"expect", "rx", "none"};
  n = complete("expect", a5, 3, "", out, &ph);
  assert_int_equal(n, 3); /* from, to, and the required for */
  const char *a6[] = {"expect", "rx", "ttl"};
  n = complete("expect", a6, 3, "", out, &ph);
  assert_int_equal(n, 6); /* the comparisons */
  const char *a7[] = {"expect", "error"};
  n = complete("expect", a7, 2, "EADDR", out, &ph);
  assert_int_equal(n, 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(entries_are_complete),
      cmocka_unit_test(form_words_fit),
      cmocka_unit_test(lookup),
      cmocka_unit_test(usage_lines),
      cmocka_unit_test(completion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
