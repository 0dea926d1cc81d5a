/* test-sendstream.c - send streams in a running session: a foreground probe stream with
 * seeded impairments sends exactly what its plan says and the socket's record counts it,
 * streams are numbered per socket and carry that number, `stop` ends one or all, `close`
 * cancels them and counts what was left, a range is sent to round robin, a failed send
 * fails a foreground stream's line but only counts in a background one, and a join range
 * past the kernel's limit fails naming the sysctl. Counts only, never rates. Everything
 * runs in the test's own private network namespace. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session-run.h"
#include "stream.h"

typedef scnt_run run;

static run *go(const char *text)
{
  return scnt_go(text, 0);
}

static const scn_stream_stat *stream_of(run *x, const char *name, unsigned id)
{
  const scn_sock *ss = scn_session_socket(x->s, name);
  for (size_t i = 0; ss && i < ss->send.nstreams; i++)
    if (ss->send.streams[i].id == id) return &ss->send.streams[i];
  fail_msg("no stream %u on %s", id, name);
  return NULL;
}

static uint64_t tx_msgs(run *x, const char *name)
{
  mcb_socket_info info;
  mcb_socket_info_get(scn_session_socket(x->s, name)->sock, &info);
  return info.counters.tx_msgs;
}

static void foreground_probe_stream_sends_its_plan(void **state)
{
  MCBT_NEED_NET();
  /* what the plan injects for this seed, computed by the plan itself */
  scn_stream_cfg c = {.count = 500,
                      .burst = 1,
                      .size_min = 64,
                      .size_max = 64,
                      .drop_ppm = 50000,
                      .dup_ppm = 20000,
                      .reorder_ppm = 20000,
                      .seed = 7};
  scn_stream_gen g;
  scn_wire w[SCN_WIRE_MAX];
  uint64_t due, wire = 0;
  char text[512];
  scn_stream_gen_init(&g, &c);
  while (scn_stream_peek(&g, &due)) wire += scn_stream_take(&g, w);
  wire += scn_stream_flush(&g, w);
  snprintf(text, sizeof text,
           "open rx udp4; bind rx 127.0.0.1:7300; set rx rcvbuf 2000000; open tx udp4\n"
           "send tx 127.0.0.1:7300 probe count 500 drop 5%% dup 2%% reorder 2%% seed 7\n"
           "expect tx sent == %llu\n" /* all handed over when the command ends */
           "expect rx received == %llu within 5s\n",
           (unsigned long long)wire, (unsigned long long)wire);
  run *x = scnt_go(text, 0);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 2);
  assert_true(x->results[0].passed);
  assert_true(x->results[1].passed);
  const scn_stream_stat *r = stream_of(x, "tx", 1);
  assert_int_equal(r->state, SCN_STREAM_DONE);
  assert_true(r->foreground && r->probe);
  assert_int_equal(r->planned, 500);
  assert_int_equal(r->seqs, 500);
  assert_int_equal(r->sent, wire);
  assert_int_equal(r->bytes, wire * 64);
  assert_int_equal(r->dropped, g.dropped);
  assert_int_equal(r->duplicated, g.duplicated);
  assert_int_equal(r->reordered, g.reordered);
  assert_int_equal(r->seed, 7);
  /* what arrived is a probe of stream 1 */
  const scn_sock *rx = scn_session_socket(x->s, "rx");
  const mcb_peer *p = mcb_peer_next(rx->sock, NULL);
  assert_non_null(p);
  const mcb_record *rec = mcb_peer_history(p, 0);
  mcb_payload_info info;
  assert_int_equal(mcb_payload_detect(rec->data, rec->len, MCB_PROBE_CHECK_FILL, &info), 0);
  assert_int_equal(info.kind, MCB_PAYLOAD_PROBE);
  assert_int_equal(info.stream, 1);
  assert_int_equal(rec->wire_len, 64);
  scnt_finish(x);
}

/* for DUR with a rate sends the deadlines inside DUR, bursts share a deadline, jitter
 * moves deadlines but loses nothing: counts, whatever the timing. */
