/* report.h - what a headless run records per scenario file, and the report writers that
 * turn it into the default text, TAP, JUnit XML, JSON (and whatever comes next).
 *
 * Every format is a writer: one row of the table in report-writers.c, one file with its
 * callbacks. The runner tells every active writer the same events (a file begins, a
 * result, an error, a note, a file ends, the run ends) and never asks which formats are
 * active; the command line's options and their help come from the same table. Console
 * writers stream as things happen; file writers usually write once at the end, through
 * outfile.h (a temporary beside the target, renamed into place). Every string that came
 * from a scenario or the network is escaped for its format: nothing raw reaches a
 * terminal or a report.
 */
#ifndef SCN_REPORT_H
#define SCN_REPORT_H

#include <stdio.h>

#include "outfile.h"
#include "session.h"
#include "sockopt.h"

/* Why an error record exists. */
typedef enum scn_error_kind {
  SCN_ERR_RUN,         /* a command failed at run time (or the timeout) */
  SCN_ERR_PARSE,       /* the file did not check; it did not run */
  SCN_ERR_INTERRUPTED, /* a signal stopped the run in this scenario */
} scn_error_kind;

/* A run-time error of a command, a check error, or the interruption. */
typedef struct scn_error_rec {
  scn_error_kind kind;
  unsigned line, col;
  char message[MCB_MSG_MAX];
  char *detail; /* the compiler-style text (heading, line, caret); may be NULL */
} scn_error_rec;

/* The streams of one peer (mcb_peer_stream), most recently seen first. */
typedef struct scn_peer_streams {
  size_t n;
  mcb_stream_stats s[MCB_PEER_STREAMS];
} scn_peer_streams;

/* A socket as it was when its scenario ended. */
typedef struct scn_sock_report {
  char name[SCN_NAME_MAX];
  bool echo;
  scn_send_stats send; /* send errors by code, cancelled background sends */
  mcb_socket_info info;
  mcb_optval options[SCN_MAX_OPTIONS]; /* every option row, by position (sockopt.h) */
  mcb_membership *groups;              /* ngroups entries */
  size_t ngroups;
  mcb_peer_stats *peers;       /* npeers entries, most recently seen first */
  mcb_peer_analysis *analysis; /* npeers entries: each peer's traffic figures */
  scn_peer_streams *streams;   /* npeers entries: each peer's streams */
  size_t npeers;
} scn_sock_report;

/* Per-interval traffic figures of one peer (`run --interval DUR`), like iperf's -i: the
 * counts are those of the interval, jitter is the peer's at its end. */
typedef struct scn_interval {
  char socket[SCN_NAME_MAX];
  mcb_addr src, dst;
  uint64_t start_ns, end_ns; /* since the scenario began */
  mcb_payload_kind kind;
  uint64_t received, bytes;
  bool sequenced;          /* expected/lost/loss_pct count */
  uint64_t expected, lost; /* sequence numbers that fell due in the interval */
  double loss_pct;
  double rate_pps, rate_bps; /* over the interval */
  double jitter_ns;          /* 0 without send times */
} scn_interval;

typedef struct scn_file_report {
  char file[256];
  bool not_run; /* the file had check errors (kind SCN_ERR_PARSE) */
  int signal;   /* the run was interrupted by this signal while in this file; 0: not */
  scn_result *results;
  size_t nresults, results_cap;
  scn_error_rec *errors;
  size_t nerrors, errors_cap;
  scn_summary sum;
  uint64_t elapsed_ns;
  scn_sock_report *sockets;
  size_t nsockets;
  scn_interval *intervals; /* the --interval series, in order */
  size_t nintervals, intervals_cap;
  mcb_lab_event *lab_events; /* what the lab's watcher saw (the log's newest), in order */
  size_t nlab_events;
  uint64_t lab_events_dropped; /* older ones the lab's log no longer held */
} scn_file_report;

void scn_file_report_init(scn_file_report *r, const char *file);
void scn_file_report_free(scn_file_report *r);
int scn_file_report_add_result(scn_file_report *r, const scn_result *res);
int scn_file_report_add_error(scn_file_report *r, const scn_diag *d, scn_error_kind kind);
int scn_file_report_add_interval(scn_file_report *r, const scn_interval *iv);
/* Copies every socket's final state and peer statistics, and the lab's events, out of
 * the session. */
int scn_file_report_snapshot(scn_file_report *r, const scn_session *s);

/* The whole run, for the writers' end. */
typedef struct scn_run_totals {
  size_t files, passed, failed, errors; /* errors: run-time and check errors */
  size_t not_run;                       /* files with check errors */
  int signal;                           /* the run was interrupted by it; 0: not */
} scn_run_totals;

/* What a running command says, for the writers' note callback. */
typedef enum scn_note_kind {
  SCN_NOTE_TRACE, /* -v: what a command did ("rx bound to 0.0.0.0:5000") */
  SCN_NOTE_HELP,  /* the output of `help`, always shown */
} scn_note_kind;

struct scn_report_writer;

/* One active writer: where it writes and its small state. */
typedef struct scn_report_out {
  const struct scn_report_writer *w;
  FILE *out, *err;  /* the console: standard output and standard error */
  const char *path; /* the argument of the writer's option (its FILE); NULL for a flag */
  size_t points;    /* test points so far (TAP) */
  scn_outfile file; /* for writers that write a file */
} scn_report_out;

