/* test-render.c - golden-file tests of the screen, rendered through the view-model into a
 * canvas: no terminal, no sockets. Set MCB_UPDATE_GOLDEN=1 to rewrite the golden files
 * after an intended change, then review the diff. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake-model.h"
#include "render.h"

typedef struct fixture {
  fake_model f;
  ui_model src;
  ui_state st;
  ui_layout lay;
  ui_canvas c;
} fixture;

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = calloc(1, (size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) buf[0] = '\0';
  fclose(f);
  return buf;
}

/* Renders at w x h and compares with golden/<name>.txt (text, then role letters). */
static void golden(fixture *x, const char *name, int w, int h, bool attrs)
{
  const char *dir = getenv("MCB_GOLDEN_DIR");
  char path[512], *got = NULL, *want;
  size_t len = 0;
  FILE *out;

  assert_non_null(dir);
  assert_int_equal(ui_canvas_init(&x->c, w, h), 0);
  ui_render(&x->st, &x->src, &x->c, &x->lay);
  out = open_memstream(&got, &len);
  if (attrs)
    ui_canvas_dump_attrs(&x->c, out);
  else
    ui_canvas_dump(&x->c, out);
  fclose(out);
  snprintf(path, sizeof path, "%s/%s.txt", dir, name);
  if (getenv("MCB_UPDATE_GOLDEN")) {
    FILE *g = fopen(path, "wb");
    assert_non_null(g);
    fwrite(got, 1, len, g);
    fclose(g);
  }
  want = slurp(path);
  if (want == NULL) fail_msg("missing golden file %s (run with MCB_UPDATE_GOLDEN=1)", path);
  if (strcmp(want, got) != 0) {
    fprintf(stderr, "--- %s\n%s\n+++ rendered\n%s\n", path, want, got);
    fail_msg("%s differs from its golden file", name);
  }
  free(want);
  free(got);
  ui_canvas_free(&x->c);
}

static int setup(void **state)
{
  fixture *x = calloc(1, sizeof *x);
  fake_model_bind(&x->f, &x->src);
  ui_state_init(&x->st);
  x->st.utf8 = true;
  *state = x;
  return 0;
}

static int teardown(void **state)
{
  free(*state);
  return 0;
}

/* rx joined 239.1.1.1, tx sends to it; one peer with a few messages. */
static void bench(fixture *x)
{
  static const char *const payloads[] = {"hello, group", "second message", "third"};
  ui_sock_view *rx = fake_add_socket(&x->f, "rx", "udp4", "0.0.0.0:5000");
  ui_sock_view *tx = fake_add_socket(&x->f, "tx", "udp4", "0.0.0.0:41234");
  fake_peer *p = fake_add_peer(&x->f, 0, "10.99.0.1:41234", "239.1.1.1:5000");
  snprintf(rx->groups, sizeof rx->groups, "239.1.1.1@mcb0");
  rx->ngroups = 1;
  rx->rx_msgs = 3;
  rx->rx_bytes = 31;
  rx->peers = 1;
  snprintf(tx->state, sizeof tx->state, "open");
  fake_set_opt(tx, "mcast-ttl", "4");
  fake_set_opt(rx, "rcvbuf", "212992");
  tx->tx_msgs = 3;
  for (int i = 0; i < 3; i++)
    fake_add_msg(p, payloads[i], strlen(payloads[i]), strlen(payloads[i]), 4);
  p->view.rate_msgs = 2.5;
  p->view.rate_bytes = 26;
  snprintf(x->st.title, sizeof x->st.title, "interactive");
}

static void empty_screen(void **state)
{
  fixture *x = *state;
  ui_state_set_status(&x->st, false, "welcome: press o to open a socket, ? for help");
  golden(x, "empty-80x24", 80, 24, false);
}

static void one_peer_text(void **state)
{
  fixture *x = *state;
  bench(x);
  golden(x, "one-peer-80x24", 80, 24, false);
}

static void one_peer_selection_colours(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.focus = SCN_UI_FOCUS_PEERS;
  golden(x, "one-peer-attrs-80x24", 80, 24, true);
}

static void one_peer_hex(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.view = SCN_UI_VIEW_HEX;
  golden(x, "one-peer-hex-80x24", 80, 24, false);
}