static void for_burst_and_jitter_counts(void **state)
{
  MCBT_NEED_NET();
  run *x = go("open rx udp4; bind rx 127.0.0.1:7308; open tx udp4\n"
              "send tx 127.0.0.1:7308 probe rate 1000 pps for 50ms\n"
              "send tx 127.0.0.1:7308 probe every 10ms burst 5 count 20\n"
              "send tx 127.0.0.1:7308 probe rate 2000 pps count 40 jitter 3ms seed 1\n"
              "expect rx received == 110 within 5s\n"
              "expect tx sent == 110\n");
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed && x->results[1].passed);
  assert_int_equal(stream_of(x, "tx", 1)->planned, 50);
  assert_true(stream_of(x, "tx", 2)->rate_pps == 500); /* 5 per 10 ms */
  for (unsigned id = 1; id <= 3; id++) {
    mcbt_run_until(&x->loop, NULL, NULL, 50); /* the last record update */
    assert_int_equal(stream_of(x, "tx", id)->state, SCN_STREAM_DONE);
  }
  assert_int_equal(stream_of(x, "tx", 3)->sent, 40);
  scnt_finish(x);
}

/* No machine sends 50 million datagrams a second: the stream says it fell behind, shows
 * the rate it achieved instead, and still sends every datagram of its count. */
static void a_stream_that_cannot_keep_up_says_so(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open tx udp4\n"
                   "send tx 127.0.0.1:7309 probe rate 50000000 pps count 100000\n"
                   "expect tx sent == 100000 within 30s\n",
                   0);
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed);
  mcbt_run_until(&x->loop, NULL, NULL, 20);
  const scn_stream_stat *r = stream_of(x, "tx", 1);
  assert_true(r->behind);
  assert_true(r->achieved_pps < r->rate_pps);
  assert_int_equal(r->sent, 100000);
  scnt_finish(x);
}

static void streams_are_numbered_and_stopped(void **state)
{
  MCBT_NEED_NET();
  run *x = go("open rx udp4; bind rx 127.0.0.1:7301; open tx udp4\n"
              "send tx 127.0.0.1:7301 probe rate 200 pps\n"
              "send tx 127.0.0.1:7301 probe every 5ms size 100\n"
              "expect rx received >= 10 within 5s\n"
              "stop tx 1\n"
              "stop tx 7\nexpect error ENOENT\n" /* no such stream */
              "stop tx\n"                        /* every one still running */
              "stop tx\n");                      /* none left: does nothing */
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 2);
  assert_true(x->results[0].passed && x->results[1].passed);
  const scn_stream_stat *a = stream_of(x, "tx", 1), *b = stream_of(x, "tx", 2);
  assert_int_equal(a->state, SCN_STREAM_STOPPED);
  assert_int_equal(b->state, SCN_STREAM_STOPPED);
  assert_int_equal(a->planned, 0); /* until stopped */
  assert_true(a->rate_pps == 200 && b->rate_pps == 200);
  assert_false(b->foreground);
  assert_int_equal(scn_session_tasks(x->s), 0);
  uint64_t sent = tx_msgs(x, "tx");
  assert_int_equal(sent, a->sent + b->sent);
  mcbt_run_for(&x->loop, 100);
  assert_int_equal(tx_msgs(x, "tx"), sent); /* nothing after the stop */
  /* both streams reached the receiver, each with its own number */
  bool seen[3] = {false};
  const scn_sock *rx = scn_session_socket(x->s, "rx");
  const mcb_peer *p = mcb_peer_next(rx->sock, NULL);
  for (size_t i = 0; p && i < mcb_peer_history_len(p); i++) {
    const mcb_record *rec = mcb_peer_history(p, i);
    mcb_payload_info info;
    if (mcb_payload_detect(rec->data, rec->len, 0, &info) == 0 && info.stream <= 2)
      seen[info.stream] = true;
  }
  assert_true(seen[1] && seen[2]);
  scnt_finish(x);
}

static void close_cancels_a_stream(void **state)
{
  MCBT_NEED_NET();
  run *x = go("open rx udp4; bind rx 127.0.0.1:7302; open tx udp4\n"
              "send tx 127.0.0.1:7302 probe rate 100 pps count 1000\n"
              "expect rx received >= 2 within 5s\nclose tx\n");
  const scn_sock *tx = scn_session_socket(x->s, "tx");
  const scn_stream_stat *r = stream_of(x, "tx", 1);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(r->state, SCN_STREAM_CANCELLED);
  assert_true(tx->send.cancelled >= 1);
  assert_int_equal(tx_msgs(x, "tx") + tx->send.cancelled, 1000);
  assert_int_equal(scn_session_tasks(x->s), 0);
  scnt_finish(x);
}

