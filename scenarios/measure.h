/* measure.h - what expectations measure on a socket: datagram and byte counts, the last
 * TTL and payload, optionally only from one source and/or to one destination. */
#ifndef SCN_MEASURE_H
#define SCN_MEASURE_H

#include "mcb.h"

typedef struct scn_filter {
  bool from_any, to_any;
  mcb_addr from; /* host, and port when from_port */
  bool from_port;
  mcb_addr to; /* a host; the port is ignored */
} scn_filter;

/* Parses `from` (ADDR, ADDR:PORT, [V6]:PORT, path) and `to` (a host); either may be NULL. */
int scn_filter_parse(scn_filter *f, const char *from, const char *to);

typedef struct scn_measure {
  uint64_t msgs, bytes;
  bool any;               /* a matching datagram was seen */
  int last_ttl;           /* of the latest matching datagram */
  const mcb_record *last; /* latest matching datagram, valid until the loop runs again */
  mcb_addr last_src;
} scn_measure;

/* Counts from the socket counters when unfiltered (exact even after peer eviction),
 * otherwise from the peer table. */
void scn_measure_get(const mcb_socket *sock, const scn_filter *f, scn_measure *out);

/* Traffic figures over the matching peers (mcb_peer_analysis): sums of the sequence
 * counts and rates, the largest jitter and delay figures, delays averaged by count. */
typedef struct scn_traffic {
  size_t peers, sequenced; /* matching peers; those with a sequence */
  uint64_t received, expected, lost, duplicates, reordered, late, invalid;
  double loss_pct;                            /* lost / expected (0 when expected is 0) */
  double rate_msgs, rate_bytes;               /* per second, summed */
  uint64_t delay_count, rtt_count;            /* datagrams with a send time / echo replies */
  double delay_avg_ns, jitter_ns, rtt_avg_ns; /* jitter: the largest */
  int64_t delay_max_ns, delay_p99_ns, rtt_max_ns, rtt_p99_ns; /* the largest */
} scn_traffic;

void scn_measure_traffic(const mcb_socket *sock, const scn_filter *f, scn_traffic *out);

#endif