static void hostile_payloads(void **state)
{
  fixture *x = *state;
  static const char title[] = "\x1b]0;pwned\x07 title\x1b[2J";
  static const char colour[] = "\x1b[31mred\x1b[0m and \x1b[H home";
  static const char nul[] = "a\0b\0c";
  static const char bad[] = "\xff\xfe\xc0\x80 \xed\xa0\x80 ok";
  static const char bidi[] = "abc\xe2\x80\xae"
                             "fed \xc2\x9b"
                             "6n";
  static uint8_t big[512];
  ui_sock_view *rx = fake_add_socket(&x->f, "rx", "udp4", "0.0.0.0:5000");
  fake_peer *p = fake_add_peer(&x->f, 0, "10.99.0.66:6666", "239.1.1.1:5000");
  for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7);
  rx->peers = 1;
  fake_add_msg(p, title, sizeof title - 1, sizeof title - 1, 64);
  fake_add_msg(p, colour, sizeof colour - 1, sizeof colour - 1, 64);
  fake_add_msg(p, nul, sizeof nul - 1, sizeof nul - 1, 64);
  fake_add_msg(p, bad, sizeof bad - 1, sizeof bad - 1, 64);
  fake_add_msg(p, bidi, sizeof bidi - 1, sizeof bidi - 1, 64);
  fake_add_msg(p, big, sizeof big, 65507, 64); /* a 64 KiB datagram, 512 bytes kept */
  /* the narration comes from a scenario: escaped too */
  snprintf(x->st.narration, sizeof x->st.narration, "say \x1b[5mblink");
  golden(x, "hostile-80x24", 80, 24, false);
  x->st.view = SCN_UI_VIEW_HEX;
  golden(x, "hostile-hex-80x24", 80, 24, false);
}

static void many_peers_tiled_large(void **state)
{
  fixture *x = *state;
  char src[64];
  bench(x);
  for (int i = 2; i <= 6; i++) {
    snprintf(src, sizeof src, "10.99.0.%d:%d", i, 40000 + i);
    fake_peer *p = fake_add_peer(&x->f, 0, src, "239.1.1.1:5000");
    fake_add_msg(p, "tick", 4, 4, i);
  }
  golden(x, "tiles-250x70", 250, 70, false);
}

static void more_peers_than_fit_list(void **state)
{
  fixture *x = *state;
  char src[64];
  bench(x);
  for (int i = 2; i <= 20; i++) {
    snprintf(src, sizeof src, "10.99.1.%d:%d", i, 40000 + i);
    fake_peer *p = fake_add_peer(&x->f, 0, src, "239.1.1.1:5000");
    for (int k = 0; k < i % 5 + 1; k++) fake_add_msg(p, "x", 1, 1, 1);
    p->view.rate_msgs = i % 7;
  }
  x->st.sort = SCN_UI_SORT_RATE;
  x->st.focus = SCN_UI_FOCUS_PEERS;
  golden(x, "list-80x24", 80, 24, false);
}

static void frozen_pane_and_error(void **state)
{
  fixture *x = *state;
  bench(x);
  ui_pane_state *ps = ui_state_pane(&x->st, x->f.peers[0][0].view.id);
  ps->frozen = true;
  ps->frozen_seq = 2; /* the third message arrived after the freeze */
  ui_state_set_status(&x->st, true, "error: join 239.1.1.1 on nosuch0: no such device (ENODEV)");
  golden(x, "frozen-80x24", 80, 24, false);
}

static void prompt_with_hint(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.prompt_active = true;
  snprintf(x->st.prompt, sizeof x->st.prompt, "join rx 239.1.1.2");
  x->st.cursor = strlen(x->st.prompt);
  snprintf(x->st.hint, sizeof x->st.hint,
           "join NAME GROUP [on IFACE] [from SOURCES] -- join a group");
  golden(x, "prompt-80x24", 80, 24, false);
  assert_int_equal(x->lay.prompt.x, 1 + (int)strlen(x->st.prompt)); /* cursor after the text */
}

static void help_overlay(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.help_visible = true;
  golden(x, "help-80x24", 80, 24, false);
}

static void play_banner(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.playing = true;
  x->st.play_paused = true;
  snprintf(x->st.title, sizeof x->st.title, "tour: a guided tour of mcbench");
  snprintf(x->st.narration, sizeof x->st.narration, "join: rx becomes a member of 239.1.1.1");
  ui_state_add_result(&x->st, "expect rx received == 3 within 2s", true);
  ui_state_set_status(&x->st, false, "paused (Space or Enter continues)");
  golden(x, "play-80x24", 80, 24, false);
}

static void terminal_too_small(void **state)
{
  fixture *x = *state;
  bench(x);
  golden(x, "small-60x20", 60, 20, false);
  assert_true(x->lay.too_small);
}

