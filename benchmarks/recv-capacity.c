/* recv-capacity.c - benchmark: how fast each receiver drains a pre-filled socket queue.
 *
 * Inside a private network namespace, N datagrams from S sender sockets are queued on a
 * receiving socket (SO_RCVBUFFORCE 512 MiB, sender idle afterwards); then one receiver,
 * pinned to CPU 0, drains the queue and is timed. Receivers, side by side:
 *   bare        recvmmsg, 64 per call, counting only: the practical ceiling
 *   cmsg        the same, asking for what the core asks (PKTINFO, TTL, timestamp, source)
 *   cmsg+drops  the same, plus one SO_MEMINFO read per batch: the price of the kernel drop
 *               counter read after each batch (the core reads it once per wakeup)
 *   core        libmcbcore: full metadata, per-peer table, observers
 *   uv_udp      libuv's uv_udp_t (no metadata), plain and with UV_UDP_RECVMMSG
 *   core+probe  the core draining probe payloads: sequence, delay and jitter statistics on
 *   iperf2, node, mcbench run, mcbench play: other programs (recv-external.c), joined to a
 *               group, their queue filled through it while they are stopped; `mcbench
 *               play` draws its TUI on a pseudo-terminal of 120x40 meanwhile
 * Each figure is the median of R repetitions, reported as datagrams/s and as a ratio.
 * It measures and prints; it asserts nothing (targets are judged by a person or CI log).
 *   benchmarks/recv-capacity [-r REPS] [-n COUNT] [-o RECEIVER] [-p] [-x]   (-o: measure only
 *   that one, e.g. under valgrind --tool=callgrind --toggle-collect=mcb__on_readable to
 *   count instructions; -p: probe payloads, so the core's per-stream analysis runs; -x:
 *   without the other programs)
 */
#include <mcb.h>

#include "recv-external.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/sock_diag.h>
#include <math.h>
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
  int ext;     /* another program (recv-external.h), or -1 */
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

/* The minimal loops: recvmmsg until the queue is empty; `ctrl` asks for metadata,
 * `drops` reads the kernel's drop counter after each batch. */
static void drain_loop(run *r, bool ctrl, bool drops)
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
    if (drops) {
      uint32_t mem[SK_MEMINFO_VARS];
      socklen_t len = sizeof mem;
      if (getsockopt(r->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0)
        sink += (int)mem[SK_MEMINFO_DROPS];
    }
    r->got += n;
  }
  (void)sink;
}

static void drain_bare(run *r)
{
  drain_loop(r, false, false);
}

static void drain_cmsg(run *r)
{
  drain_loop(r, true, false);
}

static void drain_cmsg_drops(run *r)
{
  drain_loop(r, true, true);
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
    {"bare", prepare_plain, drain_bare, false, -1},
    {"cmsg", prepare_cmsg, drain_cmsg, false, -1},
    {"cmsg+drops", prepare_cmsg, drain_cmsg_drops, false, -1},
    {"core", prepare_core, drain_core, false, -1},
    {"uv_udp", prepare_plain, drain_uv_plain, false, -1},
    {"uv_udp+mmsg", prepare_plain, drain_uv_mmsg, false, -1},
    {"core+probe", prepare_core, drain_core, true, -1},
    {"bare program", NULL, NULL, false, EXT_BARE},
    {"iperf2", NULL, NULL, false, EXT_IPERF2},
    {"node", NULL, NULL, false, EXT_NODE},
    {"mcbench run", NULL, NULL, false, EXT_MCBENCH_RUN},
    {"mcbench play", NULL, NULL, false, EXT_MCBENCH_PLAY},
};
#define NRECEIVERS (sizeof receivers / sizeof receivers[0])

long bench_fill(int rxfd, const struct sockaddr_in *to, long count, int senders, int size,
                bool with_probes, int src_port)
{
  uint32_t mem[SK_MEMINFO_VARS];
  socklen_t mlen = sizeof mem;
  static char payload[2048];
  int fds[64];
  for (int i = 0; i < senders; i++) {
    struct sockaddr_in from = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(src_port + i))};
    fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (src_port != 0) (void)!bind(fds[i], (struct sockaddr *)&from, sizeof from);
  }
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
    (void)!sendto(fds[i % senders], payload, (size_t)size, 0, (const struct sockaddr *)to,
                  sizeof *to);
  }
  for (int i = 0; i < senders; i++) close(fds[i]);
  if (getsockopt(rxfd, SOL_SOCKET, SO_MEMINFO, mem, &mlen) != 0) return count;
  return count - (long)mem[SK_MEMINFO_DROPS];
}

