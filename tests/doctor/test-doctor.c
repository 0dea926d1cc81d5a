/* test-doctor.c - the doctor's /proc parsers on captured text (byte orders included), the
 * request grammar, the verdict and exit status, and escaped output. */
#include "testlib.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Captured from a namespace with 239.1.1.1 joined on v0 (index 3) and 224.0.0.1. */
static const char igmp[] = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
                           "1\tlo        :     1      V3\n"
                           "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
                           "3\tv0        :     2      V2\n"
                           "\t\t\t\t010101EF     1 0:00000000\t\t1\n"
                           "\t\t\t\t010000E0     1 0:00000000\t\t0\n";

static uint32_t be(const char *text)
{
  struct in_addr a;
  inet_pton(AF_INET, text, &a);
  return a.s_addr;
}

static void igmp_finds_group_on_its_device(void **state)
{
  doc_igmp ig;
  (void)state;
  assert_int_equal(doc_proc_igmp(igmp, 3, be("239.1.1.1"), &ig), 0);
  assert_true(ig.joined);
  assert_int_equal(ig.users, 1);
  assert_int_equal(ig.querier_version, 2);
  assert_string_equal(ig.device, "v0");
  doc_proc_igmp(igmp, 1, be("239.1.1.1"), &ig);
  assert_false(ig.joined);
  assert_int_equal(ig.querier_version, 3);
  doc_proc_igmp(igmp, 0, be("239.1.1.1"), &ig); /* any device */
  assert_true(ig.joined);
  assert_string_equal(ig.device, "v0");
  doc_proc_igmp(igmp, 0, be("239.1.1.2"), &ig);
  assert_false(ig.joined);
}

static void igmp6_and_mcfilter_read_their_byte_orders(void **state)
{
  static const char igmp6[] =
      "1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
      "3    v0              ff3e0000000000000000000000000001     2 00000004 0\n";
  /* mcfilter prints addresses after ntohl: 0xef010101 is 239.1.1.1 */
  static const char mcfilter[] = "Idx Device        MCA        SRC    INC    EXC\n"
                                 "  3     v0 0xef010101 0x0a010002      1      0\n";
  struct in6_addr g;
  doc_igmp ig;
  doc_mcfilter mf;
  (void)state;
  inet_pton(AF_INET6, "ff3e::1", &g);
  doc_proc_igmp6(igmp6, 3, &g, &ig);
  assert_true(ig.joined);
  assert_int_equal(ig.users, 2);
  doc_proc_igmp6(igmp6, 1, &g, &ig);
  assert_false(ig.joined);
  doc_proc_mcfilter(mcfilter, 3, be("239.1.1.1"), be("10.1.0.2"), &mf);
  assert_int_equal(mf.include, 1);
  assert_true(mf.source_included);
  doc_proc_mcfilter(mcfilter, 3, be("239.1.1.1"), be("10.1.0.9"), &mf);
  assert_false(mf.source_included);
}

static void udp_lists_sockets_on_the_port(void **state)
{
  static const char udp[] =
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode ref pointer drops\n"
      "  120: 00000000:1388 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        "
      "0 4242 2 0000000000000000 0\n"
      "  121: 0100010A:1388 00000000:0000 07 00000000:00000300 00:00000000 00000000     0        "
      "0 4243 2 0000000000000000 17\n"
      "  122: 00000000:1389 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        "
      "0 4244 2 0000000000000000 0\n";
  static const char udp6[] =
      "  sl  local_address                         remote_address                        st "
      "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
      "  5: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 07 "
      "00000000:00000000 00:00000000 00000000     0        0 5000 2 0000000000000000 3\n";
  doc_udp_sock s[4];
  char text[MCB_ADDRSTRLEN];
  mcb_addr a;
  (void)state;
  assert_int_equal(doc_proc_udp(udp, AF_INET, 5000, s, 4), 2);
  memset(&a, 0, sizeof a);
  memcpy(&a.u.ss, &s[1].local, sizeof s[1].local);
  a.len = sizeof a.u.in4;
  assert_string_equal(mcb_addr_format(&a, text, sizeof text), "10.1.0.1:5000");
  assert_int_equal(s[1].drops, 17);
  assert_int_equal(s[1].rx_queue, 0x300);
  assert_int_equal(s[0].inode, 4242);
  assert_int_equal(doc_proc_udp(udp, AF_INET, 5001, s, 4), 1);
  assert_int_equal(doc_proc_udp(udp, AF_INET, 5000, s, 1), 2); /* counts beyond max */
  assert_int_equal(doc_proc_udp(udp6, AF_INET6, 5000, s, 4), 1);
  assert_int_equal(s[0].drops, 3);
}

static void counters_are_found_by_name(void **state)
{
  static const char snmp[] = "Ip: Forwarding DefaultTTL\nIp: 2 64\n"
                             "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
                             "SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
                             "Udp: 10 0 0 12 5 0 0 7 0\n";
  static const char snmp6[] = "Ip6InReceives                   \t4\nUdp6IgnoredMulti    9\n";
  uint64_t v = 0;
  (void)state;
  assert_int_equal(doc_proc_counter(snmp, "Udp:", "IgnoredMulti", &v), 0);
  assert_int_equal(v, 7);
  assert_int_equal(doc_proc_counter(snmp, "Udp:", "RcvbufErrors", &v), 0);
  assert_int_equal(v, 5);
  assert_int_equal(doc_proc_counter(snmp, "Udp:", "Nope", &v), UV_ENOENT);
  assert_int_equal(doc_proc_counter(snmp, "Tcp:", "IgnoredMulti", &v), UV_ENOENT);
  assert_int_equal(doc_proc_counter6(snmp6, "Udp6IgnoredMulti", &v), 0);
  assert_int_equal(v, 9);
  assert_int_equal(doc_proc_counter6(snmp6, "Udp6", &v), UV_ENOENT);
}

