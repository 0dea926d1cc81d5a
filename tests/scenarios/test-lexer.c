/* test-lexer.c - the verb-agnostic tokenizer: words, strings and every escape, ${VAR},
 * ';' and '#', exact positions, and a clear error (never a crash) for each malformed
 * input. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "grammar.h"
#include "lexer.h"

typedef struct lexed {
  scn_source *src;
  scn_diags diags;
  scn_vars vars;
  scn_command cmds[8];
  size_t n;
} lexed;

static lexed *lex_n(const char *text, size_t len)
{
  lexed *l = calloc(1, sizeof *l);
  scn_lexer lx;
  scn_vars_set(&l->vars, "G", "239.1.1.1", false);
  scn_vars_set(&l->vars, "EMPTY", "", false);
  assert_int_equal(scn_source_new("x.mcb", text, len, &l->src), 0);
  scn_lexer_init(&lx, l->src, scn_vars_lookup, &l->vars, &l->diags);
  while (l->n < 8 && scn_lexer_next(&lx, &l->cmds[l->n])) l->n++;
  return l;
}

static lexed *lex(const char *text)
{
  return lex_n(text, strlen(text));
}

static void done(lexed *l)
{
  for (size_t i = 0; i < l->n; i++) scn_command_free(&l->cmds[i]);
  scn_source_free(l->src);
  free(l);
}

static void words_positions_and_separators(void **state)
{
  lexed *l = lex("  open rx udp4 # comment\n\nbind rx :5000;send rx x \"y\"\t; # only a comment\n");
  assert_int_equal(l->diags.n, 0);
  assert_int_equal(l->n, 3);
  assert_int_equal(l->cmds[0].argc, 3);
  assert_string_equal(l->cmds[0].argv[0].text, "open");
  assert_int_equal(l->cmds[0].argv[0].line, 1);
  assert_int_equal(l->cmds[0].argv[0].col, 3);
  assert_int_equal(l->cmds[0].argv[2].col, 11);
  assert_int_equal(l->cmds[0].argv[2].width, 4);
  assert_int_equal(l->cmds[1].line, 3);
  assert_string_equal(l->cmds[1].argv[2].text, ":5000");
  assert_string_equal(l->cmds[2].argv[0].text, "send");
  assert_int_equal(l->cmds[2].argv[0].col, 15);
  assert_true(l->cmds[2].argv[3].quoted);
  assert_false(l->cmds[2].argv[2].quoted);
  done(l);
}

static void string_escapes(void **state)
{
  lexed *l = lex("say \"a\\tb\\n\\\\ \\\"q\\\" \\x41\\x7e \\$ \\e\\0z\"");
  assert_int_equal(l->diags.n, 0);
  const scn_token *t = &l->cmds[0].argv[1];
  assert_int_equal(t->len, 18);
  assert_memory_equal(t->text, "a\tb\n\\ \"q\" A~ $ \x1b\0z", 18);
  assert_int_equal(t->col, 5);
  assert_int_equal(t->width, 34); /* the source bytes, for the caret */
  done(l);
}

static void variables(void **state)
{
  lexed *l = lex("join rx ${G}; send rx \"${G}:5000\" x${EMPTY}y; say \\${G}");
  assert_int_equal(l->diags.n, 0);
  assert_string_equal(l->cmds[0].argv[2].text, "239.1.1.1");
  assert_int_equal(l->cmds[0].argv[2].col, 9);
  assert_string_equal(l->cmds[1].argv[2].text, "239.1.1.1:5000");
  assert_string_equal(l->cmds[1].argv[3].text, "xy");
  assert_string_equal(l->cmds[2].argv[1].text, "\\239.1.1.1"); /* only strings escape $ */
  done(l);
}

