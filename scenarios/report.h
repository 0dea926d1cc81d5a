/* report.h - what a headless run records per scenario file, and the writers that turn it
 * into the default text, TAP, JUnit XML or JSON.
 *
 * The text and TAP writers stream (one line per expectation as it happens); JUnit and
 * JSON are written once at the end from the collected reports. Every string that came
 * from a scenario or from the network is escaped for its format.
 */
#ifndef SCN_REPORT_H
#define SCN_REPORT_H

#include <stdio.h>

#include "session.h"
#include "sockopt.h"

/* A run-time error of a command (or the timeout). */
typedef struct scn_error_rec {
  unsigned line, col;
  char message[320];
} scn_error_rec;

/* A socket as it was when its scenario ended. */
typedef struct scn_sock_report {
  char name[SCN_NAME_MAX];
  bool echo;
  mcb_socket_info info;
  mcb_optval options[SCN_MAX_OPTIONS]; /* every option row, by position (sockopt.h) */
  mcb_membership *groups;              /* ngroups entries */
  size_t ngroups;
  mcb_peer_stats *peers; /* npeers entries, most recently seen first */
  size_t npeers;
} scn_sock_report;

typedef struct scn_file_report {
  char file[256];
  scn_result *results;
  size_t nresults, results_cap;
  scn_error_rec *errors;
  size_t nerrors, errors_cap;
  scn_summary sum;
  uint64_t elapsed_ns;
  scn_sock_report *sockets;
  size_t nsockets;
} scn_file_report;

void scn_file_report_init(scn_file_report *r, const char *file);
void scn_file_report_free(scn_file_report *r);
int scn_file_report_add_result(scn_file_report *r, const scn_result *res);
int scn_file_report_add_error(scn_file_report *r, const scn_diag *d);
/* Copies every socket's final state and peer statistics out of the session. */
int scn_file_report_snapshot(scn_file_report *r, const scn_session *s);

/* ---- streaming writers ---- */

/* Default output: "file:line: PASS expect ..." or "file:line: FAIL expect ...: expected X,
 * got Y". */
void scn_text_result(FILE *out, const scn_result *r);
/* A run-time error: "file:line:col: error: message", the line and a caret. */
void scn_text_error(FILE *out, const scn_diag *d);
/* Narration from `say`. */
void scn_text_say(FILE *out, const scn_command *cmd, const char *text);
/* The closing line: "N passed, M failed" (plus errors when there were any). */
void scn_text_summary(FILE *out, size_t passed, size_t failed, size_t errors);

/* TAP version 13: the plan is printed at the end ("1..N"). */
typedef struct scn_tap {
  FILE *out;
  size_t n; /* test points so far */
} scn_tap;
void scn_tap_begin(scn_tap *t, FILE *out);
void scn_tap_result(scn_tap *t, const scn_result *r);
void scn_tap_error(scn_tap *t, const scn_diag *d); /* a "not ok" test point */
void scn_tap_comment(scn_tap *t, const char *text);
void scn_tap_end(scn_tap *t);

/* ---- whole-run writers: 0, or a negative code with "path: why" in err ---- */

/* JUnit XML: one <testsuite> per file, one <testcase> per expectation; run-time errors
 * are <testcase> elements with an <error>. */
int scn_write_junit(const char *path, const scn_file_report *files, size_t n, char *err,
                    size_t errsize);
/* JSON: per file the results, errors and, per socket, its final state and peers. */
int scn_write_json(const char *path, const scn_file_report *files, size_t n, char *err,
                   size_t errsize);

#endif
