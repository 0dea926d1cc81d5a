/* test-expect-traffic.c - the traffic expectations (loss, dups, lost, reordered, delay,
 * jitter, rtt, rate, kernel-drops) judged on hand-made probes a scenario sends over
 * loopback in the test's own namespace: exact counts, the from/to filters, figures no
 * datagram carried, and `within` failing at its deadline. No timing is asserted. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session-run.h"

typedef scnt_run run;

/* Runs text to its end; a run-time error fails the test. */
static run *go(const char *text)
{
  run *x = scnt_go(text, 0);
  if (x->nerrors) fail_msg("%s", x->errors[0]);
  return x;
}

/* A send line carrying a probe of sequence `seq` sent at `send_ns`, as hex. */
static size_t probe_line(char *buf, size_t size, uint64_t seq, uint64_t send_ns, uint8_t flags)
{
  uint8_t p[40];
  mcb_probe pr = {
      .flags = flags, .stream = 1, .sender = 9, .nonce = 77, .seq = seq, .send_ns = send_ns};
  size_t o = (size_t)snprintf(buf, size, "send tx 127.0.0.1:7201 hex:");
  assert_int_equal(mcb_probe_encode(&pr, p, sizeof p, sizeof p), (int)sizeof p);
  for (size_t i = 0; i < sizeof p; i++) o += (size_t)snprintf(buf + o, size - o, "%02x", p[i]);
  o += (size_t)snprintf(buf + o, size - o, "\n");
  return o;
}

