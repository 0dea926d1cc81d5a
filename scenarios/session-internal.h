/* session-internal.h - the session's private state, shared by the files of the session
 * module only (session.c runs the lanes, session-api.c is the front end's API,
 * session-report.c reports, session-sock.c holds the socket records and targets,
 * session-task.c the background tasks). Commands never include it: they use
 * command-api.h. */
#ifndef SCN_SESSION_INTERNAL_H
#define SCN_SESSION_INTERNAL_H

#include <stdlib.h>

#include "session.h"
#include "values.h"

/* A source shared by the commands compiled from it and the tasks they started. */
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
  char message[MCB_MSG_MAX];
  unsigned line, col, width;
} scn_err;

enum { LANE_SCRIPT, LANE_OPERATOR, NLANES };

/* One queue of commands, run one at a time. */
typedef struct lane {
  scn_session *s;
  int id;
  qnode *head, *tail;
  qnode *running;
  scn_sock *target; /* the running command's resolved target */
  uint64_t started;
  bool waiting, pausing;
  scn_waiter waiter;
  uv_timer_t deadline;
  scn_err err;
  scn_outcome prev;
  bool stopped;
  bool advancing, ran, resumed;
} lane;

/* A background task. Linked in session->tasks while it runs; once stopped it is
 * unlinked and no longer touches the session, so it may outlive it until released. */
struct scn_task {
  scn_session *s; /* NULL once stopped */
  const scn_task_ops *ops;
  void *data;
  mcb_socket *sock;
  int lane;
  srcref *ref;
  scn_command origin; /* a stand-in: source, line, verb */
  scn_token verb;
  char verb_text[SCN_NAME_MAX];
  bool stopped, released;
  struct scn_task *next;
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

  scn_task *tasks; /* running ones */
  size_t ntasks;
  srcref *kept;                /* sources with errors, kept for their diagnostics */
  mcb_lab *lab;                /* the virtual lab, made by the first `lab` verb; NULL before */
  uint64_t lab_told;           /* the next lab event to tell the reporter */
  uint64_t lab_matched;        /* `expect lab` looks at events after this one */
  uint64_t lab_switch_matched; /* the same for switch events (expect-switch.c) */
  bool lab_implicit;           /* lab holds only the watched default lab: no lab verb yet */
#define SCN_KEPT_SOURCES 8
};

/* session-api.c: under --private, the default lab's link watched from the start. */
void scn__watch_default_lab(scn_session *s);

/* A new source reference held by the loader, dropped once its commands are queued. */
static inline srcref *scn__srcref_new(scn_source *src)
{
  srcref *r = calloc(1, sizeof *r);
  if (r == NULL) return NULL;
  r->src = src;
  r->refs = 1;
  return r;
}

static inline void scn__srcref_put(srcref *r)
{
  if (r != NULL && --r->refs == 0) {
    scn_source_free(r->src);
    free(r);
  }
}

/* session.c */
void scn__enqueue(lane *l, scn_command *cmd, srcref *ref);
void scn__lane_clear(lane *l); /* ends its running command, drops its queue */
void scn__advance(lane *l);    /* runs queued commands while it can */
void scn__resume_lane(lane *l, scn_status status);
/* Runs cmd's exec in lane l (its target resolved first). */
scn_status scn__exec(scn_session *s, lane *l, scn_command *cmd);

/* session-report.c */
lane *scn__lane_of_seq(scn_session *s, uint64_t seq);
void scn__report_error(scn_session *s, const scn_source *src, unsigned line, unsigned col,
                       unsigned width, int code, const char *message);
void scn__report_done(scn_session *s);

/* session-sock.c */
/* Resolves the entry's target for cmd into l->target; SCN_DONE or SCN_ERROR (recorded). */
scn_status scn__resolve_target(scn_session *s, lane *l, const scn_command *cmd);

/* session-task.c */
void scn__tasks_stop(scn_session *s, int lane_id); /* -1: every lane */

#endif
