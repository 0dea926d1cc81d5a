/* testlib.h - helpers shared by the cmocka tests.
 *
 * Network tests run inside a private network namespace made by the test itself
 * (mcb_private_network), never on the machine's interfaces. Loops run bounded in time.
 */
#ifndef MCB_TESTLIB_H
#define MCB_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <cmocka.h>

#include "mcb.h"

/* Enters a private network namespace once per process. Returns true when the tests may
 * use the network; otherwise prints why (once) and returns false. Call it from main()
 * before anything starts a thread. */
bool mcbt_private_network(void);
/* The same with mcbench --private's two-host lab (hosts local and peer). */
bool mcbt_private_lab(void);
/* In a test: skip it, with the reason, when there is no private namespace. */
#define MCBT_NEED_NET()                                                                            \
  do {                                                                                             \
    if (!mcbt_have_net()) skip();                                                                  \
  } while (0)
bool mcbt_have_net(void);

/* Runs `loop` until `done(arg)` is true or `timeout_ms` passes; true if done. */
bool mcbt_run_until(uv_loop_t *loop, bool (*done)(void *arg), void *arg, unsigned timeout_ms);
/* Runs `loop` for `ms` milliseconds (to prove that something does NOT happen). */
void mcbt_run_for(uv_loop_t *loop, unsigned ms);
/* Closes every handle left on the loop, runs it dry and asserts uv_loop_close() == 0. */
void mcbt_loop_close(uv_loop_t *loop);

/* A bench with an observer that records the events of interest, for assertions. */
#define MCBT_MAX_MSGS 64
typedef struct mcbt_msg {
  mcb_socket *sock;
  mcb_addr src, dst;
  unsigned ifindex;
  int ttl;
  size_t len, wire_len;
  bool truncated;
  uint8_t data[256];
} mcbt_msg;

typedef struct mcbt_bench {
  uv_loop_t loop;
  mcb_bench *bench;
  mcbt_msg msgs[MCBT_MAX_MSGS];
  size_t nmsgs;    /* recorded (at most MCBT_MAX_MSGS) */
  size_t messages; /* all MCB_EV_MESSAGE events */
  size_t listening, closes, errors, changed, sent;
  int last_send_status;
} mcbt_bench;

void mcbt_bench_init(mcbt_bench *t);
/* Closes the bench, runs the loop until it is gone, asserts the loop closes cleanly. */
void mcbt_bench_done(mcbt_bench *t);
/* Messages recorded for one socket. */
size_t mcbt_count_for(const mcbt_bench *t, const mcb_socket *s);
/* Waits (bounded) until `s` has received at least n messages; returns the count seen. */
size_t mcbt_wait_msgs(mcbt_bench *t, const mcb_socket *s, size_t n, unsigned timeout_ms);
/* Sends and runs the loop until the send completes; returns its status. */
int mcbt_send_sync(mcbt_bench *t, mcb_socket *s, const void *buf, size_t len, const char *dest);

/* Opens and binds; asserts success. `port` 0 picks one; returns the bound port. */
mcb_socket *mcbt_open_bound(mcbt_bench *t, mcb_family f, unsigned flags, const char *host,
                            int port);
int mcbt_port(const mcb_socket *s);

#endif