static uint64_t realtime(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void traffic_figures(void **state)
{
  static const uint64_t seqs[] = {0, 1, 3, 3, 5}; /* 2 and 4 lost, 3 twice */
  static const char *const expectations[] = {
      "expect rx received == 5 within 5s",
      "expect rx loss > 33%",
      "expect rx loss < 34% from 127.0.0.1:7202",
      "expect rx lost == 2",
      "expect rx dups == 1",
      "expect rx reordered == 0",
      "expect rx invalid == 0",
      "expect rx delay >= 5ms",
      "expect rx delay-max < 10m",
      "expect rx delay-p99 >= 5ms",
      "expect rx jitter < 10m",
      "expect rx rate > 0 pps",
      "expect rx kernel-drops == 0",
      /* failures: */
      "expect rx loss == 0% to 239.1.1.1",
      "expect rx rtt < 1s",
      "expect rx dups == 0 within 100ms",
      "expect rx lost == 0 from 127.0.0.1:9",
  };
  const size_t npass = 13, n = sizeof expectations / sizeof expectations[0];
  char text[4096];
  size_t o;
  MCBT_NEED_NET();
  o = (size_t)snprintf(text, sizeof text,
                       "open rx udp4; bind rx 127.0.0.1:7201\n"
                       "open tx udp4; bind tx 127.0.0.1:7202\n");
  uint64_t sent = realtime() - 5000000; /* 5 ms ago */
  for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
    o += probe_line(text + o, sizeof text - o, seqs[i], sent, 0);
  for (size_t i = 0; i < n; i++)
    o += (size_t)snprintf(text + o, sizeof text - o, "%s\n", expectations[i]);
  run *x = go(text);
  assert_int_equal(x->nresults, n);
  for (size_t i = 0; i < n; i++)
    if (x->results[i].passed != (i < npass))
      fail_msg("%s: %s, expected %s, actual %s", expectations[i],
               x->results[i].passed ? "passed" : "failed", x->results[i].expected,
               x->results[i].actual);
  assert_string_equal(x->results[1].expected, "loss > 33%");
  assert_string_equal(x->results[1].actual, "loss 33.3% (lost 2 of 6)");
  assert_string_equal(x->results[4].actual, "dups 1 (received 5 of 6 expected)");
  assert_string_equal(x->results[12].actual, "kernel-drops 0 (received 5)");
  assert_string_equal(x->results[npass].actual, "no datagram with a sequence number");
  assert_string_equal(x->results[npass + 1].actual, "no echo reply to a probe");
  assert_string_equal(x->results[npass + 2].expected, "dups == 0");
  assert_string_equal(x->results[npass + 3].actual, "no datagram with a sequence number");
  scnt_finish(x);
}

/* An echo reply to our own probe (flag set by hand here) is a round trip. */
static void rtt_from_echo_replies(void **state)
{
  char text[2048];
  size_t o;
  MCBT_NEED_NET();
  o = (size_t)snprintf(text, sizeof text,
                       "open rx udp4; bind rx 127.0.0.1:7201\n"
                       "open tx udp4; bind tx 127.0.0.1:7202\n");
  o += probe_line(text + o, sizeof text - o, 0, realtime() - 2000000, MCB_PROBE_ECHO);
  snprintf(text + o, sizeof text - o,
           "expect rx rtt >= 2ms within 5s\n"
           "expect rx rtt-max < 10m\nexpect rx delay < 10m\n");
  run *x = go(text);
  assert_int_equal(x->nresults, 3);
  assert_true(x->results[0].passed);
  assert_true(x->results[1].passed);
  assert_false(x->results[2].passed); /* an echo is no one-way delay */
  assert_string_equal(x->results[2].actual, "no datagram with a send time");
  scnt_finish(x);
}

/* `set rx echo on` reflects a probe marked as an echo reply: the sender measures the round
 * trip; the echo is not echoed again, even by an echoing sender (no loop). */
static void echo_marks_probes_and_never_echoes_an_echo(void **state)
{
  char text[2048];
  size_t o;
  MCBT_NEED_NET();
  o = (size_t)snprintf(text, sizeof text,
                       "open rx udp4; bind rx 127.0.0.1:7201; set rx echo on\n"
                       "open tx udp4; bind tx 127.0.0.1:7202; set tx echo on\n");
  o += probe_line(text + o, sizeof text - o, 0, realtime(), 0);
  snprintf(text + o, sizeof text - o,
           "expect tx rtt >= 0us within 5s\n"
           "expect tx received == 1 from 127.0.0.1:7201\n"
           "wait 200ms\n"
           "expect rx received == 1\n"
           "expect tx received == 1\n"
           "expect rx rtt < 10m\n");
  run *x = go(text);
  assert_int_equal(x->nresults, 5);
  for (int i = 0; i < 4; i++)
    if (!x->results[i].passed)
      fail_msg("%s: expected %s, actual %s", x->results[i].text, x->results[i].expected,
               x->results[i].actual);
  assert_false(x->results[4].passed); /* the receiver saw a probe, not an echo */
  scnt_finish(x);
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf = calloc(1, 1 << 16);
  size_t n = f ? fread(buf, 1, (1 << 16) - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  return buf;
}

/* `report NAME FILE [json|csv]` writes the socket's statistics; the format follows the
 * word, else the extension. */
static void report_writes_the_statistics(void **state)
{
  char text[2048], dir[] = "/tmp/mcb-report-XXXXXX", *csv, *json;
  size_t o;
  MCBT_NEED_NET();
  assert_non_null(mkdtemp(dir));
  o = (size_t)snprintf(text, sizeof text,
                       "open rx udp4; bind rx 127.0.0.1:7201\n"
                       "open tx udp4; bind tx 127.0.0.1:7202\n");
  for (uint64_t seq = 0; seq < 4; seq += 3)
    o += probe_line(text + o, sizeof text - o, seq, realtime(), 0);
  snprintf(text + o, sizeof text - o,
           "expect rx received == 2 within 5s\n"
           "report rx %s/a.csv\n"
           "report rx %s/b.out json\n"
           "report rx\n",
           dir, dir);
  run *x = go(text);
  assert_int_equal(x->nresults, 1);
  snprintf(text, sizeof text, "%s/a.csv", dir);
  csv = slurp(text);
  unlink(text);
  snprintf(text, sizeof text, "%s/b.out", dir);
  json = slurp(text);
  unlink(text);
  assert_int_equal(rmdir(dir), 0);
  assert_non_null(strstr(csv, "peer,t.mcb,rx,127.0.0.1:7202,127.0.0.1:7201,probe,,"));
  assert_non_null(strstr(csv, ",4,2,50.0000,0,0,0,1,0,")); /* expected 4, lost 2 */
  assert_non_null(strstr(json, "\"sockets\": [{\"name\": \"rx\""));
  assert_non_null(strstr(json, "\"lost\": 2, \"loss_pct\": 50.0000"));
  assert_null(strstr(json, "\"name\": \"tx\""));
  assert_non_null(strstr(json, "\"streams\": [{\"kind\": \"probe\", \"sender\": 9, \"stream\": 1, "
                               "\"echo\": false, \"received\": 2, \"expected\": 4, \"lost\": 2"));
  free(csv);
  free(json);
  scnt_finish(x);
}

/* The time from a join to the group's first datagram, per membership: a membership still
 * waiting does not hold, a group filter picks one, and the largest is compared. */
static void join_latency(void **state)
{
  static const char *const expectations[] = {
      "expect rx join-latency < 10m", /* fails: 239.1.1.7 still waiting */
      "expect rx join-latency < 10m to 239.1.1.7 within 5s",
      "expect rx join-latency >= 50ms to 239.1.1.7", /* sent after a 60 ms wait */
      "expect rx join-latency < 10m",                /* fails: 239.1.1.8 never came */
      "expect rx join-latency < 10m to 239.1.1.9",   /* fails: not joined */
  };
  static const bool pass[] = {false, true, true, false, false};
  const size_t n = sizeof expectations / sizeof expectations[0];
  char text[2048];
  MCBT_NEED_NET();
  snprintf(text, sizeof text,
           "open rx udp4 reuse; bind rx :7301; join rx 239.1.1.7; join rx 239.1.1.8\n"
           "%s\nopen tx udp4; wait 60ms; send tx 239.1.1.7:7301 \"x\"\n%s\n%s\n%s\n%s\n",
           expectations[0], expectations[1], expectations[2], expectations[3], expectations[4]);
  run *x = go(text);
  assert_int_equal(x->nresults, n);
  for (size_t i = 0; i < n; i++)
    if (x->results[i].passed != pass[i])
      fail_msg("%s: %s, actual %s", expectations[i], x->results[i].passed ? "passed" : "failed",
               x->results[i].actual);
  assert_non_null(strstr(x->results[0].actual, "no datagram of 239.1.1.7 yet"));
  assert_non_null(strstr(x->results[3].actual, "no datagram of 239.1.1.8 yet"));
  assert_string_equal(x->results[4].actual, "no membership of that group");
  scnt_finish(x);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(traffic_figures),
      cmocka_unit_test(rtt_from_echo_replies),
      cmocka_unit_test(echo_marks_probes_and_never_echoes_an_echo),
      cmocka_unit_test(report_writes_the_statistics),
      cmocka_unit_test(join_latency),
  };
  mcbt_private_network();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
