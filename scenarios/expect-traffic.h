/* expect-traffic.h - the traffic forms of `expect` (loss, counts, delay, jitter, rtt,
 * rate, kernel drops), for cmd-expect.c. */
#ifndef SCN_EXPECT_TRAFFIC_H
#define SCN_EXPECT_TRAFFIC_H

#include "command-api.h"
#include "measure.h"

/* The keyword alternatives of the count and time forms, as the grammar spells them. */
extern const char *const scn_expect_counts; /* "dups|reordered|late|lost|invalid" */
extern const char *const scn_expect_times;  /* "jitter|delay|...|rtt-p99" */

/* Evaluates a traffic expectation on sock over the peers f keeps; writes what was
 * expected and what was seen. */
bool scn_expect_traffic(const scn_command *cmd, const mcb_socket *sock, const scn_filter *f,
                        char *expected, char *actual, size_t size);

/* join-latency: the time from each join of sock (to the filter's group, when it has one)
 * to the first datagram of that group; the largest is compared, and a membership that
 * has none yet does not hold. */
bool scn_expect_join_latency(const scn_command *cmd, const mcb_socket *sock, const scn_filter *f,
                             char *expected, char *actual, size_t size);

#endif
