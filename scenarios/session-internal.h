/* session-internal.h - the session's private state, shared by session.c and bgsend.c. */
#ifndef SCN_SESSION_INTERNAL_H
#define SCN_SESSION_INTERNAL_H

#include "session.h"
#include "values.h"

/* A source shared by the commands compiled from it. */
typedef struct srcref {
  scn_source *src;
  size_t refs;
  struct srcref *next; /* in session->kept */
} srcref;

typedef struct qnode {
  scn_command cmd;
  srcref *ref;
  uint64_t seq; /* set when it starts */
  struct qnode *next;
} qnode;

typedef struct scn_err {
  int code;
  char message[300];
  unsigned line, col, width;
} scn_err;

enum { LANE_SCRIPT, LANE_OPERATOR, NLANES };

/* One queue of commands, run one at a time. */
typedef struct lane {
  scn_session *s;
  int id;
  qnode *head, *tail;
  qnode *running;
  bool keep_node; /* the running command's node was taken over (background send) */
  uint64_t started;
  bool waiting, pausing;
  scn_waiter waiter;
  uv_timer_t deadline;
  scn_err err;
  scn_outcome prev;
  bool stopped;
  bool advancing, ran, resumed;
} lane;

struct scn_bgsend {
  scn_session *s;
  lane *lane;
  qnode *node; /* the `send` command, kept for its position in error messages */
  scn_sock *ss;
  char dest[300];
  uint8_t *payload;
  size_t len;
  uint64_t count, issued, done, interval_ns, t0;
  unsigned inflight;
  bool stopped, timer_closed;
  uv_timer_t timer;
  struct scn_bgsend *next;
};

struct scn_session {
  uv_loop_t *loop;
  mcb_bench *bench;
  scn_reporter rep;
  scn_session_opts opts;
  scn_vars vars;
  scn_checker ck; /* names and variables known to commands still to be checked */
  scn_sock socks[SCN_MAX_NAMES];
  size_t nsocks;

  lane lanes[NLANES];
  lane *cur;    /* the lane whose command is executing (exec, poll, expire) */
  uint64_t seq; /* command sequence numbers, shared by both lanes */
  scn_summary sum;

  uv_timer_t pacer, timeout; /* script lane pacing; the script's time bound */
  uv_idle_t idle;            /* re-evaluates parked commands after bench events */
  bool poll_due;
  uint64_t delay_ns;
  bool paced, stepping, step_once;
  bool started, closing, bench_gone;
  int handles_open;
  void (*close_done)(void *);
  void *close_arg;

  struct scn_bgsend *bg;
  size_t nbg;
  srcref *kept; /* sources with errors, kept for their diagnostics */
#define SCN_KEPT_SOURCES 8
};

void scn__node_free(qnode *n);
srcref *scn__srcref_new(scn_source *src);
void scn__srcref_put(srcref *r);
void scn__enqueue(lane *l, scn_command *cmd, srcref *ref);
void scn__drop_queue(lane *l);
lane *scn__lane_of_seq(scn_session *s, uint64_t seq);
void scn__advance(lane *l); /* runs queued commands while it can */
void scn__resume_lane(lane *l, scn_status status);
void scn__stop_waiting(lane *l);
void scn__report_done(scn_session *s);
void scn__stop(scn_session *s); /* stops the script lane */
void scn__report_error(scn_session *s, const scn_source *src, unsigned line, unsigned col,
                       unsigned width, int code, const char *message);
void scn__bgsend_stop_lane(scn_session *s, const lane *l); /* NULL: every lane */
lane *scn__lane_of_running(scn_session *s);

#endif
