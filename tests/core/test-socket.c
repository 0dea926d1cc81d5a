/* test-socket.c - socket lifecycle: open, options before bind, bind (port 0, twice, a
 * busy port then a retry), address, close and the EBADF that follows, free, limits. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

static void defaults_before_bind(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  mcb_socket_info info;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_socket_info_get(s, &info), 0);
  assert_int_equal(info.state, MCB_STATE_OPEN);
  assert_false(info.bound);
  assert_int_equal(info.ttl, 64);
  assert_int_equal(info.mcast_ttl, 1);
  assert_true(info.mcast_loop);
  assert_false(info.broadcast);
  assert_int_equal(info.mcast_ifindex, 0);
  /* options work before bind (the descriptor exists from open, as in Node v0.4) */
  assert_int_equal(mcb_set_ttl(s, 9), 0);
  assert_int_equal(mcb_bind(s, "127.0.0.1", 0), 0);
  char dest[64];
  snprintf(dest, sizeof dest, "127.0.0.1:%d", mcbt_port(s));
  assert_int_equal(mcbt_send_sync(&t, s, "x", 1, dest), 0); /* to itself */
  assert_int_equal(mcbt_wait_msgs(&t, s, 1, 2000), 1);
  assert_int_equal(t.msgs[0].ttl, 9);
  mcbt_bench_done(&t);
}

static void bind_port_zero_and_twice(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  mcb_socket_info info;
  char want[128];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  int port = mcbt_port(s);
  assert_true(port > 0);
  assert_int_equal(t.listening, 1);
  mcb_socket_info_get(s, &info);
  assert_int_equal(info.state, MCB_STATE_BOUND);
  assert_int_equal(mcb_bind(s, NULL, 0), UV_EINVAL);
  snprintf(want, sizeof want, "bind 0.0.0.0:0: already bound to 0.0.0.0:%d (EINVAL)", port);
  assert_string_equal(mcb_last_error(t.bench), want);
  assert_int_equal(mcbt_port(s), port); /* unchanged */
  mcbt_bench_done(&t);
}

static void busy_port_then_retry(void **state)
{
  mcbt_bench t;
  mcb_socket *a, *b;
  mcb_socket_info info;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  a = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &b), 0);
  assert_int_equal(mcb_bind(b, NULL, mcbt_port(a)), UV_EADDRINUSE);
  mcb_socket_info_get(b, &info);
  assert_int_equal(info.state, MCB_STATE_OPEN); /* still unbound, still usable */
  assert_int_equal(mcb_bind(b, NULL, 0), 0);
  assert_true(mcbt_port(b) > 0);
  /* with reuse on both, the same port is shared */
  mcb_socket *c, *d;
  c = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, MCB_REUSE, &d), 0);
  assert_int_equal(mcb_bind(d, NULL, mcbt_port(c)), 0);
  mcbt_bench_done(&t);
}

static void closed_socket_refuses_everything(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  mcb_socket_info info;
  mcb_addr a;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_close(s), 0);
  assert_int_equal(mcb_socket_free(s), UV_EBUSY); /* the close event is still to come */
  assert_int_equal(mcb_close(s), UV_EBADF);
  assert_string_equal(mcb_last_error(t.bench), "close: socket is closed (EBADF)");
  assert_int_equal(mcb_bind(s, NULL, 0), UV_EBADF);
  assert_int_equal(mcb_send(s, "x", 1, "127.0.0.1:9", NULL, NULL), UV_EBADF);
  assert_string_equal(mcb_last_error(t.bench), "send to 127.0.0.1:9: socket is closed (EBADF)");
  assert_int_equal(mcb_join(s, "239.1.1.1", NULL, NULL, 0), UV_EBADF);
  assert_int_equal(mcb_set_ttl(s, 5), UV_EBADF);
  assert_int_equal(mcb_set_multicast_loopback(s, false), UV_EBADF);
  assert_int_equal(mcb_address(s, &a), UV_EBADF);
  mcbt_run_for(&t.loop, 50);
  assert_int_equal(t.closes, 1);
  mcb_socket_info_get(s, &info);
  assert_int_equal(info.state, MCB_STATE_CLOSED);
  assert_int_equal(mcb_socket_free(s), 0);
  mcbt_bench_done(&t);
}

