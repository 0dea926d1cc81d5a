/* test-session.c - running scenarios: `within` passes as soon as it holds and fails at its
 * deadline, `none ... for` fails at the first datagram, `expect error` judges the command
 * before it, a failure stops the script, background sends are paced and bounded, the
 * timeout stops a stuck scenario, and the operator's lane runs while the script waits.
 * Everything runs in the test's own private network namespace. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session-run.h"

typedef scnt_run run;

static double ms(const scn_result *r)
{
  return (double)r->elapsed_ns / 1e6;
}

static void within_passes_early_and_fails_at_deadline(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open rx udp4; bind rx 127.0.0.1:7101\n"
                   "open tx udp4\n"
                   "send tx 127.0.0.1:7101 \"a\"\n"
                   "expect rx received == 1 within 5s\n"
                   "expect rx received == 2 within 400ms\n",
                   0);
  assert_int_equal(x->nresults, 2);
  assert_true(x->results[0].passed);
  assert_true(ms(&x->results[0]) < 1000); /* did not wait for the 5 s deadline */
  assert_false(x->results[1].passed);
  assert_true(ms(&x->results[1]) >= 390); /* waited until its deadline */
  assert_string_equal(x->results[1].expected, "received == 2");
  assert_string_equal(x->results[1].actual, "received 1");
  assert_int_equal(x->sum.passed, 1);
  assert_int_equal(x->sum.failed, 1);
  scnt_finish(x);
}

static void within_wakes_on_arrival(void **state)
{
  MCBT_NEED_NET();
  /* the datagrams arrive while the expectation waits: it passes when they do */
  run *x = scnt_go("open rx udp4; bind rx 127.0.0.1:7102; open tx udp4\n"
                   "send tx 127.0.0.1:7102 \"x\" count 3 every 100ms\n"
                   "expect rx received >= 3 within 5s\n",
                   0);
  assert_int_equal(x->nresults, 1);
  assert_true(x->results[0].passed);
  assert_true(ms(&x->results[0]) >= 150); /* the third leaves 200 ms after the first */
  assert_true(ms(&x->results[0]) < 2000);
  scnt_finish(x);
}

static void none_fails_at_first_datagram(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open rx udp4; bind rx 127.0.0.1:7103; open tx udp4\n"
                   "expect rx none for 200ms\n"
                   "send tx 127.0.0.1:7103 \"late\" count 1 every 50ms\n"
                   "expect rx none for 5s\n",
                   0);
  assert_int_equal(x->nresults, 2);
  assert_true(x->results[0].passed);
  assert_true(ms(&x->results[0]) >= 190);
  assert_false(x->results[1].passed);
  assert_true(ms(&x->results[1]) < 2000); /* at the datagram, not after 5 s */
  assert_non_null(strstr(x->results[1].actual, "1 datagram, the latest from 127.0.0.1:"));
  scnt_finish(x);
}

static void expect_error_judges_the_previous_command(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open a udp4\n"
                   "set a ttl 256\nexpect error EINVAL\n"
                   "join a 10.0.0.1\nexpect error EINVAL\n"
                   "join a ff02::1\nexpect error EAFNOSUPPORT\n"
                   "join a 239.1.1.1 on nosuch0\nexpect error ENODEV\n"
                   "open b udp4; bind b 127.0.0.1:7104; open c udp4; bind c 127.0.0.1:7104\n"
                   "expect error EADDRINUSE\n"
                   "close a\nset a ttl 5\nexpect error EBADF\n"
                   "set b ttl 5\nexpect error EINVAL\n"  /* succeeded: fails */
                   "set b ttl 0\nexpect error EACCES\n", /* wrong code: fails */
                   0);
  assert_int_equal(x->nresults, 8);
  for (int i = 0; i < 6; i++) assert_true(x->results[i].passed);
  assert_false(x->results[6].passed);
  assert_string_equal(x->results[6].actual, "the command succeeded");
  assert_false(x->results[7].passed);
  assert_string_equal(x->results[7].expected, "error EACCES");
  assert_string_equal(x->results[7].actual, "error EINVAL: set ttl 0: TTL must be 1..255 (EINVAL)");
  assert_int_equal(x->nerrors, 0); /* expected failures are not errors */
  assert_false(x->sum.stopped);
  scnt_finish(x);
}

