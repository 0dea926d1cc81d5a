/* test-model.c - the view-model over a live session (model-session.c) and the status line
 * show untrusted bytes escaped exactly once: an address the core formats is already
 * escaped ("@a\x1b"), so escaping it again would show "@a\\x1b"; a raw byte is escaped
 * where it reaches the screen. Unix sockets with abstract names, in the test's own
 * network namespace. And the lab's side (model-lab.c): sockets listed by host in the
 * lab's order, and the topology snapshot checked against the lab's own API, inside the
 * private lab (hosts local and peer) the test process makes, as mcbench --private does. */
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

/* A lab h1 - r1 - h2 beside the default hosts; sockets opened on h2, the default host,
 * h1 and h2 again; five datagrams routed from h1 to h2. */
static const char lab_scenario[] = "lab host h1\nlab router r1\nlab host h2\n"
                                   "lab link h1 r1\nlab link r1 h2\n"
                                   "lab route r1 239.1.7.7 from h1 to h2\n"
                                   "open a udp4 on h2\nopen b udp4\nopen c udp4 on h1\n"
                                   "open d udp4 on h2\nbind a :5077\njoin a 239.1.7.7\n"
                                   "set c mcast-ttl 2\nsend c 239.1.7.7:5077 \"x\" count 5\n"
                                   "expect a received == 5 within 3s\n";

/* The lab node a socket lives on, as the lab's API says: its node, else the default host. */
static int node_of(mcb_lab *lab, const scn_sock *ss)
{
  mcb_lab_node_info ni;
  for (size_t i = 0; i < mcb_lab_node_count(lab); i++)
    if (mcb_lab_node_at(lab, i, &ni) == 0 &&
        (ss->node[0] ? strcmp(ni.name, ss->node) == 0 : (ni.flags & MCB_LAB_HERE) != 0))
      return (int)i;
  return -1;
}

/* The sockets pane lists sockets by host, in the lab's order of nodes, and names each
 * socket's host; the order expected is derived from the lab's own node table. */
static void sockets_are_listed_by_host(void **state)
{
  MCBT_NEED_NET();
  run *x = go_with(lab_scenario);
  mcb_lab *lab = scn_session_lab_if_any(x->s);
  size_t n = scn_session_socket_count(x->s), want[8], k = 0;
  bool reordered = false;
  ui_model m;
  ui_sock_view v;
  assert_non_null(lab);
  ui_model_session(&m, x->s);
  assert_int_equal(m.socket_count(m.arg), n);
  for (size_t i = 0; i < mcb_lab_node_count(lab); i++) /* open order within each node */
    for (size_t s = 0; s < n; s++)
      if (node_of(lab, scn_session_socket_at(x->s, s)) == (int)i) want[k++] = s;
  assert_int_equal(k, n);
  for (size_t i = 0; i < n; i++) {
    const scn_sock *ss = scn_session_socket_at(x->s, want[i]);
    mcb_lab_node_info ni;
    assert_true(m.socket(m.arg, i, &v));
    assert_string_equal(v.name, ss->name);
    assert_int_equal(mcb_lab_node_at(lab, (size_t)node_of(lab, ss), &ni), 0);
    assert_string_equal(v.lab_host, ni.name);
    assert_string_equal(v.host, ss->node); /* the title and details: "" on the default host */
    reordered |= want[i] != i;
  }
  assert_true(reordered); /* the scenario opened them out of host order */
  finish(x);
}

/* The topology snapshot holds the lab's nodes and links as its API lists them, the
 * sockets living on each node, the group h2 joined, and the datagrams r1 sent to h2. */
static void topology_follows_the_lab(void **state)
{
  MCBT_NEED_NET();
  run *x = go_with(lab_scenario);
  mcb_lab *lab = scn_session_lab_if_any(x->s);
  ui_topo_view *t = calloc(1, sizeof *t);
  ui_model m;
  assert_non_null(t);
  ui_model_session(&m, x->s);
  m.topology(m.arg, t);
  assert_true(t->lab);
  assert_int_equal(t->nnodes, mcb_lab_node_count(lab));
  assert_int_equal(t->nlinks, mcb_lab_link_count(lab));
  for (size_t i = 0; i < t->nnodes; i++) {
    mcb_lab_node_info ni;
    char names[96] = "";
    size_t len = 0;
    assert_int_equal(mcb_lab_node_at(lab, i, &ni), 0);
    assert_string_equal(t->nodes[i].name, ni.name);
    assert_int_equal(t->nodes[i].kind, ni.kind == MCB_LAB_ROUTER   ? UI_NODE_ROUTER
                                       : ni.kind == MCB_LAB_SWITCH ? UI_NODE_SWITCH
                                                                   : UI_NODE_HOST);
    assert_int_equal(t->nodes[i].home, (ni.flags & MCB_LAB_HERE) != 0);
    for (size_t s = 0; s < scn_session_socket_count(x->s); s++)
      if (node_of(lab, scn_session_socket_at(x->s, s)) == (int)i)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                                scn_session_socket_at(x->s, s)->name);
    assert_string_equal(t->nodes[i].sockets, names);
    if (strcmp(ni.name, "h2") == 0) assert_non_null(strstr(t->nodes[i].groups, "239.1.7.7@"));
  }
  for (size_t i = 0; i < t->nlinks; i++) {
    mcb_lab_link_info li;
    assert_int_equal(mcb_lab_link_at(lab, i, &li), 0);
    assert_string_equal(t->nodes[t->links[i].a].name, li.a);
    assert_string_equal(t->nodes[t->links[i].b].name, li.b);
    assert_true(t->links[i].counted);
    if (strcmp(li.a, "r1") == 0 && strcmp(li.b, "h2") == 0) assert_true(t->links[i].a_to_b >= 5);
    if (strcmp(li.a, "h1") == 0 && strcmp(li.b, "r1") == 0) assert_true(t->links[i].a_to_b >= 5);
  }
  free(t);
  finish(x);
}

int main(void)
{
  mcbt_private_lab(); /* the default hosts local and peer, as mcbench --private */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(addresses_are_escaped_once),  cmocka_unit_test(status_is_escaped_once),
      cmocka_unit_test(sockets_are_listed_by_host),  cmocka_unit_test(topology_follows_the_lab),
      cmocka_unit_test(memberships_show_their_mode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