/* A report format. Any callback may be NULL. Callbacks get text exactly as the scenario or
 * the network gave it and escape it for their format. */
typedef struct scn_report_writer {
  const char *name;   /* "text", "tap", "junit", "json" */
  const char *option; /* the long option that selects it; NULL: the default console writer */
  const char *arg;    /* the option's argument ("FILE"); NULL for a flag */
  const char *help;   /* one line for --help */
  bool console;       /* streams to standard output; at most one console writer is active */
  bool statistics;    /* writes traffic statistics only, not results or errors (csv) */

  /* The run starts; a writer that streams to a file opens it here (o->file). 0, or a
   * negative code with "path: why" in err: then nothing runs. */
  int (*begin)(scn_report_out *o, char *err, size_t errsize);
  void (*file_begin)(scn_report_out *o, const scn_file_report *f);
  /* -v trace: `text` is the command re-quoted as a scenario line (scn_command_text) */
  void (*command)(scn_report_out *o, const scn_command *cmd, const char *text);
  void (*result)(scn_report_out *o, const scn_result *r);
  void (*error)(scn_report_out *o, const scn_diag *d, scn_error_kind kind);
  void (*note)(scn_report_out *o, const scn_command *cmd, scn_note_kind kind, const char *text);
  void (*say)(scn_report_out *o, const scn_command *cmd, const char *text);
  void (*interval)(scn_report_out *o, const scn_interval *iv);
  void (*file_end)(scn_report_out *o, const scn_file_report *f);
  /* The run is over: write (and commit) the report. 0, or a negative code with "path: why"
   * in err. */
  int (*end)(scn_report_out *o, const scn_file_report *files, size_t n, const scn_run_totals *t,
             char *err, size_t errsize);
} scn_report_writer;

/* The table, NULL-terminated, in the order --help lists the options. */
const scn_report_writer *const *scn_report_writers(void);
/* The writer selected by a long option ("tap"), NULL when none. */
const scn_report_writer *scn_report_writer_by_option(const char *option);

/* The writers a run uses. */
#define SCN_MAX_REPORTS 8
typedef struct scn_reports {
  scn_report_out outs[SCN_MAX_REPORTS];
  size_t n;
} scn_reports;

/* Adds a chosen writer; UV_EEXIST when a second console writer is chosen, UV_ENOBUFS when
 * full. A writer chosen twice keeps the last path. */
int scn_reports_add(scn_reports *rs, const scn_report_writer *w, const char *path);
/* Completes the set: the default console writer when no console writer was chosen; sets
 * every writer's console streams. */
void scn_reports_setup(scn_reports *rs, FILE *out, FILE *err);

/* Tell every active writer. scn_reports_begin returns how many writers could not start
 * (each said why on the err stream; every file opened so far is given up). */
size_t scn_reports_begin(scn_reports *rs);
void scn_reports_file_begin(scn_reports *rs, const scn_file_report *f);
void scn_reports_command(scn_reports *rs, const scn_command *cmd, const char *text);
void scn_reports_result(scn_reports *rs, const scn_result *r);
void scn_reports_error(scn_reports *rs, const scn_diag *d, scn_error_kind kind);
void scn_reports_note(scn_reports *rs, const scn_command *cmd, scn_note_kind kind,
                      const char *text);
void scn_reports_say(scn_reports *rs, const scn_command *cmd, const char *text);
void scn_reports_interval(scn_reports *rs, const scn_interval *iv);
void scn_reports_file_end(scn_reports *rs, const scn_file_report *f);
/* Ends every writer; returns how many failed (each "mcbench: path: why" on the err stream). */
size_t scn_reports_end(scn_reports *rs, const scn_file_report *files, size_t n,
                       const scn_run_totals *t);

/* ---- helpers for writers ---- */

/* Writes untrusted text for a terminal with scn_escape: no C0 (but `keep` newlines when
 * asked), DEL or C1 byte gets through; valid UTF-8 does. */
void scn_report_puts(FILE *out, const char *s, bool keep_newlines);
/* The same for len bytes (newlines escaped). */
void scn_report_putn(FILE *out, const char *s, size_t len);
/* Writes text that should already be safe (another module's rendering) with any control
 * byte left in it (C0 but newline and tab, DEL, C1, invalid UTF-8) as \xNN; everything
 * else, backslashes included, passes unchanged, so safe text is never escaped twice. */
void scn_report_put_safe(FILE *out, const char *s, size_t len);
/* A diagnostic, compiler style (scn_diag_print), with any control byte left escaped. */
void scn_report_diag(FILE *out, const scn_diag *d);
/* One interval as a line: "[  1.00-  2.00 s] rx 10.99.0.2:40000 > 239.1.1.1:5000 probe:
 * received 1000, lost 2 (0.20%), 1000 pps, 1.02 Mbit/s, jitter 12.3us" (interval.c). */
void scn_interval_format(const scn_interval *iv, char *buf, size_t size);
/* One peer's figures as a line, for `report NAME`: "rx 10.99.0.2:40000 > 239.1.1.1:5000
 * probe: received 98, 98 pps, ..., lost 2 of 100 (2.00%), ..., jitter 12us" (interval.c). */
void scn_peer_format(const char *sock, const mcb_peer_stats *p, const mcb_peer_analysis *a,
                     char *buf, size_t size);
/* The name of a signal as a report says it: "SIGTERM". */
const char *scn_signal_name(int signum);

#endif
