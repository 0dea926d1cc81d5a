/* mcb-listen.c - example: a multicast receiver built on libmcbcore alone.
 *
 * Joins GROUP on PORT (optionally on IFACE, optionally from one SOURCE for SSM) and
 * prints each datagram's source, destination group, arrival TTL and payload, with
 * non-printable bytes escaped. Build it against an installed core with:
 *   cc mcb-listen.c $(pkg-config --cflags --libs mcbcore) -o mcb-listen
 */
#define _POSIX_C_SOURCE 200809L /* uv.h needs POSIX types under -std=c11 */
#include <mcb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct listener {
  long remaining; /* datagrams still to print; <0: forever */
  uv_signal_t sigint;
  mcb_bench *bench;
} listener;

static void print_escaped(const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
      putchar(p[i]);
    else
      printf("\\x%02x", p[i]);
  }
}

static void stop(listener *l)
{
  uv_close((uv_handle_t *)&l->sigint, NULL);
  mcb_bench_close(l->bench, NULL, NULL);
}

static void on_event(const mcb_event *ev, void *arg)
{
  listener *l = arg;
  char src[MCB_ADDRSTRLEN], dst[MCB_ADDRSTRLEN];
  if (ev->type == MCB_EV_ERROR) fprintf(stderr, "%s\n", ev->message);
  if (ev->type != MCB_EV_MESSAGE) return;
  printf("%s -> %s ttl %d len %zu: ", mcb_addr_format(ev->msg->src, src, sizeof src),
         mcb_addr_format_host(ev->msg->dst, dst, sizeof dst), ev->msg->ttl, ev->msg->wire_len);
  print_escaped(ev->msg->data, ev->msg->len < 64 ? ev->msg->len : 64);
  putchar('\n');
  fflush(stdout);
  if (l->remaining > 0 && --l->remaining == 0) stop(l);
}

static void on_sigint(uv_signal_t *sig, int signum)
{
  (void)signum;
  stop(sig->data);
}

int main(int argc, char **argv)
{
  uv_loop_t *loop = uv_default_loop();
  listener l = {.remaining = -1};
  mcb_socket *sock;
  mcb_family family;
  mcb_addr group;
  const char *iface = NULL, *source = NULL;

  if (argc < 3) {
    fprintf(stderr, "usage: %s GROUP PORT [IFACE [SOURCE [COUNT]]]\n", argv[0]);
    return 2;
  }
  if (argc > 3 && strcmp(argv[3], "-") != 0) iface = argv[3];
  if (argc > 4 && strcmp(argv[4], "-") != 0) source = argv[4];
  if (argc > 5) l.remaining = atol(argv[5]);
  if (mcb_addr_parse_host(argv[1], &group) != 0) {
    fprintf(stderr, "%s: not a numeric group address\n", argv[1]);
    return 2;
  }
  family = mcb_addr_family(&group);
  if (mcb_bench_new(loop, NULL, &l.bench) != 0) return 1;
  mcb_observe(l.bench, on_event, &l);
  if (mcb_open(l.bench, family, MCB_REUSE, &sock) != 0 ||
      mcb_bind(sock, NULL, atoi(argv[2])) != 0 ||
      mcb_join(sock, argv[1], iface, source ? &source : NULL, source ? 1 : 0) != 0) {
    fprintf(stderr, "%s\n", mcb_last_error(l.bench));
    mcb_bench_close(l.bench, NULL, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return 1;
  }
  fprintf(stderr, "listening on %s port %s\n", argv[1], argv[2]);
  uv_signal_init(loop, &l.sigint);
  l.sigint.data = &l;
  uv_signal_start(&l.sigint, on_sigint, SIGINT);
  uv_run(loop, UV_RUN_DEFAULT);
  return uv_loop_close(loop) == 0 ? 0 : 1;
}
