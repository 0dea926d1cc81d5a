/* test-labcapture.c - a lab link's capture and impairments in the core: link ends named
 * as `lab show` names them; a capture writes a whole pcapng file of exactly the packets
 * it took, stops at its cap and says so, and stops at the first failed write with its
 * code; a duplicating link delivers a binomial share twice. Inside the test's own
 * private namespace, as root or unprivileged. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

static void ok(mcb_lab *lab, int rc)
{
  if (rc != 0) fail_msg("%s", mcb_lab_last_error(lab));
}

static mcb_lab *two_hosts(const mcb_lab_link_opts *opts)
{
  mcb_lab *lab;
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_link(lab, "h1", "h2", opts));
  return lab;
}

static mcb_socket *open_in(mcbt_bench *t, mcb_lab *lab, const char *node, const char *group)
{
  mcb_socket *s;
  ok(lab, mcb_lab_enter(lab, node));
  if (group != NULL) {
    s = mcbt_open_bound(t, MCB_UDP4, MCB_REUSE, NULL, 5000);
    assert_int_equal(mcb_join(s, group, NULL, NULL, 0), 0);
  } else {
    assert_int_equal(mcb_open(t->bench, MCB_UDP4, 0, &s), 0);
  }
  ok(lab, mcb_lab_leave(lab));
  return s;
}

/* A sink in memory that fails with `fail_with` once `room` is used up. */
typedef struct sink {
  uint8_t buf[1 << 16];
  size_t len, room;
  int fail_with;
  bool halted;
  int status;
} sink;

static int sink_write(const void *data, size_t len, void *arg)
{
  sink *k = arg;
  if (k->len + len > k->room) return k->fail_with;
  memcpy(k->buf + k->len, data, len);
  k->len += len;
  return 0;
}

static void on_halt(mcb_capture *c, int status, void *arg)
{
  sink *k = arg;
  (void)c;
  k->halted = true;
  k->status = status;
}

static bool halted(void *arg)
{
  return ((sink *)arg)->halted;
}

/* The block types of a pcapng file, walking it by the blocks' lengths. */
static size_t block_types(const sink *k, uint32_t *types, size_t max)
{
  size_t n = 0, at = 0;
  while (at + 12 <= k->len && n < max) {
    uint32_t len, tail;
    memcpy(&types[n++], k->buf + at, 4);
    memcpy(&len, k->buf + at + 4, 4);
    assert_true(len >= 12 && len % 4 == 0 && at + len <= k->len);
    memcpy(&tail, k->buf + at + len - 4, 4);
    assert_int_equal(tail, len);
    at += len;
  }
  assert_int_equal(at, k->len);
  return n;
}

static void link_ends_by_name(void **state)
{
  char node[MCB_LAB_NAME_MAX], ifname[IF_NAMESIZE];
  mcb_lab *lab;
  (void)state;
  MCBT_NEED_NET();
  lab = two_hosts(NULL);
  ok(lab, mcb_lab_link_end(lab, "h1-h2", NULL, node, ifname));
  assert_string_equal(node, "h1");
  assert_string_equal(ifname, "h1-h2");
  ok(lab, mcb_lab_link_end(lab, "h2", "h1", node, ifname));
  assert_string_equal(node, "h2");
  assert_string_equal(ifname, "h2-h1");
  assert_int_equal(mcb_lab_link_end(lab, "h1", "h3", node, ifname), UV_ENOENT);
  assert_int_equal(mcb_lab_link_end(lab, "h3-h1", NULL, node, ifname), UV_ENOENT);
  mcb_lab_free(lab);
}