static void send_errors_in_details(void **state)
{
  fixture *x = *state;
  char *got = NULL;
  size_t len = 0;
  FILE *out;
  bench(x);
  snprintf(x->f.socks[0].send_errors, sizeof x->f.socks[0].send_errors, "ENETUNREACH 3, EACCES 1");
  /* wide enough for the whole detail line, which lists every option of the table */
  assert_int_equal(ui_canvas_init(&x->c, 400, 30), 0);
  ui_render(&x->st, &x->src, &x->c, &x->lay);
  out = open_memstream(&got, &len);
  ui_canvas_dump(&x->c, out);
  fclose(out);
  assert_non_null(strstr(got, "| send errors ENETUNREACH 3, EACCES 1"));
  free(got);
  ui_canvas_free(&x->c);
}

static void streams_in_details(void **state)
{
  fixture *x = *state;
  char *got = NULL;
  size_t len = 0;
  FILE *out;
  bench(x);
  snprintf(x->f.socks[0].streams, sizeof x->f.socks[0].streams,
           "#1 239.1.1.1:5000 running 1000 pps, achieved 998, sent 4990, errors 0");
  assert_int_equal(ui_canvas_init(&x->c, 500, 30), 0);
  ui_render(&x->st, &x->src, &x->c, &x->lay);
  out = open_memstream(&got, &len);
  ui_canvas_dump(&x->c, out);
  fclose(out);
  assert_non_null(
      strstr(got, ": streams #1 239.1.1.1:5000 running 1000 pps, achieved 998, sent 4990"));
  free(got);
  ui_canvas_free(&x->c);
}

static void ascii_terminal(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.utf8 = false;
  x->st.ascii = true;
  golden(x, "ascii-80x24", 80, 24, false);
}

/* A unix socket's peers have no TTL: "-" in the counters, the message lines and the
 * hex headers, never -1. Two abstract names that differ only past an embedded NUL
 * stay apart (mcb_addr_format escapes it). */
static void unix_peers_have_no_ttl(void **state)
{
  fixture *x = *state;
  ui_sock_view *u = fake_add_socket(&x->f, "u", "unix", "/tmp/mcb-u.sock");
  fake_peer *a = fake_add_peer(&x->f, 0, "@client", "/tmp/mcb-u.sock");
  fake_peer *b = fake_add_peer(&x->f, 0, "@client\\0b", "/tmp/mcb-u.sock");
  u->ip = false;
  u->peers = 2;
  fake_add_msg(a, "ping", 4, 4, -1);
  fake_add_msg(b, "pong", 4, 4, -1);
  snprintf(x->st.title, sizeof x->st.title, "unix");
  golden(x, "unix-80x24", 80, 24, false);
  x->st.view = SCN_UI_VIEW_HEX;
  golden(x, "unix-hex-80x24", 80, 24, false);
  x->st.view = SCN_UI_VIEW_TEXT;
  for (int i = 0; i < 20; i++) { /* more than fit: the peer list */
    char src[32];
    snprintf(src, sizeof src, "@peer%d", i);
    fake_add_msg(fake_add_peer(&x->f, 0, src, "/tmp/mcb-u.sock"), "x", 1, 1, -1);
  }
  x->st.focus = SCN_UI_FOCUS_PEERS;
  golden(x, "unix-list-80x24", 80, 24, false);
}

/* A probe stream with losses into a receive buffer that overflowed: the traffic line, a
 * sparkline, the kernel drops in the details; beside it a plain peer with a sparkline. */
static void traffic(fixture *x)
{
  static const uint8_t probe[48] = {0x8d, 'M', 'C', 'B', 1, 0, 0, 1};
  ui_sock_view *rx = fake_add_socket(&x->f, "rx", "udp4", "0.0.0.0:5000");
  fake_peer *p = fake_add_peer(&x->f, 0, "10.99.0.2:40000", "239.1.1.1:5000");
  fake_peer *q = fake_add_peer(&x->f, 0, "10.99.0.3:40001", "239.1.1.1:5000");
  snprintf(rx->groups, sizeof rx->groups, "239.1.1.1@mcb0");
  rx->ngroups = 1;
  rx->rx_msgs = 96;
  rx->kernel_drops = 1904;
  rx->peers = 2;
  for (int i = 0; i < 3; i++) fake_add_msg(p, probe, sizeof probe, sizeof probe, 1);
  fake_add_msg(q, "hello", 5, 5, 1);
  snprintf(p->view.kind, sizeof p->view.kind, "probe");
  p->view.sequenced = p->view.has_delay = true;
  p->view.expected = 2000;
  p->view.lost = 1904;
  p->view.loss_pct = 95.2;
  p->view.dups = 1;
  p->view.reordered = 2;
  p->view.delay_ns = 85000;
  p->view.jitter_ns = 12500;
  p->view.has_rtt = true;
  p->view.rtt_ns = 250000;
  p->view.rate_msgs = 96;
  snprintf(q->view.kind, sizeof q->view.kind, "plain");
  for (int i = 0; i < UI_SPARK; i++) {
    p->view.spark[i] = i < 20 ? 0 : (uint32_t)(100 * (i - 19));
    q->view.spark[i] = (uint32_t)(i % 8);
  }
  snprintf(x->st.title, sizeof x->st.title, "traffic");
}

