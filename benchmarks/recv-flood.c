/* recv-flood.c - benchmark: how fast the core takes a flood, and what it costs in memory.
 *
 * In a private network namespace, a child process blasts N datagrams from S source
 * ports at one receiving socket (plain sendto, as fast as the kernel takes them); the
 * parent receives with libmcbcore and reports datagrams/s, loss, peers kept and evicted,
 * and peak memory. Loss is the kernel's (receive buffer overflow), not the core's.
 *   bench/recv-flood [-n COUNT] [-s SOURCES] [-b BYTES] [-p MAX_PEERS]
 */
#include <mcb.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct flood {
  uv_loop_t loop;
  mcb_bench *bench;
  mcb_socket *rx;
  uint64_t received, first_ns, last_ns;
  uv_timer_t idle;
  uint64_t last_seen_count;
} flood;

static void on_event(const mcb_event *ev, void *arg)
{
  flood *f = arg;
  if (ev->type != MCB_EV_MESSAGE) return;
  if (f->received++ == 0) f->first_ns = ev->msg->mono_ns;
  f->last_ns = ev->msg->mono_ns;
}

/* Stop once nothing has arrived for half a second after the sender finished. */
static void on_idle(uv_timer_t *t)
{
  flood *f = t->data;
  if (f->received > 0 && f->received == f->last_seen_count) {
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, NULL);
    mcb_bench_close(f->bench, NULL, NULL);
    return;
  }
  f->last_seen_count = f->received;
}

static void blast(int port, long count, int sources, int bytes)
{
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  char *buf = calloc(1, (size_t)bytes + 1);
  int *fds = calloc((size_t)sources, sizeof *fds);
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  for (int i = 0; i < sources; i++) fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
  for (long i = 0; i < count; i++)
    (void)!sendto(fds[i % sources], buf, (size_t)bytes, 0, (struct sockaddr *)&to, sizeof to);
  _exit(0);
}

int main(int argc, char **argv)
{
  long count = 1000000;
  int sources = 1000, bytes = 100, c;
  mcb_limits lim;
  flood f = {0};
  char err[256];
  struct rusage ru;
  mcb_addr a;

  mcb_limits_default(&lim);
  while ((c = getopt(argc, argv, "n:s:b:p:")) != -1) {
    switch (c) {
    case 'n':
      count = atol(optarg);
      break;
    case 's':
      sources = atoi(optarg);
      break;
    case 'b':
      bytes = atoi(optarg);
      break;
    case 'p':
      lim.max_peers = (size_t)atol(optarg);
      break;
    default:
      fprintf(stderr, "usage: %s [-n COUNT] [-s SOURCES] [-b BYTES] [-p MAX_PEERS]\n", argv[0]);
      return 2;
    }
  }
  if (count < 1 || sources < 1 || bytes < 0 || bytes > 65000) return 2;
  if (mcb_private_network(err, sizeof err) != 0) {
    fprintf(stderr, "SKIP: %s\n", err);
    return 77;
  }
  uv_loop_init(&f.loop);
  if (mcb_bench_new(&f.loop, &lim, &f.bench) != 0) return 1;
  mcb_observe(f.bench, on_event, &f);
  if (mcb_open(f.bench, MCB_UDP4, 0, &f.rx) != 0 || mcb_bind(f.rx, "127.0.0.1", 0) != 0 ||
      mcb_set_rcvbuf(f.rx, 8 << 20) != 0) {
    fprintf(stderr, "%s\n", mcb_last_error(f.bench));
    return 1;
  }
  mcb_address(f.rx, &a);
  uv_timer_init(&f.loop, &f.idle);
  f.idle.data = &f;
  uv_timer_start(&f.idle, on_idle, 500, 500);
  pid_t child = fork();
  if (child == 0) blast(mcb_addr_port(&a), count, sources, bytes);
  mcb_socket_info info;
  /* Read the statistics once the flood is over, just before the bench closes. */
  uv_run(&f.loop, UV_RUN_DEFAULT);
  waitpid(child, NULL, 0);
  (void)info;
  getrusage(RUSAGE_SELF, &ru);
  double secs = (double)(f.last_ns - f.first_ns) / 1e9;
  printf("sent        %ld datagrams of %d bytes from %d sources\n", count, bytes, sources);
  printf("received    %llu (%.1f%% lost in the kernel)\n", (unsigned long long)f.received,
         100.0 * (double)(count - (long)f.received) / (double)count);
  printf("rate        %.0f datagrams/s over %.3f s\n", secs > 0 ? (double)f.received / secs : 0.0,
         secs);
  printf("peak memory %ld KiB (max peers %zu)\n", ru.ru_maxrss, lim.max_peers);
  uv_loop_close(&f.loop);
  return 0;
}