/* count 3 of 10 datagrams: a whole file of 3 packets, and the capture says it is full. */
static void capture_stops_at_its_cap(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *tx;
  mcb_capture *cap;
  mcb_capture_stats st;
  static sink k = {.room = sizeof k.buf};
  uint32_t types[16];
  mcb_capture_opts o = {.max_packets = 3, .write = sink_write, .on_halt = on_halt, .arg = &k};
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  lab = two_hosts(NULL);
  tx = open_in(&t, lab, "h1", NULL);
  ok(lab, mcb_lab_capture(lab, &t.loop, "h1", "h1-h2", &o, &cap));
  for (int i = 0; i < 10; i++)
    assert_int_equal(mcbt_send_sync(&t, tx, "cap", 3, "239.1.1.9:5000"), 0);
  assert_true(mcbt_run_until(&t.loop, halted, &k, 3000));
  assert_int_equal(k.status, 0);
  assert_int_equal(mcb_capture_stop(cap, &st), 0);
  assert_true(st.capped);
  assert_int_equal(st.packets, 3);
  assert_int_equal(st.bytes, k.len);
  assert_int_equal(block_types(&k, types, 16), 6); /* SHB, IDB, 3 EPB, ISB */
  assert_int_equal(types[0], 0x0A0D0D0A);
  assert_int_equal(types[1], 1);
  for (int i = 2; i < 5; i++) assert_int_equal(types[i], 6);
  assert_int_equal(types[5], 5);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* The disk fills after the header: the capture halts with that code and stop says it. */
static void capture_stops_at_a_failed_write(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *tx;
  mcb_capture *cap;
  static sink k = {.room = 200, .fail_with = UV_ENOSPC};
  mcb_capture_opts o = {.write = sink_write, .on_halt = on_halt, .arg = &k};
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  lab = two_hosts(NULL);
  tx = open_in(&t, lab, "h1", NULL);
  ok(lab, mcb_lab_capture(lab, &t.loop, "h1", "h1-h2", &o, &cap));
  assert_true(k.len > 0 && k.len <= 200); /* the header went out at once */
  assert_int_equal(mcbt_send_sync(&t, tx, "full", 4, "239.1.1.9:5000"), 0);
  assert_true(mcbt_run_until(&t.loop, halted, &k, 3000));
  assert_int_equal(k.status, UV_ENOSPC);
  assert_int_equal(mcb_capture_stop(cap, NULL), UV_ENOSPC);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* 50% duplication: 400 datagrams arrive as 400 plus a binomial count (mean 200,
 * standard deviation 10); 150 to 250 misses less than once in a million runs. A copy
 * copied again (the kernel passes it through the egress hook once more) would make it
 * about 350. */
static void dup_on_a_link(void **state)
{
  mcbt_bench t;
  mcb_lab *lab;
  mcb_socket *rx, *tx;
  mcb_lab_link_opts dupe = {.dup_ppm = 500000, .rate_bps = 100000000};
  mcb_lab_link_info li;
  mcb_socket_info info;
  size_t got;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  if (mcb_lab_link(lab, "h1", "h2", &dupe) == UV_ENOTSUP) { /* built without libnftables */
    fprintf(stderr, "SKIP: %s\n", mcb_lab_last_error(lab));
    mcb_lab_free(lab);
    mcbt_bench_done(&t);
    skip();
  }
  ok(lab, mcb_lab_link_at(lab, 0, &li));
  assert_int_equal(li.dup_ppm, 500000);
  assert_true(li.rate_bps == 100000000);
  rx = open_in(&t, lab, "h2", "239.1.1.3");
  tx = open_in(&t, lab, "h1", NULL);
  for (int i = 0; i < 400; i++)
    assert_int_equal(mcbt_send_sync(&t, tx, "d", 1, "239.1.1.3:5000"), 0);
  mcbt_run_for(&t.loop, 500); /* bounded: long enough for every copy to be read */
  assert_int_equal(mcb_socket_info_get(rx, &info), 0);
  got = (size_t)info.counters.rx_msgs;
  if (got < 550 || got > 650) fail_msg("%zu arrived of 400 through 50%% duplication", got);
  mcbt_bench_done(&t);
  mcb_lab_free(lab);
}

/* delay needs netem: without it the link fails with ENOTSUP naming sch_netem and leaves
 * nothing (the same link then works); with it, the link carries the delay. */
static void delay_needs_netem(void **state)
{
  mcb_lab *lab;
  mcb_lab_link_opts slow = {.delay_ns = 10000000}, bad = {.jitter_ns = 1000000};
  int rc;
  (void)state;
  MCBT_NEED_NET();
  assert_int_equal(mcb_lab_new(&lab), 0);
  ok(lab, mcb_lab_add_node(lab, "h1", MCB_LAB_HOST, 0));
  ok(lab, mcb_lab_add_node(lab, "h2", MCB_LAB_HOST, 0));
  assert_int_equal(mcb_lab_link(lab, "h1", "h2", &bad), UV_EINVAL); /* jitter without delay */
  rc = mcb_lab_link(lab, "h1", "h2", &slow);
  if (rc != 0) {
    assert_int_equal(rc, UV_ENOTSUP);
    assert_non_null(strstr(mcb_lab_last_error(lab), "delay 10ms needs the kernel's sch_netem"));
    assert_int_equal(mcb_lab_link_count(lab), 0);
    ok(lab, mcb_lab_link(lab, "h1", "h2", NULL));
  }
  assert_int_equal(mcb_lab_link_count(lab), 1);
  mcb_lab_free(lab);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(link_ends_by_name),
      cmocka_unit_test(capture_stops_at_its_cap),
      cmocka_unit_test(capture_stops_at_a_failed_write),
      cmocka_unit_test(dup_on_a_link),
      cmocka_unit_test(delay_needs_netem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
