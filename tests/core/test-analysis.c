/* test-analysis.c - the receive path's per-peer analysis, over loopback in the test's own
 * namespace: hand-made probe sequences with gaps, duplicates and reordering give exact
 * counts; several streams of one peer are kept apart; malformed probes count invalid;
 * echo replies go to the round trip; plain payloads allocate nothing; a burst into a
 * small receive buffer is received plus kernel-dropped, exactly; drops with no datagram
 * after them show through the socket's timer. */
#include "testlib.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t realtime(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A plain kernel socket sending to 127.0.0.1:port: no core in the way. */
static int raw_sender(void)
{
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  assert_true(fd >= 0);
  return fd;
}

static void send_to(int fd, int port, const void *buf, size_t len)
{
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  assert_int_equal(sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof to), (ssize_t)len);
}

static void send_probe(int fd, int port, uint16_t stream, uint32_t nonce, uint64_t seq,
                       uint8_t flags, int64_t send_ns)
{
  uint8_t buf[64];
  mcb_probe p = {.flags = flags,
                 .stream = stream,
                 .sender = 7,
                 .nonce = nonce,
                 .seq = seq,
                 .send_ns = (uint64_t)send_ns};
  assert_int_equal(mcb_probe_encode(&p, buf, sizeof buf, 48), 48);
  send_to(fd, port, buf, 48);
}

static const mcb_peer *only_peer(mcbt_bench *t, mcb_socket *rx, size_t n)
{
  assert_int_equal(mcbt_wait_msgs(t, rx, n, 3000), n);
  assert_int_equal(mcb_peer_count(rx), 1);
  return mcb_peer_next(rx, NULL);
}

static void probe_sequence_counts(void **state)
{
  mcbt_bench t;
  mcb_peer_analysis a;
  /* 0 1 3 2 2 5 9 4: 3 before 2 and 4 after 5 are reordered, 2 is a duplicate, 6 7 8
   * are lost (expected 0..9 = 10, lost 3). */
  static const uint64_t seqs[] = {0, 1, 3, 2, 2, 5, 9, 4};
  const size_t n = sizeof seqs / sizeof seqs[0];
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  int fd = raw_sender(), port = mcbt_port(rx);
  int64_t now = realtime();
  for (size_t i = 0; i < n; i++) send_probe(fd, port, 1, 0xabc, seqs[i], 0, now);
  const mcb_peer *p = only_peer(&t, rx, n);
  mcb_peer_analysis_get(p, uv_hrtime(), &a);
  assert_int_equal(a.kind, MCB_PAYLOAD_PROBE);
  assert_true(a.sequenced);
  assert_int_equal(a.streams, 1);
  assert_int_equal(a.received, 8);
  assert_int_equal(a.expected, 10);
  assert_int_equal(a.lost, 3);
  assert_int_equal(a.duplicates, 1);
  assert_int_equal(a.reordered, 2);
  assert_int_equal(a.late, 0);
  assert_int_equal(a.runs, 1);
  assert_int_equal(a.invalid, 0);
  assert_true(a.loss_pct > 29.99 && a.loss_pct < 30.01);
  /* every datagram carried a send time taken before it was sent */
  assert_int_equal(a.delay_count, 8);
  assert_true(a.delay_min_ns >= 0 && a.delay_max_ns >= a.delay_min_ns);
  assert_true(a.delay_p99_ns >= a.delay_min_ns && a.delay_p99_ns <= a.delay_max_ns);
  assert_non_null(mcb_peer_delay(p));
  assert_int_equal(a.rtt_count, 0);
  /* the per-second ring counted them all */
  uint64_t msgs = 0, bytes = 0;
  for (unsigned ago = 0; ago < 3; ago++) {
    uint64_t m, b;
    mcb_persec_get(mcb_peer_persec(p), uv_hrtime(), ago, &m, &b);
    msgs += m;
    bytes += b;
  }
  assert_int_equal(msgs, n);
  assert_int_equal(bytes, n * 48);
  close(fd);
  mcbt_bench_done(&t);
}

