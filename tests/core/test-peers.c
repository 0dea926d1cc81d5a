/* test-peers.c - the bounded per-peer table: counts, bytes, last TTL, a history ring
 * (newest first, payload capped), rates, least-recently-seen eviction at the cap (counted),
 * lookups, and reset. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

typedef struct small {
  uv_loop_t loop;
  mcb_bench *bench;
} small;

static mcb_socket *open_bound(mcb_bench *b, const char *host, int port)
{
  mcb_socket *s;
  assert_int_equal(mcb_open(b, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_bind(s, host, port), 0);
  return s;
}

static int port_of(mcb_socket *s)
{
  mcb_addr a;
  mcb_address(s, &a);
  return mcb_addr_port(&a);
}

static void run_until_count(uv_loop_t *loop, mcb_socket *s, uint64_t n)
{
  for (int i = 0; i < 400; i++) {
    mcb_socket_info info;
    mcb_socket_info_get(s, &info);
    if (info.counters.rx_msgs >= n) return;
    mcbt_run_for(loop, 5);
  }
  fail_msg("expected %llu datagrams", (unsigned long long)n);
}

static void counts_history_and_caps(void **state)
{
  small x;
  mcb_limits lim;
  mcb_peer_stats st;
  char to[64];
  MCBT_NEED_NET();
  uv_loop_init(&x.loop);
  mcb_limits_default(&lim);
  lim.history = 3;
  lim.payload_cap = 4;
  assert_int_equal(mcb_bench_new(&x.loop, &lim, &x.bench), 0);
  mcb_socket *rx = open_bound(x.bench, "127.0.0.1", 0);
  mcb_socket *tx = open_bound(x.bench, "127.0.0.1", 0);
  assert_int_equal(mcb_set_ttl(tx, 17), 0);
  snprintf(to, sizeof to, "127.0.0.1:%d", port_of(rx));
  const char *msgs[] = {"one", "two", "three", "four-long"};
  for (int i = 0; i < 4; i++)
    assert_int_equal(mcb_send(tx, msgs[i], strlen(msgs[i]), to, NULL, NULL), 0);
  run_until_count(&x.loop, rx, 4);
  assert_int_equal(mcb_peer_count(rx), 1);
  const mcb_peer *p = mcb_peer_next(rx, NULL);
  mcb_peer_stats_get(p, uv_hrtime(), &st);
  assert_int_equal(st.msgs, 4);
  assert_int_equal(st.bytes, 3 + 3 + 5 + 9);
  assert_int_equal(st.last_ttl, 17);
  assert_true(st.rate_msgs > 0);
  assert_true(st.first_seen_ns <= st.last_seen_ns);
  assert_int_equal(mcb_peer_history_len(p), 3); /* the ring holds the latest 3 */
  const mcb_record *r = mcb_peer_history(p, 0);
  assert_int_equal(r->seq, 4);
  assert_int_equal(r->wire_len, 9);
  assert_int_equal(r->len, 4); /* payload capped */
  assert_memory_equal(r->data, "four", 4);
  assert_memory_equal(mcb_peer_history(p, 2)->data, "two", 3);
  assert_null(mcb_peer_history(p, 3));
  /* found again by its addresses */
  mcb_peer_stats_get(p, uv_hrtime(), &st);
  assert_ptr_equal(mcb_peer_find(rx, &st.src, &st.dst), p);
  assert_int_equal(mcb_socket_reset(rx), 0);
  assert_int_equal(mcb_peer_count(rx), 0);
  mcb_socket_info info;
  mcb_socket_info_get(rx, &info);
  assert_int_equal(info.counters.rx_msgs, 0);
  mcb_bench_close(x.bench, NULL, NULL);
  mcbt_loop_close(&x.loop);
}

