/* test-privatelab.c - `--private` as a two-host lab (mcb_private_lab): this process is
 * host local (mcb0), linked to host peer (mcb1), multicast routed through the link.
 * What the old one-namespace layout could not show: loopback off stops a socket's own
 * copies without naming an interface, a broadcast arrives once per host, and a lab
 * made later adopts local and peer and grows from them. */
#include "testlib.h"

#include <string.h>
#include <unistd.h>

static mcb_socket *open_in(mcbt_bench *t, mcb_lab *lab, const char *node, const char *group,
                           int port)
{
  mcb_socket *s;
  if (node) assert_int_equal(mcb_lab_enter(lab, node), 0);
  s = mcbt_open_bound(t, MCB_UDP4, MCB_REUSE, NULL, port);
  if (group) assert_int_equal(mcb_join(s, group, NULL, NULL, 0), 0);
  if (node) assert_int_equal(mcb_lab_leave(lab), 0);
  return s;
}

static mcb_lab *adopted(void)
{
  mcb_lab *lab;
  mcb_lab_link_info li;
  assert_int_equal(mcb_lab_new(&lab), 0);
  assert_int_equal(mcb_lab_adopt_private(lab), 0);
  assert_int_equal(mcb_lab_node_count(lab), 2);
  assert_int_equal(mcb_lab_link_count(lab), 1);
  assert_int_equal(mcb_lab_link_at(lab, 0, &li), 0);
  assert_string_equal(li.ifname_a, MCB_LAB_IF0);
  assert_string_equal(li.addr_b, MCB_LAB_ADDR1);
  assert_string_equal(li.addr6_a, MCB_LAB_ADDR6_0);
  assert_int_equal(li.segment, 99);
  return lab;
}

static void loopback_off_stops_own_copies(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *far, *tx;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  lab = adopted();
  rx = open_in(&t, lab, NULL, "239.1.1.1", 5000); /* local: the process's own namespace */
  far = open_in(&t, lab, MCB_LAB_PEER, "239.1.1.1", 5000);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "on", 2, "239.1.1.1:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, far, 1, 2000), 1);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(mcb_set_multicast_loopback(tx, false), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "off", 3, "239.1.1.1:5000"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, far, 2, 2000), 2);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1); /* no own copy, no interface named */
  {
    char host[MCB_ADDRSTRLEN]; /* the source is the interface it left by */
    mcb_addr_format_host(&t.msgs[t.nmsgs - 1].src, host, sizeof host);
    assert_string_equal(host, MCB_LAB_ADDR0);
  }
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

static void broadcast_once_per_host(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *far, *tx;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  lab = adopted();
  rx = open_in(&t, lab, NULL, NULL, 5003);
  far = open_in(&t, lab, MCB_LAB_PEER, NULL, 5003);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_set_broadcast(tx, true), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "b", 1, MCB_LAB_BCAST ":5003"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, far, 1, 2000), 1);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  mcbt_run_for(&t.loop, 200);
  assert_int_equal(mcbt_count_for(&t, rx), 1);
  assert_int_equal(mcbt_count_for(&t, far), 1);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* peer - r1 - h1: the adopted hosts link to new nodes; freeing the lab leaves them. */
static void a_lab_grows_from_peer(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  const char *to[] = {"h1"};
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  lab = adopted();
  assert_int_equal(mcb_lab_add_node(lab, "r1", MCB_LAB_ROUTER, 0), 0);
  assert_int_equal(mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0), 0);
  assert_int_equal(mcb_lab_add_node(lab, "x", MCB_LAB_ROUTER, MCB_LAB_HERE), UV_EPERM);
  assert_int_equal(mcb_lab_link(lab, MCB_LAB_PEER, "r1", NULL), 0);
  assert_int_equal(mcb_lab_link(lab, "r1", "h1", NULL), 0);
  assert_int_equal(mcb_lab_route(lab, "r1", "239.1.1.9", NULL, MCB_LAB_PEER, to, 1), 0);
  rx = open_in(&t, lab, "h1", "239.1.1.9", 5009);
  assert_int_equal(mcb_lab_enter(lab, MCB_LAB_PEER), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  /* peer's first link is the default one: name the way to r1 */
  assert_int_equal(mcb_set_multicast_interface(tx, "peer-r1"), 0);
  assert_int_equal(mcb_lab_leave(lab), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 2), 0);
  assert_int_equal(mcbt_send_sync(&t, tx, "via r1", 6, "239.1.1.9:5009"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 3000), 1);
  assert_int_equal(t.msgs[0].ttl, 1);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
  lab = adopted(); /* r1 and h1 went with the lab; local and peer stay */
  assert_int_equal(mcb_lab_enter(lab, MCB_LAB_PEER), 0);
  /* The kernel dismantles a namespace from deferred work: wait, bounded. */
  for (int i = 0; i < 300 && if_nametoindex("peer-r1") != 0; i++) usleep(10000);
  assert_int_equal(if_nametoindex("peer-r1"), 0);
  assert_true(if_nametoindex(MCB_LAB_IF1) > 0);
  assert_int_equal(mcb_lab_leave(lab), 0);
  mcb_lab_free(lab);
}

int main(void)
{
  mcbt_private_lab();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(loopback_off_stops_own_copies),
      cmocka_unit_test(broadcast_once_per_host),
      cmocka_unit_test(a_lab_grows_from_peer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