static void streams_restarts_invalid_and_echo(void **state)
{
  mcbt_bench t;
  mcb_peer_analysis a;
  uint8_t bad[40];
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  int fd = raw_sender(), port = mcbt_port(rx);
  int64_t now = realtime();
  /* stream 1: 0 1 2, then the sender restarts (new nonce) at 0 1 */
  for (uint64_t s = 0; s < 3; s++) send_probe(fd, port, 1, 11, s, 0, now);
  for (uint64_t s = 0; s < 2; s++) send_probe(fd, port, 1, 12, s, 0, now);
  /* stream 2, interleaved: 0 2 (1 lost) */
  send_probe(fd, port, 2, 21, 0, 0, now);
  send_probe(fd, port, 2, 21, 2, 0, now);
  /* an echo reply of stream 1's probe: the round trip, never the one-way delay */
  send_probe(fd, port, 1, 11, 0, MCB_PROBE_ECHO, now - 1000000);
  /* a probe with a reserved flag, and one cut before its header ends: invalid */
  mcb_probe pr = {.seq = 5};
  assert_int_equal(mcb_probe_encode(&pr, bad, sizeof bad, sizeof bad), (int)sizeof bad);
  bad[5] = 0x80;
  send_to(fd, port, bad, sizeof bad);
  send_to(fd, port, bad, 20);
  const mcb_peer *p = only_peer(&t, rx, 10);
  mcb_peer_analysis_get(p, uv_hrtime(), &a);
  assert_int_equal(a.streams, 3); /* stream 1, stream 2, stream 1's echoes */
  assert_int_equal(a.received, 3 + 2 + 2 + 1);
  assert_int_equal(a.expected, 3 + 2 + 3 + 1);
  assert_int_equal(a.lost, 1);
  assert_int_equal(a.duplicates, 0);
  assert_int_equal(a.runs, 2 + 1 + 1);
  assert_int_equal(a.invalid, 2);
  assert_int_equal(a.delay_count, 7);
  assert_int_equal(a.rtt_count, 1);
  assert_true(a.rtt_min_ns >= 1000000);
  /* the streams, most recently seen first: the echo stream had the last valid probe */
  assert_int_equal(mcb_peer_stream_count(p), 3);
  const mcb_stream_stats *s0 = mcb_peer_stream(p, 0);
  assert_true(s0->echo);
  bool saw2 = false;
  for (size_t i = 0; i < 3; i++) {
    const mcb_stream_stats *s = mcb_peer_stream(p, i);
    if (s->stream == 2 && !s->echo) {
      saw2 = true;
      assert_int_equal(s->seq.lost, 1);
      assert_int_equal(s->seq.received, 2);
    }
  }
  assert_true(saw2);
  assert_null(mcb_peer_stream(p, 3));
  close(fd);
  mcbt_bench_done(&t);
}

/* More streams than slots: the oldest gives its slot away, its counts stay in the totals. */
static void stream_slots_are_bounded(void **state)
{
  mcbt_bench t;
  mcb_peer_analysis a;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  int fd = raw_sender(), port = mcbt_port(rx);
  const uint16_t nstreams = MCB_PEER_STREAMS + 2;
  for (uint16_t st = 0; st < nstreams; st++)
    for (uint64_t s = 0; s < 4; s += 2) send_probe(fd, port, st, 1, s, 0, realtime());
  const mcb_peer *p = only_peer(&t, rx, 2u * nstreams);
  mcb_peer_analysis_get(p, uv_hrtime(), &a);
  assert_int_equal(a.streams, MCB_PEER_STREAMS);
  assert_int_equal(a.streams_evicted, 2);
  assert_int_equal(a.received, 2u * nstreams);
  assert_int_equal(a.lost, nstreams); /* each skipped sequence 1 */
  assert_int_equal(a.expected, 3u * nstreams);
  close(fd);
  mcbt_bench_done(&t);
}

