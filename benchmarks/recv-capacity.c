/* recv-capacity.c - benchmark: how fast each receiver drains a pre-filled socket queue.
 *
 * Inside a private network namespace, N datagrams from S sender sockets are queued on a
 * receiving socket (SO_RCVBUFFORCE 512 MiB, sender idle afterwards); then one receiver,
 * pinned to CPU 0, drains the queue and is timed. Receivers, side by side:
 *   bare       recvmmsg, 64 per call, counting only: the practical ceiling
 *   cmsg       the same, asking for what the core asks (PKTINFO, TTL, timestamp, source)
 *   core       libmcbcore: full metadata, per-peer table, observers
 *   uv_udp     libuv's uv_udp_t (no metadata), plain and with UV_UDP_RECVMMSG
 *   core+probe the core draining probe payloads: sequence, delay and jitter statistics on
 * Each figure is the median of R repetitions, reported as datagrams/s and as a ratio.
 * It measures and prints; it asserts nothing (targets are judged by a person or CI log).
 *   benchmarks/recv-capacity [-r REPS] [-n COUNT] [-o RECEIVER] [-p]   (-o: measure only that
 *   one, e.g. under valgrind --tool=callgrind --toggle-collect=mcb__on_readable to count
 *   instructions; -p: probe payloads, so the core's per-stream analysis runs)
 */
#include <mcb.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/sock_diag.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH    64
#define MAX_REPS 15
#define QUEUE    (512 << 20)

static bool probes; /* -p: the senders send probe payloads (the core analyses them) */

typedef struct run {
  uv_timer_t guard; /* ends a drain that stops making progress (lost datagrams) */
  long guard_seen;
  int fd;           /* the receiving socket, filled */
  mcb_socket *sock; /* core receiver only */
  mcb_bench *bench; /* core receiver only */
  uv_loop_t *loop;  /* core and uv receivers */
  long expected;    /* datagrams queued (sent minus kernel drops) */
  long got;
} run;

typedef struct receiver {
  const char *name;
  int (*prepare)(run *r); /* creates r->fd (and the core socket) before the fill */
  void (*drain)(run *r);
  bool probes; /* its queue is filled with probe payloads (the core analyses them) */
} receiver;

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bind_loopback(int fd)
{
  struct sockaddr_in a = {.sin_family = AF_INET};
  int size = QUEUE;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) return -errno;
  return bind(fd, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : -errno;
}

static int prepare_plain(run *r)
{
  r->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  return r->fd < 0 ? -errno : bind_loopback(r->fd);
}

static int prepare_cmsg(run *r)
{
  int one = 1, rc = prepare_plain(r);
  if (rc != 0) return rc;
  if (setsockopt(r->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0 ||
      setsockopt(r->fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one) != 0 ||
      setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0)
    return -errno;
  return 0;
}

/* Both minimal loops: recvmmsg until the queue is empty; `ctrl` asks for metadata. */
static void drain_loop(run *r, bool ctrl)
{
  static struct mmsghdr msgs[BATCH];
  static struct iovec iov[BATCH];
  static struct sockaddr_storage names[BATCH];
  static uint8_t bufs[BATCH][2048], ctl[BATCH][256];
  volatile int sink = 0;
  while (r->got < r->expected) {
    for (int i = 0; i < BATCH; i++) {
      iov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
      msgs[i].msg_hdr = (struct msghdr){.msg_name = &names[i],
                                        .msg_namelen = sizeof names[i],
                                        .msg_iov = &iov[i],
                                        .msg_iovlen = 1,
                                        .msg_control = ctrl ? ctl[i] : NULL,
                                        .msg_controllen = ctrl ? sizeof ctl[i] : 0};
    }
    int n = recvmmsg(r->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) {
      if (n < 0 && errno != EAGAIN && errno != EINTR) break;
      if (n < 0 && errno == EAGAIN) break; /* drained: everything was queued before */
      continue;
    }
    for (int i = 0; ctrl && i < n; i++)
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c != NULL;
           c = CMSG_NXTHDR(&msgs[i].msg_hdr, c))
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) sink += *(int *)CMSG_DATA(c);
    r->got += n;
  }
  (void)sink;
}

static void drain_bare(run *r)
{
  drain_loop(r, false);
}

static void drain_cmsg(run *r)
{
  drain_loop(r, true);
}

/* ---- libmcbcore ---- */

static void on_event(const mcb_event *ev, void *arg)
{
  run *r = arg;
  if (ev->type == MCB_EV_MESSAGE && ++r->got == r->expected) uv_stop(r->loop);
}