void bench_pin(int cpu)
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

static uint64_t cpu_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One measurement: datagrams per second of wall-clock time, and in *cpu per second of the
 * receiver's CPU time (what other load on the machine disturbs far less); 0 when it could
 * not be made. */
static double measure(const receiver *rc, long count, int senders, int size, double *cpu)
{
  uv_loop_t loop;
  run r = {.fd = -1, .loop = &loop};
  double rate = 0;
  uint64_t t0, c0;
  *cpu = 0;
  if (rc->ext >= 0) return ext_measure(rc->ext, count, senders, size, cpu);
  /* Filled from the CPU that drains: a datagram freed on another CPU than the one that
   * allocated it is handed back to that one (deferred skb free, an IPI per few dozen). */
  bench_pin(0);
  uv_loop_init(&loop);
  if (rc->prepare(&r) == 0) {
    struct sockaddr_in to;
    socklen_t len = sizeof to;
    getsockname(r.fd, (struct sockaddr *)&to, &len);
    r.expected = bench_fill(r.fd, &to, count, senders, size, probes || rc->probes, 0);
    t0 = now_ns();
    c0 = cpu_ns();
    rc->drain(&r);
    if (r.got == r.expected) {
      *cpu = (double)r.got * 1e9 / (double)(cpu_ns() - c0);
      rate = (double)r.got * 1e9 / (double)(now_ns() - t0);
    } else {
      fprintf(stderr, "recv-capacity: %s received %ld of %ld\n", rc->name, r.got, r.expected);
    }
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
    for (int rep = 0; rep < reps; rep++) {
      double cpu, wall = measure(&receivers[k], count, 1, 64, &cpu);
      printf("%s: %.0f datagrams/s, %.0f per CPU-second\n", name, wall, cpu);
    }
    ext_stop_all();
    return 0;
  }
  fprintf(stderr, "recv-capacity: no receiver '%s'\n", name);
  return 2;
}

#define NCOND 4 /* 64 and 1200 bytes, 1 and 32 senders */
static const int cond_size[NCOND] = {64, 64, 1200, 1200}, cond_senders[NCOND] = {1, 32, 1, 32};
enum { WALL, CPU };
static double med[2][NRECEIVERS][NCOND]; /* medians, 0 when not measured */
static bool skip[NRECEIVERS];

static int index_of(const char *name)
{
  for (size_t k = 0; k < NRECEIVERS; k++)
    if (strcmp(receivers[k].name, name) == 0) return (int)k;
  return 0;
}

/* Every receiver in one condition, repetitions interleaved so drift hits all alike. */
static void measure_condition(int c, long count, int reps)
{
  double samples[2][NRECEIVERS][MAX_REPS] = {{{0}}};
  long n = cond_size[c] > 1000 ? count / 2 : count; /* keep the queue under 512 MiB */
  bool off[NRECEIVERS];
  for (size_t k = 0; k < NRECEIVERS; k++)
    off[k] = skip[k] ||
             (receivers[k].ext >= 0 && ext_unsupported(receivers[k].ext, cond_senders[c]) != NULL);
  for (int rep = 0; rep < reps; rep++)
    for (size_t k = 0; k < NRECEIVERS; k++)
      samples[WALL][k][rep] =
          off[k] ? 0
                 : measure(&receivers[k], n, cond_senders[c], cond_size[c], &samples[CPU][k][rep]);
  for (int w = WALL; w <= CPU; w++)
    for (size_t k = 0; k < NRECEIVERS; k++) {
      qsort(samples[w][k], (size_t)reps, sizeof samples[w][k][0], cmp_double);
      med[w][k][c] = samples[w][k][reps / 2];
    }
}

static void print_table(int w)
{
  printf("\n%-13s", w == WALL ? "wall-clock" : "CPU time");
  for (int c = 0; c < NCOND; c++) printf("  %4d B, %2d snd", cond_size[c], cond_senders[c]);
  printf("\n");
  for (size_t k = 0; k < NRECEIVERS; k++) {
    printf("%-13s", receivers[k].name);
    for (int c = 0; c < NCOND; c++)
      if (med[w][k][c] > 0 && med[w][0][c] > 0)
        printf("  %6.2fM %5.2fx", med[w][k][c] / 1e6, med[w][k][c] / med[w][0][c]);
      else
        printf("  %15s", "n/a");
    printf("\n");
  }
}

