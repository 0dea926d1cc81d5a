/* test-labforward.c - the lab forwarder's protocol rows (lab-forward.c, lab-forward6.c)
 * on datagrams built here: which IPv4 and IPv6 groups a router may forward (never a
 * link-scope one), the hop count read, and the UDP checksum finished as a receiver
 * would check it (the expected values were computed independently of this code). */
#include "lab-forward.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

/* fd00:0:0:1::1 to [ff05::1:3]:5000 from port 40000, hop limit 5, "hello6!", with the
 * checksum field holding 0x1234 (what a sender leaves to offload). */
/* clang-format off */
static const uint8_t udp6[] = {
    0x60, 0, 0, 0, 0, 15, 17, 5,                                /* header: 15 bytes of UDP */
    0xfd, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,          /* fd00:0:0:1::1 */
    0xff, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3,          /* ff05::1:3 */
    0x9c, 0x40, 0x13, 0x88, 0, 15, 0x12, 0x34,                  /* 40000 -> 5000 */
    'h', 'e', 'l', 'l', 'o', '6', '!'};
/* clang-format on */

static void ipv6_groups_by_scope(void **state)
{
  static const struct {
    const char *group;
    bool routed;
  } rows[] = {
      {"ff05::1:3", true}, {"ff0e::1", true},    {"ff15::1", true},
      {"ff03::1", true},   {"ff02::1:3", false}, {"ff12::1", false},
      {"ff01::1", false},  {"ff00::1", false},   {"fd00::1", false},
  };
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    struct in6_addr a;
    assert_int_equal(inet_pton(AF_INET6, rows[i].group, &a), 1);
    if (mcb__lab_group6_routable(&a) != rows[i].routed)
      fail_msg("%s: routable should be %d", rows[i].group, rows[i].routed);
  }
}

static void ipv6_datagram_parsed_and_checksummed(void **state)
{
  uint8_t pkt[sizeof udp6];
  struct in6_addr g, s, want;
  (void)state;
  memcpy(pkt, udp6, sizeof pkt);
  assert_true(mcb__fwd_ipv6.parse(pkt, sizeof pkt, &g, &s));
  inet_pton(AF_INET6, "ff05::1:3", &want);
  assert_memory_equal(&g, &want, sizeof want);
  inet_pton(AF_INET6, "fd00:0:0:1::1", &want);
  assert_memory_equal(&s, &want, sizeof want);
  assert_int_equal(mcb__fwd_ipv6.hops(pkt), 5);
  mcb__fwd_ipv6.finish(pkt, sizeof pkt);
  assert_int_equal(pkt[46], 0xee);
  assert_int_equal(pkt[47], 0xf2);
  assert_false(mcb__fwd_ipv6.parse(pkt, 39, &g, &s)); /* shorter than the header */
  pkt[25] = 0x02;                                     /* ff02::1:3: link-scope */
  assert_false(mcb__fwd_ipv6.parse(pkt, sizeof pkt, &g, &s));
}

static void ipv4_link_local_not_routed(void **state)
{
  uint8_t ip[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 3, 17, 0, 0, 10, 0, 1, 1, 239, 1, 1, 1};
  struct in6_addr g, s;
  (void)state;
  assert_true(mcb__fwd_ipv4.parse(ip, sizeof ip, &g, &s));
  assert_int_equal(mcb__fwd_ipv4.hops(ip), 3);
  assert_int_equal(g.s6_addr[0], 239);
  ip[16] = 224, ip[17] = 0, ip[18] = 0, ip[19] = 251; /* 224.0.0.251: link-local */
  assert_false(mcb__fwd_ipv4.parse(ip, sizeof ip, &g, &s));
}

/* IGMP and MLD are for the router itself (an IGMPv1/v2 report and an MLDv1 report go to
 * their group): never forwarded, so never a wrong interface either. */
static void igmp_and_mld_not_forwarded(void **state)
{
  uint8_t ip[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 1, 2, 0, 0, 10, 0, 1, 1, 239, 1, 1, 1};
  uint8_t pkt[sizeof udp6 + 8];
  struct in6_addr g, s;
  (void)state;
  assert_false(mcb__fwd_ipv4.parse(ip, sizeof ip, &g, &s)); /* protocol 2 */
  ip[9] = 17;
  assert_true(mcb__fwd_ipv4.parse(ip, sizeof ip, &g, &s));
  memcpy(pkt, udp6, 40);
  pkt[6] = 0;               /* a hop-by-hop header ... */
  pkt[40] = IPPROTO_ICMPV6; /* ... before ICMPv6 */
  memset(pkt + 41, 0, sizeof pkt - 41);
  assert_false(mcb__fwd_ipv6.parse(pkt, sizeof pkt, &g, &s));
  pkt[40] = IPPROTO_UDP;
  assert_true(mcb__fwd_ipv6.parse(pkt, sizeof pkt, &g, &s));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(igmp_and_mld_not_forwarded),
      cmocka_unit_test(ipv6_groups_by_scope),
      cmocka_unit_test(ipv6_datagram_parsed_and_checksummed),
      cmocka_unit_test(ipv4_link_local_not_routed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