static int prepare_core(run *r)
{
  int size = QUEUE, rc;
  if ((rc = mcb_bench_new(r->loop, NULL, &r->bench)) != 0) return rc;
  if ((rc = mcb_observe(r->bench, on_event, r)) != 0) return rc;
  if ((rc = mcb_open(r->bench, MCB_UDP4, 0, &r->sock)) != 0) return rc;
  if ((rc = mcb_bind(r->sock, "127.0.0.1", 0)) != 0) return rc;
  if ((rc = mcb_fileno(r->sock, &r->fd)) != 0) return rc;
  return setsockopt(r->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) == 0 ? 0 : -errno;
}

static void on_guard(uv_timer_t *t)
{
  run *r = t->data;
  if (r->got == r->guard_seen) uv_stop(r->loop);
  r->guard_seen = r->got;
}

/* Runs the loop until the receiver has everything, or has made no progress for 2 s. */
static void run_guarded(run *r)
{
  uv_timer_init(r->loop, &r->guard);
  r->guard.data = r;
  uv_timer_start(&r->guard, on_guard, 2000, 2000);
  uv_run(r->loop, UV_RUN_DEFAULT);
  uv_close((uv_handle_t *)&r->guard, NULL);
}

static void drain_core(run *r)
{
  run_guarded(r);
}

/* ---- libuv uv_udp_t ---- */

static uv_udp_t uvh;
static char uvbuf[BATCH * 65536];

static void uv_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
  *buf =
      uv_buf_init(uvbuf, (unsigned)(uv_udp_using_recvmmsg((uv_udp_t *)h) ? sizeof uvbuf : 65536));
}

static void uv_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *addr,
                    unsigned flags)
{
  run *r = h->data;
  if (addr != NULL && nread >= 0 && ++r->got == r->expected) uv_stop(r->loop);
}

static void drain_uv(run *r, unsigned flags)
{
  uv_udp_init_ex(r->loop, &uvh, AF_UNSPEC | flags); /* AF_UNSPEC: no socket of its own */
  uvh.data = r;
  uv_udp_open(&uvh, r->fd);
  uv_udp_recv_start(&uvh, uv_alloc, uv_recv);
  run_guarded(r);
  uv_udp_recv_stop(&uvh);
  uv_close((uv_handle_t *)&uvh, NULL);
  uv_run(r->loop, UV_RUN_DEFAULT);
  r->fd = -1; /* closed with the handle */
}

static void drain_uv_plain(run *r)
{
  drain_uv(r, 0);
}

static void drain_uv_mmsg(run *r)
{
  drain_uv(r, UV_UDP_RECVMMSG);
}

static const receiver receivers[] = {
    {"bare", prepare_plain, drain_bare, false},
    {"cmsg", prepare_cmsg, drain_cmsg, false},
    {"core", prepare_core, drain_core, false},
    {"uv_udp", prepare_plain, drain_uv_plain, false},
    {"uv_udp+mmsg", prepare_plain, drain_uv_mmsg, false},
    {"core+probe", prepare_core, drain_core, true},
};
#define NRECEIVERS (sizeof receivers / sizeof receivers[0])

/* Queues `count` datagrams of `size` bytes from `senders` sockets; returns how many the
 * receiving socket holds (the kernel's drop counter subtracted). */
static long fill(int rxfd, long count, int senders, int size, bool with_probes)
{
  struct sockaddr_in to;
  socklen_t len = sizeof to;
  uint32_t mem[SK_MEMINFO_VARS];
  socklen_t mlen = sizeof mem;
  static char payload[2048];
  int fds[64];
  getsockname(rxfd, (struct sockaddr *)&to, &len);
  for (int i = 0; i < senders; i++) fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  for (long i = 0; i < count; i++) {
    if (with_probes) { /* each sender one probe stream: sequence i / senders, send time now */
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      mcb_probe pr = {.sender = (uint32_t)(i % senders),
                      .nonce = 1,
                      .seq = (uint64_t)(i / senders),
                      .send_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec};
      mcb_probe_encode(&pr, payload, sizeof payload,
                       size < MCB_PROBE_HDR_LEN ? MCB_PROBE_HDR_LEN : (size_t)size);
    }
    (void)!sendto(fds[i % senders], payload, (size_t)size, 0, (struct sockaddr *)&to, sizeof to);
  }
  for (int i = 0; i < senders; i++) close(fds[i]);
  if (getsockopt(rxfd, SOL_SOCKET, SO_MEMINFO, mem, &mlen) != 0) return count;
  return count - (long)mem[SK_MEMINFO_DROPS];
}

