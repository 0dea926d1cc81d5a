/* runner.h - the headless runner behind `mcbench run` and `mcbench check`.
 *
 * `check` reports every error of every file, like a compiler. `run` runs each file in its
 * own session on the given loop; a file with check errors does not run and is reported as
 * errored, the others run. Everything goes to the chosen report writers (report.h), which
 * the runner tells the same events whatever their format. SIGINT, SIGTERM and SIGHUP stop
 * the run cleanly: the running scenario is recorded as interrupted, the sockets closed,
 * every report written, and the status is 128 + the signal's number.
 */
#ifndef SCN_RUNNER_H
#define SCN_RUNNER_H

#include <stdio.h>
#include <uv.h>

#include "grammar.h"
#include "report.h"

enum { SCN_EXIT_OK = 0, SCN_EXIT_FAILED = 1, SCN_EXIT_USAGE = 2 };

typedef struct scn_run_opts {
  const char *const *files;
  size_t nfiles;
  const char *inline_text; /* -e commands, '\n'-joined; NULL when none */
  scn_vars vars;           /* -D VAR=VALUE (fixed) */
  uint64_t timeout_ns;     /* per scenario; 0: none */
  uint64_t interval_ns;    /* per-peer interval reports while a scenario runs; 0: none */
  scn_reports reports;     /* the writers chosen (the default console writer is added) */
  bool verbose;            /* print each command and what it did */
  uint64_t seed;           /* --seed: of streams without their own (when seeded) */
  bool seeded;
  size_t max_peers, max_groups; /* the core's limits; 0: default */
  FILE *out, *err;
} scn_run_opts;

/* 0 when every file is clean, 2 otherwise (diagnostics on o->err). */
int scn_runner_check(const scn_run_opts *o);
/* 0 when every expectation passed, 1 when any failed or a command failed, 2 when a file
 * had check errors or a report could not be written, 128 + N after signal N. */
int scn_runner_run(uv_loop_t *loop, const scn_run_opts *o);

#endif
