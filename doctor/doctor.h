/* doctor.h - `mcbench doctor`: why multicast does not arrive, or does not leave.
 *
 * A diagnosis is a list of checks, cheapest and passive first, each one row of one
 * table (doctor.c). A check reads the kernel (rtnetlink through the core, /proc, sysctls)
 * and fills one result: a status, a summary, the evidence it read and the exact fix.
 * A FAIL needs proof (an error code, a state the kernel reports, or a counter that moved
 * while the doctor watched); a risky setting alone is a WARN. Checks never guess: what
 * they cannot read (no privilege) is a SKIP naming what it needs.
 *
 * Layering: app and ui call the doctor; the doctor uses the core and scenarios' escaper
 * and report files. It never draws.
 */
#ifndef DOC_DOCTOR_H
#define DOC_DOCTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mcb.h"

/* Ordered by severity: the worst status of a diagnosis decides its exit status. */
typedef enum doc_status { DOC_PASS, DOC_INFO, DOC_SKIP, DOC_WARN, DOC_FAIL } doc_status;

#define DOC_TEXT_MAX     256 /* one summary, evidence or fix line */
#define DOC_EVIDENCE_MAX 8
#define DOC_RESULTS_MAX  32

typedef struct doc_result {
  const char *id; /* the check's id, e.g. "rp_filter" */
  doc_status status;
  char summary[DOC_TEXT_MAX];
  char evidence[DOC_EVIDENCE_MAX][DOC_TEXT_MAX];
  unsigned nevidence;
  char fix[DOC_TEXT_MAX];
} doc_result;

/* What the user asked: `doctor GROUP[:PORT] [on IFACE] [from SOURCE]` for a receiver,
 * `doctor send GROUP:PORT [on IFACE] [ttl N] [to RECEIVER]` for a sender. */
typedef struct doc_request {
  bool send;
  mcb_addr group;
  int port;                /* 0: any */
  char iface[IF_NAMESIZE]; /* empty: whichever the kernel picks */
  bool has_source;
  mcb_addr source;
  int ttl;           /* sender: -1 when not given */
  bool has_receiver; /* sender: `to RECEIVER`, a host that should get the group */
  mcb_addr receiver;
  uint64_t wait_ms;           /* how long [watch] watches the counters; 0: no watching */
  uint64_t querier_wait_ms;   /* how long [querier] listens for queries; 0: not at all */
  bool probe;                 /* run [self-test] */
  uint64_t query_interval_ms; /* how often the LAN's querier queries; 0: 125 s (RFC 3376) */
} doc_request;

/* Facts one check finds and a later one uses (the interface a join would take, ...). */
typedef struct doc_facts {
  unsigned ifindex; /* the interface in question: given, or the group route's */
  char ifname[IF_NAMESIZE];
  bool have_link;
  mcb_link_info link;
  bool have_route;
  mcb_route_info route;
} doc_facts;

typedef struct doc_diagnosis doc_diagnosis;
/* Called once when a diagnosis has finished (or was cancelled). */
typedef void (*doc_done_cb)(doc_diagnosis *d, void *arg);

struct doc_probe;
struct doc_querier;

struct doc_diagnosis {
  doc_request req;
  doc_facts facts;
  doc_result results[DOC_RESULTS_MAX];
  unsigned count;
  bool traffic_seen; /* [watch] saw multicast arrive (receiver) or leave (sender) */
  bool watched;
  char *proc;      /* scratch for /proc files (doc_proc), allocated by doc_start */
  size_t procsize; /* DOC_PROC_MAX */
  /* private: the phases that wait on the loop */
  uv_loop_t *loop;
  doc_done_cb done;
  void *done_arg;
  unsigned stage, pending;
  bool in_stage, cancelled;
  uv_timer_t timer; /* [watch]'s wait, then the call of `done` */
  bool watch_running;
  uint64_t watch_before[16];
  bool watch_ok[16];
  doc_result *watch_result;
  struct doc_probe *probe;
  struct doc_querier *querier;
};

#define DOC_PROC_MAX (4u << 20) /* a /proc file longer than this is read in part */

/* Exit statuses of `mcbench doctor`. */
enum { DOC_EXIT_PASS = 0, DOC_EXIT_WARN = 1, DOC_EXIT_FAIL = 2, DOC_EXIT_INCONCLUSIVE = 3 };

/* Parses the words after `doctor` (GROUP[:PORT] on IFACE from SOURCE, or send ...).
 * Options (--wait, --probe) are the caller's. Returns 0, or a negative code with a
 * message in err. */
int doc_request_parse(doc_request *req, int argc, char **argv, char *err, size_t errsize);

/* Runs the passive checks at once, then on `loop` the phases that wait: [self-test]
 * (--probe), then [watch] and [querier] side by side. `done` is called once, from the
 * loop, when all have finished; the loop is never blocked. Returns 0, or UV_ENOMEM. */
int doc_start(doc_diagnosis *d, uv_loop_t *loop, doc_done_cb done, void *arg);
/* Stops the phases still waiting (their results say so); `done` still comes. */
void doc_cancel(doc_diagnosis *d);
/* Frees what doc_start allocated; call after `done`. */
void doc_free(doc_diagnosis *d);

/* The verdict: the most likely cause (the first FAIL, else the first WARN), and the exit
 * status (inconclusive: nothing wrong found, yet no traffic seen while watching). */
const doc_result *doc_verdict(const doc_diagnosis *d);
int doc_exit_status(const doc_diagnosis *d);

/* Output: one line per check, evidence and fix indented, and the verdict; every string
 * escaped (interface names and addresses can be anyone's). */
void doc_write_text(const doc_diagnosis *d, FILE *out);
/* The same records as JSON: {"checks":[{check,status,summary,evidence[],fix}],...}. */
void doc_write_json(const doc_diagnosis *d, FILE *out);

const char *doc_status_name(doc_status s);

#endif