static void pin(int cpu)
{
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)sched_setaffinity(0, sizeof set, &set);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* One measurement: datagrams per second, or 0 when it could not be made. */
static double measure(const receiver *rc, long count, int senders, int size)
{
  uv_loop_t loop;
  run r = {.fd = -1, .loop = &loop};
  double rate = 0;
  uint64_t t0;
  uv_loop_init(&loop);
  if (rc->prepare(&r) == 0) {
    r.expected = fill(r.fd, count, senders, size, probes || rc->probes);
    pin(0);
    t0 = now_ns();
    rc->drain(&r);
    if (r.got == r.expected)
      rate = (double)r.got * 1e9 / (double)(now_ns() - t0);
    else
      fprintf(stderr, "recv-capacity: %s received %ld of %ld\n", rc->name, r.got, r.expected);
  }
  if (r.bench != NULL) {
    mcb_bench_close(r.bench, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
  } else if (r.fd >= 0) {
    close(r.fd);
  }
  uv_loop_close(&loop);
  return rate;
}

/* -o: one receiver, 64-byte datagrams from one sender, for profilers. */
static int measure_only(const char *name, long count, int reps)
{
  char err[256];
  for (size_t k = 0; k < NRECEIVERS; k++) {
    if (strcmp(receivers[k].name, name) != 0) continue;
    if (mcb_private_network(err, sizeof err) != 0) {
      fprintf(stderr, "recv-capacity: %s\n", err);
      return 1;
    }
    for (int rep = 0; rep < reps; rep++)
      printf("%s: %.0f datagrams/s\n", name, measure(&receivers[k], count, 1, 64));
    return 0;
  }
  fprintf(stderr, "recv-capacity: no receiver '%s'\n", name);
  return 2;
}

static void print_row(int size, int senders, const double *med)
{
  printf("%5d %7d", size, senders);
  for (size_t k = 0; k < NRECEIVERS; k++) printf("  %6.2fM %4.2fx", med[k] / 1e6, med[k] / med[0]);
  printf("\n");
}

int main(int argc, char **argv)
{
  static const int sizes[] = {64, 1200}, senders[] = {1, 32};
  double targets[4][4]; /* core/cmsg, core/bare, core+probe/cmsg, core+probe/bare */
  char err[256];
  const char *only = NULL;
  long count = 200000;
  int reps = 5, c, row = 0;

  while ((c = getopt(argc, argv, "r:n:o:p")) != -1) {
    if (c == 'r')
      reps = atoi(optarg);
    else if (c == 'n')
      count = atol(optarg);
    else if (c == 'o')
      only = optarg;
    else if (c == 'p')
      probes = true;
    else {
      fprintf(stderr, "usage: recv-capacity [-r REPS] [-n COUNT] [-o RECEIVER] [-p]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > MAX_REPS || count < 1000 || count > 2000000) {
    fprintf(stderr, "recv-capacity: -r 1..%d, -n 1000..2000000\n", MAX_REPS);
    return 2;
  }
  if (only != NULL) return measure_only(only, count, reps);
  if (mcb_private_network(err, sizeof err) != 0) {
    fprintf(stderr, "recv-capacity: %s\n", err);
    return 1;
  }
  printf("recv-capacity: drain a pre-filled queue, median of %d; datagrams/s and ratio to bare\n",
         reps);
  printf(" size senders");
  for (size_t k = 0; k < NRECEIVERS; k++) printf("  %-13s", receivers[k].name);
  printf("\n");
  for (size_t si = 0; si < 2; si++)
    for (size_t ni = 0; ni < 2; ni++, row++) {
      double samples[NRECEIVERS][MAX_REPS], med[NRECEIVERS];
      long n = sizes[si] > 1000 ? count / 2 : count; /* keep the queue under 512 MiB */
      for (int rep = 0; rep < reps; rep++)           /* interleaved, so drift hits all alike */
        for (size_t k = 0; k < NRECEIVERS; k++)
          samples[k][rep] = measure(&receivers[k], n, senders[ni], sizes[si]);
      for (size_t k = 0; k < NRECEIVERS; k++) {
        qsort(samples[k], (size_t)reps, sizeof samples[k][0], cmp_double);
        med[k] = samples[k][reps / 2];
      }
      print_row(sizes[si], senders[ni], med);
      targets[row][0] = med[2] / med[1];
      targets[row][1] = med[2] / med[0];
      targets[row][2] = med[5] / med[1];
      targets[row][3] = med[5] / med[0];
    }
  printf("\ntarget: core >= 0.95x cmsg (the same control messages), also with every "
         "statistic on (core+probe)\n");
  for (size_t si = 0, k = 0; si < 2; si++)
    for (size_t ni = 0; ni < 2; ni++, k++)
      for (int pr = 0; pr < 2; pr++)
        printf("  %4d B, %2d sender%s: %-10s %.2fx cmsg, %.2fx bare: %s\n", sizes[si], senders[ni],
               senders[ni] == 1 ? " " : "s", pr ? "core+probe" : "core", targets[k][2 * pr],
               targets[k][2 * pr + 1], targets[k][2 * pr] >= 0.95 ? "met" : "MISSED");
  return 0;
}
