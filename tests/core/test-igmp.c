/* test-igmp.c - the lab watcher's IGMP/MLD decoder (mcb_igmp_decode), the events it
 * makes of a message and the bounded event log.
 *
 * The packets were captured on 2026-12-03 by the watcher itself (a hex dump of what its
 * packet socket read) in a lab of mcbench (switch s1 with the querier on, host h3 at
 * 10.0.1.2 on port h3-s1, kernel 6.1): h3 joining 239.1.1.3 from 10.0.1.1 and 10.0.1.9,
 * 239.1.1.4 and dropping it, then with `lab set h3 igmp 2` and `igmp 1`, joining ff05::7
 * (MLDv2) and ff05::8 with `lab set h3 mld 1`, and the bridge's queries. Each is the
 * packet from its IP header on, as a SOCK_DGRAM packet socket reads it.
 */
#include "testlib.h"

#include "lab.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

typedef struct capture {
  const char *name, *hex;
} capture;

static const capture caps[] = {
    {"v1 report", "46c00020000040000102e90e0a000102ef010106940400001200fdf7ef010106"},
    {"v2 report", "46c00020000040000102e90f0a000102ef010105940400001600f9f8ef010105"},
    {"v2 leave", "46c00020000040000102f9130a000102e0000002940400001700f8f8ef010105"},
    {"v3 general query",
     "46c00024000040000102041300000000e000000194040000110aeceb00000000020a0000"},
    {"v3 group query", "46c00024000040000102041300000000e000000194040000110afce4ef010105020a0000"},
    {"v3 report, sources",
     "46c00030000040000102f8ef0a000102e0000016940400002200d2ed0000000105000002ef0101030a0001010a00"
     "0109"},
    {"v3 report, two records",
     "46c00038000040000102f8e70a000102e0000016940400002200e4e60000000202000000ef01010401000002ef01"
     "01030a0001010a000109"},
    {"v3 leave",
     "46c00028000040000102f8f70a000102e0000016940400002200eaf80000000103000000ef010104"},
    {"MLDv1 report",
     "6000000000200001fe80000000000000ec8254fffe6e5180ff050000000000000000000000000008"
     "3a000502000001008300ee9e00000000ff050000000000000000000000000008"},
    {"MLDv1 done",
     "6000000000200001fe80000000000000ec8254fffe6e5180ff020000000000000000000000000002"
     "3a000502000001008400eda700000000ff050000000000000000000000000008"},
    {"MLDv2 general query",
     "6000000000240001fe80000000000000d4d4a1fffe27db38ff020000000000000000000000000001"
     "3a00050200000000820029fd03e8000000000000000000000000000000000000020a0000"},
    {"MLDv2 group query",
     "6000000000240001fe80000000000000d4d4a1fffe27db38ff020000000000000000000000000001"
     "3a0005020000000082002aef03e80000ff050000000000000000000000000008020a0000"},
    {"MLDv2 report",
     "6000000000240001fe80000000000000ec8254fffe6e5180ff020000000000000000000000000016"
     "3a000502000001008f00de8f0000000104000000ff050000000000000000000000000007"},
    {"MLDv2 report, four records",
     "6000000000600001fe80000000000000ec8254fffe6e5180ff020000000000000000000000000016"
     "3a000502000001008f008d480000000402000000ff05000000000000000000000000000802000000ff05000000"
     "000000000000000000000702000000ff0200000000000000000001ff6e518002000000ff020000000000000000"
     "0001ff000002"},
};
#define NCAPS (sizeof caps / sizeof caps[0])

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
  size_t n = 0;
  for (; hex[0] && hex[1] && n < max; hex += 2) {
    unsigned v;
    sscanf(hex, "%2x", &v);
    out[n++] = (uint8_t)v;
  }
  return n;
}

static size_t packet(const char *name, uint8_t *out)
{
  for (size_t i = 0; i < NCAPS; i++)
    if (strcmp(caps[i].name, name) == 0) return unhex(caps[i].hex, out, 256);
  fail_msg("no capture %s", name);
  return 0;
}

static mcb_igmp_msg decode_ok(const char *name)
{
  uint8_t p[256];
  size_t n = packet(name, p);
  mcb_igmp_msg m;
  assert_int_equal(mcb_igmp_decode(p, n, &m), 0);
  return m;
}

static void assert_addr(int family, const uint8_t *a, const char *want)
{
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family, a, text, sizeof text);
  assert_string_equal(text, want);
}

static void igmp_v1_v2(void **state)
{
  mcb_igmp_msg m = decode_ok("v2 report");
  (void)state;
  assert_int_equal(m.family, AF_INET);
  assert_int_equal(m.version, 2);
  assert_int_equal(m.type, MCB_IGMP_REPORT);
  assert_addr(AF_INET, m.src, "10.0.1.2");
  assert_addr(AF_INET, m.records[0].group, "239.1.1.5");
  m = decode_ok("v2 leave");
  assert_int_equal(m.type, MCB_IGMP_LEAVE);
  assert_addr(AF_INET, m.dst, "224.0.0.2");
  assert_addr(AF_INET, m.records[0].group, "239.1.1.5");
  m = decode_ok("v1 report");
  assert_int_equal(m.version, 1);
  assert_addr(AF_INET, m.records[0].group, "239.1.1.6");
}

