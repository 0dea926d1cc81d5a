/* test-multicast.c - the receive path with real traffic inside the private namespace:
 * loopback on and off, join/receive/drop, SSM, reuse, no crosstalk between sockets on
 * one port, TTL and hop limit on arrival, broadcast, and the destination group of each
 * datagram, and exclude mode (every source but the blocked ones). */
#include "testlib.h"

#include <net/if.h>
#include <stdio.h>
#include <string.h>

static void dest(char *buf, size_t n, const char *host, const mcb_socket *s)
{
  snprintf(buf, n, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, mcbt_port(s));
}

static const char *host_of(const mcb_addr *a)
{
  static char buf[MCB_ADDRSTRLEN];
  return mcb_addr_format_host(a, buf, sizeof buf);
}

/* Packets sent by dev, from /proc/net/dev (per namespace, unlike /sys/class/net). */
static unsigned long tx_packets(const char *dev)
{
  char line[512], name[32];
  unsigned long v[10], n = 0;
  FILE *f = fopen("/proc/net/dev", "r");
  if (f == NULL) return 0;
  while (fgets(line, sizeof line, f)) {
    char *colon = strchr(line, ':');
    if (colon == NULL || sscanf(line, " %31[^:]", name) != 1 || strcmp(name, dev) != 0) continue;
    if (sscanf(colon + 1, "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3],
               &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) == 10)
      n = v[9];
  }
  fclose(f);
  return n;
}

static void loopback_on_and_off(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to[64];
  unsigned long before;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  /* on lo the kernel loops multicast back whatever the option says: use the veth */
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join(rx, "239.1.1.1", "mcb0", NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_set_multicast_interface(tx, "mcb0"), 0);
  dest(to, sizeof to, "239.1.1.1", rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "on", 2, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(mcb_set_multicast_loopback(tx, false), 0);
  before = tx_packets("mcb0");
  assert_int_equal(mcbt_send_sync(&t, tx, "off", 3, to), 0);
  assert_true(tx_packets("mcb0") > before); /* it did leave by mcb0 */
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1); /* but this host did not hear it */
  mcbt_bench_done(&t);
}

static void join_receive_drop(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  dest(to, sizeof to, "239.1.1.2", rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "before", 6, to), 0);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 0); /* bound to the port is not enough */
  assert_int_equal(mcb_join(rx, "239.1.1.2", NULL, NULL, 0), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "member", 6, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_memory_equal(t.msgs[0].data, "member", 6);
  assert_int_equal(mcb_drop(rx, "239.1.1.2", NULL, NULL, 0), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "after", 5, to), 0);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  mcbt_bench_done(&t);
}

static void ssm_receives_only_its_source(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *a, *b;
  const char *src[] = {MCB_LAB_ADDR0};
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  /* a (10.99.0.1) sends out mcb0 and loops back; b (10.99.0.2) sends out mcb1 and its
   * datagram crosses the veth: both reach mcb0, where rx joined from a only. */
  assert_int_equal(mcb_join(rx, "232.1.1.1", "mcb0", src, 1), 0);
  a = mcbt_open_bound(&t, MCB_UDP4, 0, MCB_LAB_ADDR0, 0);
  b = mcbt_open_bound(&t, MCB_UDP4, 0, MCB_LAB_ADDR1, 0);
  dest(to, sizeof to, "232.1.1.1", rx);
  assert_int_equal(mcbt_send_sync(&t, b, "from b", 6, to), 0);
  assert_int_equal(mcbt_send_sync(&t, a, "from a", 6, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  assert_string_equal(host_of(&t.msgs[0].src), MCB_LAB_ADDR0);
  assert_memory_equal(t.msgs[0].data, "from a", 6);
  mcbt_bench_done(&t);
}

static void three_reuse_sockets_each_receive_all(void **state)
{
  mcbt_bench t;
  mcb_socket *r[3], *tx;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  r[0] = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, 0);
  for (int i = 1; i < 3; i++)
    r[i] = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, mcbt_port(r[0]));
  for (int i = 0; i < 3; i++) assert_int_equal(mcb_join(r[i], "239.1.1.6", NULL, NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  dest(to, sizeof to, "239.1.1.6", r[0]);
  for (int k = 0; k < 5; k++) assert_int_equal(mcbt_send_sync(&t, tx, "all", 3, to), 0);
  for (int i = 0; i < 3; i++) assert_int_equal(mcbt_wait_msgs(&t, r[i], 5, 2000), 5);
  mcbt_run_for(&t.loop, 100);
  for (int i = 0; i < 3; i++) assert_int_equal(mcbt_count_for(&t, r[i]), 5);
  mcbt_bench_done(&t);
}

static void no_crosstalk_between_groups_on_one_port(void **state)
{
  mcbt_bench t;
  mcb_socket *a, *b, *tx;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  /* IP_MULTICAST_ALL is off: b hears only its own group, although a joined another on
   * the same port of the same host */
  a = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, 0);
  b = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, mcbt_port(a));
  assert_int_equal(mcb_join(a, "239.1.1.7", NULL, NULL, 0), 0);
  assert_int_equal(mcb_join(b, "239.1.1.8", NULL, NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  dest(to, sizeof to, "239.1.1.7", a);
  assert_int_equal(mcbt_send_sync(&t, tx, "for a", 5, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, a, 1, 2000), 1);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, b), 0);
  mcbt_bench_done(&t);
}

