/* runner.h - the headless runner behind `mcbench run` and `mcbench check`.
 *
 * Checks every file first (all errors, like a compiler; nothing runs if any file has
 * one), then runs each file in its own session on the given loop, streaming results as
 * text or TAP and writing JUnit/JSON at the end.
 */
#ifndef SCN_RUNNER_H
#define SCN_RUNNER_H

#include <stdio.h>
#include <uv.h>

#include "grammar.h"

enum { SCN_EXIT_OK = 0, SCN_EXIT_FAILED = 1, SCN_EXIT_USAGE = 2 };

typedef struct scn_run_opts {
  const char *const *files;
  size_t nfiles;
  const char *inline_text; /* -e commands, '\n'-joined; NULL when none */
  scn_vars vars;           /* -D VAR=VALUE (fixed) */
  uint64_t timeout_ns;     /* per scenario; 0: none */
  bool tap;
  const char *junit_path, *json_path;
  bool verbose; /* print each command and what it did */
  FILE *out, *err;
} scn_run_opts;

/* 0 when every file is clean, 2 otherwise (diagnostics on o->err). */
int scn_runner_check(const scn_run_opts *o);
/* 0 when every expectation passed, 1 when any failed or a command failed, 2 for parse or
 * setup errors. */
int scn_runner_run(uv_loop_t *loop, const scn_run_opts *o);

#endif