static void a_failure_stops_the_script(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open a udp4\n"
                   "join a 239.1.1.1 on nosuch0\n"
                   "say \"never\"\n",
                   0);
  assert_int_equal(x->nerrors, 1);
  assert_string_equal(x->errors[0], "t.mcb:2:21: error: join 239.1.1.1 on nosuch0: no such "
                                    "device (ENODEV)");
  assert_int_equal(x->codes[0], UV_ENODEV);
  assert_int_equal(x->nsays, 0);
  assert_true(x->sum.stopped);
  assert_int_equal(x->sum.errors, 1);
  scnt_finish(x);
}

/* An interface the core cannot resolve is the interface's fault: the caret goes under
 * it, whatever the code (ENODEV, EADDRNOTAVAIL); a group never joined is the group's. */
static void interface_errors_point_at_the_interface(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open a udp4\n"
                   "join a 239.1.1.1 on 10.200.0.1\nexpect error EADDRNOTAVAIL\n"
                   "drop a 239.1.1.1 on 10.200.0.1\nexpect error EADDRNOTAVAIL\n"
                   "drop a 239.1.1.1 on lo\n",
                   0);
  assert_int_equal(x->nresults, 2);
  assert_true(x->results[0].passed);
  assert_true(x->results[1].passed);
  assert_int_equal(x->nerrors, 1);
  assert_string_equal(x->errors[0], "t.mcb:6:8: error: drop 239.1.1.1 on lo: group not joined "
                                    "(EADDRNOTAVAIL)");
  scnt_finish(x);
  x = scnt_go("open a udp4\njoin a 239.1.1.1 on 10.200.0.1\n", 0);
  assert_int_equal(x->nerrors, 1);
  assert_string_equal(x->errors[0], "t.mcb:2:21: error: join 239.1.1.1 on 10.200.0.1: no local "
                                    "interface has this address (EADDRNOTAVAIL)");
  assert_int_equal(x->codes[0], UV_EADDRNOTAVAIL);
  scnt_finish(x);
}

static void background_sends_are_paced_and_bounded(void **state)
{
  MCBT_NEED_NET();
  uint64_t t0 = uv_hrtime();
  run *x = scnt_go("open rx udp4; bind rx 127.0.0.1:7105; open tx udp4\n"
                   "send tx 127.0.0.1:7105 size:100 count 20 every 10ms\n"
                   "say \"started\"\n"
                   "expect rx received == 20 within 5s\n"
                   "expect rx bytes == 2000\n"
                   "wait 100ms\n"
                   "expect rx received == 20\n", /* no more than asked for */
                   0);
  assert_string_equal(x->says[0], "started"); /* the next command did not wait */
  assert_int_equal(x->nresults, 3);
  for (int i = 0; i < 3; i++) assert_true(x->results[i].passed);
  assert_true(ms(&x->results[0]) >= 150); /* 20 datagrams 10 ms apart take 190 ms */
  assert_true((uv_hrtime() - t0) / 1000000 < 5000);
  scnt_finish(x);
}

static void close_completes_promptly(void **state)
{
  MCBT_NEED_NET();
  /* the close event comes after libuv's poll phase; the next command must not wait for
   * an unrelated timer to wake the loop */
  uint64_t t0 = uv_hrtime();
  run *x = scnt_go("open a udp4; close a; open a udp4; close a; say done\n", 0);
  assert_string_equal(x->says[0], "done");
  assert_true((uv_hrtime() - t0) / 1000000 < 2000);
  scnt_finish(x);
}

static void pace_faster_than_the_socket(void **state)
{
  MCBT_NEED_NET();
  /* 1 us apart asks for more than a loop pass can send: the stream catches up in bounded
   * batches, waits for the socket when its buffer is full (EAGAIN is backpressure, never
   * an error) and sends every datagram. A receiver in the same loop may not keep up: its
   * kernel drops are the receive side's to count, so only a part is asserted here. */
  run *x = scnt_go("open rx udp4; bind rx 127.0.0.1:7109; set rx rcvbuf 4000000; open tx udp4\n"
                   "send tx 127.0.0.1:7109 size:32 count 20000 every 1us\n"
                   "expect tx sent == 20000 within 20s\n"
                   "expect tx send-errors == 0\n"
                   "expect rx received > 0 within 5s\n",
                   0);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 3);
  for (int i = 0; i < 3; i++) assert_true(x->results[i].passed);
  scnt_finish(x);
}