static double ratio(int w, const char *a, const char *b, int c)
{
  double x = med[w][index_of(a)][c], y = med[w][index_of(b)][c];
  return x > 0 && y > 0 ? x / y : NAN;
}

/* One target line per condition: a / b against `want` (>=), judged on CPU time (on a
 * shared machine the wall-clock figure moves with everybody else's load). */
static void print_target(const char *what, const char *a, const char *b, double want)
{
  printf("%s (target >= %.2fx):\n", what, want);
  for (int c = 0; c < NCOND; c++) {
    double cpu = ratio(CPU, a, b, c), wall = ratio(WALL, a, b, c);
    printf("  %4d B, %2d sender%s ", cond_size[c], cond_senders[c],
           cond_senders[c] == 1 ? ": " : "s:");
    if (isnan(cpu) || isnan(wall))
      printf("not measured\n");
    else
      printf("%5.2fx CPU, %5.2fx wall: %s\n", cpu, wall, cpu >= want ? "met" : "MISSED");
  }
}

static void print_ratios(const char *what, const char *a, const char *b)
{
  printf("%s (no target), CPU time:", what);
  for (int c = 0; c < NCOND; c++) printf(" %.3fx", ratio(CPU, a, b, c));
  printf("; wall-clock:");
  for (int c = 0; c < NCOND; c++) printf(" %.3fx", ratio(WALL, a, b, c));
  printf("\n");
}

/* What the figures say against issue 9's targets, plainly. */
static void print_targets(void)
{
  printf("\n");
  print_target("core / cmsg (the same control messages)", "core", "cmsg", 0.95);
  print_target("core+probe / cmsg (every statistic on)", "core+probe", "cmsg", 0.95);
  print_target("core / iperf2 (iperf -s -u -B GROUP)", "core", "iperf2", 3.0);
  print_target("  the same, both as separate programs: mcbench run / iperf2", "mcbench run",
               "iperf2", 3.0);
  print_target("core / node (Node.js dgram)", "core", "node", 6.0);
  print_target("  the same, both as separate programs: mcbench run / node", "mcbench run", "node",
               6.0);
  print_target("mcbench play (TUI drawing, 120x40) / core", "mcbench play", "core", 0.90);
  print_target("  the same, both as separate programs: mcbench play / mcbench run", "mcbench play",
               "mcbench run", 0.90);
  print_ratios("the method's own cost for other programs: bare program / bare", "bare program",
               "bare");
  print_ratios("one SO_MEMINFO read per batch: cmsg+drops / cmsg", "cmsg+drops", "cmsg");
}

int main(int argc, char **argv)
{
  char err[256];
  const char *only = NULL;
  long count = 200000;
  int reps = 5, c;
  bool no_ext = false;

  if (argc == 3 && strcmp(argv[1], "--bare-receiver") == 0) return ext_bare_main(atoi(argv[2]));
  while ((c = getopt(argc, argv, "r:n:o:px")) != -1) {
    if (c == 'r')
      reps = atoi(optarg);
    else if (c == 'n')
      count = atol(optarg);
    else if (c == 'o')
      only = optarg;
    else if (c == 'p')
      probes = true;
    else if (c == 'x')
      no_ext = true;
    else {
      fprintf(stderr, "usage: recv-capacity [-r REPS] [-n COUNT] [-o RECEIVER] [-p] [-x]\n");
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
  for (size_t k = 0; k < NRECEIVERS; k++) {
    const char *why = receivers[k].ext < 0 ? NULL
                      : no_ext             ? "-x"
                                           : ext_unavailable(receivers[k].ext);
    if ((skip[k] = why != NULL) && !no_ext)
      printf("not measured: %s: %s\n", receivers[k].name, why);
    if (!skip[k] && receivers[k].ext >= 0 && (why = ext_unsupported(receivers[k].ext, 32)))
      printf("not measured with 32 senders: %s: %s\n", receivers[k].name, why);
  }
  printf("recv-capacity: drain a pre-filled queue, median of %d; datagrams/s and ratio to bare\n",
         reps);
  for (int k = 0; k < NCOND; k++) measure_condition(k, count, reps);
  ext_stop_all();
  print_table(WALL);
  print_table(CPU);
  print_targets();
  return 0;
}
