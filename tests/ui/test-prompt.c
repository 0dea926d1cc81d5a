/* test-prompt.c - the ':' command line: editing keys, persisted history, Tab completion
 * and inline help, all from the command table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>

#include "keys.h"
#include "prompt.h"
#include "sockopt.h"

typedef struct fx {
  ui_state st;
  ui_history h;
  scn_checker ck;
  scn_vars vars;
} fx;

static int setup(void **state)
{
  fx *x = calloc(1, sizeof *x);
  ui_state_init(&x->st);
  ui_history_init(&x->h, NULL);
  x->ck.vars = &x->vars;
  scn_checker_add_name(&x->ck, "rx");
  scn_checker_add_name(&x->ck, "tx");
  *state = x;
  return 0;
}

static int teardown(void **state)
{
  fx *x = *state;
  ui_history_free(&x->h);
  free(x);
  return 0;
}

static void type(fx *x, const char *s)
{
  for (; *s; s++) ui_prompt_key(&x->st, &x->h, (unsigned char)*s, &x->ck);
}

static void key(fx *x, int k)
{
  ui_prompt_key(&x->st, &x->h, k, &x->ck);
}

static void editing(void **state)
{
  fx *x = *state;
  ui_prompt_open(&x->st, &x->h, "", &x->ck);
  type(x, "jion rx");
  key(x, UI_KEY_HOME);
  key(x, UI_KEY_RIGHT);
  key(x, UI_KEY_DELETE); /* "jon rx" */
  key(x, UI_KEY_RIGHT);
  type(x, "i"); /* "join rx" */
  assert_string_equal(x->st.prompt, "join rx");
  key(x, UI_KEY_END);
  type(x, " 239.1.1.1");
  key(x, UI_KEY_CTRL_W);
  assert_string_equal(x->st.prompt, "join rx ");
  key(x, UI_KEY_BACKSPACE);
  assert_string_equal(x->st.prompt, "join rx");
  key(x, UI_KEY_LEFT);
  key(x, UI_KEY_CTRL_K);
  assert_string_equal(x->st.prompt, "join r");
  key(x, UI_KEY_CTRL_U);
  assert_string_equal(x->st.prompt, "");
  /* non-ASCII input is kept as UTF-8, and the cursor moves by characters */
  ui_prompt_key(&x->st, &x->h, 0xe9, &x->ck);
  assert_string_equal(x->st.prompt, "\xc3\xa9");
  key(x, UI_KEY_LEFT);
  assert_int_equal(x->st.cursor, 0);
  assert_int_equal(ui_prompt_key(&x->st, &x->h, UI_KEY_ENTER, &x->ck), UI_PROMPT_SUBMIT);
  assert_int_equal(ui_prompt_key(&x->st, &x->h, UI_KEY_ESC, &x->ck), UI_PROMPT_CANCEL);
}

static void history_persists(void **state)
{
  fx *x = *state;
  char dir[] = "/tmp/mcb-history-XXXXXX", path[256];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/sub/history", dir);
  ui_history h;
  ui_history_init(&h, path);
  ui_history_add(&h, "open rx udp4");
  ui_history_add(&h, "bind rx :5000");
  ui_history_add(&h, "bind rx :5000"); /* a repeat is kept once */
  ui_history_free(&h);
  ui_history_init(&h, path);
  assert_int_equal(h.n, 2);
  assert_string_equal(h.lines[1], "bind rx :5000");
  ui_prompt_open(&x->st, &h, "", &x->ck);
  type(x, "dra");
  ui_prompt_key(&x->st, &h, UI_KEY_UP, &x->ck);
  assert_string_equal(x->st.prompt, "bind rx :5000");
  ui_prompt_key(&x->st, &h, UI_KEY_UP, &x->ck);
  assert_string_equal(x->st.prompt, "open rx udp4");
  ui_prompt_key(&x->st, &h, UI_KEY_DOWN, &x->ck);
  ui_prompt_key(&x->st, &h, UI_KEY_DOWN, &x->ck);
  assert_string_equal(x->st.prompt, "dra"); /* the draft comes back */
  ui_history_free(&h);
  /* the file stays bounded: a long history is trimmed to the kept lines on load */
  FILE *f = fopen(path, "w");
  for (int i = 0; i < 3 * UI_HISTORY_MAX; i++) fprintf(f, "say %d\n", i);
  fclose(f);
  ui_history_init(&h, path);
  assert_int_equal(h.n, UI_HISTORY_MAX);
  assert_string_equal(h.lines[UI_HISTORY_MAX - 1], "say 1499");
  ui_history_free(&h);
  int lines = 0;
  char buf[64];
  f = fopen(path, "r");
  while (fgets(buf, sizeof buf, f)) lines++;
  fclose(f);
  assert_int_equal(lines, UI_HISTORY_MAX);
  unlink(path);
  /* a symbolic link at the history's path is not followed, and the failure is said */
  char target[300];
  snprintf(target, sizeof target, "%s/target", dir);
  f = fopen(target, "w");
  fputs("precious\n", f);
  fclose(f);
  assert_int_equal(symlink(target, path), 0);
  ui_history_init(&h, path);
  assert_int_equal(ui_history_add(&h, "open rx udp4"), UV_ELOOP);
  assert_non_null(strstr(h.why, "history"));
  f = fopen(target, "r");
  assert_non_null(fgets(buf, sizeof buf, f));
  fclose(f);
  assert_string_equal(buf, "precious\n");
  ui_history_free(&h);
  unlink(path);
  unlink(target);
  snprintf(path, sizeof path, "%s/sub", dir);
  rmdir(path);
  rmdir(dir);
}