static int parse(doc_request *req, const char *line, char *err)
{
  char buf[256], *argv[16];
  int argc = 0;
  snprintf(buf, sizeof buf, "%s", line);
  for (char *w = strtok(buf, " "); w != NULL && argc < 16; w = strtok(NULL, " ")) argv[argc++] = w;
  return doc_request_parse(req, argc, argv, err, 256);
}

static void requests_parse_or_say_why(void **state)
{
  doc_request req;
  char err[256];
  (void)state;
  assert_int_equal(parse(&req, "239.1.1.1:5000 on v0 from 10.1.0.2", err), 0);
  assert_int_equal(req.port, 5000);
  assert_string_equal(req.iface, "v0");
  assert_true(req.has_source);
  assert_int_equal(parse(&req, "[ff3e::1]:6000", err), 0);
  assert_int_equal(req.group.u.sa.sa_family, AF_INET6);
  assert_int_equal(parse(&req, "send 239.1.1.1:5000 ttl 3", err), 0);
  assert_true(req.send);
  assert_int_equal(req.ttl, 3);
  assert_int_equal(parse(&req, "239.1.1.1 from ff02::1", err), UV_EINVAL);
  assert_non_null(strstr(err, "families"));
  assert_int_equal(parse(&req, "send 239.1.1.1", err), UV_EINVAL);
  assert_int_equal(parse(&req, "239.1.1.1 ttl 3", err), UV_EINVAL);
  assert_int_equal(parse(&req, "239.1.1.1 on", err), UV_EINVAL);
  assert_int_equal(parse(&req, "nonsense:xx", err), UV_EINVAL);
  assert_int_equal(parse(&req, "", err), UV_EINVAL);
}

static void verdict_is_the_worst_first(void **state)
{
  doc_diagnosis *d = calloc(1, sizeof *d);
  (void)state;
  d->count = 3;
  d->results[0] = (doc_result){.id = "a", .status = DOC_PASS};
  d->results[1] = (doc_result){.id = "b", .status = DOC_WARN};
  d->results[2] = (doc_result){.id = "c", .status = DOC_WARN};
  assert_string_equal(doc_verdict(d)->id, "b");
  assert_int_equal(doc_exit_status(d), DOC_EXIT_WARN);
  d->results[2].status = DOC_FAIL;
  assert_string_equal(doc_verdict(d)->id, "c");
  assert_int_equal(doc_exit_status(d), DOC_EXIT_FAIL);
  d->results[1].status = d->results[2].status = DOC_SKIP;
  assert_null(doc_verdict(d));
  assert_int_equal(doc_exit_status(d), DOC_EXIT_PASS);
  d->watched = true; /* watched, nothing wrong, nothing arrived */
  assert_int_equal(doc_exit_status(d), DOC_EXIT_INCONCLUSIVE);
  d->traffic_seen = true;
  assert_int_equal(doc_exit_status(d), DOC_EXIT_PASS);
  free(d);
}

/* An interface name is anyone's bytes: neither output may carry them raw. */
static void output_escapes_what_it_read(void **state)
{
  doc_diagnosis *d = calloc(1, sizeof *d);
  char *text = NULL;
  size_t size = 0;
  (void)state;
  d->count = 1;
  d->results[0] = (doc_result){.id = "iface", .status = DOC_FAIL};
  doc_set(&d->results[0], DOC_FAIL, "there is no interface \x1b]0;owned\x07");
  doc_evidence(&d->results[0], "\x9b"
                               "2J");
  doc_fix(&d->results[0], "ip link \"x\"");
  FILE *f = open_memstream(&text, &size);
  doc_write_text(d, f);
  doc_write_json(d, f);
  fclose(f);
  for (size_t i = 0; i < size; i++) {
    unsigned char c = (unsigned char)text[i];
    assert_true(c == '\n' || (c >= 0x20 && c < 0x7f));
  }
  assert_non_null(strstr(text, "\"status\": \"FAIL\""));
  assert_non_null(strstr(text, "verdict: FAIL [iface]"));
  assert_non_null(strstr(text, "ip link \\\"x\\\"")); /* JSON quoting */
  free(text);
  free(d);
}

static void long_text_is_marked_cut(void **state)
{
  doc_result r = {0};
  char big[DOC_TEXT_MAX * 2];
  (void)state;
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  doc_set(&r, DOC_INFO, "%s", big);
  assert_int_equal(strlen(r.summary), DOC_TEXT_MAX - 1);
  assert_string_equal(r.summary + DOC_TEXT_MAX - 4, "...");
  for (int i = 0; i < DOC_EVIDENCE_MAX + 3; i++) doc_evidence(&r, "line %d", i);
  assert_int_equal(r.nevidence, DOC_EVIDENCE_MAX);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(igmp_finds_group_on_its_device),
      cmocka_unit_test(igmp6_and_mcfilter_read_their_byte_orders),
      cmocka_unit_test(udp_lists_sockets_on_the_port),
      cmocka_unit_test(counters_are_found_by_name),
      cmocka_unit_test(requests_parse_or_say_why),
      cmocka_unit_test(verdict_is_the_worst_first),
      cmocka_unit_test(output_escapes_what_it_read),
      cmocka_unit_test(long_text_is_marked_cut),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