/* iperf 2's header and mcjoin's text are recognised; plain text allocates nothing. */
static void peer_payloads_and_plain(void **state)
{
  mcbt_bench t;
  mcb_peer_analysis a;
  uint8_t ip[64] = {0};
  char mj[80];
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  int port = mcbt_port(rx);
  int plain = raw_sender(), iperf = raw_sender(), mcjoin = raw_sender();
  send_to(plain, port, "hello, this is not a probe at all", 33);
  send_to(plain, port, "short", 5);
  int64_t now = realtime();
  uint32_t ids[] = {1, 2, 4};
  for (size_t i = 0; i < 3; i++) {
    uint32_t v[3] = {htonl(ids[i]), htonl((uint32_t)(now / 1000000000)),
                     htonl((uint32_t)(now / 1000 % 1000000))};
    memcpy(ip, v, sizeof v);
    send_to(iperf, port, ip, sizeof ip);
  }
  for (int c = 0; c < 3; c++) {
    int len = snprintf(mj, sizeof mj, "Sender PID 4242, MC group 239.1.1.1 ... count: %d, freq: 1",
                       c == 2 ? 1 : c);
    send_to(mcjoin, port, mj, (size_t)len + 1);
  }
  assert_int_equal(mcbt_wait_msgs(&t, rx, 8, 3000), 8);
  assert_int_equal(mcb_peer_count(rx), 3);
  for (const mcb_peer *p = mcb_peer_next(rx, NULL); p; p = mcb_peer_next(rx, p)) {
    mcb_peer_stats st;
    mcb_peer_stats_get(p, uv_hrtime(), &st);
    mcb_peer_analysis_get(p, uv_hrtime(), &a);
    if (st.msgs == 2) { /* plain */
      assert_int_equal(a.kind, MCB_PAYLOAD_PLAIN);
      assert_false(a.sequenced);
      assert_int_equal(mcb_peer_stream_count(p), 0);
      assert_null(mcb_peer_delay(p));
    } else if (a.kind == MCB_PAYLOAD_IPERF2) {
      assert_int_equal(a.received, 3);
      assert_int_equal(a.expected, 4);
      assert_int_equal(a.lost, 1);
      assert_int_equal(a.delay_count, 3);
    } else {
      assert_int_equal(a.kind, MCB_PAYLOAD_MCJOIN);
      assert_int_equal(a.received, 3);
      assert_int_equal(a.duplicates, 1);
      assert_int_equal(a.lost, 0);
      assert_int_equal(a.delay_count, 0);
    }
  }
  close(plain);
  close(iperf);
  close(mcjoin);
  mcbt_bench_done(&t);
}

/* At the peer table's cap a recycled slot keeps its analysis memory but none of the old
 * peer's figures. */
static void recycled_peers_start_afresh(void **state)
{
  uv_loop_t loop;
  mcb_bench *bench;
  mcb_limits lim;
  mcb_socket *rx;
  mcb_addr a;
  mcb_peer_analysis an;
  (void)state;
  MCBT_NEED_NET();
  uv_loop_init(&loop);
  mcb_limits_default(&lim);
  lim.max_peers = 1;
  assert_int_equal(mcb_bench_new(&loop, &lim, &bench), 0);
  assert_int_equal(mcb_open(bench, MCB_UDP4, 0, &rx), 0);
  assert_int_equal(mcb_bind(rx, "127.0.0.1", 0), 0);
  mcb_address(rx, &a);
  int port = mcb_addr_port(&a), one = raw_sender(), two = raw_sender();
  for (uint64_t s = 0; s < 5; s += 2) send_probe(one, port, 1, 1, s, MCB_PROBE_ECHO, realtime());
  send_probe(two, port, 1, 2, 7, 0, realtime());
  for (int i = 0; i < 100; i++) {
    mcb_socket_info info;
    mcb_socket_info_get(rx, &info);
    if (info.counters.rx_msgs == 4) break;
    mcbt_run_for(&loop, 10);
  }
  assert_int_equal(mcb_peer_count(rx), 1);
  mcb_peer_analysis_get(mcb_peer_next(rx, NULL), uv_hrtime(), &an);
  assert_int_equal(an.received, 1);
  assert_int_equal(an.expected, 1);
  assert_int_equal(an.lost, 0);
  assert_int_equal(an.rtt_count, 0); /* the first peer's round trips are gone */
  assert_int_equal(an.delay_count, 1);
  close(one);
  close(two);
  mcb_bench_close(bench, NULL, NULL);
  mcbt_loop_close(&loop);
}

/* What an observer saw of a socket's kernel drops, and when. */
typedef struct drops_seen {
  mcb_socket *sock;
  size_t messages, changed;
  uint64_t at_first_msg, at_changed;
} drops_seen;