static void traffic_figures(void **state)
{
  fixture *x = *state;
  traffic(x);
  golden(x, "traffic-80x24", 80, 24, false);
  x->st.ascii = true;
  golden(x, "traffic-ascii-80x24", 80, 24, false);
}

/* Many peers at a large size: the list gains a loss column and a sparkline. */
static void traffic_list_large(void **state)
{
  fixture *x = *state;
  traffic(x);
  for (int i = 4; i <= 60; i++) {
    char src[64];
    snprintf(src, sizeof src, "10.99.1.%d:%d", i, 40000 + i);
    fake_peer *p = fake_add_peer(&x->f, 0, src, "239.1.1.1:5000");
    fake_add_msg(p, "x", 1, 1, 1);
    p->view.sequenced = i % 2 == 0;
    p->view.expected = 1000;
    p->view.lost = (uint64_t)(i % 6);
    p->view.loss_pct = (double)(i % 6) / 10;
    p->view.rate_msgs = i;
    for (int k = 0; k < UI_SPARK; k++) p->view.spark[k] = (uint32_t)((k + i) % 9);
  }
  x->st.focus = SCN_UI_FOCUS_PEERS;
  golden(x, "traffic-list-160x48", 160, 48, false);
}

/* ---- issue 11: the 80x24 design ---- */

/* Columns have priorities: with long addresses and many groups, NAME, STATE, RX, TX and
 * GROUPS stay, LOCAL is cut with an ellipsis, option columns give way first. */
static void columns_keep_priorities(void **state)
{
  fixture *x = *state;
  ui_sock_view *r6;
  bench(x);
  r6 = fake_add_socket(&x->f, "receiver-six", "udp6", "[fd00:99::2%mcb1]:5000");
  snprintf(r6->groups, sizeof r6->groups, "ff02::1234@mcb1, ff05::1@mcb1, ff0e::42@mcb1");
  r6->ngroups = 3;
  r6->rx_msgs = 123456;
  golden(x, "columns-80x24", 80, 24, false);
  golden(x, "columns-100x30", 100, 30, false);
}

/* `help join` wraps its text to the pop-up instead of cutting it. */
static void help_verb_wraps(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.help_visible = true;
  snprintf(x->st.help_verb, sizeof x->st.help_verb, "join");
  golden(x, "help-join-80x24", 80, 24, false);
}

/* A long title is cut with an ellipsis before the status badge. */
static void title_leaves_the_badge_room(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.playing = true;
  x->st.play_paused = true;
  snprintf(x->st.title, sizeof x->st.title,
           "tour: a guided tour of mcbench in under three minutes, with every step");
  ui_state_add_result(&x->st, "expect rx received == 3 within 2s", true);
  golden(x, "title-badge-80x24", 80, 24, false);
}

/* ---- issue 11: the classroom ---- */

/* play: three narration lines, the peer panes watch every receiving socket (each pane
 * named by its socket), each message names its arrival interface. */
