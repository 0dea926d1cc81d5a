/* stream-task-internal.h - a running send stream, shared by the two files that run it:
 * stream-run.c paces and sends (take what is due, build, sendmmsg, wait), stream-task.c
 * is its life as a session task (start, name lookup, end, records). Not used elsewhere. */
#ifndef SCN_STREAM_TASK_INTERNAL_H
#define SCN_STREAM_TASK_INTERNAL_H

#include "stream-task.h"

#define SLOTS MCB_SEND_BATCH             /* datagrams built per sendmmsg batch */
#define PEND  (SLOTS + 2 * SCN_WIRE_MAX) /* taken, not yet handed to the kernel */

typedef struct pending {
  scn_wire w;
  uint64_t due; /* relative deadline of its sequence number */
} pending;

typedef struct stream {
  scn_task *task;
  mcb_socket *sock;
  unsigned id;
  char name[SCN_NAME_MAX];
  char dest[96];
  bool probe, foreground, exhausted, failed, warned_error;
  uint64_t fg_seq;
  double rate_pps;
  scn_stream_gen gen;
  uint32_t sender, nonce;
  mcb_addr first;
  uint64_t ndest;
  uint64_t start, end; /* uv_hrtime; end: an unpaced `for` (0: none) */
  uint64_t last_take;  /* relative time the last sequence number was taken */
  uint64_t sent, bytes, errors, backpressure;
  bool behind;
  pending pend[PEND];
  size_t phead, pcount;
  uv_timer_t timer;
  uv_idle_t idle;
  uv_getaddrinfo_t gai;
  char host[256]; /* a host name to resolve first, or "" */
  int port;
  bool resolving;
  int handles_open; /* and the name lookup while it is pending */
  uint8_t hdr[SLOTS][MCB_PROBE_HDR_LEN];
  struct iovec iov[SLOTS][2];
  mcb_addr dst[SLOTS];
  mcb_dgram dg[SLOTS];
  size_t body_len;
  uint8_t body[];
} stream;

/* stream-run.c */
/* Starts the clock and the first wakeup (the destination is known). */
void scn__stream_go(stream *st);
/* Sequence numbers per second since the start (`rel` ns ago). */
double scn__stream_achieved(const stream *st, uint64_t rel);
/* Copies the progress into the socket's record (if the socket still has it). */
void scn__stream_update(stream *st, uint64_t rel);

/* stream-task.c */
/* Ends the stream with `state`: its record, a note when done, its command resumed. */
void scn__stream_finish(stream *st, scn_stream_state state, uint64_t rel);

#endif
