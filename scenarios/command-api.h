/* command-api.h - what a command implementation (cmd-*.c) may use: the one header a
 * command author includes.
 *
 * An exec function reads its arguments by name (scn_arg, scn_arg_word), gets its target
 * socket already resolved (scn_target, when its entry declares .target), and answers
 * DONE, ERROR (after scn_fail) or WAIT (after scn_wait). Work that outlives the command
 * (a paced send; streams and timers tomorrow) is a task (scn_task_start): the session
 * owns it and stops it when its socket closes, its lane stops or the session closes.
 */
#ifndef SCN_COMMAND_API_H
#define SCN_COMMAND_API_H

#include <uv.h>

#include "cmd.h"
#include "grammar.h"
#include "mcb.h"

typedef struct scn_session scn_session;

/* ---- socket records ---- */

/* A send stream of a socket (`send ... rate`, `probe`...), as `stop`, the reports and
 * the sockets pane show it. Kept after it ends, up to SCN_MAX_STREAMS per socket (the
 * oldest ended one makes room). */
typedef enum scn_stream_state {
  SCN_STREAM_RUNNING,
  SCN_STREAM_DONE,      /* sent everything it planned */
  SCN_STREAM_STOPPED,   /* `stop`, or the end of the scenario */
  SCN_STREAM_CANCELLED, /* its socket closed */
  SCN_STREAM_FAILED,    /* a foreground stream's send failed */
} scn_stream_state;

typedef struct scn_stream_stat {
  unsigned id;   /* 1, 2, ... per socket: the probe's stream id, `stop NAME ID` */
  char dest[96]; /* as written (escape it to show it) */
  bool probe;
  bool foreground;
  scn_stream_state state;
  double rate_pps;              /* requested; 0: unpaced (as fast as the socket takes) */
  double achieved_pps;          /* sequence numbers per second since it started */
  bool behind;                  /* it fell behind its rate at some point (noted when it did) */
  uint64_t planned;             /* sequence numbers it will send; 0: until stopped */
  uint64_t seqs;                /* sequence numbers taken so far */
  uint64_t sent, bytes, errors; /* datagrams the kernel took, and sends that failed */
  uint64_t backpressure;        /* times the socket's buffer was full (EAGAIN, ENOBUFS): the
                                   stream waited and sent later, nothing was lost */
  uint64_t dropped, duplicated, reordered; /* injected (drop, dup, reorder) */
  uint64_t seed;                           /* of its sizes and impairments, to replay it */
} scn_stream_stat;
#define SCN_MAX_STREAMS 8

const char *scn_stream_state_name(scn_stream_state st);

/* Send outcomes the session counted on one socket (foreground, background and echo
 * sends): failures by error code, like Node's send callback would see them. */
#define SCN_SEND_CODES 8
typedef struct scn_send_stats {
  uint64_t errors;    /* sends that failed */
  uint64_t cancelled; /* datagrams of background sends that `close` cancelled */
  size_t ncodes;
  struct {
    int code; /* negative libuv code */
    uint64_t n;
  } by_code[SCN_SEND_CODES]; /* the first distinct codes; later ones count in errors only */
  unsigned next_stream;      /* the id of the last stream started */
  size_t nstreams;
  scn_stream_stat streams[SCN_MAX_STREAMS]; /* oldest first */
} scn_send_stats;

/* A socket name of the session and the socket it holds, in the order they were opened. */
typedef struct scn_sock {
  char name[SCN_NAME_MAX];
  mcb_socket *sock; /* NULL only before its first open succeeds; may be closed */
  bool echo;
  scn_send_stats send;
  char node[SCN_NAME_MAX]; /* the lab node it was opened in ("" outside the lab) */
} scn_sock;

scn_sock *scn_find_sock(scn_session *s, const char *name);
/* A new name slot (not yet holding a socket); NULL when the table is full. */
scn_sock *scn_add_sock(scn_session *s, const char *name);
/* Looks the NAME argument up at run time; fails the command (UV_ENOENT) when it is
 * unknown. Prefer .target in the entry, which does this before exec. */
scn_sock *scn_need_sock(scn_session *s, const scn_command *cmd, scn_status *st);
/* The socket the entry's .target resolved for the running command (inside exec, poll and
 * expire); NULL when the command's form has no NAME (`expect error`). */
