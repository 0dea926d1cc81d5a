/* test-model.c - the view-model over a live session (model-session.c) and the status line
 * show untrusted bytes escaped exactly once: an address the core formats is already
 * escaped ("@a\x1b"), so escaping it again would show "@a\\x1b"; a raw byte is escaped
 * where it reaches the screen. Unix sockets with abstract names, in the test's own
 * network namespace. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model-session.h"
#include "render.h"
#include "state.h"

typedef struct run {
  uv_loop_t loop;
  scn_session *s;
  bool done;
  size_t failed;
} run;

static void on_done(void *arg, const scn_summary *sum)
{
  run *x = arg;
  x->done = true;
  x->failed = sum->failed + sum->errors;
}

static bool is_done(void *arg)
{
  return ((run *)arg)->done;
}

static void set_flag(void *arg)
{
  *(bool *)arg = true;
}

static bool flag(void *arg)
{
  return *(bool *)arg;
}

/* rx is "@mcb-model-<ESC>[31m", tx "@mcb-model-tx<ESC>"; tx sends rx one datagram. */
static const char scenario[] = "open rx unix; bind rx \"@mcb-model-\\e[31m\"\n"
                               "open tx unix; bind tx \"@mcb-model-tx\\e\"\n"
                               "send tx \"@mcb-model-\\e[31m\" \"hi\"\n"
                               "expect rx received == 1 within 2s\n";

static run *go_with(const char *text)
{
  run *x = calloc(1, sizeof *x);
  scn_reporter rep = {.arg = x, .done = on_done};
  scn_session_opts o = {0};
  scn_diags *d = calloc(1, sizeof *d);
  scn_source *src;
  assert_non_null(x);
  assert_non_null(d);
  uv_loop_init(&x->loop);
  assert_int_equal(scn_session_new(&x->loop, &o, &rep, &x->s), 0);
  assert_int_equal(scn_source_new("t.mcb", text, strlen(text), &src), 0);
  if (scn_session_load(x->s, src, d) != 0) fail_msg("%s", d->items[0].message);
  free(d);
  scn_session_run(x->s);
  assert_true(mcbt_run_until(&x->loop, is_done, x, 10000));
  assert_int_equal(x->failed, 0);
  return x;
}

static run *go(void)
{
  return go_with(scenario);
}

static void finish(run *x)
{
  bool closed = false;
  scn_session_close(x->s, set_flag, &closed);
  assert_true(mcbt_run_until(&x->loop, flag, &closed, 5000));
  mcbt_loop_close(&x->loop);
  free(x);
}

static void addresses_are_escaped_once(void **state)
{
  MCBT_NEED_NET();
  run *x = go();
  ui_model m;
  ui_sock_view v;
  ui_peer_view p[4];
  ui_model_session(&m, x->s);
  assert_int_equal(m.socket_count(m.arg), 2);
  assert_true(m.socket(m.arg, 0, &v));
  assert_string_equal(v.name, "rx");
  assert_string_equal(v.local, "@mcb-model-\\x1b[31m");
  assert_int_equal(m.peers(m.arg, 0, p, 4), 1);
  assert_string_equal(p[0].src, "@mcb-model-tx\\x1b");
  assert_string_equal(p[0].dst, "@mcb-model-\\x1b[31m");
  assert_true(m.socket(m.arg, 1, &v));
  assert_string_equal(v.local, "@mcb-model-tx\\x1b");
  finish(x);
}

/* The sockets pane says each membership's mode as the language does: "<S>" for the only
 * sources received (from), " except S1,S2" for the ones not received. */
static void memberships_show_their_mode(void **state)
{
  MCBT_NEED_NET();
  run *x = go_with("open m udp4\njoin m 239.1.1.1 on mcb0 except 10.99.0.2,10.99.0.3\n"
                   "join m 232.1.1.1 from 10.99.0.1\njoin m 239.2.2.2\n");
  ui_model m;
  ui_sock_view v;
  ui_model_session(&m, x->s);
  assert_true(m.socket(m.arg, 0, &v));
  assert_string_equal(v.groups,
                      "239.1.1.1@mcb0 except 10.99.0.2,10.99.0.3, 232.1.1.1<10.99.0.1>, 239.2.2.2");
  assert_int_equal(v.ngroups, 3);
  finish(x);
}

/* The status line of a rendered screen. */
static char *status_line(const ui_state *st, const ui_model *m)
{
  ui_canvas c;
  ui_layout lay;
  char *text = NULL, *line, *next;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  memset(&lay, 0, sizeof lay);
  assert_int_equal(ui_canvas_init(&c, 100, 24), 0);
  ui_render(st, m, &c, &lay);
  ui_canvas_dump(&c, out);
  fclose(out);
  ui_canvas_free(&c);
  for (line = text; line; line = next) { /* the line that holds the status */
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    if (strstr(line, "bind ")) {
      char *copy = strdup(line);
      free(text);
      return copy;
    }
  }
  fail_msg("no status line in:\n%s", text);
  return NULL;
}

/* Messages reach the status line with their addresses already escaped by the core (and
 * commands already quoted by scn_command_text); control bytes are escaped there once. */
static void status_is_escaped_once(void **state)
{
  MCBT_NEED_NET();
  run *x = go();
  ui_model m;
  ui_state st;
  char *line;
  ui_model_session(&m, x->s);
  ui_state_init(&st);
  ui_state_set_status(&st, true, "bind @mcb-model-\\x1b[31m: address in use (EADDRINUSE) %s",
                      "raw\x1b[2J");
  line = status_line(&st, &m);
  assert_non_null(strstr(line, "bind @mcb-model-\\x1b[31m: address in use (EADDRINUSE) "
                               "raw\\x1b[2J"));
  assert_null(strchr(line, '\x1b'));
  free(line);
  finish(x);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(addresses_are_escaped_once),
      cmocka_unit_test(status_is_escaped_once),
      cmocka_unit_test(memberships_show_their_mode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
