/* test-lab.c - the virtual lab inside the test's own private namespace: multicast
 * crosses two routers with its TTL decremented at each and stops when the TTL runs
 * out, a snooping switch carries a group between two hosts, sockets made inside a node
 * stay there, and bad topologies fail with their reason. Passes as root and unprivileged
 * (the private namespace is a user namespace then). */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void ok(mcb_lab *lab, int rc)
{
  if (rc != 0) fail_msg("%s", mcb_lab_last_error(lab));
}

/* h1 - r1 - r2 - h2, with 239.1.1.1 routed from h1 to h2. */
static mcb_lab *two_routers(void)
{
  mcb_lab *lab;
  const char *to_r2[] = {"r2"}, *to_h2[] = {"h2"};
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "r1", MCB_LAB_ROUTER, 0));
  ok(lab, mcb_lab_add_node(lab, "r2", MCB_LAB_ROUTER, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h1", "r1", NULL));
  ok(lab, mcb_lab_link(lab, "r1", "r2", NULL));
  ok(lab, mcb_lab_link(lab, "r2", "h2", NULL));
  ok(lab, mcb_lab_route(lab, "r1", "239.1.1.1", NULL, "h1", to_r2, 1));
  ok(lab, mcb_lab_route(lab, "r2", "239.1.1.1", NULL, "r1", to_h2, 1));
  return lab;
}

/* A receiver made inside `node`, bound (our own namespace: a fixed port is fine). */
static mcb_socket *receiver(mcbt_bench *t, mcb_lab *lab, const char *node, const char *group)
{
  mcb_socket *rx;
  ok(lab, mcb_lab_enter(lab, node));
  rx = mcbt_open_bound(t, MCB_UDP4, MCB_REUSE, NULL, 5000);
  assert_int_equal(mcb_join(rx, group, NULL, NULL, 0), 0);
  ok(lab, mcb_lab_leave(lab));
  return rx;
}

static mcb_socket *sender(mcbt_bench *t, mcb_lab *lab, const char *node)
{
  mcb_socket *tx;
  ok(lab, mcb_lab_enter(lab, node));
  assert_int_equal(mcb_open(t->bench, MCB_UDP4, 0, &tx), 0);
  ok(lab, mcb_lab_leave(lab));
  return tx;
}

static mcb_socket *sender6(mcbt_bench *t, mcb_lab *lab, const char *node)
{
  mcb_socket *tx;
  ok(lab, mcb_lab_enter(lab, node));
  assert_int_equal(mcb_open(t->bench, MCB_UDP6, 0, &tx), 0);
  ok(lab, mcb_lab_leave(lab));
  return tx;
}

static void ttl_decrements_across_two_routers(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  mcb_lab_route_info ri;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  lab = two_routers();
  rx = receiver(&t, lab, "h2", "239.1.1.1");
  tx = sender(&t, lab, "h1");

  assert_int_equal(mcb_set_multicast_ttl(tx, 3), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "ttl3", 4, "239.1.1.1:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 3000), 1);
  assert_int_equal(t.msgs[0].ttl, 1); /* 3 minus two routers */
  {
    char host[MCB_ADDRSTRLEN];
    mcb_addr_format_host(&t.msgs[0].src, host, sizeof host);
    assert_string_equal(host, "10.0.1.1"); /* h1 on segment 1 */
  }
  ok(lab, mcb_lab_route_at(lab, 0, &ri));
  assert_string_equal(ri.router, "r1");
  assert_string_equal(ri.source, "*");
  assert_int_equal(ri.packets, 1);

  /* TTL 2 reaches r2 with 1 left: not forwarded. Bounded wait for nothing. */
  assert_int_equal(mcb_set_multicast_ttl(tx, 2), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "ttl2", 4, "239.1.1.1:5000"), 0);
  mcbt_run_for(&t.loop, 400);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  ok(lab, mcb_lab_route_at(lab, 1, &ri));
  assert_string_equal(ri.router, "r2");
  assert_int_equal(ri.packets, 2); /* both matched r2's entry; only the first went on */

  /* TTL 1 never leaves h1's link. */
  assert_int_equal(mcb_set_multicast_ttl(tx, 1), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "ttl1", 4, "239.1.1.1:5000"), 0);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

static void threshold_on_a_link(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  const char *to_h2[] = {"h2"};
  mcb_lab_link_opts boundary = {.ttl_threshold = 6};
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "r1", MCB_LAB_ROUTER, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h1", "r1", NULL));
  ok(lab, mcb_lab_link(lab, "r1", "h2", &boundary));
  ok(lab, mcb_lab_route(lab, "r1", "239.1.1.2", "10.0.1.1", "h1", to_h2, 1));
  rx = receiver(&t, lab, "h2", "239.1.1.2");
  tx = sender(&t, lab, "h1");
  assert_int_equal(mcb_set_multicast_ttl(tx, 6), 0); /* not above the threshold */
  assert_int_equal(mcbt_send_sync(&t, tx, "6", 1, "239.1.1.2:5000"), 0);
  mcbt_run_for(&t.loop, 300);
  assert_int_equal(mcbt_count_for(&t, rx), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 7), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "7", 1, "239.1.1.2:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 3000), 1);
  assert_int_equal(t.msgs[0].ttl, 6);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

static void switch_joins_two_hosts(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  mcb_lab_link_info li;
  mcb_lab_node_info ni;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "s1", MCB_LAB_SWITCH, MCB_LAB_QUERIER));
  ok(lab, mcb_lab_add_node(lab, "h3", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h4", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h3", "s1", NULL));
  ok(lab, mcb_lab_link(lab, "h4", "s1", NULL));
  ok(lab, mcb_lab_node_at(lab, 0, &ni));
  assert_int_equal(ni.kind, MCB_LAB_SWITCH);
  assert_int_equal(ni.segment, 1);
  ok(lab, mcb_lab_link_at(lab, 1, &li));
  assert_string_equal(li.ifname_a, "h4-s1");
  assert_string_equal(li.addr_a, "10.0.1.3"); /* the bridge is .1, h3 .2 */
  assert_string_equal(li.addr6_a, "fd00:0:0:1::3");
  assert_string_equal(li.addr_b, "");
  rx = receiver(&t, lab, "h4", "239.2.2.2");
  tx = sender(&t, lab, "h3");
  assert_int_equal(mcbt_send_sync(&t, tx, "sw", 2, "239.2.2.2:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 3000), 1);
  assert_int_equal(t.msgs[0].ttl, 1); /* a switch is no router */
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

static bool has_group(mcb_lab *lab, const char *node, const char *ifname, const char *group)
{
  mcb_lab_group g[MCB_LAB_MAX_GROUPS];
  size_t n;
  ok(lab, mcb_lab_groups(lab, node, g, MCB_LAB_MAX_GROUPS, &n));
  for (size_t i = 0; i < n; i++)
    if (strcmp(g[i].ifname, ifname) == 0 && strcmp(g[i].group, group) == 0) return true;
  return false;
}

/* With a querier, the snooping switch learns h4's join from its report and sends the
 * group to h4's port only: h5's link does not carry it. */
static void snooping_switch_forwards_to_the_joined_port(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  uint64_t rx_before[2], rx_after[2], txc[2];
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "s1", MCB_LAB_SWITCH, MCB_LAB_QUERIER));
  ok(lab, mcb_lab_add_node(lab, "h3", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h4", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h5", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h3", "s1", NULL));
  ok(lab, mcb_lab_link(lab, "h4", "s1", NULL));
  ok(lab, mcb_lab_link(lab, "h5", "s1", NULL));
  rx = receiver(&t, lab, "h4", "239.2.2.3");
  assert_true(has_group(lab, "h4", "h4-s1", "239.2.2.3")); /* the host's membership */
  for (int i = 0; i < 300 && !has_group(lab, "s1", "s1-h4", "239.2.2.3"); i++)
    mcbt_run_for(&t.loop, 10); /* the report reaches the bridge: bounded wait */
  assert_true(has_group(lab, "s1", "s1-h4", "239.2.2.3"));
  assert_false(has_group(lab, "s1", "s1-h5", "239.2.2.3"));
  /* The bridge trusts its table only a response interval (1 s here) after its first
   * query; until then it floods. */
  mcbt_run_for(&t.loop, 1300);
  tx = sender(&t, lab, "h3");
  ok(lab, mcb_lab_link_counters(lab, 2, rx_before, txc));
  for (int i = 0; i < 10; i++)
    assert_int_equal(mcbt_send_sync(&t, tx, "s", 1, "239.2.2.3:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 10, 3000), 10);
  ok(lab, mcb_lab_link_counters(lab, 2, rx_after, txc));
  /* h5's end saw fewer packets than were sent: not flooded (a query may pass by) */
  assert_true(rx_after[0] - rx_before[0] < 10);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* Without a querier the snooping switch learns the join (its table lists h4's port) yet
 * floods the group to h5's port too; with snooping off it floods and learns nothing. h5's
 * interface counts the datagrams although its IP layer drops them (h5 did not join). */
static void switches_without_querier_or_snooping_flood(void **state)
{
  static const struct {
    const char *sw, *a, *b, *c, *group;
    unsigned flags;
  } lans[] = {{"s1", "h3", "h4", "h5", "239.2.2.4", 0},
              {"s2", "h6", "h7", "h8", "239.2.2.5", MCB_LAB_NO_SNOOPING}};
  mcbt_bench t;
  mcb_lab *lab;
  mcb_lab_node_info ni;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  for (size_t k = 0; k < 2; k++) {
    mcb_socket *rx, *tx;
    uint64_t before[2], after[2], txc[2];
    char to[32], port_b[16];
    size_t link = mcb_lab_link_count(lab) + 2; /* the third host's link */
    ok(lab, mcb_lab_add_node(lab, lans[k].sw, MCB_LAB_SWITCH, lans[k].flags));
    ok(lab, mcb_lab_node_at(lab, mcb_lab_node_count(lab) - 1, &ni));
    assert_int_equal(ni.flags, lans[k].flags);
    ok(lab, mcb_lab_add_node(lab, lans[k].a, MCB_LAB_HOST, 0));
    ok(lab, mcb_lab_add_node(lab, lans[k].b, MCB_LAB_HOST, 0));
    ok(lab, mcb_lab_add_node(lab, lans[k].c, MCB_LAB_HOST, 0));
    ok(lab, mcb_lab_link(lab, lans[k].a, lans[k].sw, NULL));
    ok(lab, mcb_lab_link(lab, lans[k].b, lans[k].sw, NULL));
    ok(lab, mcb_lab_link(lab, lans[k].c, lans[k].sw, NULL));
    rx = receiver(&t, lab, lans[k].b, lans[k].group);
    snprintf(port_b, sizeof port_b, "%s-%s", lans[k].sw, lans[k].b);
    for (int i = 0; i < 300 && k == 0 && !has_group(lab, lans[k].sw, port_b, lans[k].group); i++)
      mcbt_run_for(&t.loop, 10); /* the report reaches the bridge: bounded wait */
    assert_int_equal(has_group(lab, lans[k].sw, port_b, lans[k].group), k == 0);
    tx = sender(&t, lab, lans[k].a);
    snprintf(to, sizeof to, "%s:5000", lans[k].group);
    ok(lab, mcb_lab_link_counters(lab, link, before, txc));
    for (int i = 0; i < 10; i++) assert_int_equal(mcbt_send_sync(&t, tx, "f", 1, to), 0);
    assert_int_equal(mcbt_wait_msgs(&t, rx, 10, 3000), 10);
    ok(lab, mcb_lab_link_counters(lab, link, after, txc));
    assert_true(after[0] - before[0] >= 10); /* flooded to the third host's port */
  }
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* 25% loss on a link, 400 datagrams: the count received is binomial (mean 300, sd 8.7);
 * the bounds are 6 sd wide, so a correct lab fails them about once in 10^8 runs. */
static void loss_on_a_link(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  mcb_lab_link_opts lossy = {.loss_ppm = 250000};
  mcb_lab_link_info li;
  size_t got;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  if (mcb_lab_link(lab, "h1", "h2", &lossy) == UV_ENOTSUP) { /* built without libnftables */
    fprintf(stderr, "SKIP: %s\n", mcb_lab_last_error(lab));
    mcb_lab_free(lab);
    mcbt_bench_done(&t);
    skip();
  }
  ok(lab, mcb_lab_link_at(lab, 0, &li));
  assert_int_equal(li.loss_ppm, 250000);
  rx = receiver(&t, lab, "h2", "239.1.1.3");
  tx = sender(&t, lab, "h1");
  for (int i = 0; i < 400; i++)
    assert_int_equal(mcbt_send_sync(&t, tx, "l", 1, "239.1.1.3:5000"), 0);
  mcbt_run_for(&t.loop, 500); /* bounded: long enough for every survivor to be read */
  {
    mcb_socket_info info;
    assert_int_equal(mcb_socket_info_get(rx, &info), 0);
    got = (size_t)info.counters.rx_msgs;
  }
  if (got < 248 || got > 352) fail_msg("%zu of 400 arrived through 25%% loss", got);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* IPv6 across one router: hop limit 5 arrives as 4 with the source kept, 1 does not
 * cross, a link-scope group cannot be routed (and nothing carries it across), and the
 * entry counts what it forwarded; the trace reads the IPv6 entry. Runs through MRT6 or,
 * without CONFIG_IPV6_MROUTE, through the lab's forwarder: both the same way. */
static void ipv6_hop_limit_across_a_router(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *local, *tx;
  mcb_lab_route_info ri;
  mcb_lab_hop hops[8];
  const char *to_h2[] = {"h2"};
  size_t n;
  char host[MCB_ADDRSTRLEN];
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "r1", MCB_LAB_ROUTER, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h1", "r1", NULL));
  ok(lab, mcb_lab_link(lab, "r1", "h2", NULL));
  ok(lab, mcb_lab_route(lab, "r1", "ff05::1:3", NULL, "h1", to_h2, 1));
  assert_int_equal(mcb_lab_route(lab, "r1", "ff02::1:3", NULL, "h1", to_h2, 1), UV_EINVAL);
  assert_non_null(strstr(mcb_lab_last_error(lab), "never forward"));
  assert_int_equal(mcb_lab_route(lab, "r1", "ff12::9", NULL, "h1", to_h2, 1), UV_EINVAL);
  assert_int_equal(mcb_lab_route(lab, "r1", "ff05::1:3", "10.0.1.1", "h1", to_h2, 1), UV_EINVAL);
  assert_int_equal(mcb_lab_route_count(lab), 1);

  ok(lab, mcb_lab_enter(lab, "h2"));
  rx = mcbt_open_bound(&t, MCB_UDP6, MCB_REUSE, NULL, 5000);
  assert_int_equal(mcb_join(rx, "ff05::1:3", "h2-r1", NULL, 0), 0);
  local = mcbt_open_bound(&t, MCB_UDP6, MCB_REUSE, NULL, 5001);
  assert_int_equal(mcb_join(local, "ff02::1:3", "h2-r1", NULL, 0), 0);
  ok(lab, mcb_lab_leave(lab));
  tx = sender6(&t, lab, "h1");

  assert_int_equal(mcb_set_multicast_ttl(tx, 5), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "hl5", 3, "[ff05::1:3]:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 3000), 1);
  assert_int_equal(t.msgs[0].ttl, 4); /* one router */
  mcb_addr_format_host(&t.msgs[0].src, host, sizeof host);
  assert_string_equal(host, "fd00:0:0:1::1"); /* h1's address on segment 1: kept */

  assert_int_equal(mcb_set_multicast_ttl(tx, 1), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "hl1", 3, "[ff05::1:3]:5000"), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 5), 0);
  ok(lab, mcb_lab_enter(lab, "h1")); /* the scope id names h1's interface */
  assert_int_equal(mcbt_send_sync(&t, tx, "ll", 2, "[ff02::1:3%h1-r1]:5001"), 0);
  ok(lab, mcb_lab_leave(lab));
  mcbt_run_for(&t.loop, 400); /* bounded wait for nothing */
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  assert_int_equal(mcbt_count_for(&t, local), 0);

  /* (S,G): only datagrams from the named source are forwarded. */
  ok(lab, mcb_lab_route(lab, "r1", "ff05::1:4", "fd00:0:0:1::1", "h1", to_h2, 1));
  ok(lab, mcb_lab_route(lab, "r1", "ff05::1:5", "fd00:0:0:1::9", "h1", to_h2, 1));
  ok(lab, mcb_lab_enter(lab, "h2"));
  assert_int_equal(mcb_join(rx, "ff05::1:4", "h2-r1", NULL, 0), 0);
  assert_int_equal(mcb_join(rx, "ff05::1:5", "h2-r1", NULL, 0), 0);
  ok(lab, mcb_lab_leave(lab));
  assert_int_equal(mcbt_send_sync(&t, tx, "other", 5, "[ff05::1:5]:5000"), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "sg", 2, "[ff05::1:4]:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 2, 3000), 2);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 2); /* ff05::1:5 wants another source */
  ok(lab, mcb_lab_route_at(lab, 2, &ri));
  assert_string_equal(ri.source, "fd00:0:0:1::9");
  assert_int_equal(ri.packets, 0);

  ok(lab, mcb_lab_route_at(lab, 0, &ri));
  assert_string_equal(ri.group, "ff05::1:3");
  assert_string_equal(ri.source, "*");
  assert_int_equal(ri.packets, 2); /* both matched; hop limit 1 went no further */
  assert_int_equal(ri.wrong_if, 0);
  ok(lab, mcb_lab_trace(lab, "ff05::1:3", "h1", "h2", hops, 8, &n));
  assert_int_equal(n, 3);
  assert_string_equal(hops[1].entry, "(*,ff05::1:3)");
  assert_int_equal(hops[1].threshold, 1);
  assert_string_equal(hops[2].node, "h2");
  ok(lab, mcb_lab_trace(lab, "ff02::1:3", "h1", "h2", hops, 8, &n));
  assert_int_equal(n, 2);
  assert_string_equal(hops[1].stop, "ff02::1:3 is link-scoped: routers never forward it");
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* An IPv6 join that names no interface lands on the host's first link, where its
 * multicast routes are (the kernel picks the first ff00::/8 route), not on a later one. */
static void ipv6_join_without_interface_uses_the_first_link(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "r1", MCB_LAB_ROUTER, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h1", "r1", NULL));
  ok(lab, mcb_lab_link(lab, "h2", "h1", NULL)); /* h1's second link */
  ok(lab, mcb_lab_enter(lab, "h1"));
  rx = mcbt_open_bound(&t, MCB_UDP6, MCB_REUSE, NULL, 5002);
  assert_int_equal(mcb_join(rx, "ff05::9", NULL, NULL, 0), 0);
  ok(lab, mcb_lab_leave(lab));
  assert_true(has_group(lab, "h1", "h1-r1", "ff05::9"));
  assert_false(has_group(lab, "h1", "h1-h2", "ff05::9"));
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* The trace walks the routers' entries and says where and why a path stops. */
static void trace_hop_by_hop(void **state)
{
  mcb_lab *lab;
  mcb_lab_hop hops[8];
  size_t n;
  (void)state;
  MCBT_NEED_NET();
  lab = two_routers();
  ok(lab, mcb_lab_add_node(lab, "h3", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "r2", "h3", NULL));
  ok(lab, mcb_lab_trace(lab, "239.1.1.1", "h1", "h2", hops, 8, &n));
  assert_int_equal(n, 4);
  assert_string_equal(hops[1].node, "r1");
  assert_true(hops[1].routed);
  assert_string_equal(hops[1].entry, "(*,239.1.1.1)");
  assert_string_equal(hops[1].next, "r2");
  assert_string_equal(hops[3].node, "h2");
  assert_string_equal(hops[3].stop, "");
  ok(lab, mcb_lab_trace(lab, "239.1.1.1", "h1", "h3", hops, 8, &n)); /* r2 sends to h2 only */
  assert_int_equal(n, 3);
  assert_string_equal(hops[2].stop, "no outgoing link leads to h3");
  ok(lab, mcb_lab_trace(lab, "239.9.9.9", "h1", "h2", hops, 8, &n));
  assert_int_equal(n, 2);
  assert_string_equal(hops[1].stop, "no route for 239.9.9.9");
  ok(lab, mcb_lab_trace(lab, "239.1.1.1", "h2", "h1", hops, 8, &n));
  assert_non_null(strstr(hops[1].stop, "wrong incoming interface"));
  assert_int_equal(mcb_lab_trace(lab, "239.1.1.1", "r1", "h1", hops, 8, &n), UV_EINVAL);
  mcb_lab_free(lab);
}

static bool same_ns(int fd)
{
  struct stat a, b;
  assert_int_equal(stat("/proc/thread-self/ns/net", &a), 0);
  assert_int_equal(fstat(fd, &b), 0);
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static void enter_and_leave(void **state)
{
  mcb_lab *lab;
  int home;
  (void)state;
  MCBT_NEED_NET();
  home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  assert_true(home >= 0);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "a", MCB_LAB_HOST, 0));
  assert_true(same_ns(home)); /* creating a node comes back home */
  ok(lab, mcb_lab_enter(lab, "a"));
  assert_true(same_ns(mcb_lab_node_fd(lab, "a")));
  assert_false(same_ns(home));
  ok(lab, mcb_lab_leave(lab));
  assert_true(same_ns(home));
  ok(lab, mcb_lab_enter(lab, "a"));
  mcb_lab_free(lab); /* leaves first */
  assert_true(same_ns(home));
  close(home);
}

static void bad_topologies(void **state)
{
  mcb_lab *lab;
  const char *to[] = {"h1"};
  (void)state;
  MCBT_NEED_NET();
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "r1", MCB_LAB_ROUTER, 0));
  assert_int_equal(mcb_lab_add_node(lab, "h1", MCB_LAB_ROUTER, 0), UV_EEXIST);
  assert_non_null(strstr(mcb_lab_last_error(lab), "h1"));
  assert_int_equal(mcb_lab_add_node(lab, "toolongname", MCB_LAB_HOST, 0), UV_EINVAL);
  assert_int_equal(mcb_lab_add_node(lab, "a-b", MCB_LAB_HOST, 0), UV_EINVAL);
  assert_int_equal(mcb_lab_link(lab, "h1", "h1", NULL), UV_EINVAL);
  assert_int_equal(mcb_lab_link(lab, "h1", "nope", NULL), UV_ENOENT);
  assert_non_null(strstr(mcb_lab_last_error(lab), "nope"));
  {
    mcb_lab_link_opts too_much = {.loss_ppm = 1000001};
    assert_int_equal(mcb_lab_link(lab, "h1", "r1", &too_much), UV_EINVAL);
  }
  ok(lab, mcb_lab_link(lab, "h1", "r1", NULL));
  assert_int_equal(mcb_lab_link(lab, "r1", "h1", NULL), UV_EEXIST);
  assert_int_equal(mcb_lab_route(lab, "h1", "239.1.1.1", NULL, "r1", to, 1), UV_EINVAL);
  assert_int_equal(mcb_lab_route(lab, "r1", "10.1.1.1", NULL, "h1", to, 1), UV_EINVAL);
  assert_int_equal(mcb_lab_route(lab, "r1", "239.1.1.1", NULL, "r2", to, 1), UV_ENOENT);
  assert_int_equal(mcb_lab_link_count(lab), 1);
  assert_int_equal(mcb_lab_route_count(lab), 0);
  mcb_lab_free(lab);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(enter_and_leave),
      cmocka_unit_test(bad_topologies),
      cmocka_unit_test(ttl_decrements_across_two_routers),
      cmocka_unit_test(threshold_on_a_link),
      cmocka_unit_test(switch_joins_two_hosts),
      cmocka_unit_test(snooping_switch_forwards_to_the_joined_port),
      cmocka_unit_test(switches_without_querier_or_snooping_flood),
      cmocka_unit_test(loss_on_a_link),
      cmocka_unit_test(trace_hop_by_hop),
      cmocka_unit_test(ipv6_hop_limit_across_a_router),
      cmocka_unit_test(ipv6_join_without_interface_uses_the_first_link),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
