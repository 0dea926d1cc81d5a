/* test-unix.c - unix datagram sockets: the Node.js v0.4 echo server and client exactly
 * as in its documentation, unnamed senders, socket files (stale ones replaced, others
 * refused, removed on close), senders' credentials, empty and truncated datagrams. */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct echo {
  mcb_socket *server;
  size_t replies;
} echo;

/* server.on("message", (msg, rinfo) => server.send(msg, 0, msg.length, rinfo.address)) */
static void echo_server(const mcb_event *ev, void *arg)
{
  echo *e = arg;
  if (ev->type != MCB_EV_MESSAGE || ev->sock != e->server) return;
  if (mcb_send_addr(ev->sock, ev->msg->data, ev->msg->len, ev->msg->src, NULL, NULL) == 0)
    e->replies++;
}

static char dir[64];

static const char *path(const char *name)
{
  static char buf[2][160];
  static int which;
  which ^= 1;
  snprintf(buf[which], sizeof buf[which], "%s/%s", dir, name);
  return buf[which];
}

static void seed_echo_server_and_client(void **state)
{
  mcbt_bench t;
  echo e = {0};
  mcb_socket *client;
  mcb_addr a;
  char buf[MCB_ADDRSTRLEN];
  const char *msg = "A message at the bench";
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &e.server), 0);
  assert_int_equal(mcb_observe(t.bench, echo_server, &e), 0);
  assert_int_equal(mcb_bind_path(e.server, path("dgram_server_sock")), 0);
  assert_int_equal(mcb_address(e.server, &a), 0);
  assert_string_equal(mcb_addr_format(&a, buf, sizeof buf), path("dgram_server_sock"));
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &client), 0);
  assert_int_equal(mcb_bind_path(client, path("dgram_client_sock")), 0);
  assert_int_equal(t.listening, 2); /* unix sockets listen once bound */
  assert_int_equal(mcbt_send_sync(&t, client, msg, strlen(msg), path("dgram_server_sock")), 0);
  assert_int_equal(mcbt_wait_msgs(&t, client, 1, 2000), 1);
  assert_int_equal(e.replies, 1);
  const mcbt_msg *got =
      &t.msgs[mcbt_count_for(&t, e.server) == 1 && t.msgs[0].sock == e.server ? 1 : 0];
  assert_ptr_equal(got->sock, client);
  assert_memory_equal(got->data, msg, strlen(msg));
  assert_string_equal(mcb_addr_format(&got->src, buf, sizeof buf), path("dgram_server_sock"));
  assert_int_equal(got->ttl, -1); /* no TTL on unix sockets */
  mcb_unobserve(t.bench, echo_server, &e);
  mcbt_bench_done(&t);
}

static void unnamed_sender_and_files(void **state)
{
  mcbt_bench t;
  mcb_socket *srv, *anon, *other;
  char buf[MCB_ADDRSTRLEN];
  struct stat st;
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &srv), 0);
  assert_int_equal(mcb_bind_path(srv, path("srv")), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &anon), 0);
  assert_int_equal(mcbt_send_sync(&t, anon, "hi", 2, path("srv")), 0); /* send without bind */
  assert_int_equal(mcbt_wait_msgs(&t, srv, 1, 2000), 1);
  assert_string_equal(mcb_addr_format(&t.msgs[0].src, buf, sizeof buf), "(unnamed)");
  /* a bound receiver knows who sent it: the kernel vouches for pid, uid and gid */
  const mcb_peer *peer = mcb_peer_next(srv, NULL);
  mcb_peer_stats ps;
  assert_non_null(peer);
  mcb_peer_stats_get(peer, uv_hrtime(), &ps);
  assert_true(ps.has_cred);
  assert_int_equal(ps.pid, getpid());
  assert_int_equal(ps.uid, getuid());
  assert_int_equal(ps.gid, getgid());
  /* a second socket cannot take a live path */
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &other), 0);
  assert_int_equal(mcb_bind_path(other, path("srv")), UV_EADDRINUSE);
  assert_non_null(strstr(mcb_last_error(t.bench), "another socket is bound to it"));
  /* nor a regular file's */
  int fd = open(path("plain"), O_CREAT | O_WRONLY, 0600);
  assert_true(fd >= 0);
  close(fd);
  assert_int_equal(mcb_bind_path(other, path("plain")), UV_EADDRINUSE);
  assert_non_null(strstr(mcb_last_error(t.bench), "file exists and is not a socket"));
  assert_int_equal(stat(path("plain"), &st), 0); /* untouched */
  /* close removes the path */
  assert_int_equal(mcb_close(srv), 0);
  assert_int_equal(stat(path("srv"), &st), -1);
  /* bind_path on a udp socket, and bind on a unix one, are refused */
  mcb_socket *udp;
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &udp), 0);
  assert_int_equal(mcb_bind_path(udp, path("x")), UV_EINVAL);
  assert_int_equal(mcb_bind(other, NULL, 0), UV_EINVAL);
  assert_int_equal(mcb_bind_path(other, path("fresh")), 0); /* still usable */
  mcbt_bench_done(&t);
}

