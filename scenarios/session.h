/* session.h - runs commands of the scenario language on one libuv loop.
 *
 * A session owns a bench and the socket names of one scenario (or one interactive
 * sitting). Commands queue in order and run one at a time, never blocking the loop: a
 * command that must wait (a plain send, `wait`, `expect ... within`) parks its queue and
 * resumes it from a callback, as tmux's command queue does. There are two queues
 * ("lanes"): the script's (scn_session_load) and the operator's (scn_session_submit), so
 * an operator can type while a played scenario waits at a `pause`. A failure stops the
 * script lane (unless `expect error` follows); the operator lane only reports it.
 * Whatever happens is told to a reporter: the headless runner prints it, the TUI shows it.
 *
 * This is the front end's header; command implementations include command-api.h.
 */
#ifndef SCN_SESSION_H
#define SCN_SESSION_H

#include <uv.h>

#include "command-api.h" /* the socket records; cmd.h, the table, for completion and help */
#include "mcb.h"
#include "source.h"

/* One expectation's verdict. Copies everything: it outlives the command. */
typedef struct scn_result {
  char file[128];
  unsigned line;
  char text[256]; /* the expectation as written */
  bool passed;
  char expected[200];
  char actual[MCB_MSG_MAX]; /* may quote an error message */
  uint64_t elapsed_ns;      /* from the start of the expectation to its verdict */
} scn_result;

typedef struct scn_summary {
  size_t passed, failed; /* expectations */
  size_t errors;         /* commands that failed without `expect error` */
  bool timed_out;
  bool stopped; /* ended early by an error or the timeout */
} scn_summary;

/* How the session talks to its front end. Any callback may be NULL. */
typedef struct scn_reporter {
  void *arg;
  /* A command is about to run. */
  void (*command)(void *arg, const scn_command *cmd);
  /* A command failed at run time (or a submitted line had errors). */
  void (*error)(void *arg, const scn_diag *d);
  void (*result)(void *arg, const scn_result *r);
  /* What a command did, for logs and the status line: "rx bound to 0.0.0.0:5000". */
  void (*note)(void *arg, const scn_command *cmd, const char *text);
  void (*say)(void *arg, const scn_command *cmd, const char *text);
  /* `pause`: the session waits for scn_session_continue(). NULL: pause does nothing. */
  void (*pause)(void *arg, const scn_command *cmd, const char *text);
  /* The script lane ran dry, or the scenario stopped. */
  void (*done)(void *arg, const scn_summary *sum);
  /* Front-end verbs (SCN_F_INTERACTIVE: view, freeze, record...): return 0 or a negative
   * code with a message in why. NULL: such verbs do nothing (headless). */
  int (*frontend)(void *arg, const scn_command *cmd, char *why, size_t size);
  /* The lab's IGMP/MLD watcher saw something (told on the loop, after the packet was
   * read, in the order seen; the event's strings come from the wire: escape them). */
  void (*lab_event)(void *arg, const mcb_lab_event *ev);
} scn_reporter;

typedef struct scn_session_opts {
  const mcb_limits *limits; /* NULL: defaults (payload_cap raised for `expect payload`) */
  uint64_t timeout_ns;      /* bounds the script; 0: none */
  uint64_t seed;            /* of send streams without their own `seed N`, when seeded */
  bool seeded;
} scn_session_opts;

int scn_session_new(uv_loop_t *loop, const scn_session_opts *opts, const scn_reporter *rep,
                    scn_session **out);
/* Stops everything, closes every socket, then calls done (if not NULL) and frees. */
void scn_session_close(scn_session *s, void (*done)(void *arg), void *arg);

/* Variables for ${VAR}; set -D ones (fixed) before loading. */
scn_vars *scn_session_vars(scn_session *s);

/* Checks a whole source against what the session knows; when it has no errors, queues
 * its commands on the script lane. Takes ownership of src. Returns the number of errors
 * (in diags). */
size_t scn_session_load(scn_session *s, scn_source *src, scn_diags *diags);
/* The same for a line typed by the operator (`origin` names it in messages), on the
 * operator lane, which starts at once. A line made only of immediate commands (the
 * front end's verbs, help) runs before this returns, even while the lane is busy. */
size_t scn_session_submit(scn_session *s, const char *origin, const char *line, scn_diags *diags);

/* Starts the script lane (the operator lane runs as soon as commands arrive). */
void scn_session_run(scn_session *s);
/* Ends a `pause` in either lane. */
void scn_session_continue(scn_session *s);
/* Stepping: when on, the session stops before each command until scn_session_step(). */
void scn_session_set_stepping(scn_session *s, bool on);
void scn_session_step(scn_session *s);
/* Delay between commands (play mode pacing); 0 runs them back to back. */
void scn_session_set_delay(scn_session *s, uint64_t ns);
uint64_t scn_session_delay(const scn_session *s);

bool scn_session_busy(const scn_session *s); /* script commands queued or running */
bool scn_session_paused(const scn_session *s);
bool scn_session_stopped(const scn_session *s);               /* the script stopped early */
const scn_command *scn_session_current(const scn_session *s); /* script: running or next */
scn_summary scn_session_summary(const scn_session *s);
const scn_checker *scn_session_checker(const scn_session *s);

/* Sockets by name, in the order they were opened (scn_sock: command-api.h). */
size_t scn_session_socket_count(const scn_session *s);
const scn_sock *scn_session_socket_at(const scn_session *s, size_t i);
const scn_sock *scn_session_socket(const scn_session *s, const char *name);
/* The name of interface `ifindex` as socket ss sees it: inside its lab node when it was
 * opened in one (an index means nothing in another namespace), else here. */
void scn_session_ifname(scn_session *s, const scn_sock *ss, unsigned ifindex,
                        char name[IF_NAMESIZE + 8]);
/* Background tasks running (paced sends...), of every socket. */
size_t scn_session_tasks(const scn_session *s);

/* The reporter, for front-end verbs (cmd-ui.c). */
const scn_reporter *scn_reporter_of(scn_session *s);

#endif