static void classroom_watch_all(void **state)
{
  fixture *x = *state;
  ui_sock_view *b;
  fake_peer *p;
  bench(x);
  b = fake_add_socket(&x->f, "b", "udp4", "0.0.0.0:5001");
  snprintf(b->state, sizeof b->state, "bound (implicit)");
  p = fake_add_peer(&x->f, 2, "10.99.0.1:41234", "10.99.0.255:5001");
  fake_add_msg(p, "broadcast!", 10, 10, 64);
  fake_add_msg(p, "broadcast!", 10, 10, 64);
  snprintf(p->msgs[0].ifname, sizeof p->msgs[0].ifname, "mcb0");
  snprintf(p->msgs[1].ifname, sizeof p->msgs[1].ifname, "mcb1");
  x->st.playing = true;
  x->st.play_paused = true;
  x->st.play_delay_ns = 400000000;
  x->st.watch = UI_WATCH_ALL;
  snprintf(x->st.title, sizeof x->st.title, "tour: a guided tour of mcbench");
  ui_state_say(&x->st, "drop: rx leaves the group");
  ui_state_say(&x->st, "Broadcast is refused until you ask for it");
  ui_state_say(&x->st, "With broadcast on, b receives it");
  ui_state_say(&x->st, "each copy names the interface it came in on");
  snprintf(x->st.selected, sizeof x->st.selected, "tx");
  golden(x, "classroom-80x24", 80, 24, false);
  /* a third peer: tiles side by side, a title too long ends with an ellipsis */
  fake_add_msg(fake_add_peer(&x->f, 0, "10.99.0.2:41234", "239.1.1.1:5000"), "x", 1, 1, 4);
  golden(x, "classroom-tiles-80x24", 80, 24, false);
}

/* The event log: times, errors in their colour. */
static void event_log(void **state)
{
  fixture *x = *state;
  bench(x);
  ui_state_log(&x->st, false, 1000000000LL * 80000, "line 97: send tx 10.99.0.255:5001 \"b?\"");
  ui_state_log(&x->st, false, 1000000000LL * 80000 + 5000000,
               "PASS expect error EACCES: error EACCES: send to 10.99.0.255:5001: permission "
               "denied (SO_BROADCAST is off)");
  ui_state_log(&x->st, true, 1000000000LL * 80001, "error: no socket named 'rx2'");
  x->st.log_visible = true;
  golden(x, "event-log-80x24", 80, 24, false);
}

/* :doctor's results: one line per check, long lines cut with an ellipsis, FAIL and WARN
 * stand out, evidence dimmed. */
static void doctor_overlay(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.doctor_text =
      "PASS args         239.1.1.1, port 5000: an any-source (ASM) group\n"
      "FAIL iface        mcb9 is down\n"
      "     evidence: rtnetlink: mcb9 index 7 flags MULTICAST kind veth mtu 1500 promiscuity 0 "
      "and a long tail that does not fit\n"
      "     fix: ip link set mcb9 up\n"
      "WARN membership   nobody has joined 239.1.1.1 on mcb9\n"
      "verdict: FAIL [iface] mcb9 is down (1 fail, 1 warn, 1 pass, 0 info, 0 skip)\n";
  x->st.doctor_visible = true;
  golden(x, "doctor-80x24", 80, 24, false);
  golden(x, "doctor-attrs-80x24", 80, 24, true);
}

/* x asks first. */
static void close_asks(void **state)
{
  fixture *x = *state;
  bench(x);
  snprintf(x->st.confirm, sizeof x->st.confirm, "Close socket rx?");
  golden(x, "confirm-close-80x24", 80, 24, false);
}

/* The title says where the sockets live; the host's network in the error colour. */
static void network_in_title(void **state)
{
  fixture *x = *state;
  bench(x);
  x->st.net = UI_NET_HOST;
  golden(x, "host-network-attrs-80x24", 80, 24, true);
  x->st.net = UI_NET_PRIVATE;
  golden(x, "private-netns-80x24", 80, 24, false);
}

/* The ifaces view: flags, addresses and the groups joined on each interface. */
static size_t two_ifaces(void *arg, const char *sock, char *host, size_t hostsize,
                         ui_iface_view *out, size_t max)
{
  (void)arg;
  snprintf(host, hostsize, "%s", strcmp(sock, "far") == 0 ? "h2" : ""); /* a lab host's socket */
  if (max < 2) return 0;
  out[0] = (ui_iface_view){1, "lo", "UP,RUNNING,MULTICAST,LOOPBACK", "127.0.0.1, ::1",
                           "224.0.0.1, ff02::1"};
  out[1] = (ui_iface_view){3, "mcb0", "UP,RUNNING,MULTICAST,BROADCAST", "10.99.0.1, fd00:99::1",
                           "239.1.1.1, 224.0.0.1, ff02::1"};
  return 2;
}

static void ifaces_view(void **state)
{
  fixture *x = *state;
  bench(x);
  x->src.ifaces = two_ifaces;
  x->st.ifaces_visible = true;
  golden(x, "ifaces-80x24", 80, 24, false);
  ui_sock_view *far = fake_add_socket(&x->f, "far", "udp4", "0.0.0.0:5009");
  snprintf(far->host, sizeof far->host, "h2");
  snprintf(x->st.selected, sizeof x->st.selected, "far"); /* its host: title and interfaces */
  golden(x, "ifaces-lab-80x24", 80, 24, false);
}

