/* stats-micro.c - micro-benchmark: the per-datagram cost of the analysis building blocks
 * (payload detection + sequence statistics + jitter + delay histogram + per-second ring),
 * on datagrams prepared in memory, no sockets. It reports ns per datagram for probes and
 * iperf 2 datagrams, with and without the probe fill check, so the receive path's budget
 * (the core must drain >= 0.95x a minimal recvmmsg loop, about 600 ns per datagram here)
 * can be judged. It measures and asserts nothing.
 *   benchmarks/stats-micro [-n DATAGRAMS] [-s BYTES]
 */
#include <mcb.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NBUF 256 /* distinct datagrams cycled through (cache-resident, like a batch) */

typedef struct stream {
  mcb_seqstats seq;
  mcb_jitter jitter;
  mcb_delaystats delay;
  mcb_persec persec;
} stream;

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: other load does not count */
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
  for (int j = 0; j < bytes; j++) p[j] = (uint8_t)(v >> (8 * (bytes - 1 - j)));
}

static void make_probes(uint8_t (*bufs)[2048], size_t size)
{
  for (uint64_t i = 0; i < NBUF; i++) {
    mcb_probe p = {.stream = 1,
                   .sender = 7,
                   .nonce = 0x1234,
                   .seq = i,
                   .send_ns = 1700000000000000000u + i * 10000};
    mcb_probe_encode(&p, bufs[i], 2048, size);
  }
}

static void make_iperf(uint8_t (*bufs)[2048], size_t size)
{
  for (uint32_t i = 0; i < NBUF; i++) {
    uint8_t *b = bufs[i];
    memset(b, '0', size);
    put_be(b, i + 1, 4);
    put_be(b + 4, 1700000000u, 4);
    put_be(b + 8, (i * 10) % 1000000u, 4);
    put_be(b + 12, 0, 4);
    put_be(b + 16, 0x48010098u, 4);
  }
}

/* The sequence number datagram i carries: rising, with a fault every 101 datagrams (a
 * pair swapped) and every 97 (one lost), so every path of the accounting runs. */
static uint64_t seq_of(uint64_t i)
{
  uint64_t s = i % 101 == 99 ? i + 1 : i % 101 == 100 ? i - 1 : i;
  return i % 97 == 50 ? s + 1 : s;
}

/* The per-datagram work the receive path will do; returns ns per datagram. */
static double run(uint8_t (*bufs)[2048], size_t size, uint64_t n, unsigned check, bool iperf,
                  uint64_t *sink)
{
  stream *s = calloc(1, sizeof *s);
  mcb_seqstats_init(&s->seq);
  mcb_jitter_init(&s->jitter);
  mcb_delaystats_init(&s->delay);
  mcb_persec_init(&s->persec);
  uint64_t arrival = 1700000000000050000u, mono = 5000000000u;
  uint64_t t0 = now_ns();
  for (uint64_t i = 0; i < n; i++) {
    unsigned k = (unsigned)(i % NBUF);
    mcb_payload_info info;
    /* What the sender would have written (a store of one word, as in a real buffer). */
    if (iperf)
      put_be(bufs[k], seq_of(i) + 1, 4);
    else
      put_be(bufs[k] + 16, seq_of(i), 8);
    mcb_payload_detect(bufs[k], size, check, &info);
    mcb_seqstats_add_payload(&s->seq, &info);
    if (info.has_time) {
      mcb_jitter_add(&s->jitter, info.send_ns, arrival);
      mcb_delaystats_add(&s->delay, (int64_t)(arrival - info.send_ns));
    }
    mcb_persec_add(&s->persec, mono, size);
    arrival += 10000 + (i & 7) * 100;
    mono += 625;
  }
  uint64_t t1 = now_ns();
  *sink += s->seq.received + s->seq.lost + (uint64_t)s->jitter.jitter_ns + s->delay.count;
  free(s);
  return (double)(t1 - t0) / (double)n;
}

int main(int argc, char **argv)
{
  uint64_t n = 20000000, sink = 0;
  size_t size = 64;
  int c;
  while ((c = getopt(argc, argv, "n:s:")) != -1) {
    if (c == 'n')
      n = strtoull(optarg, NULL, 10);
    else if (c == 's')
      size = strtoul(optarg, NULL, 10);
    else {
      fprintf(stderr, "usage: stats-micro [-n DATAGRAMS] [-s BYTES (32..2048)]\n");
      return 2;
    }
  }
  if (size < MCB_PROBE_HDR_LEN || size > 2048 || n == 0) {
    fprintf(stderr, "stats-micro: -s must be 32..2048 and -n positive\n");
    return 2;
  }
  static uint8_t bufs[NBUF][2048];
  make_probes(bufs, size);
  printf("%-46s %6.1f ns/datagram\n", "probe: detect+seq+jitter+delay+persec",
         run(bufs, size, n, 0, false, &sink));
  printf("%-46s %6.1f ns/datagram\n", "probe, fill checked",
         run(bufs, size, n, MCB_PROBE_CHECK_FILL, false, &sink));
  make_iperf(bufs, size);
  printf("%-46s %6.1f ns/datagram\n", "iperf2: detect+seq+jitter+delay+persec",
         run(bufs, size, n, 0, true, &sink));
  printf("memory per stream: seqstats %zu B, jitter %zu B, delaystats %zu B, persec %zu B\n",
         sizeof(mcb_seqstats), sizeof(mcb_jitter), sizeof(mcb_delaystats), sizeof(mcb_persec));
  printf("(%llu datagrams of %zu bytes each; checksum %llu)\n", (unsigned long long)n, size,
         (unsigned long long)(sink & 0xffff));
  return 0;
}