static void errors(void **state)
{
  static const struct {
    const char *text;
    unsigned col;
    const char *message;
  } cases[] = {
      {"say \"open", 5, "unterminated string (missing closing \")"},
      {"say \"a\\qb\"", 7, "unknown escape '\\q' in string"},
      {"say \"\\x4\"", 6, "\\x needs two hex digits"},
      {"join rx ${NOPE}", 9,
       "undefined variable 'NOPE' (set it with -D NAME=VALUE or 'default NAME VALUE')"},
      {"join rx ${1x}", 9, "expected ${NAME} with NAME made of letters, digits and _"},
      {"join rx ${G", 9, "expected ${NAME} with NAME made of letters, digits and _"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    lexed *l = lex(cases[i].text);
    if (l->diags.n != 1) fail_msg("'%s': %zu errors", cases[i].text, l->diags.n);
    assert_int_equal(l->diags.items[0].col, cases[i].col);
    assert_string_equal(l->diags.items[0].message, cases[i].message);
    assert_int_equal(l->n, 0); /* never half a command */
    done(l);
  }
}

static void errors_do_not_hide_other_commands(void **state)
{
  lexed *l = lex("say \"bad\\q\"; say ok\nsay fine\n");
  assert_int_equal(l->diags.n, 1);
  assert_int_equal(l->n, 2);
  assert_string_equal(l->cmds[0].argv[1].text, "ok");
  assert_string_equal(l->cmds[1].argv[1].text, "fine");
  done(l);
}

static void limits(void **state)
{
  char many[256] = "say";
  for (int i = 0; i < 33; i++) strcat(many, " w");
  lexed *l = lex(many);
  assert_int_equal(l->diags.n, 1);
  assert_string_equal(l->diags.items[0].message, "more than 32 arguments in one command");
  done(l);
  /* a token that substitution would make too long */
  scn_vars big = {0};
  char value[SCN_VAR_VALUE_MAX - 1];
  memset(value, 'v', sizeof value - 1);
  value[sizeof value - 1] = '\0';
  scn_vars_set(&big, "V", value, false);
  char text[600] = "say ";
  for (int i = 0; i < 20; i++) strcat(text, "${V}");
  scn_source *src;
  scn_diags diags = {0};
  scn_lexer lx;
  scn_command cmd;
  assert_int_equal(scn_source_new("x", text, strlen(text), &src), 0);
  scn_lexer_init(&lx, src, scn_vars_lookup, &big, &diags);
  assert_int_equal(scn_lexer_next(&lx, &cmd), 0);
  assert_int_equal(diags.n, 1);
  assert_string_equal(diags.items[0].message, "token too long after substitution");
  scn_source_free(src);
}

/* A NUL byte used to end its line silently: now it is an error at its own column, the
 * whole line is refused, and the lines around it still lex. */
static void nul_byte_is_an_error(void **state)
{
  static const char text[] = "say one\nsay \"two\" \0 join rx 239.1.1.1; say hidden\nsay three\n";
  lexed *l = lex_n(text, sizeof text - 1);
  assert_int_equal(l->diags.n, 1);
  assert_int_equal(l->diags.items[0].line, 2);
  assert_int_equal(l->diags.items[0].col, 11);
  assert_non_null(strstr(l->diags.items[0].message, "NUL byte"));
  assert_int_equal(l->n, 2);
  assert_string_equal(l->cmds[0].argv[1].text, "one");
  assert_string_equal(l->cmds[1].argv[1].text, "three");
  done(l);
  /* a NUL inside a comment or after a ';' is still found, once per line */
  static const char late[] = "say a; say b # c\0d\0e\n";
  l = lex_n(late, sizeof late - 1);
  assert_int_equal(l->diags.n, 1);
  assert_int_equal(l->diags.items[0].col, 17);
  assert_int_equal(l->n, 0);
  done(l);
}

/* Prints a diagnostic into a string. */
static char *printed(const scn_diag *d, bool first_line_only)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  if (first_line_only) {
    char line[1024];
    scn_diag_format(d, line, sizeof line);
    fputs(line, f);
  } else {
    scn_diag_print(f, d);
  }
  fclose(f);
  return text;
}

/* Diagnostics quote the scenario: its file name, the offending token and the line are
 * escaped as payloads are, and the caret stays under the escaped culprit. */
static void diagnostics_are_escaped(void **state)
{
  static const char text[] = "say \"\033]0;owned\a\" \x1b[2J\t\xc2\x9b\x9b \\n";
  scn_source *src;
  scn_diags diags = {0};
  assert_int_equal(scn_source_new("a\033[2Jb.mcb", text, sizeof text - 1, &src), 0);
  scn_diags_add(&diags, src, 1, 18, 4, "unexpected '%s'", "\x1b[2J\xc2\x9b\x9b\x7f");
  char *out = printed(&diags.items[0], false);
  assert_string_equal(out, "a\\x1b[2Jb.mcb:1:18: error: unexpected "
                           "'\\x1b[2J\\u{9b}\\x9b\\x7f'\n"
                           "    say \"\\x1b]0;owned\\x07\" \\x1b[2J \\u{9b}\\x9b \\n\n"
                           "                           ^~~~~~~\n");
  free(out);
  out = printed(&diags.items[0], true);
  assert_string_equal(out, "a\\x1b[2Jb.mcb:1:18: error: unexpected "
                           "'\\x1b[2J\\u{9b}\\x9b\\x7f'");
  free(out);
  /* a caret past the end of the line (something missing) stays just after it */
  scn_diags_add(&diags, src, 1, (unsigned)sizeof text, 1, "missing");
  out = printed(&diags.items[1], false);
  assert_non_null(strstr(out, "\\n\n" /* 4 + 44 columns */
                              "                                                ^\n"));
  free(out);
  scn_source_free(src);
}

/* In a UTF-8 locale text passes as UTF-8; a status-bar buffer too short for it never
 * ends in half a character (whose tail bytes would look like C1 controls), and its cut
 * is marked with "...". */
static void short_buffer_keeps_whole_characters(void **state)
{
  scn_source *src;
  scn_diags diags = {0};
  char line[22];
  if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) skip();
  assert_int_equal(scn_source_new("x", "say", 3, &src), 0);
  scn_diags_add(&diags, src, 1, 0, 0, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
  for (size_t size = 16; size <= sizeof line; size++) {
    scn_diag_format(&diags.items[0], line, size);
    size_t n = strlen(line), i = strlen("x:1: error: "), full = i + 9;
    assert_true(n < size);
    if (size > full) {
      assert_int_equal(n, full);
    } else { /* cut: marked */
      assert_string_equal(line + n - 3, "...");
      n -= 3;
    }
    while (i < n) { /* whole euro signs only */
      assert_int_equal((unsigned char)line[i], 0xe2);
      assert_true(i + 3 <= n);
      i += 3;
    }
  }
  setlocale(LC_CTYPE, "C");
  scn_source_free(src);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(words_positions_and_separators),
      cmocka_unit_test(string_escapes),
      cmocka_unit_test(variables),
      cmocka_unit_test(errors),
      cmocka_unit_test(errors_do_not_hide_other_commands),
      cmocka_unit_test(limits),
      cmocka_unit_test(nul_byte_is_an_error),
      cmocka_unit_test(diagnostics_are_escaped),
      cmocka_unit_test(short_buffer_keeps_whole_characters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