static void stale_socket_file_is_replaced(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  struct sockaddr_un sun = {.sun_family = AF_UNIX};
  /* a socket file left behind by a process that died: bound, never unlinked */
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path("stale"));
  assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
  close(fd);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &s), 0);
  assert_int_equal(mcb_bind_path(s, path("stale")), 0);
  mcbt_bench_done(&t);
}

static void empty_and_truncated_datagrams(void **state)
{
  mcbt_bench t;
  mcb_socket *rx, *tx;
  size_t big = 100000;
  char *payload = malloc(big);
  int sndbuf = 1 << 20;
  memset(payload, 'z', big);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &rx), 0);
  assert_int_equal(mcb_bind_path(rx, "@mcb-test-unix-trunc"), 0); /* abstract: no file */
  assert_int_equal(mcb_set_rcvbuf(rx, 1 << 20), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &tx), 0);
  (void)sndbuf;
  assert_int_equal(mcbt_send_sync(&t, tx, "", 0, "@mcb-test-unix-trunc"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  assert_int_equal(t.msgs[0].len, 0); /* an empty datagram is a datagram */
  assert_int_equal(t.msgs[0].wire_len, 0);
  assert_false(t.msgs[0].truncated);
  assert_int_equal(mcbt_send_sync(&t, tx, payload, big, "@mcb-test-unix-trunc"), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 2, 2000), 2);
  assert_true(t.msgs[1].truncated); /* more than a receive slot holds */
  assert_int_equal(t.msgs[1].wire_len, big);
  assert_int_equal(t.msgs[1].len, 65536);
  mcb_socket_info info;
  mcb_socket_info_get(rx, &info);
  assert_int_equal(info.counters.rx_truncated, 1);
  assert_int_equal(info.counters.rx_bytes, big);
  free(payload);
  mcbt_bench_done(&t);
}

/* A raw unix datagram socket bound to exactly these abstract-name bytes. */
static int raw_abstract(const char *bytes, size_t n)
{
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  assert_true(fd >= 0);
  memcpy(a.sun_path, bytes, n);
  assert_int_equal(
      bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)), 0);
  return fd;
}

/* Two peers whose abstract names differ only after an embedded NUL are two peers, and
 * they show as two different names ("@mcb-peer" and "@mcb-peer\0\x1b[2J"). */
static void abstract_peers_with_nuls_look_different(void **state)
{
  mcbt_bench t;
  mcb_socket *rx;
  mcb_addr to;
  char a[MCB_ADDRSTRLEN], b[MCB_ADDRSTRLEN];
  int fa = raw_abstract("\0mcb-peer", 9), fb = raw_abstract("\0mcb-peer\0\033[2J", 14);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &rx), 0);
  assert_int_equal(mcb_bind_path(rx, "@mcb-test-unix-peers"), 0);
  assert_int_equal(mcb_address(rx, &to), 0);
  assert_int_equal(sendto(fa, "a", 1, 0, &to.u.sa, to.len), 1);
  assert_int_equal(sendto(fb, "b", 1, 0, &to.u.sa, to.len), 1);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 2, 2000), 2);
  mcb_addr_format(&t.msgs[0].src, a, sizeof a);
  mcb_addr_format(&t.msgs[1].src, b, sizeof b);
  assert_string_equal(a, "@mcb-peer");
  assert_string_equal(b, "@mcb-peer\\0\\x1b[2J");
  assert_int_equal(t.msgs[1].ttl, -1);
  assert_int_equal(mcb_peer_count(rx), 2);
  close(fa);
  close(fb);
  mcbt_bench_done(&t);
}

int main(void)
{
  int rc;
  /* unix sockets need no network: these run anywhere */
  snprintf(dir, sizeof dir, "/tmp/mcb-unix-XXXXXX");
  if (mkdtemp(dir) == NULL) return 1;
  mcbt_private_network(); /* abstract names are per network namespace: keep them private */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seed_echo_server_and_client),
      cmocka_unit_test(unnamed_sender_and_files),
      cmocka_unit_test(stale_socket_file_is_replaced),
      cmocka_unit_test(empty_and_truncated_datagrams),
      cmocka_unit_test(abstract_peers_with_nuls_look_different),
  };
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) rc = rc ? rc : 1;
  return rc;
}