static void destination_group_of_each_datagram(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to1[64], to2[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join(rx, "239.1.1.10", NULL, NULL, 0), 0);
  assert_int_equal(mcb_join(rx, "239.1.1.11", NULL, NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  dest(to1, sizeof to1, "239.1.1.10", rx);
  dest(to2, sizeof to2, "239.1.1.11", rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "one", 3, to1), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "two", 3, to2), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "one", 3, to1), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 3, 2000), 3);
  for (int i = 0; i < 3; i++) {
    const char *want = t.msgs[i].data[0] == 'o' ? "239.1.1.10" : "239.1.1.11";
    assert_string_equal(host_of(&t.msgs[i].dst), want);
    assert_int_equal(mcb_addr_port(&t.msgs[i].dst), mcbt_port(rx));
  }
  assert_int_equal(mcb_peer_count(rx), 2); /* (source, destination) pairs */
  mcbt_bench_done(&t);
}

static void ttl_on_arrival(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join(rx, "239.1.1.3", NULL, NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 7), 0);
  dest(to, sizeof to, "239.1.1.3", rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "m", 1, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(t.msgs[0].ttl, 7);
  assert_int_equal(mcb_set_ttl(tx, 42), 0);
  dest(to, sizeof to, "127.0.0.1", rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "u", 1, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 2, 2000), 2);
  assert_int_equal(t.msgs[1].ttl, 42);
  assert_string_equal(host_of(&t.msgs[1].dst), "127.0.0.1");
  mcbt_bench_done(&t);
}

static void broadcast_needs_the_flag(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  dest(to, sizeof to, MCB_LAB_BCAST, rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "no", 2, to), UV_EACCES);
  assert_int_equal(t.last_send_status, UV_EACCES); /* reported through the completion */
  mcbt_run_for(&t.loop, 100);
  assert_int_equal(mcbt_count_for(&t, rx), 0);
  assert_int_equal(mcb_set_broadcast(tx, true), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "yes", 3, to), 0);
  assert_true(mcbt_wait_msgs(&t, rx, 1, 2000) >= 1);
  assert_string_equal(host_of(&t.msgs[0].dst), MCB_LAB_BCAST);
  mcbt_bench_done(&t);
}

