/* send-rate.c - benchmark: how fast, and how precisely, mcbench's send streams send.
 *
 * Inside a private network namespace (nothing reaches a real network), to a loopback
 * socket that nobody reads (its queue overflows in the kernel, as for any sender):
 *   max rate   a minimal C loop (sendmmsg, 64 datagrams per call, one fixed buffer)
 *              against an unpaced stream (`send tx DEST probe size 64 for 1s`), which
 *              encodes a probe header per datagram and runs on the loop;
 *   pacing     `send tx DEST probe rate N pps for 2s` at 1k, 10k and 100k pps: the
 *              achieved rate, and the pacing error |achieved - requested| / requested.
 * Each figure is the median of R repetitions. It measures and prints; it asserts nothing
 * (the targets: max rate >= 0.90x the minimal loop, pacing error <= 1% at 100k).
 *   benchmarks/send-rate [-r REPS] [-s SECONDS]
 */
#include <mcb.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session.h"

#define MAX_REPS 15
#define PORT     7900

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof v[0], cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The sink: bound, never read, a small queue. */
static int sink(void)
{
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
  int fd = socket(AF_INET, SOCK_DGRAM, 0), size = 4096;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("bind");
    exit(1);
  }
  return fd;
}

/* The minimal loop: datagrams per second for `secs`. */
static double minimal_loop(double secs)
{
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
  struct mmsghdr m[64];
  struct iovec iov;
  uint8_t buf[64] = {0};
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  uint64_t t0 = now_ns(), end = t0 + (uint64_t)(secs * 1e9), n = 0, t;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  iov = (struct iovec){buf, sizeof buf};
  memset(m, 0, sizeof m);
  for (int i = 0; i < 64; i++)
    m[i].msg_hdr =
        (struct msghdr){.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
  while ((t = now_ns()) < end) {
    int k = sendmmsg(fd, m, 64, 0);
    if (k > 0) n += (uint64_t)k;
  }
  close(fd);
  return (double)n * 1e9 / (double)(t - t0);
}

typedef struct bench_run {
  bool done;
} bench_run;

static void on_done(void *arg, const scn_summary *sum)
{
  ((bench_run *)arg)->done = true;
}

static void on_error(void *arg, const scn_diag *d)
{
  char buf[400];
  scn_diag_format(d, buf, sizeof buf);
  fprintf(stderr, "%s\n", buf);
}

static void closed(void *arg)
{
  *(bool *)arg = true;
}

/* Runs one stream in a session until it ends; its record's achieved rate, or -1. */
static double stream(const char *options)
{
  uv_loop_t loop;
  bench_run r = {false};
  scn_reporter rep = {.arg = &r, .done = on_done, .error = on_error};
  scn_session_opts so = {0};
  scn_session *s;
  scn_source *src;
  scn_diags diags = {0};
  char text[256];
  double rate = -1;
  bool gone = false;
  snprintf(text, sizeof text, "open tx udp4\nsend tx 127.0.0.1:%d probe size 64 %s\n", PORT,
           options);
  uv_loop_init(&loop);
  if (scn_session_new(&loop, &so, &rep, &s) != 0 ||
      scn_source_new("bench", text, strlen(text), &src) != 0 || scn_session_load(s, src, &diags)) {
    fprintf(stderr, "send-rate: cannot start the session\n");
    exit(1);
  }
  scn_session_run(s);
  for (;;) { /* until the script ran dry and the stream ended */
    uv_run(&loop, UV_RUN_ONCE);
    const scn_sock *tx = scn_session_socket(s, "tx");
    if (r.done && tx && tx->send.nstreams == 1 && tx->send.streams[0].state != SCN_STREAM_RUNNING) {
      rate = tx->send.streams[0].achieved_pps;
      if (tx->send.streams[0].behind) fprintf(stderr, "  (the stream fell behind)\n");
      break;
    }
  }
  scn_session_close(s, closed, &gone);
  while (!gone) uv_run(&loop, UV_RUN_ONCE);
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
  return rate;
}

int main(int argc, char **argv)
{
  int reps = 5, c, fd;
  double secs = 1, v[MAX_REPS], w[MAX_REPS], ref, got;
  char err[256], opts[96];
  static const double rates[] = {1000, 10000, 100000};
  while ((c = getopt(argc, argv, "r:s:")) != -1) {
    if (c == 'r') reps = atoi(optarg);
    if (c == 's') secs = atof(optarg);
    if (c != 'r' && c != 's') {
      fprintf(stderr, "usage: send-rate [-r REPS] [-s SECONDS]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > MAX_REPS) reps = 5;
  if (secs <= 0 || secs > 60) secs = 1;
  if (mcb_private_network(err, sizeof err) != 0) {
    fprintf(stderr, "send-rate: %s (needs a private namespace; skipped)\n", err);
    return 77;
  }
  fd = sink();
  printf("send rate, 64-byte datagrams to a loopback socket, median of %d runs of %gs\n", reps,
         secs);
  /* alternated, so a load that comes and goes weighs on both alike */
  snprintf(opts, sizeof opts, "for %gs", secs);
  for (int i = 0; i < reps; i++) {
    v[i] = minimal_loop(secs);
    w[i] = stream(opts);
  }
  ref = median(v, reps);
  got = median(w, reps);
  printf("%-36s %12.0f datagrams/s  1.00x\n", "minimal sendmmsg loop", ref);
  printf("%-36s %12.0f datagrams/s  %.2fx%s\n", "mcbench stream, unpaced (probe)", got, got / ref,
         got / ref < 0.90 ? "  (target 0.90x: MISSED)" : "  (target 0.90x: met)");
  for (size_t k = 0; k < sizeof rates / sizeof rates[0]; k++) {
    char name[64];
    snprintf(opts, sizeof opts, "rate %.0f pps for %gs", rates[k], 2 * secs);
    for (int i = 0; i < reps; i++) v[i] = stream(opts);
    got = median(v, reps);
    double error = (got > rates[k] ? got - rates[k] : rates[k] - got) / rates[k] * 100;
    snprintf(name, sizeof name, "mcbench stream, rate %.0f pps", rates[k]);
    printf("%-36s %12.0f datagrams/s  pacing error %.2f%%%s\n", name, got, error,
           rates[k] == 100000 ? (error <= 1 ? "  (target 1%: met)" : "  (target 1%: MISSED)") : "");
  }
  close(fd);
  return 0;
}