static void watch_drops(const mcb_event *ev, void *arg)
{
  drops_seen *d = arg;
  mcb_socket_info info;
  if (ev->sock != d->sock || (ev->type != MCB_EV_MESSAGE && ev->type != MCB_EV_CHANGED)) return;
  mcb_socket_info_get(d->sock, &info);
  if (ev->type == MCB_EV_MESSAGE && d->messages++ == 0)
    d->at_first_msg = info.counters.rx_kernel_drops;
  if (ev->type == MCB_EV_CHANGED) {
    d->changed++;
    d->at_changed = info.counters.rx_kernel_drops;
  }
}

static bool drops_changed(void *arg)
{
  return ((drops_seen *)arg)->changed > 0;
}

/* A burst into a small receive buffer, with the loop not reading: the count is read after
 * the first read batch, before its datagrams are told (so its observers already see every
 * drop); what the socket reads plus what the kernel dropped is what was sent, exactly. */
static void kernel_drops_add_up(void **state)
{
  mcbt_bench t;
  mcb_socket_info info;
  drops_seen seen = {0};
  const int sent = 2000;
  char buf[200] = {0};
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  assert_int_equal(mcb_set_rcvbuf(rx, 4096), 0);
  seen.sock = rx;
  assert_int_equal(mcb_observe(t.bench, watch_drops, &seen), 0);
  int fd = raw_sender(), port = mcbt_port(rx);
  for (int i = 0; i < sent; i++) send_to(fd, port, buf, sizeof buf);
  mcbt_run_for(&t.loop, 200); /* drains what was queued */
  mcb_socket_info_get(rx, &info);
  assert_true(info.counters.rx_kernel_drops > 0);
  assert_int_equal(seen.at_first_msg, info.counters.rx_kernel_drops);
  assert_int_equal(info.counters.rx_msgs + info.counters.rx_kernel_drops, (uint64_t)sent);
  /* reset zeroes it; closing keeps the last value readable */
  assert_int_equal(mcb_socket_reset(rx), 0);
  mcb_socket_info_get(rx, &info);
  assert_int_equal(info.counters.rx_kernel_drops, 0);
  close(fd);
  mcbt_bench_done(&t);
}

/* Drops with no datagram after them: a socket filter that refuses everything makes the
 * kernel drop each datagram without ever waking the reader. The socket's timer reads the
 * count and says it changed (MCB_EV_CHANGED), with nobody asking: without that read the
 * count would stay 0 and no event would come. Closing keeps the figure. */
static void kernel_drops_without_traffic(void **state)
{
  mcbt_bench t;
  mcb_socket_info info;
  drops_seen seen = {0};
  struct sock_filter refuse = BPF_STMT(BPF_RET | BPF_K, 0);
  struct sock_fprog prog = {.len = 1, .filter = &refuse};
  char buf[100] = {0};
  int rxfd;
  (void)state;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  seen.sock = rx;
  assert_int_equal(mcb_observe(t.bench, watch_drops, &seen), 0);
  assert_int_equal(mcb_fileno(rx, &rxfd), 0);
  assert_int_equal(setsockopt(rxfd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog), 0);
  int fd = raw_sender(), port = mcbt_port(rx);
  for (int i = 0; i < 5; i++) send_to(fd, port, buf, sizeof buf);
  assert_true(mcbt_run_until(&t.loop, drops_changed, &seen, 3000 /* the tick is 1 s */));
  assert_int_equal(seen.messages, 0);
  assert_int_equal(seen.at_changed, 5);
  assert_int_equal(mcb_close(rx), 0);
  mcb_socket_info_get(rx, &info);
  assert_int_equal(info.counters.rx_kernel_drops, 5);
  close(fd);
  mcbt_bench_done(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(probe_sequence_counts),
      cmocka_unit_test(streams_restarts_invalid_and_echo),
      cmocka_unit_test(stream_slots_are_bounded),
      cmocka_unit_test(peer_payloads_and_plain),
      cmocka_unit_test(recycled_peers_start_afresh),
      cmocka_unit_test(kernel_drops_add_up),
      cmocka_unit_test(kernel_drops_without_traffic),
  };
  mcbt_private_network();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