scn_sock *scn_target(scn_session *s);
/* Counts the outcome of one send from `sock` (0, or a negative code) in its record. */
void scn_count_send(mcb_socket *sock, int status);
/* Adds `n` cancelled datagrams to the record of `sock`. */
void scn_count_cancelled(mcb_socket *sock, uint64_t n);
/* A new stream record on the socket (the next id), making room by forgetting the oldest
 * ended one; NULL when SCN_MAX_STREAMS are running. */
scn_stream_stat *scn_stream_add(scn_sock *ss);
/* The record of stream `id` of `sock`, NULL when gone (the name was opened again). */
scn_stream_stat *scn_stream_find(mcb_socket *sock, unsigned id);

/* Which of the literal alternatives "a|b|c" of a form the command was written with
 * (e.g. scn_arg_word(cmd, "udp4|udp6|unix")), or NULL. */
const char *scn_arg_word(const scn_command *cmd, const char *alts);

/* ---- outcomes ---- */

/* Records a run-time failure of `cmd` (at `tok`, or the verb when NULL) and returns
 * SCN_ERROR. `code` is the core's negative code, so `expect error` can test it. */
scn_status scn_fail(scn_session *s, const scn_command *cmd, const scn_token *tok, int code,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* scn_fail for the parked command `seq`, from an asynchronous callback. */
void scn_fail_seq(scn_session *s, uint64_t seq, const scn_token *tok, int code, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
/* The same, taking the message of the bench's last failed call. */
scn_status scn_fail_core(scn_session *s, const scn_command *cmd, const scn_token *tok, int code);
void scn_note(scn_session *s, const scn_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void scn_report_result(scn_session *s, const scn_command *cmd, bool passed, const char *expected,
                       const char *actual);

/* The outcome of the command before the running one in its lane, for `expect error`. */
typedef struct scn_outcome {
  bool valid; /* there was a previous command */
  int code;   /* 0: it succeeded */
  char message[MCB_MSG_MAX];
} scn_outcome;
const scn_outcome *scn_previous_outcome(const scn_session *s);

/* The front end: narration, pauses and its own verbs (no-ops when headless). */
void scn_say(scn_session *s, const scn_command *cmd, const char *text);
/* Shows a pause and parks the command until scn_session_continue(); returns SCN_DONE at
 * once when the front end does not pause (headless). */
scn_status scn_pause(scn_session *s, scn_command *cmd, const char *text);
/* Hands a front-end verb to the front end: 0, or a negative code with a reason in why;
 * 1 when there is no front end (headless). */
int scn_frontend(scn_session *s, const scn_command *cmd, char *why, size_t size);

mcb_bench *scn_session_bench(const scn_session *s);
/* The run's seed (`mcbench run --seed N`): true and *seed when there is one. */
bool scn_session_seed(const scn_session *s, uint64_t *seed);
/* The session's virtual lab, made on first use (in the namespace the loop thread is in,
 * holding the hosts local and peer of `--private` when the process made them);
 * on failure records it for `cmd` and returns NULL. scn_session_lab_if_any() never
 * makes one. */
mcb_lab *scn_session_lab(scn_session *s, const scn_command *cmd);
mcb_lab *scn_session_lab_if_any(const scn_session *s);
/* `expect lab` matches lab events after this sequence number; a passing one moves it to
 * the event it matched, so the next expectation looks at later events. */
uint64_t *scn_session_lab_cursor(scn_session *s);
/* The same for switch events: a report and the table change it causes come through two
 * sockets in no fixed order, so each kind is consumed in its own order. */
uint64_t *scn_session_switch_cursor(scn_session *s);
/* The lab whose event log the session keeps: the session's lab, or under `--private`
 * before any lab verb the default lab's link watched from the session's start (which
 * scn_session_lab_if_any does not show, so a run without lab verbs looks as before). */
mcb_lab *scn_session_lab_events(const scn_session *s);
uv_loop_t *scn_session_loop(const scn_session *s);

/* ---- waiting ---- */

/* A parked command's wake-ups: `poll` runs after the bench had events and returns true
 * when the command is finished (it then sets *status); `expire` runs when the deadline
 * passes and returns the final status. Either may be NULL. */
typedef struct scn_waiter {
  bool (*poll)(scn_session *s, scn_command *cmd, scn_status *status);
  scn_status (*expire)(scn_session *s, scn_command *cmd);
  void *data;       /* the command's own state, freed with free() when it finishes */
  uint64_t started; /* uv_hrtime() when the command started */
} scn_waiter;

/* Parks the running command until poll/expire finish it, or `timeout_ns` passes
 * (0: no deadline). Returns SCN_WAIT for the exec function to return. */
scn_status scn_wait(scn_session *s, scn_command *cmd, uint64_t timeout_ns, scn_waiter w);
/* The waiter of the command being executed (inside exec, poll or expire). */
scn_waiter *scn_current_waiter(scn_session *s);
/* Identifies the command being executed (valid inside exec, poll and expire), so a late
 * callback can find it again, or learn that it has finished. */
uint64_t scn_command_seq(const scn_session *s);
/* The parked command `seq` and its waiter; NULL once it has finished. */
const scn_command *scn_command_for(scn_session *s, uint64_t seq, scn_waiter **w);
/* Finishes the parked command `seq` from an asynchronous callback (scn_fail_seq() first
 * for SCN_ERROR); nothing happens when it has already finished. Not from inside another
 * command's exec (the lane would run on inside it): use scn_session_poke() there. */
void scn_session_resume(scn_session *s, uint64_t seq, scn_status status);
/* Parked commands look again (their poll) on the next loop pass, as after a bench event:
 * for work that ended inside another command (a stream that `stop` or `close` ended). */
void scn_session_poke(scn_session *s);

/* ---- background tasks ---- */

typedef struct scn_task scn_task;
#define SCN_MAX_TASKS 64 /* running at once in one session */

typedef enum scn_task_end {
  SCN_TASK_DONE,      /* its work is finished (scn_task_done) */
  SCN_TASK_CANCELLED, /* its socket was closed */
  SCN_TASK_STOPPED,   /* its lane stopped (a failure, the timeout) or the session closes */
  SCN_TASK_ENDED,     /* a command ended it (`stop`) */
} scn_task_end;

typedef struct scn_task_ops {
  const char *kind; /* "background send", for messages */
  /* Begins the work; 0 or a negative code (the task is then freed, not started). */
  int (*start)(scn_task *t);
  /* Ends the work: nothing new may begin. Runs once. The task calls scn_task_release()
   * once nothing of it is pending (timers closed, sends completed). */
  void (*stop)(scn_task *t, scn_task_end why);
  /* Frees the task's data once it is stopped and released. */
  void (*free)(void *data);
} scn_task_ops;

/* Starts a task for the running command on `sock` (may be NULL), in the command's lane.
 * The task copies the command's position (scn_task_origin) and holds its source; it
 * takes `data` (freed with ops->free even on failure). */
int scn_task_start(scn_session *s, const scn_command *cmd, mcb_socket *sock,
                   const scn_task_ops *ops, void *data);
/* The task's work is finished: stops it with SCN_TASK_DONE. */
void scn_task_done(scn_task *t);
/* Nothing of the task is pending any more; it is freed once it is also stopped. */
void scn_task_release(scn_task *t);
void *scn_task_data(const scn_task *t);
scn_session *scn_task_session(const scn_task *t);
mcb_socket *scn_task_socket(const scn_task *t);
bool scn_task_stopped(const scn_task *t);
/* A stand-in for the command that started the task: its source, line and verb, for
 * notes and error positions after the command itself has finished. */
const scn_command *scn_task_origin(const scn_task *t);
/* Cancels every task on `sock` (SCN_TASK_CANCELLED); returns how many. */
size_t scn_tasks_cancel(scn_session *s, const mcb_socket *sock);
/* Ends the tasks on `sock` of kind `ops` for which pick(data, arg) is true (all of them
 * when pick is NULL) with SCN_TASK_ENDED; returns how many. */
size_t scn_tasks_end(scn_session *s, const mcb_socket *sock, const scn_task_ops *ops,
                     bool (*pick)(void *data, void *arg), void *arg);

#endif