static void ipv6_link_scope_with_hop_limit(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to[80], scoped[MCB_ADDRSTRLEN];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP6, 0, NULL, 0);
  assert_int_equal(mcb_join(rx, "ff02::1234", "mcb1", NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &tx), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 5), 0);
  snprintf(to, sizeof to, "[ff02::1234%%mcb0]:%d", mcbt_port(rx));
  assert_int_equal(mcbt_send_sync(&t, tx, "v6", 2, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(t.msgs[0].ttl, 5);
  assert_int_equal(t.msgs[0].ifindex, if_nametoindex("mcb1"));
  assert_string_equal(mcb_addr_format_host(&t.msgs[0].dst, scoped, sizeof scoped),
                      "ff02::1234%mcb1");
  mcbt_bench_done(&t);
}

static void dual_stack_socket_hears_ipv4(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  /* a udp6 socket without v6only joins an IPv4 group; what arrives is IPv4-mapped,
   * with its TTL and destination taken from the IPv4 control messages */
  rx = mcbt_open_bound(&t, MCB_UDP6, 0, NULL, 0);
  assert_int_equal(mcb_join(rx, "239.1.1.12", NULL, NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 6), 0);
  dest(to, sizeof to, "239.1.1.12", rx);
  assert_int_equal(mcbt_send_sync(&t, tx, "v4", 2, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(t.msgs[0].ttl, 6);
  assert_string_equal(host_of(&t.msgs[0].dst), "::ffff:239.1.1.12");
  assert_int_equal(mcb_addr_port(&t.msgs[0].dst), mcbt_port(rx));
  mcbt_bench_done(&t);
}

/* Exclude mode: every source but the blocked one arrives; unblocked, it arrives too. */
static void exclude_mode_blocks_its_source(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *a, *b;
  const char *blocked[] = {MCB_LAB_ADDR1};
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  /* as in the SSM test: a's datagram (10.99.0.1) and b's (10.99.0.2) both reach mcb0 */
  assert_int_equal(mcb_join_except(rx, "239.7.7.7", "mcb0", blocked, 1), 0);
  a = mcbt_open_bound(&t, MCB_UDP4, 0, MCB_LAB_ADDR0, 0);
  b = mcbt_open_bound(&t, MCB_UDP4, 0, MCB_LAB_ADDR1, 0);
  dest(to, sizeof to, "239.7.7.7", rx);
  assert_int_equal(mcbt_send_sync(&t, b, "from b", 6, to), 0);
  assert_int_equal(mcbt_send_sync(&t, a, "from a", 6, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  assert_string_equal(host_of(&t.msgs[0].src), MCB_LAB_ADDR0);
  assert_int_equal(mcb_drop_except(rx, "239.7.7.7", "mcb0", blocked, 1), 0);
  assert_int_equal(mcbt_send_sync(&t, b, "again b", 7, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 2, 2000), 2);
  assert_string_equal(host_of(&t.msgs[1].src), MCB_LAB_ADDR1);
  mcbt_bench_done(&t);
}

/* The same over IPv6 (MLDv2): a's datagram crosses the veth to mcb1, b's loops back on
 * mcb1; rx on mcb1 blocks b. */
static void exclude_mode_blocks_its_source_ipv6(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *a, *b;
  const char *blocked[] = {MCB_LAB_ADDR6_1};
  char to_a[80], to_b[80];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP6, 0, NULL, 0);
  assert_int_equal(mcb_join_except(rx, "ff02::7777", "mcb1", blocked, 1), 0);
  a = mcbt_open_bound(&t, MCB_UDP6, 0, MCB_LAB_ADDR6_0, 0);
  b = mcbt_open_bound(&t, MCB_UDP6, 0, MCB_LAB_ADDR6_1, 0);
  snprintf(to_a, sizeof to_a, "[ff02::7777%%mcb0]:%d", mcbt_port(rx));
  snprintf(to_b, sizeof to_b, "[ff02::7777%%mcb1]:%d", mcbt_port(rx));
  assert_int_equal(mcbt_send_sync(&t, b, "from b", 6, to_b), 0);
  assert_int_equal(mcbt_send_sync(&t, a, "from a", 6, to_a), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  assert_string_equal(host_of(&t.msgs[0].src), MCB_LAB_ADDR6_0);
  assert_int_equal(mcb_drop_except(rx, "ff02::7777", "mcb1", blocked, 1), 0);
  assert_int_equal(mcbt_send_sync(&t, b, "again b", 7, to_b), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 2, 2000), 2);
  assert_string_equal(host_of(&t.msgs[1].src), MCB_LAB_ADDR6_1);
  mcbt_bench_done(&t);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(loopback_on_and_off),
      cmocka_unit_test(join_receive_drop),
      cmocka_unit_test(ssm_receives_only_its_source),
      cmocka_unit_test(three_reuse_sockets_each_receive_all),
      cmocka_unit_test(no_crosstalk_between_groups_on_one_port),
      cmocka_unit_test(destination_group_of_each_datagram),
      cmocka_unit_test(ttl_on_arrival),
      cmocka_unit_test(broadcast_needs_the_flag),
      cmocka_unit_test(ipv6_link_scope_with_hop_limit),
      cmocka_unit_test(dual_stack_socket_hears_ipv4),
      cmocka_unit_test(exclude_mode_blocks_its_source),
      cmocka_unit_test(exclude_mode_blocks_its_source_ipv6),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