/* A lab as lab-ttl.mcb builds it (plus a link closing a loop): the tables the topology
 * tests derive their expectations from. Counters are distinct, so each is found once. */
static const struct {
  const char *name;
  ui_node_kind kind;
  bool home;
  const char *sockets, *groups;
} lab_nodes[] = {
    {"local", UI_NODE_HOST, true, "", ""},
    {"peer", UI_NODE_HOST, false, "", ""},
    {"lan", UI_NODE_SWITCH, false, "", "239.1.2.1@lan-h3"},
    {"h1", UI_NODE_HOST, false, "tx", ""},
    {"h3", UI_NODE_HOST, false, "near", "239.1.2.1@h3-lan"},
    {"r1", UI_NODE_ROUTER, false, "", ""},
    {"r2", UI_NODE_ROUTER, false, "", ""},
    {"h2", UI_NODE_HOST, false, "far", "239.1.2.1@h2-r2, ff05::1@h2-r2"},
    {"h4", UI_NODE_HOST, false, "", ""},
};
static const struct {
  size_t a, b;
  uint64_t ab, ba;
  const char *opts;
} lab_links[] = {
    {0, 1, 6, 8, ""},
    {3, 2, 1234, 23, ""},
    {4, 2, 25, 7, ""},
    {5, 2, 27, 4, ""},
    {5, 6, 16, 3, "ttl-threshold 6"},
    {6, 7, 15, 9, "loss 5%"},
    {6, 2, 2, 1, ""}, /* r2-lan closes a loop */
    {5, 8, 11, 12, ""},
};
#define N_LAB_NODES (sizeof lab_nodes / sizeof lab_nodes[0])
#define N_LAB_LINKS (sizeof lab_links / sizeof lab_links[0])

static ui_topo_view *lab_view(void)
{
  ui_topo_view *t = calloc(1, sizeof *t);
  assert_non_null(t);
  t->lab = true;
  for (size_t i = 0; i < N_LAB_NODES; i++) {
    ui_topo_node *n = &t->nodes[t->nnodes++];
    snprintf(n->name, sizeof n->name, "%s", lab_nodes[i].name);
    n->kind = lab_nodes[i].kind;
    n->home = lab_nodes[i].home;
    snprintf(n->sockets, sizeof n->sockets, "%s", lab_nodes[i].sockets);
    snprintf(n->groups, sizeof n->groups, "%s", lab_nodes[i].groups);
    n->ngroups = lab_nodes[i].groups[0] ? 1 : 0;
    if (n->kind == UI_NODE_SWITCH) snprintf(n->note, sizeof n->note, "querier off");
  }
  for (size_t i = 0; i < N_LAB_LINKS; i++) {
    ui_topo_link *l = &t->links[t->nlinks++];
    l->a = lab_links[i].a;
    l->b = lab_links[i].b;
    snprintf(l->ifname_a, sizeof l->ifname_a, "%s-%s", lab_nodes[l->a].name, lab_nodes[l->b].name);
    snprintf(l->ifname_b, sizeof l->ifname_b, "%s-%s", lab_nodes[l->b].name, lab_nodes[l->a].name);
    snprintf(l->opts, sizeof l->opts, "%s", lab_links[i].opts);
    l->counted = true;
    l->a_to_b = lab_links[i].ab;
    l->b_to_a = lab_links[i].ba;
  }
  return t;
}

/* The sockets of lab_nodes, each on its host, listed by host as the model lists them. */
static void lab_sockets(fixture *x)
{
  for (size_t i = 0; i < N_LAB_NODES; i++) {
    if (!lab_nodes[i].sockets[0]) continue;
    ui_sock_view *v = fake_add_socket(&x->f, lab_nodes[i].sockets, "udp4", "0.0.0.0:5010");
    snprintf(v->host, sizeof v->host, "%s", lab_nodes[i].name);
    snprintf(v->lab_host, sizeof v->lab_host, "%s", lab_nodes[i].name);
  }
  snprintf(x->st.title, sizeof x->st.title, "lab-ttl");
}