static void eviction_keeps_the_table_bounded(void **state)
{
  small x;
  mcb_limits lim;
  mcb_socket *tx[10];
  char to[64];
  MCBT_NEED_NET();
  uv_loop_init(&x.loop);
  mcb_limits_default(&lim);
  lim.max_peers = 4;
  assert_int_equal(mcb_bench_new(&x.loop, &lim, &x.bench), 0);
  mcb_socket *rx = open_bound(x.bench, "127.0.0.1", 0);
  snprintf(to, sizeof to, "127.0.0.1:%d", port_of(rx));
  for (int i = 0; i < 10; i++) {
    tx[i] = open_bound(x.bench, "127.0.0.1", 0);
    assert_int_equal(mcb_send(tx[i], "x", 1, to, NULL, NULL), 0);
    run_until_count(&x.loop, rx, (uint64_t)i + 1); /* one at a time: a known order */
  }
  mcb_socket_info info;
  mcb_socket_info_get(rx, &info);
  assert_int_equal(info.counters.rx_msgs, 10); /* counted even when not tracked */
  assert_int_equal(info.peers, 4);
  assert_int_equal(info.counters.peers_evicted, 6);
  /* the survivors are the four most recently seen, newest first */
  int i = 9;
  for (const mcb_peer *p = mcb_peer_next(rx, NULL); p; p = mcb_peer_next(rx, p), i--) {
    mcb_peer_stats st;
    mcb_peer_stats_get(p, uv_hrtime(), &st);
    assert_int_equal(mcb_addr_port(&st.src), port_of(tx[i]));
    assert_int_equal(st.msgs, 1);
  }
  assert_int_equal(i, 5);
  /* a datagram from an evicted source makes a fresh entry with a new id */
  assert_int_equal(mcb_send(tx[0], "y", 1, to, NULL, NULL), 0);
  run_until_count(&x.loop, rx, 11);
  mcb_peer_stats st;
  mcb_peer_stats_get(mcb_peer_next(rx, NULL), uv_hrtime(), &st);
  assert_int_equal(mcb_addr_port(&st.src), port_of(tx[0]));
  assert_int_equal(st.msgs, 1);
  assert_int_equal(st.id, 11);
  mcb_bench_close(x.bench, NULL, NULL);
  mcbt_loop_close(&x.loop);
}

/* Runs from one sender take the most-recent-peer shortcut, interleaved senders the
 * hashed lookup: both must land on the same entries, for IPv4 and IPv6 alike. */
static void runs_and_interleaving_count_alike(void **state)
{
  static const char *const hosts[] = {"127.0.0.1", "::1"};
  MCBT_NEED_NET();
  for (int fam = 0; fam < 2; fam++) {
    small x;
    mcb_socket *rx, *a, *b;
    char to[64];
    uv_loop_init(&x.loop);
    assert_int_equal(mcb_bench_new(&x.loop, NULL, &x.bench), 0);
    assert_int_equal(mcb_open(x.bench, fam ? MCB_UDP6 : MCB_UDP4, 0, &rx), 0);
    assert_int_equal(mcb_bind(rx, hosts[fam], 0), 0);
    assert_int_equal(mcb_open(x.bench, fam ? MCB_UDP6 : MCB_UDP4, 0, &a), 0);
    assert_int_equal(mcb_open(x.bench, fam ? MCB_UDP6 : MCB_UDP4, 0, &b), 0);
    snprintf(to, sizeof to, fam ? "[::1]:%d" : "127.0.0.1:%d", port_of(rx));
    /* a a a b a b b a: three runs and four switches */
    const char *order = "aaababba";
    for (const char *o = order; *o; o++)
      assert_int_equal(mcb_send(*o == 'a' ? a : b, "z", 1, to, NULL, NULL), 0);
    run_until_count(&x.loop, rx, strlen(order));
    assert_int_equal(mcb_peer_count(rx), 2);
    uint64_t total = 0;
    for (const mcb_peer *p = mcb_peer_next(rx, NULL); p; p = mcb_peer_next(rx, p)) {
      mcb_peer_stats st;
      mcb_peer_stats_get(p, uv_hrtime(), &st);
      assert_int_equal(st.msgs, mcb_addr_port(&st.src) == port_of(a) ? 5 : 3);
      assert_ptr_equal(mcb_peer_find(rx, &st.src, &st.dst), p);
      assert_int_equal(mcb_peer_history(p, 0)->seq, st.msgs);
      total += st.msgs;
    }
    assert_int_equal(total, strlen(order));
    mcb_bench_close(x.bench, NULL, NULL);
    mcbt_loop_close(&x.loop);
  }
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(counts_history_and_caps),
      cmocka_unit_test(eviction_keeps_the_table_bounded),
      cmocka_unit_test(runs_and_interleaving_count_alike),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