static void background_errors_are_counted_not_fatal(void **state)
{
  MCBT_NEED_NET();
  /* no route to 10.1.2.3 in the private namespace: ENETUNREACH every time; a broadcast
   * without SO_BROADCAST: EACCES. Counted per code, and the scenario goes on. */
  run *x = scnt_go("open rx udp4; bind rx 127.0.0.1:7106; open tx udp4\n"
                   "send tx 10.1.2.3:7106 \"u\" count 3 every 10ms\n"
                   "send tx 10.99.0.255:7106 \"b\" count 2 every 10ms\n"
                   "send tx 127.0.0.1:7106 \"ok\" count 4 every 10ms\n"
                   "expect rx received == 4 within 5s\n"
                   "expect tx send-errors == 5 within 5s\n"
                   "expect tx sent == 4\n"
                   "expect tx send-errors == 3 code ENETUNREACH\n"
                   "expect tx send-errors == 0 code ENOBUFS\n"
                   "expect tx send-errors == 0\n",
                   0);
  const scn_sock *tx = scn_session_socket(x->s, "tx");
  assert_int_equal(x->nerrors, 0);
  assert_false(x->sum.stopped);
  assert_int_equal(x->nresults, 6);
  for (int i = 0; i < 5; i++) assert_true(x->results[i].passed);
  assert_string_equal(x->results[3].expected, "send-errors == 3 code ENETUNREACH");
  assert_false(x->results[5].passed);
  assert_string_equal(x->results[5].actual, "send-errors 5 (ENETUNREACH 3, EACCES 2)");
  assert_int_equal(tx->send.errors, 5);
  assert_int_equal(tx->send.ncodes, 2);
  assert_int_equal(tx->send.by_code[0].code, UV_ENETUNREACH);
  assert_int_equal(tx->send.by_code[0].n, 3);
  assert_int_equal(tx->send.by_code[1].code, UV_EACCES);
  assert_int_equal(scn_session_tasks(x->s), 0);
  scnt_finish(x);
}

static void foreground_send_error_still_fails_its_line(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open tx udp4\nsend tx 10.1.2.3:7106 \"u\"\nsay never\n", 0);
  assert_int_equal(x->nerrors, 1);
  assert_int_equal(x->codes[0], UV_ENETUNREACH);
  assert_true(x->sum.stopped);
  assert_int_equal(x->nsays, 0);
  assert_int_equal(scn_session_socket(x->s, "tx")->send.errors, 1);
  scnt_finish(x);
}

static void close_cancels_background_sends(void **state)
{
  MCBT_NEED_NET();
  /* #8: the old sender must neither fail the scenario nor go on from the new socket */
  run *x = scnt_go("open r udp4; bind r 127.0.0.1:7000; open a udp4\n"
                   "send a 127.0.0.1:7000 \"x\" count 100 every 20ms\n"
                   "wait 45ms\nclose a\nopen a udp4\nreset r\nwait 300ms\n"
                   "expect r received == 0\n",
                   0);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 1);
  assert_true(x->results[0].passed);
  assert_int_equal(scn_session_tasks(x->s), 0);
  scnt_finish(x);
}

static void close_counts_what_it_cancelled(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open r udp4; bind r 127.0.0.1:7001; open a udp4\n"
                   "send a 127.0.0.1:7001 \"x\" count 10 every 30ms\n"
                   "expect r received >= 2 within 2s\nclose a\n",
                   0);
  const scn_sock *a = scn_session_socket(x->s, "a");
  mcb_socket_info info;
  mcb_socket_info_get(a->sock, &info);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(a->send.errors, 0);
  assert_true(a->send.cancelled >= 1);
  assert_int_equal(info.counters.tx_msgs + a->send.cancelled, 10);
  scnt_finish(x);
}

static void a_stopped_script_stops_its_tasks(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open r udp4; bind r 127.0.0.1:7002; open a udp4\n"
                   "send a 127.0.0.1:7002 \"x\" count 1000 every 10ms\n"
                   "join a 239.1.1.1 on nosuch0\n",
                   0);
  mcb_socket_info info;
  assert_true(x->sum.stopped);
  assert_int_equal(scn_session_tasks(x->s), 0);
  mcbt_run_for(&x->loop, 100);
  mcb_socket_info_get(scn_session_socket(x->s, "a")->sock, &info);
  assert_true(info.counters.tx_msgs <= 1); /* nothing after the stop */
  scnt_finish(x);
}

static void targets_are_resolved_before_exec(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open a udp4\nclose a\n"
                   "bind a 127.0.0.1:7003\nexpect error EBADF\n"
                   "send a 127.0.0.1:7003 \"x\"\nexpect error EBADF\n"
                   "join a 239.1.1.1\nexpect error EBADF\n"
                   "reset a\nexpect a received == 0\nexpect a sent == 0\n",
                   0);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 5);
  for (int i = 0; i < 5; i++) assert_true(x->results[i].passed);
  assert_string_equal(x->results[0].actual, "error EBADF: bind a: socket is closed (EBADF)");
  scnt_finish(x);
}