/* The canvas as text, one string per row (freed by the caller, with the array). */
static char **rows_of(fixture *x, int w, int h)
{
  char *text = NULL, **rows = calloc((size_t)h + 1, sizeof *rows), *line, *next;
  size_t len = 0, n = 0;
  FILE *out = open_memstream(&text, &len);
  assert_int_equal(ui_canvas_init(&x->c, w, h), 0);
  ui_render(&x->st, &x->src, &x->c, &x->lay);
  ui_canvas_dump(&x->c, out);
  fclose(out);
  ui_canvas_free(&x->c);
  for (line = text; line && *line && n < (size_t)h; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    rows[n++] = strdup(line);
  }
  free(text);
  return rows;
}

static void free_rows(char **rows)
{
  for (char **r = rows; *r; r++) free(*r);
  free(rows);
}

/* The topology pane's rows holding `a` followed by `b` (anywhere after it). */
static int rows_with(char **rows, const ui_rect *pane, const char *a, const char *b)
{
  int n = 0;
  for (int y = pane->y; y < pane->y + pane->h && rows[y]; y++) {
    const char *p = strstr(rows[y], a);
    n += p != NULL && (b == NULL || strstr(p + strlen(a), b) != NULL);
  }
  return n;
}

/* Every node of the table is drawn on exactly one line with its kind, sockets and
 * groups; every link's two counters are on one line, which names one of its ends; at
 * 80x24 and on a large terminal (where the peer panes keep the room below). */
static void topology_shows_every_node_and_link(void **state)
{
  static const char *const kinds[] = {"host", "router", "switch"};
  static const int sizes[][2] = {{80, 24}, {140, 45}};
  fixture *x = *state;
  ui_topo_view *t = lab_view();
  lab_sockets(x);
  x->st.topo = t;
  x->st.topo_visible = true;
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    char **rows = rows_of(x, sizes[s][0], sizes[s][1]), who[64], want[320];
    ui_rect pane = x->lay.topology;
    assert_true(pane.h > 2);
    for (size_t i = 0; i < N_LAB_NODES; i++) {
      snprintf(who, sizeof who, " %s %s", lab_nodes[i].name, kinds[lab_nodes[i].kind]);
      /* the tree draws each node once; a loop link names its far end once more */
      if (rows_with(rows, &pane, who, NULL) - rows_with(rows, &pane, who, "closes a loop") != 1)
        fail_msg("node %s is drawn %d times at %dx%d", lab_nodes[i].name,
                 rows_with(rows, &pane, who, NULL), sizes[s][0], sizes[s][1]);
      if (lab_nodes[i].sockets[0]) {
        snprintf(want, sizeof want, "[%s]", lab_nodes[i].sockets);
        assert_int_equal(rows_with(rows, &pane, who, want), 1);
      }
      if (lab_nodes[i].groups[0] && sizes[s][0] > 100) /* cut at 80 columns, whole here */
        assert_true(rows_with(rows, &pane, who, lab_nodes[i].groups) >= 1);
    }
    for (size_t i = 0; i < N_LAB_LINKS; i++) {
      char ab[16], ba[16], down[48], up[48];
      int cw = sizes[s][0] >= 120 ? 6 : 5, found = 0; /* the counters' width */
      ui_fmt_bytes(lab_links[i].ab, ab, sizeof ab);
      ui_fmt_bytes(lab_links[i].ba, ba, sizeof ba);
      /* seen from a (a above b in the tree) or from b */
      snprintf(down, sizeof down, "[\u25b8%*s \u25c2%*s]", cw, ab, cw, ba);
      snprintf(up, sizeof up, "[\u25b8%*s \u25c2%*s]", cw, ba, cw, ab);
      for (int y = pane.y; y < pane.y + pane.h && rows[y]; y++)
        found += (strstr(rows[y], down) || strstr(rows[y], up)) &&
                 (strstr(rows[y], lab_nodes[lab_links[i].a].name) ||
                  strstr(rows[y], lab_nodes[lab_links[i].b].name));
      if (found != 1) fail_msg("link %zu (%s, %s) is on %d lines", i, ab, ba, found);
    }
    free_rows(rows);
  }
  free(t);
}

/* A chain longer than the pane: every node the pane has room for is drawn, deeper ones
 * stop moving right past half the width, and the last row says how many are left. */
