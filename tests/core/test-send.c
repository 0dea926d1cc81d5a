/* test-send.c - the send path: completion always asynchronous and exactly once; host
 * names resolved without blocking (and failures reported through the completion); bad
 * destinations refused at once; sends from unbound sockets; cancellation on close; a
 * bounded queue; EACCES blamed on broadcast only for a broadcast destination; the
 * streams' batched fast path (mcb_send_now, mcb_send_dest). */
#include "testlib.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "rtnl.h" /* core-internal: to add a prohibit route in the test's namespace */

typedef struct done {
  int calls, status;
  size_t bytes;
  char message[256];
} done;

static void on_done(mcb_socket *s, const mcb_send_result *r, void *arg)
{
  done *d = arg;
  d->calls++;
  d->status = r->status;
  d->bytes = r->bytes;
  snprintf(d->message, sizeof d->message, "%s", r->message);
}

static bool called(void *arg)
{
  return ((done *)arg)->calls > 0;
}

static void names_resolve_without_blocking(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  done d = {0};
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  snprintf(to, sizeof to, "localhost:%d", mcbt_port(rx));
  assert_int_equal(mcb_send(tx, "named", 5, to, on_done, &d), 0);
  assert_int_equal(d.calls, 0); /* never from inside mcb_send */
  assert_true(mcbt_run_until(&t.loop, called, &d, 5000));
  assert_int_equal(d.status, 0);
  assert_int_equal(d.bytes, 5);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  mcbt_bench_done(&t);
}

static void unresolvable_name_fails_through_completion(void **state)
{
  mcbt_bench t;
  mcb_socket *tx;
  done d = {0};
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  /* no DNS server is reachable from the private namespace, and .invalid never exists */
  assert_int_equal(mcb_send(tx, "x", 1, "nowhere.invalid:5000", on_done, &d), 0);
  assert_true(mcbt_run_until(&t.loop, called, &d, 10000));
  assert_int_equal(d.calls, 1);
  assert_true(d.status < 0);
  assert_int_equal(strncmp(mcb_err_name(d.status), "EAI_", 4), 0);
  assert_int_equal(strncmp(d.message, "send to nowhere.invalid:5000: ", 30), 0);
  mcb_socket_info info;
  mcb_socket_info_get(tx, &info);
  assert_int_equal(info.counters.tx_errors, 1);
  /* the socket still works */
  assert_int_equal(mcbt_send_sync(&t, tx, "y", 1, "127.0.0.1:9"), 0);
  mcbt_run_for(&t.loop, 50);
  assert_int_equal(d.calls, 1); /* exactly once */
  mcbt_bench_done(&t);
}

static void bad_destinations_refused_at_once(void **state)
{
  mcbt_bench t;
  mcb_socket *tx, *v6only, *dual;
  done d = {0};
  static char huge[70000];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_send(tx, "x", 1, "nohost", on_done, &d), UV_EINVAL);
  assert_string_equal(
      mcb_last_error(t.bench),
      "send to nohost: expected ADDRESS:PORT (e.g. 239.1.1.1:5000) or a unix path (EINVAL)");
  assert_int_equal(mcb_send(tx, "x", 1, ":5000", on_done, &d), UV_EINVAL); /* no host */
  assert_int_equal(mcb_send(tx, "x", 1, "1.2.3.4:0", on_done, &d), UV_EINVAL);
  assert_int_equal(mcb_send(tx, "x", 1, "1.2.3.4:70000", on_done, &d), UV_EINVAL);
  assert_int_equal(mcb_send(tx, "x", 1, "bad host:5", on_done, &d), UV_EINVAL);
  assert_int_equal(mcb_send(tx, "x", 1, "", on_done, &d), UV_EINVAL);
  assert_int_equal(mcb_send(tx, "x", 1, "[::1]:5", on_done, &d), UV_EAFNOSUPPORT);
  assert_int_equal(mcb_send(tx, "x", 1, "[ff02::1%nosuch0]:5", on_done, &d), UV_ENODEV);
  assert_int_equal(mcb_send(tx, huge, sizeof huge, "127.0.0.1:9", on_done, &d), UV_EMSGSIZE);
  mcbt_run_for(&t.loop, 50);
  assert_int_equal(d.calls, 0); /* refused sends never complete */
  /* udp6: IPv4 destinations go IPv4-mapped, unless v6only */
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  char to[64];
  snprintf(to, sizeof to, "127.0.0.1:%d", mcbt_port(rx));
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &dual), 0);
  assert_int_equal(mcbt_send_sync(&t, dual, "mapped", 6, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, MCB_V6ONLY, &v6only), 0);
  assert_int_equal(mcb_send(v6only, "x", 1, to, NULL, NULL), UV_EAFNOSUPPORT);
  mcbt_bench_done(&t);
}