static void bind_resolves_host_names(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open rx udp4; bind rx localhost:7004\n"
                   "open tx udp4; send tx 127.0.0.1:7004 \"hi\"\n"
                   "expect rx received == 1 within 2s\n",
                   0);
  mcb_addr a;
  char text[MCB_ADDRSTRLEN];
  assert_int_equal(x->nerrors, 0);
  assert_true(x->results[0].passed);
  mcb_address(scn_session_socket(x->s, "rx")->sock, &a);
  assert_string_equal(mcb_addr_format(&a, text, sizeof text), "127.0.0.1:7004");
  scnt_finish(x);
}

static void closing_during_a_lookup_is_safe(void **state)
{
  MCBT_NEED_NET();
  /* the session closes while bind's lookup may still be running: nothing leaks (ASan),
   * the loop closes cleanly */
  run *x = scnt_start("open rx udp4; bind rx localhost:7005\n", 0, false);
  scnt_finish(x);
}

/* Unix datagrams carry no TTL: "ttl -", and no comparison holds (-1 < 5 used to pass). */
static void unix_datagrams_have_no_ttl(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open u unix\n"
                   "bind u @mcb-test-session-ttl\n"
                   "open t unix\n"
                   "send t @mcb-test-session-ttl \"x\"\n"
                   "expect u received == 1 within 1s\n"
                   "expect u ttl < 5\n",
                   0);
  assert_int_equal(x->nerrors, 0);
  assert_int_equal(x->nresults, 2);
  assert_true(x->results[0].passed);
  assert_false(x->results[1].passed);
  assert_string_equal(x->results[1].actual, "ttl - (no TTL on this datagram)");
  scnt_finish(x);
}

static void timeout_stops_a_stuck_scenario(void **state)
{
  MCBT_NEED_NET();
  uint64_t t0 = uv_hrtime();
  run *x = scnt_go("wait 10s\nsay \"never\"\n", 300000000ull);
  assert_true((uv_hrtime() - t0) / 1000000 < 3000);
  assert_true(x->sum.timed_out);
  assert_int_equal(x->nerrors, 1);
  assert_string_equal(x->errors[0], "t.mcb:1:1: error: scenario timed out after 300ms while "
                                    "running: wait 10s");
  assert_int_equal(x->nsays, 0);
  scnt_finish(x);
}

static void payload_ttl_filters_and_echo(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_go("open srv unix; bind srv @mcb-test-session; set srv echo on\n"
                   "open cli unix; bind cli @mcb-test-session-cli\n"
                   "send cli @mcb-test-session hex:00ff41\n"
                   "expect cli payload hex:00ff41 from @mcb-test-session within 1s\n"
                   "expect cli payload \"A\"\n"
                   "open rx udp4; bind rx :7107; join rx 239.7.7.7\n"
                   "open tx udp4; bind tx 127.0.0.1:7108; set tx mcast-ttl 9\n"
                   "send tx 239.7.7.7:7107 \"g\"\n"
                   "expect rx ttl == 9 within 1s\n"
                   "expect rx received == 1 from 127.0.0.1:7108 to 239.7.7.7\n"
                   "expect rx received == 0 from 127.0.0.1:9999\n"
                   "expect rx received == 0 to 239.7.7.8\n",
                   0);
  assert_int_equal(x->nresults, 6);
  assert_true(x->results[0].passed);
  assert_false(x->results[1].passed);
  assert_string_equal(x->results[1].actual, "\"\\x00\\xffA\"");
  for (int i = 2; i < 6; i++) assert_true(x->results[i].passed);
  scnt_finish(x);
}

static void variables_and_defaults(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_new(0, false);
  assert_int_equal(scn_vars_set(scn_session_vars(x->s), "B", "from -D", true), 0);
  scnt_load(x, "v.mcb", "default A first\ndefault B second\nsay \"${A} ${B}\"\n");
  scn_session_run(x->s);
  assert_true(scnt_wait_done(x, 2000));
  assert_string_equal(x->says[0], "first from -D");
  scnt_finish(x);
}

