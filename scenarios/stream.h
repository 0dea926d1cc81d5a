/* stream.h - the plan of a send stream: which sequence number leaves when, how long it
 * is, and what the sending side's teaching impairments do to it (drop, duplicate,
 * reorder, jitter). Pure arithmetic on a seeded generator: no clock and no socket, so
 * tests assert exact schedules and exact injected counts for a seed.
 *
 * Pacing uses absolute deadlines: sequence number i is due at start + (i / burst) *
 * interval (plus its jitter), computed from i, never from the previous send, so a late
 * timer never accumulates into drift. Every sequence number draws the same five random
 * numbers in the same order (size, drop, reorder, duplicate, jitter) whatever they
 * decide, so one impairment never shifts another's choices.
 */
#ifndef SCN_STREAM_H
#define SCN_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_PPM 1000000u /* probabilities are in parts per million */

typedef struct scn_stream_cfg {
  uint64_t count;            /* sequence numbers to send; 0: no limit */
  uint64_t for_ns;           /* duration; 0: none (see scn_stream_planned) */
  uint64_t interval_ns;      /* between deadlines; 0: unpaced (as fast as the socket takes) */
  unsigned burst;            /* datagrams per deadline (>= 1) */
  size_t size_min, size_max; /* datagram length; equal: fixed */
  uint32_t drop_ppm, dup_ppm, reorder_ppm;
  uint64_t jitter_ns; /* each deadline moves later by 0..jitter_ns (order is kept) */
  uint64_t seed;
} scn_stream_cfg;

/* One datagram to put on the wire. */
typedef struct scn_wire {
  uint64_t seq;
  uint32_t len;
} scn_wire;

#define SCN_WIRE_MAX 4 /* wire datagrams one sequence number can produce */

typedef struct scn_stream_gen {
  scn_stream_cfg cfg;
  uint64_t planned; /* sequence numbers in all; 0: no limit */
  uint64_t rng;
  bool random;   /* anything drawn at all (sizes, impairments, jitter) */
  uint64_t next; /* the next sequence number to take */
  /* the draws of `next`, made when it is first looked at */
  bool drawn;
  uint64_t due_ns; /* relative to the start */
  uint32_t len;
  bool drop, reorder, dup;
  uint64_t last_due_ns;
  /* a datagram held back to be sent after the next one */
  bool held, held_dup;
  scn_wire hold;
  /* what was injected */
  uint64_t dropped, duplicated, reordered;
} scn_stream_gen;

/* splitmix64: a small, good generator for seeds, ids and decisions. */
uint64_t scn_rand_next(uint64_t *state);

/* Sequence numbers the stream sends in all: count, or with a rate and `for DUR` the
 * deadlines inside DUR (ceil(DUR / interval) * burst) when fewer; 0 when unbounded (an
 * unpaced `for` ends by the clock). */
uint64_t scn_stream_planned(const scn_stream_cfg *cfg);
/* The deadline of sequence number i relative to the start, without jitter. */
uint64_t scn_stream_deadline(const scn_stream_cfg *cfg, uint64_t i);

void scn_stream_gen_init(scn_stream_gen *g, const scn_stream_cfg *cfg);
/* When the next sequence number is due (relative to the start, jitter included): true,
 * or false when the plan is exhausted. */
bool scn_stream_peek(scn_stream_gen *g, uint64_t *due_ns);
/* Takes the next sequence number (call scn_stream_peek first) and writes the wire
 * datagrams it produces in order (0 when dropped or held back): a duplicate follows its
 * original, a held datagram follows the next one sent (counted reordered then). The
 * first sequence number is never held back, so a receiver has a start to compare with. */
size_t scn_stream_take(scn_stream_gen *g, scn_wire out[SCN_WIRE_MAX]);
/* At the end of the plan: the datagram still held back, if any (not reordered: nothing
 * overtook it). */
size_t scn_stream_flush(scn_stream_gen *g, scn_wire out[SCN_WIRE_MAX]);

#endif