static void unbound_sender_gets_replies(void **state)
{
  mcbt_bench t;
  mcb_socket *srv, *cli;
  mcb_addr a;
  char to[64];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  srv = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &cli), 0);
  snprintf(to, sizeof to, "127.0.0.1:%d", mcbt_port(srv));
  assert_int_equal(mcbt_send_sync(&t, cli, "ping", 4, to), 0);
  assert_int_equal(mcbt_wait_msgs(&t, srv, 1, 2000), 1);
  assert_int_equal(mcb_address(cli, &a), 0);
  assert_true(mcb_addr_port(&a) > 0); /* the kernel bound it */
  assert_int_equal(mcb_addr_port(&t.msgs[0].src), mcb_addr_port(&a));
  assert_int_equal(mcb_send_addr(srv, "pong", 4, &t.msgs[0].src, NULL, NULL), 0);
  assert_int_equal(mcbt_wait_msgs(&t, cli, 1, 2000), 1);
  mcbt_bench_done(&t);
}

static void close_cancels_pending_sends(void **state)
{
  mcbt_bench t;
  mcb_socket *tx;
  done d1 = {0}, d2 = {0}, d3 = {0};
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_send(tx, "a", 1, "127.0.0.1:9", on_done, &d1), 0);
  assert_int_equal(mcb_send(tx, "b", 1, "127.0.0.1:9", on_done, &d2), 0);
  assert_int_equal(mcb_send(tx, "c", 1, "localhost:9", on_done, &d3), 0); /* resolving */
  assert_int_equal(mcb_close(tx), 0);
  assert_int_equal(d1.calls + d2.calls + d3.calls, 0);
  mcbt_run_for(&t.loop, 300);
  assert_int_equal(d1.calls, 1);
  assert_int_equal(d1.status, UV_ECANCELED);
  assert_int_equal(d2.status, UV_ECANCELED);
  assert_int_equal(d3.calls, 1);
  assert_int_equal(d3.status, UV_ECANCELED);
  assert_int_equal(t.closes, 1); /* after every send completed */
  mcbt_bench_done(&t);
}

static bool received_100(void *arg)
{
  mcb_socket_info info;
  mcb_socket_info_get(arg, &info);
  return info.counters.rx_msgs == 100;
}

/* The streams' fast path: gather buffers to resolved destinations in sendmmsg batches,
 * counted, in order after the queue, with each failure reported for its own datagram. */
static void send_now_batches(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx, *u6;
  mcb_addr to, bad, mapped;
  mcb_dgram v[100];
  struct iovec iov[2] = {{"head-", 5}, {"body", 4}};
  mcb_socket_info info;
  char text[64];
  done d = {0};
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  rx = mcbt_open_bound(&t, MCB_UDP4, 0, "127.0.0.1", 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  snprintf(text, sizeof text, "127.0.0.1:%d", mcbt_port(rx));
  assert_int_equal(mcb_send_dest(tx, text, &to), 0);
  for (size_t i = 0; i < 100; i++) v[i] = (mcb_dgram){.iov = iov, .iovcnt = 2, .dest = &to};
  assert_int_equal(mcb_send_now(tx, v, 100), 100); /* two sendmmsg calls */
  assert_true(mcbt_run_until(&t.loop, received_100, rx, 2000));
  assert_int_equal(t.msgs[0].len, 9);
  mcb_socket_info_get(tx, &info);
  assert_int_equal(info.counters.tx_msgs, 100);
  assert_int_equal(info.counters.tx_bytes, 900);
  assert_int_equal(t.sent, 0); /* no per-datagram completion */
  /* queued datagrams go first: the fast path waits for them */
  assert_int_equal(mcb_send(tx, "q", 1, text, on_done, &d), 0);
  assert_int_equal(mcb_send_now(tx, v, 1), UV_EAGAIN);
  assert_true(mcbt_run_until(&t.loop, called, &d, 2000));
  assert_int_equal(mcb_send_now(tx, v, 1), 1);
  /* an unreachable destination fails its own datagram, with the error recorded */
  assert_int_equal(mcb_send_dest(tx, "10.1.2.3:9", &bad), 0);
  v[0].dest = &bad;
  assert_int_equal(mcb_send_now(tx, v, 2), UV_ENETUNREACH);
  assert_non_null(strstr(mcb_last_error(t.bench), "send to 10.1.2.3:9"));
  /* destinations: host names and bad families are refused; IPv4 maps on dual stack */
  assert_int_equal(mcb_send_dest(tx, "localhost:9", &bad), UV_EINVAL);
  assert_int_equal(mcb_send_dest(tx, "[::1]:9", &bad), UV_EAFNOSUPPORT);
  assert_int_equal(mcb_send_dest(tx, "/tmp/x.sock", &bad), UV_EAFNOSUPPORT);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &u6), 0);
  assert_int_equal(mcb_send_dest(u6, text, &mapped), 0);
  assert_int_equal(mapped.u.sa.sa_family, AF_INET6);
  assert_true(IN6_IS_ADDR_V4MAPPED(&mapped.u.in6.sin6_addr));
  assert_int_equal(mcb_close(tx), 0);
  assert_int_equal(mcb_send_now(tx, v, 1), UV_EBADF);
  mcbt_bench_done(&t);
}