static void topology_longer_than_the_pane(void **state)
{
  fixture *x = *state;
  ui_topo_view *t = calloc(1, sizeof *t);
  char **rows, want[64];
  size_t shown = 0;
  assert_non_null(t);
  t->lab = true;
  for (size_t i = 0; i < UI_TOPO_NODES; i++) {
    snprintf(t->nodes[i].name, sizeof t->nodes[i].name, "r%zu", i);
    t->nodes[i].kind = i == 0 ? UI_NODE_HOST : UI_NODE_ROUTER;
    if (i > 0) t->links[t->nlinks++] = (ui_topo_link){.a = i - 1, .b = i, .counted = true};
  }
  t->nnodes = UI_TOPO_NODES;
  x->st.topo = t;
  x->st.topo_visible = true;
  rows = rows_of(x, 80, 24);
  for (size_t i = 0; i < t->nnodes; i++) {
    snprintf(want, sizeof want, " r%zu %s", i, i == 0 ? "host" : "router");
    shown += rows_with(rows, &x->lay.topology, want, NULL) == 1;
  }
  assert_int_equal(shown, (size_t)x->lay.topology.h - 3); /* the frame and the last row */
  snprintf(want, sizeof want, "\u2026 %zu more", t->nnodes - shown);
  assert_int_equal(rows_with(rows, &x->lay.topology, want, NULL), 1);
  free_rows(rows);
  free(t);
}

/* The pane at 80x24 (it takes the peer area), on a large terminal (the peers keep the
 * room below it), without UTF-8, and with no lab (it says how to make one). */
static void topology_pane(void **state)
{
  fixture *x = *state;
  ui_topo_view *t = lab_view();
  lab_sockets(x);
  fake_add_peer(&x->f, 2, "10.0.1.2:38193", "239.1.2.1:5010")->view.msgs = 1;
  snprintf(x->st.selected, sizeof x->st.selected, "far");
  x->st.topo = t;
  x->st.topo_visible = true;
  golden(x, "topology-80x24", 80, 24, false);
  golden(x, "topology-140x45", 140, 45, false);
  x->st.utf8 = false;
  golden(x, "topology-ascii-80x24", 80, 24, false);
  x->st.utf8 = true;
  t->lab = false;
  golden(x, "topology-empty-80x24", 80, 24, false);
  free(t);
}

int main(void)
{
  setlocale(LC_CTYPE, "C.UTF-8");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(empty_screen, setup, teardown),
      cmocka_unit_test_setup_teardown(one_peer_text, setup, teardown),
      cmocka_unit_test_setup_teardown(one_peer_selection_colours, setup, teardown),
      cmocka_unit_test_setup_teardown(one_peer_hex, setup, teardown),
      cmocka_unit_test_setup_teardown(hostile_payloads, setup, teardown),
      cmocka_unit_test_setup_teardown(many_peers_tiled_large, setup, teardown),
      cmocka_unit_test_setup_teardown(more_peers_than_fit_list, setup, teardown),
      cmocka_unit_test_setup_teardown(frozen_pane_and_error, setup, teardown),
      cmocka_unit_test_setup_teardown(prompt_with_hint, setup, teardown),
      cmocka_unit_test_setup_teardown(help_overlay, setup, teardown),
      cmocka_unit_test_setup_teardown(play_banner, setup, teardown),
      cmocka_unit_test_setup_teardown(terminal_too_small, setup, teardown),
      cmocka_unit_test_setup_teardown(ascii_terminal, setup, teardown),
      cmocka_unit_test_setup_teardown(unix_peers_have_no_ttl, setup, teardown),
      cmocka_unit_test_setup_teardown(send_errors_in_details, setup, teardown),
      cmocka_unit_test_setup_teardown(traffic_figures, setup, teardown),
      cmocka_unit_test_setup_teardown(traffic_list_large, setup, teardown),
      cmocka_unit_test_setup_teardown(streams_in_details, setup, teardown),
      cmocka_unit_test_setup_teardown(columns_keep_priorities, setup, teardown),
      cmocka_unit_test_setup_teardown(help_verb_wraps, setup, teardown),
      cmocka_unit_test_setup_teardown(title_leaves_the_badge_room, setup, teardown),
      cmocka_unit_test_setup_teardown(classroom_watch_all, setup, teardown),
      cmocka_unit_test_setup_teardown(event_log, setup, teardown),
      cmocka_unit_test_setup_teardown(doctor_overlay, setup, teardown),
      cmocka_unit_test_setup_teardown(close_asks, setup, teardown),
      cmocka_unit_test_setup_teardown(network_in_title, setup, teardown),
      cmocka_unit_test_setup_teardown(ifaces_view, setup, teardown),
      cmocka_unit_test_setup_teardown(topology_shows_every_node_and_link, setup, teardown),
      cmocka_unit_test_setup_teardown(topology_pane, setup, teardown),
      cmocka_unit_test_setup_teardown(topology_longer_than_the_pane, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