static void completes_verbs_names_and_keywords(void **state)
{
  fx *x = *state;
  ui_prompt_open(&x->st, &x->h, "", &x->ck);
  type(x, "op");
  key(x, UI_KEY_TAB);
  assert_string_equal(x->st.prompt, "open ");
  ui_prompt_open(&x->st, &x->h, "join ", &x->ck);
  key(x, UI_KEY_TAB); /* two sockets: both offered, nothing common to insert */
  assert_string_equal(x->st.prompt, "join ");
  assert_non_null(strstr(x->st.hint, "rx"));
  assert_non_null(strstr(x->st.hint, "tx"));
  type(x, "r");
  key(x, UI_KEY_TAB);
  assert_string_equal(x->st.prompt, "join rx ");
  ui_prompt_open(&x->st, &x->h, "set rx br", &x->ck);
  key(x, UI_KEY_TAB);
  assert_string_equal(x->st.prompt, "set rx broadcast ");
  key(x, UI_KEY_TAB);
  assert_string_equal(x->st.hint, "on off toggle");
  ui_prompt_open(&x->st, &x->h, "open a ud", &x->ck);
  key(x, UI_KEY_TAB);
  assert_string_equal(x->st.prompt, "open a udp"); /* the common prefix of udp4 and udp6 */
  ui_prompt_open(&x->st, &x->h, "send rx ", &x->ck);
  key(x, UI_KEY_TAB); /* a free-form argument: its help instead */
  assert_string_equal(x->st.prompt, "send rx ");
  assert_non_null(strstr(x->st.hint, "DEST:"));
  ui_prompt_open(&x->st, &x->h, "expect rx received >= 3 ", &x->ck);
  key(x, UI_KEY_TAB); /* the clauses not used yet */
  assert_string_equal(x->st.hint, "from to within");
  ui_prompt_open(&x->st, &x->h, "open a udp4; bind a :0; jo", &x->ck);
  key(x, UI_KEY_TAB); /* only the command under the cursor counts */
  assert_string_equal(x->st.prompt, "open a udp4; bind a :0; join ");
}

static void inline_help(void **state)
{
  fx *x = *state;
  ui_prompt_open(&x->st, &x->h, "join rx", &x->ck);
  assert_string_equal(x->st.hint,
                      "join NAME GROUPS [on IFACE] [from SOURCES] [except SOURCES] -- join a "
                      "multicast group (any source, only some with from, all but some with "
                      "except)");
  ui_prompt_open(&x->st, &x->h, "sned rx", &x->ck);
  assert_string_equal(x->st.hint, "unknown command 'sned'; did you mean 'send'?");
}

/* Tab after `set rx ` offers every option of the table that can be set, and one typed
 * letter further narrows to the rows that start with it. */
static void completes_every_option(void **state)
{
  fx *x = *state;
  const mcb_option *o;
  char word[40];
  ui_prompt_open(&x->st, &x->h, "set rx ", &x->ck);
  key(x, UI_KEY_TAB);
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++) {
    snprintf(word, sizeof word, " %s ", o->name);
    char padded[300];
    snprintf(padded, sizeof padded, " %s ", x->st.hint);
    if ((strstr(padded, word) != NULL) == ((o->flags & MCB_OPT_READONLY) != 0))
      fail_msg("'%s' in \"%s\"", o->name, x->st.hint);
  }
  ui_prompt_open(&x->st, &x->h, "set rx ttl ", &x->ck);
  key(x, UI_KEY_TAB);
  assert_string_equal(x->st.hint, "ttl: unicast TTL (IPv4) or hop limit (IPv6) of what this "
                                  "socket sends");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(editing, setup, teardown),
      cmocka_unit_test_setup_teardown(history_persists, setup, teardown),
      cmocka_unit_test_setup_teardown(completes_verbs_names_and_keywords, setup, teardown),
      cmocka_unit_test_setup_teardown(inline_help, setup, teardown),
      cmocka_unit_test_setup_teardown(completes_every_option, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