static void queue_is_bounded(void **state)
{
  uv_loop_t loop;
  mcb_bench *b;
  mcb_socket *tx;
  mcb_limits lim;
  static char chunk[40000];
  MCBT_NEED_NET();
  uv_loop_init(&loop);
  mcb_limits_default(&lim);
  lim.send_queue_bytes = 65536;
  assert_int_equal(mcb_bench_new(&loop, &lim, &b), 0);
  assert_int_equal(mcb_open(b, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_send(tx, chunk, sizeof chunk, "127.0.0.1:9", NULL, NULL), 0);
  assert_int_equal(mcb_send(tx, chunk, sizeof chunk, "127.0.0.1:9", NULL, NULL), UV_ENOBUFS);
  assert_string_equal(mcb_last_error(b),
                      "send to 127.0.0.1:9: send queue full (40000 bytes waiting) (ENOBUFS)");
  uv_run(&loop, UV_RUN_NOWAIT); /* the first one leaves */
  assert_int_equal(mcb_send(tx, chunk, sizeof chunk, "127.0.0.1:9", NULL, NULL), 0);
  mcb_bench_close(b, NULL, NULL);
  mcbt_loop_close(&loop);
}

/* ip route add prohibit PREFIX/LEN, in the test's own namespace. */
static void add_prohibit_route(const char *prefix, int len)
{
  mcb__nlreq r;
  mcb__nl nl;
  struct in_addr dst;
  struct rtmsg *rt = mcb__nl_start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);
  assert_int_equal(inet_pton(AF_INET, prefix, &dst), 1);
  rt->rtm_family = AF_INET;
  rt->rtm_dst_len = (unsigned char)len;
  rt->rtm_table = RT_TABLE_MAIN;
  rt->rtm_protocol = RTPROT_BOOT;
  rt->rtm_scope = RT_SCOPE_UNIVERSE;
  rt->rtm_type = RTN_PROHIBIT;
  assert_non_null(mcb__nl_put(&r, RTA_DST, &dst, sizeof dst));
  assert_int_equal(mcb__nl_open(&nl), 0);
  assert_int_equal(mcb__nl_talk(&nl, &r, NULL, 0), 0);
  mcb__nl_close(&nl);
}

/* Sends one datagram and waits for its completion. */
static done send_and_wait(mcbt_bench *t, mcb_socket *s, const char *dest)
{
  done d = {0};
  assert_int_equal(mcb_send(s, "x", 1, dest, on_done, &d), 0);
  assert_true(mcbt_run_until(&t->loop, called, &d, 2000));
  return d;
}

/* EACCES comes from prohibit routes and firewalls too: "broadcast is off" only when the
 * destination is a broadcast one (255.255.255.255, or a local subnet's broadcast). */
static void eacces_blames_broadcast_only_for_broadcast(void **state)
{
  mcbt_bench t;
  mcb_socket *tx, *dual;
  done d;
  MCBT_NEED_NET();
  add_prohibit_route("10.55.0.0", 16);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  d = send_and_wait(&t, tx, "10.55.1.1:9");
  assert_int_equal(d.status, UV_EACCES);
  assert_string_equal(d.message, "send to 10.55.1.1:9: permission denied (EACCES)");
  d = send_and_wait(&t, tx, MCB_LAB_BCAST ":9");
  assert_int_equal(d.status, UV_EACCES);
  assert_string_equal(d.message,
                      "send to " MCB_LAB_BCAST ":9: permission denied, broadcast is off (EACCES)");
  /* 255.255.255.255 needs a route, or a source address to pick the interface */
  mcb_socket *bound = mcbt_open_bound(&t, MCB_UDP4, 0, MCB_LAB_ADDR0, 0);
  d = send_and_wait(&t, bound, "255.255.255.255:9");
  assert_int_equal(d.status, UV_EACCES);
  assert_non_null(strstr(d.message, "broadcast is off"));
  /* IPv4-mapped on a dual-stack socket: the same rules */
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &dual), 0);
  d = send_and_wait(&t, dual, "10.55.1.1:9");
  assert_int_equal(d.status, UV_EACCES);
  assert_null(strstr(d.message, "broadcast"));
  d = send_and_wait(&t, dual, MCB_LAB_BCAST ":9");
  assert_int_equal(d.status, UV_EACCES);
  assert_non_null(strstr(d.message, "broadcast is off"));
  /* broadcast on: the prohibit route still says no, and not because of broadcast */
  assert_int_equal(mcb_set_broadcast(tx, true), 0);
  d = send_and_wait(&t, tx, "10.55.1.1:9");
  assert_int_equal(d.status, UV_EACCES);
  assert_null(strstr(d.message, "broadcast"));
  d = send_and_wait(&t, tx, MCB_LAB_BCAST ":9");
  assert_int_equal(d.status, 0);
  mcbt_bench_done(&t);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(names_resolve_without_blocking),
      cmocka_unit_test(unresolvable_name_fails_through_completion),
      cmocka_unit_test(bad_destinations_refused_at_once),
      cmocka_unit_test(unbound_sender_gets_replies),
      cmocka_unit_test(close_cancels_pending_sends),
      cmocka_unit_test(queue_is_bounded),
      cmocka_unit_test(send_now_batches),
      cmocka_unit_test(eacces_blames_broadcast_only_for_broadcast),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