static void flags_and_limits(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  mcb_bench *b;
  mcb_limits lim;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, MCB_V6ONLY, &s), UV_EINVAL);
  assert_int_equal(mcb_open(t.bench, 42, 0, &s), UV_EINVAL);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, MCB_V6ONLY, &s), 0);
  mcb_socket_info info;
  mcb_socket_info_get(s, &info);
  assert_true(info.flags & MCB_V6ONLY);
  mcbt_bench_done(&t);

  /* a bench caps its sockets */
  uv_loop_t loop;
  uv_loop_init(&loop);
  mcb_limits_default(&lim);
  lim.max_sockets = 2;
  assert_int_equal(mcb_bench_new(&loop, &lim, &b), 0);
  mcb_socket *x, *y, *z;
  assert_int_equal(mcb_open(b, MCB_UDP4, 0, &x), 0);
  assert_int_equal(mcb_open(b, MCB_UNIX, 0, &y), 0);
  assert_int_equal(mcb_open(b, MCB_UDP4, 0, &z), UV_EMFILE);
  assert_string_equal(mcb_last_error(b), "open udp4: too many sockets (limit 2) (EMFILE)");
  mcb_bench_close(b, NULL, NULL);
  mcbt_loop_close(&loop);
  /* nonsense limits are refused */
  lim.max_peers = 0;
  assert_int_equal(mcb_bench_new(&loop, &lim, &b), UV_EINVAL);
}

static void two_benches_share_a_loop(void **state)
{
  uv_loop_t loop;
  mcb_bench *a, *b;
  mcb_socket *s;
  MCBT_NEED_NET();
  uv_loop_init(&loop);
  assert_int_equal(mcb_bench_new(&loop, NULL, &a), 0);
  assert_int_equal(mcb_bench_new(&loop, NULL, &b), 0);
  assert_int_equal(mcb_open(a, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_open(b, MCB_UDP6, 0, &s), 0);
  mcb_bench_close(a, NULL, NULL);
  mcb_bench_close(b, NULL, NULL);
  mcbt_loop_close(&loop);
}

static void dummy_observer(const mcb_event *ev, void *arg)
{
}

/* Every failing call on a bench or a socket leaves its message in mcb_last_error(). */
static void failures_are_recorded(void **state)
{
  mcbt_bench t;
  mcb_socket *s, *u;
  mcb_addr a;
  mcb_optval v;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_observe(t.bench, NULL, NULL), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench), "observe: no callback (EINVAL)");
  assert_int_equal(mcb_unobserve(t.bench, dummy_observer, NULL), UV_ENOENT);
  assert_string_equal(mcb_last_error(t.bench), "unobserve: not an observer of this bench (ENOENT)");
  size_t added = 0;
  while (mcb_observe(t.bench, dummy_observer, &added) == 0) added++;
  assert_int_equal(mcb_last_error_code(t.bench), UV_ENOBUFS);
  assert_string_equal(mcb_last_error(t.bench), "observe: too many observers (limit 8) (ENOBUFS)");
  for (; added > 0; added--) assert_int_equal(mcb_unobserve(t.bench, dummy_observer, &added), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &u), 0);
  assert_int_equal(mcb_option_get(u, mcb_option_find("ttl"), &v), UV_ENOTSUP);
  assert_string_equal(mcb_last_error(t.bench), "get ttl: not an IP socket (ENOTSUP)");
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_socket_free(s), UV_EBUSY);
  assert_string_equal(mcb_last_error(t.bench), "free: the socket is not closed yet (EBUSY)");
  assert_int_equal(mcb_close(s), 0);
  assert_int_equal(mcb_socket_reset(s), UV_EBADF);
  assert_string_equal(mcb_last_error(t.bench), "reset: socket is closing (EBADF)");
  assert_int_equal(mcb_address(s, &a), UV_EBADF);
  assert_string_equal(mcb_last_error(t.bench), "address: socket is closed (EBADF)");
  mcbt_bench_done(&t);
}

/* The header's version macros are the project's version, and mcb_version() says it. */
static void version_macros(void **state)
{
  char want[32];
  snprintf(want, sizeof want, "%d.%d.%d", MCB_VERSION_MAJOR, MCB_VERSION_MINOR, MCB_VERSION_PATCH);
  assert_string_equal(mcb_version(), want);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_before_bind),  cmocka_unit_test(bind_port_zero_and_twice),
      cmocka_unit_test(busy_port_then_retry),  cmocka_unit_test(closed_socket_refuses_everything),
      cmocka_unit_test(flags_and_limits),      cmocka_unit_test(two_benches_share_a_loop),
      cmocka_unit_test(failures_are_recorded), cmocka_unit_test(version_macros),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