static void igmp_queries(void **state)
{
  mcb_igmp_msg m = decode_ok("v3 general query");
  (void)state;
  assert_int_equal(m.type, MCB_IGMP_QUERY);
  assert_int_equal(m.version, 3);
  assert_int_equal(m.max_resp_ms, 1000);  /* the lab's short response interval */
  assert_addr(AF_INET, m.src, "0.0.0.0"); /* a bridge queries from 0.0.0.0 */
  assert_addr(AF_INET, m.records[0].group, "0.0.0.0");
  m = decode_ok("v3 group query");
  assert_addr(AF_INET, m.records[0].group, "239.1.1.5");
  assert_int_equal(m.records[0].nsources, 0);
}

static void igmp_v3_reports(void **state)
{
  mcb_igmp_msg m = decode_ok("v3 report, sources");
  (void)state;
  assert_int_equal(m.version, 3);
  assert_int_equal(m.nrecords, 1);
  assert_int_equal(m.records[0].type, MCB_IGMP_ALLOW);
  assert_int_equal(m.records[0].nsources, 2);
  assert_addr(AF_INET, m.records[0].sources[0], "10.0.1.1");
  assert_addr(AF_INET, m.records[0].sources[1], "10.0.1.9");
  m = decode_ok("v3 report, two records");
  assert_int_equal(m.nrecords, 2);
  assert_int_equal(m.records[0].type, MCB_IGMP_IS_EX);
  assert_addr(AF_INET, m.records[0].group, "239.1.1.4");
  assert_int_equal(m.records[1].type, MCB_IGMP_IS_IN);
  assert_int_equal(m.records[1].nsources, 2);
  m = decode_ok("v3 leave");
  assert_int_equal(m.records[0].type, MCB_IGMP_TO_IN);
  assert_int_equal(m.records[0].nsources, 0);
}

static void mld_messages(void **state)
{
  mcb_igmp_msg m = decode_ok("MLDv2 report");
  (void)state;
  assert_int_equal(m.family, AF_INET6);
  assert_int_equal(m.version, 2);
  assert_int_equal(m.records[0].type, MCB_IGMP_TO_EX);
  assert_addr(AF_INET6, m.records[0].group, "ff05::7");
  assert_addr(AF_INET6, m.src, "fe80::ec82:54ff:fe6e:5180");
  m = decode_ok("MLDv2 report, four records");
  assert_int_equal(m.nrecords, 4);
  assert_addr(AF_INET6, m.records[3].group, "ff02::1:ff00:2");
  m = decode_ok("MLDv1 report");
  assert_int_equal(m.version, 1);
  assert_int_equal(m.type, MCB_IGMP_REPORT);
  assert_addr(AF_INET6, m.records[0].group, "ff05::8");
  m = decode_ok("MLDv1 done");
  assert_int_equal(m.type, MCB_IGMP_LEAVE);
  m = decode_ok("MLDv2 general query");
  assert_int_equal(m.type, MCB_IGMP_QUERY);
  assert_int_equal(m.version, 2);
  assert_int_equal(m.max_resp_ms, 1000);
  m = decode_ok("MLDv2 group query");
  assert_addr(AF_INET6, m.records[0].group, "ff05::8");
}

/* Every capture cut short anywhere is refused whole, and so is one whose counts claim
 * more than it holds. */
static void truncated_and_inflated(void **state)
{
  (void)state;
  for (size_t i = 0; i < NCAPS; i++) {
    uint8_t p[256];
    size_t n = unhex(caps[i].hex, p, sizeof p);
    mcb_igmp_msg m;
    for (size_t cut = 0; cut < n; cut++) {
      if (mcb_igmp_decode(p, cut, &m) == 0)
        fail_msg("%s cut to %zu bytes decoded", caps[i].name, cut);
      assert_int_equal(m.type, 0); /* nothing kept */
    }
  }
  {
    uint8_t p[256];
    size_t n = packet("v3 report, sources", p);
    mcb_igmp_msg m;
    assert_int_equal(p[0], 0x46); /* a router alert option: IGMP from byte 24 */
    p[24 + 7] = 2;                /* two records, one there */
    assert_int_equal(mcb_igmp_decode(p, n, &m), UV_EINVAL);
    p[24 + 7] = 1;
    p[24 + 8 + 3] = 3; /* three sources, two there */
    assert_int_equal(mcb_igmp_decode(p, n, &m), UV_EINVAL);
    p[24 + 8 + 3] = 2;
    p[24 + 8 + 1] = 1; /* four bytes of auxiliary data that are not there */
    assert_int_equal(mcb_igmp_decode(p, n, &m), UV_EINVAL);
    p[24 + 8 + 1] = 0;
    p[3] = 0x31; /* IP total length past the end */
    assert_int_equal(mcb_igmp_decode(p, n, &m), UV_EINVAL);
    p[3] = 0x30;
    p[9] = 17; /* UDP */
    assert_int_equal(mcb_igmp_decode(p, n, &m), UV_EINVAL);
    p[9] = 2;
    assert_int_equal(mcb_igmp_decode(p, n, &m), 0);
  }
}