static void the_end_of_the_scenario_stops_streams(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open tx udp4\nsend tx 127.0.0.1:7303 probe rate 100 pps\n", 0);
  assert_int_equal(scn_session_tasks(x->s), 1); /* running until the session closes */
  scnt_finish(x); /* closing the session stops it (ASan: nothing leaks) */
}

static void a_range_is_sent_round_robin(void **state)
{
  MCBT_NEED_NET();
  run *x = go("open rx udp4; bind rx 0.0.0.0:7304; open tx udp4\n"
              "send tx 127.0.0.1..127.0.0.3:7304 probe count 9\n"
              "expect rx received == 9 within 5s\n"
              "expect rx received == 3 to 127.0.0.2\n");
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed && x->results[1].passed);
  /* each member sees its own unbroken sequence 0, 1, 2 */
  const scn_sock *rx = scn_session_socket(x->s, "rx");
  assert_int_equal(mcb_peer_count(rx->sock), 3);
  for (const mcb_peer *p = mcb_peer_next(rx->sock, NULL); p; p = mcb_peer_next(rx->sock, p)) {
    assert_int_equal(mcb_peer_history_len(p), 3);
    for (size_t i = 0; i < 3; i++) {
      mcb_payload_info info;
      const mcb_record *rec = mcb_peer_history(p, i);
      assert_int_equal(mcb_payload_detect(rec->data, rec->len, 0, &info), 0);
      assert_int_equal(info.seq, 2 - i); /* index 0 is the newest */
    }
  }
  scnt_finish(x);
}

static void send_errors_in_streams(void **state)
{
  MCBT_NEED_NET();
  /* no route to 10.1.2.3: a background stream counts and goes on... */
  run *x = scnt_go("open tx udp4\nsend tx 10.1.2.3:7305 probe every 1ms count 5\n"
                   "expect tx send-errors == 5 code ENETUNREACH within 5s\n",
                   0);
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed);
  assert_int_equal(stream_of(x, "tx", 1)->errors, 5);
  scnt_finish(x);
  /* ...a foreground one fails its line */
  x = scnt_go("open tx udp4\nsend tx 10.1.2.3:7305 probe count 3\nsay never\n", 0);
  assert_int_equal(x->nerrors, 1);
  assert_int_equal(x->codes[0], UV_ENETUNREACH);
  assert_int_equal(x->nsays, 0);
  assert_int_equal(stream_of(x, "tx", 1)->state, SCN_STREAM_FAILED);
  scnt_finish(x);
}

/* size with a plain payload: the payload, then size:N's pattern, or the payload cut. */
static void plain_payload_sizes(void **state)
{
  MCBT_NEED_NET();
  run *x = go("open rx udp4; bind rx 127.0.0.1:7310; open tx udp4\n"
              "send tx 127.0.0.1:7310 \"hello\" size 8\n"
              "expect rx payload \"hellofgh\" within 5s\n"
              "send tx 127.0.0.1:7310 \"hello\" size 3\n"
              "expect rx received == 2 within 5s\nexpect rx payload \"hel\"\n");
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 3);
  for (int i = 0; i < 3; i++) assert_true(x->results[i].passed);
  scnt_finish(x);
}

/* A host name is resolved without blocking before the stream starts. */
static void a_stream_to_a_host_name(void **state)
{
  MCBT_NEED_NET();
  run *x = go("open rx udp4; bind rx 127.0.0.1:7307; open tx udp4\n"
              "send tx localhost:7307 probe count 5\n"
              "send tx localhost:7307 probe every 1ms count 5\n"
              "expect rx received == 10 within 5s\n");
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed);
  scnt_finish(x);
}

/* A foreground stream the operator stops lets its script go on; one whose socket the
 * operator closes fails its line (ECANCELED). A unix receiver that never reads keeps the
 * stream waiting (backpressure) until then. */