static void operator_runs_while_the_script_pauses(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_start("open a udp4\npause \"wait for the operator\"\nsay \"resumed\"\n", 0, true);
  scn_diags *d = calloc(1, sizeof *d);
  mcbt_run_for(&x->loop, 50);
  assert_true(x->paused);
  assert_true(scn_session_paused(x->s));
  /* the operator's commands run at once, the script stays parked */
  assert_int_equal(scn_session_submit(x->s, "<prompt>", "set a ttl 7; say \"op\"", d), 0);
  mcbt_run_for(&x->loop, 50);
  assert_int_equal(x->nsays, 1);
  assert_string_equal(x->says[0], "op");
  mcb_socket_info info;
  mcb_socket_info_get(scn_session_socket(x->s, "a")->sock, &info);
  assert_int_equal(info.ttl, 7);
  /* an operator's failure is reported but stops nothing */
  assert_int_equal(scn_session_submit(x->s, "<prompt>", "set a ttl 900", d), 0);
  mcbt_run_for(&x->loop, 20);
  assert_int_equal(x->nerrors, 1);
  assert_false(scn_session_stopped(x->s));
  /* a check error in a typed line runs nothing */
  assert_int_equal(scn_session_submit(x->s, "<prompt>", "set a ttl 5; sned", d), 1);
  mcb_socket_info_get(scn_session_socket(x->s, "a")->sock, &info);
  assert_int_equal(info.ttl, 7);
  scn_session_continue(x->s);
  assert_true(scnt_wait_done(x, 2000));
  assert_string_equal(x->says[1], "resumed");
  free(d);
  scnt_finish(x);
}

static bool has_result(void *arg)
{
  return ((run *)arg)->nresults > 0;
}

static void immediate_commands_leave_a_parked_target(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_start("open r udp4; bind r 127.0.0.1:7006; open t udp4\n", 0, false);
  scn_diags *d = calloc(1, sizeof *d);
  assert_true(scnt_wait_done(x, 2000));
  assert_int_equal(scn_session_submit(x->s, "<prompt>", "expect r received == 1 within 3s", d), 0);
  assert_int_equal(scn_session_submit(x->s, "<prompt>", "help", d), 0); /* runs at once */
  assert_int_equal(
      mcb_send(scn_session_socket(x->s, "t")->sock, "x", 1, "127.0.0.1:7006", NULL, NULL), 0);
  assert_true(mcbt_run_until(&x->loop, has_result, x, 3000));
  assert_true(x->results[0].passed);
  free(d);
  scnt_finish(x);
}

static void stepping_runs_one_command_at_a_time(void **state)
{
  MCBT_NEED_NET();
  run *x = scnt_new(0, false);
  scnt_load(x, "s.mcb", "say one\nsay two\nsay three\n");
  scn_session_set_stepping(x->s, true);
  scn_session_run(x->s);
  mcbt_run_for(&x->loop, 20);
  assert_int_equal(x->nsays, 0);
  scn_session_step(x->s);
  assert_int_equal(x->nsays, 1);
  scn_session_step(x->s);
  assert_int_equal(x->nsays, 2);
  scn_session_set_stepping(x->s, false); /* the rest runs */
  assert_true(scnt_wait_done(x, 2000));
  assert_int_equal(x->nsays, 3);
  scnt_finish(x);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(within_passes_early_and_fails_at_deadline),
      cmocka_unit_test(within_wakes_on_arrival),
      cmocka_unit_test(none_fails_at_first_datagram),
      cmocka_unit_test(expect_error_judges_the_previous_command),
      cmocka_unit_test(a_failure_stops_the_script),
      cmocka_unit_test(interface_errors_point_at_the_interface),
      cmocka_unit_test(background_sends_are_paced_and_bounded),
      cmocka_unit_test(close_completes_promptly),
      cmocka_unit_test(pace_faster_than_the_socket),
      cmocka_unit_test(background_errors_are_counted_not_fatal),
      cmocka_unit_test(foreground_send_error_still_fails_its_line),
      cmocka_unit_test(close_cancels_background_sends),
      cmocka_unit_test(close_counts_what_it_cancelled),
      cmocka_unit_test(a_stopped_script_stops_its_tasks),
      cmocka_unit_test(targets_are_resolved_before_exec),
      cmocka_unit_test(bind_resolves_host_names),
      cmocka_unit_test(closing_during_a_lookup_is_safe),
      cmocka_unit_test(timeout_stops_a_stuck_scenario),
      cmocka_unit_test(payload_ttl_filters_and_echo),
      cmocka_unit_test(variables_and_defaults),
      cmocka_unit_test(operator_runs_while_the_script_pauses),
      cmocka_unit_test(stepping_runs_one_command_at_a_time),
      cmocka_unit_test(unix_datagrams_have_no_ttl),
      cmocka_unit_test(immediate_commands_leave_a_parked_target),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