static size_t events_of(const char *name, mcb_lab_event *ev)
{
  mcb_igmp_msg m = decode_ok(name);
  size_t n = mcb__lab_events_of(&m, ev, MCB_IGMP_MAX_RECORDS);
  for (size_t i = 0; i < n; i++) {
    snprintf(ev[i].node, sizeof ev[i].node, "h3");
    snprintf(ev[i].link, sizeof ev[i].link, "h3-s1");
  }
  return n;
}

static void events_and_sentences(void **state)
{
  mcb_lab_event ev[MCB_IGMP_MAX_RECORDS];
  char text[256];
  (void)state;
  assert_int_equal(events_of("v3 report, sources", ev), 1);
  assert_int_equal(ev[0].action, MCB_LAB_EV_JOIN);
  assert_string_equal(mcb_lab_event_format(&ev[0], text, sizeof text),
                      "h3 reports join 239.1.1.3 (IGMPv3, allow {10.0.1.1, 10.0.1.9}) on h3-s1");
  assert_int_equal(events_of("v3 report, two records", ev), 2);
  assert_int_equal(ev[0].action, MCB_LAB_EV_REPORT);
  assert_string_equal(ev[0].filter, "exclude {}");
  assert_int_equal(events_of("v3 leave", ev), 1);
  assert_int_equal(ev[0].action, MCB_LAB_EV_LEAVE);
  assert_int_equal(events_of("v2 leave", ev), 1);
  assert_string_equal(mcb_lab_event_format(&ev[0], text, sizeof text),
                      "h3 leaves 239.1.1.5 (IGMPv2) on h3-s1");
  assert_int_equal(events_of("v3 general query", ev), 1);
  assert_string_equal(mcb_lab_event_format(&ev[0], text, sizeof text),
                      "h3 queries all groups (IGMPv3) on h3-s1");
  /* the solicited-node groups every interface joins are left out */
  assert_int_equal(events_of("MLDv2 report, four records", ev), 2);
  assert_string_equal(ev[0].group, "ff05::8");
  assert_string_equal(ev[1].group, "ff05::7");
}

/* Every action has a name; the names end the table. */
static void action_names(void **state)
{
  (void)state;
  for (int a = MCB_LAB_EV_JOIN; a <= MCB_LAB_EV_LAST; a++) assert_non_null(mcb_lab_action_name(a));
  assert_null(mcb_lab_action_name(MCB_LAB_EV_LAST + 1));
  assert_null(mcb_lab_action_name(0));
}

/* The log keeps the newest MCB_LAB_EVENTS and counts the ones it let go. */
static void log_is_bounded(void **state)
{
  mcb_lab *lab;
  mcb_lab_event ev = {.action = MCB_LAB_EV_QUERY, .family = AF_INET, .version = 3}, got;
  (void)state;
  assert_int_equal(mcb_lab_new(&lab), 0);
  assert_int_equal(mcb_lab_event_next(lab), 1);
  assert_int_equal(mcb_lab_event_get(lab, 1, &got), UV_ENOENT);
  lab->log = mcb__lab_log_new();
  assert_non_null(lab->log);
  for (int i = 0; i < MCB_LAB_EVENTS + 6; i++) mcb__lab_log_add(lab->log, &ev);
  assert_int_equal(mcb_lab_event_next(lab), MCB_LAB_EVENTS + 7);
  assert_int_equal(mcb_lab_events_dropped(lab), 6);
  assert_int_equal(mcb_lab_event_get(lab, 6, &got), UV_ENOENT);
  assert_int_equal(mcb_lab_event_get(lab, 7, &got), 0);
  assert_int_equal(got.seq, 7);
  assert_int_equal(mcb_lab_event_get(lab, MCB_LAB_EVENTS + 6, &got), 0);
  assert_int_equal(mcb_lab_event_get(lab, MCB_LAB_EVENTS + 7, &got), UV_ENOENT);
  mcb_lab_free(lab);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(igmp_v1_v2),
      cmocka_unit_test(igmp_queries),
      cmocka_unit_test(igmp_v3_reports),
      cmocka_unit_test(mld_messages),
      cmocka_unit_test(truncated_and_inflated),
      cmocka_unit_test(events_and_sentences),
      cmocka_unit_test(action_names),
      cmocka_unit_test(log_is_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
