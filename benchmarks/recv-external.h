/* recv-external.h - receivers that are other programs (iperf 2's server, a Node.js dgram
 * script, mcbench run and mcbench play on a pseudo-terminal), measured by recv-capacity
 * the way it measures its own: a pre-filled queue, drained by a receiver pinned to CPU 0.
 */
#ifndef MCB_BENCH_RECV_EXTERNAL_H
#define MCB_BENCH_RECV_EXTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>

/* recv-capacity.c: queues `count` datagrams of `size` bytes from `senders` sockets to
 * `to` (bound to ports src_port.. when src_port is not 0); returns how many the receiving
 * socket `rxfd` holds (its drop counter subtracted). */
long bench_fill(int rxfd, const struct sockaddr_in *to, long count, int senders, int size,
                bool probes, int src_port);
void bench_pin(int cpu);

/* The programs, by index. */
enum { EXT_BARE, EXT_IPERF2, EXT_NODE, EXT_MCBENCH_RUN, EXT_MCBENCH_PLAY, EXT_COUNT };

const char *ext_name(int which);
/* Why the receiver cannot be measured here (a program missing), or NULL. */
const char *ext_unavailable(int which);
/* Why it cannot be measured with `senders` senders, or NULL. */
const char *ext_unsupported(int which, int senders);
/* One drain: datagrams per second of wall-clock time, and in *cpu per second of the
 * program's CPU time (all its threads); 0 when it could not be made. The program starts
 * at its first measurement and stays (stopped between measurements) until ext_stop_all(). */
double ext_measure(int which, long count, int senders, int size, double *cpu);
void ext_stop_all(void);
/* EXT_BARE: recv-capacity itself run as a program (`recv-capacity --bare-receiver PORT`),
 * the bare recvmmsg loop joined to the group: what the method costs, for calibration. */
int ext_bare_main(int port);

#endif