static void operator_ends_a_foreground_stream(void **state)
{
  char text[512], path[64];
  snprintf(path, sizeof path, "/tmp/mcb-sendstream-fg-%d.sock", (int)getpid());
  snprintf(text, sizeof text,
           "open srv unix; bind srv %s; set srv rcvbuf 4096; open cli unix\n"
           "send cli %s probe count 100000000\nsay after\n",
           path, path);
  run *x = scnt_start(text, 0, false);
  mcbt_run_for(&x->loop, 200);
  assert_false(x->done);
  assert_int_equal(x->nsays, 0);
  scnt_submit(x, "stop cli 1");
  assert_true(scnt_wait_done(x, 5000));
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nsays, 1); /* the script went on */
  assert_int_equal(stream_of(x, "cli", 1)->state, SCN_STREAM_STOPPED);
  scnt_finish(x);

  x = scnt_start(text, 0, false);
  mcbt_run_for(&x->loop, 200);
  scnt_submit(x, "close cli");
  assert_true(scnt_wait_done(x, 5000));
  assert_int_equal(x->nerrors, 1);
  assert_int_equal(x->codes[0], UV_ECANCELED);
  assert_int_equal(x->nsays, 0); /* the failure stopped the script */
  assert_int_equal(stream_of(x, "cli", 1)->state, SCN_STREAM_CANCELLED);
  scnt_finish(x);
}

/* A unix receiver's full queue makes the sender wait (backpressure), never lose. */
static void unix_backpressure_is_not_loss(void **state)
{
  char text[512], path[64];
  snprintf(path, sizeof path, "/tmp/mcb-sendstream-%d.sock", (int)getpid());
  snprintf(text, sizeof text,
           "open srv unix; bind srv %s; set srv rcvbuf 4096; open cli unix\n"
           "send cli %s probe count 2000\n"
           "expect srv received == 2000 within 5s\n",
           path, path);
  run *x = scnt_go(text, 0);
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed);
  const scn_stream_stat *r = stream_of(x, "cli", 1);
  assert_int_equal(r->sent, 2000);
  assert_int_equal(r->errors, 0);
  assert_true(r->backpressure > 0);
  scnt_finish(x);
}

static void write_sysctl(const char *path, const char *value)
{
  FILE *f = fopen(path, "w");
  if (f == NULL) skip();
  fputs(value, f);
  if (fclose(f) != 0) skip();
}

static void join_range_and_the_kernel_limit(void **state)
{
  MCBT_NEED_NET();
  /* the host's default, in this namespace (which, like mcbench's, raised it) */
  const char *path = "/proc/sys/net/ipv4/igmp_max_memberships";
  char old[32] = "";
  FILE *f = fopen(path, "r");
  if (f == NULL || fgets(old, sizeof old, f) == NULL) skip();
  fclose(f);
  write_sysctl(path, "20");
  run *x = go("open rx udp4; bind rx :7306\n"
              "join rx 239.1.1.1..239.1.1.30\n");
  assert_int_equal(x->nerrors, 1);
  assert_int_equal(x->codes[0], UV_ENOBUFS);
  assert_non_null(strstr(x->errors[0], "net.ipv4.igmp_max_memberships is 20"));
  /* all or nothing */
  assert_int_equal(mcb_membership_count(scn_session_socket(x->s, "rx")->sock), 0);
  scnt_finish(x);
  x = go("open rx udp4; bind rx :7306\njoin rx 239.1.1.1..239.1.1.20\n");
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(mcb_membership_count(scn_session_socket(x->s, "rx")->sock), 20);
  scnt_finish(x);
  write_sysctl(path, old);
  /* raised, a socket takes many groups, and leaves them as a range too */
  x = go("open rx udp4; bind rx :7306\njoin rx 239.1.1.1..239.1.4.232\n"
         "drop rx 239.1.1.1..239.1.1.100\n");
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(mcb_membership_count(scn_session_socket(x->s, "rx")->sock), 900);
  scnt_finish(x);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(foreground_probe_stream_sends_its_plan),
      cmocka_unit_test(for_burst_and_jitter_counts),
      cmocka_unit_test(a_stream_that_cannot_keep_up_says_so),
      cmocka_unit_test(streams_are_numbered_and_stopped),
      cmocka_unit_test(close_cancels_a_stream),
      cmocka_unit_test(the_end_of_the_scenario_stops_streams),
      cmocka_unit_test(a_range_is_sent_round_robin),
      cmocka_unit_test(send_errors_in_streams),
      cmocka_unit_test(join_range_and_the_kernel_limit),
      cmocka_unit_test(unix_backpressure_is_not_loss),
      cmocka_unit_test(a_stream_to_a_host_name),
      cmocka_unit_test(plain_payload_sizes),
      cmocka_unit_test(operator_ends_a_foreground_stream),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
