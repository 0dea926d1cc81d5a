/* session-run.h - runs a scenario text in a scn_session on a loop of its own and records
 * what the session reports (results, errors with their codes, says, pauses, the
 * summary), for the session tests. Network tests call mcbt_private_network() first. */
#ifndef SCNT_SESSION_RUN_H
#define SCNT_SESSION_RUN_H

#include "testlib.h"

#include "session.h"

#define SCNT_MAX_RESULTS 32
#define SCNT_MAX_ERRORS  8

typedef struct scnt_run {
  uv_loop_t loop;
  scn_session *s;
  scn_result results[SCNT_MAX_RESULTS];
  size_t nresults;
  char errors[SCNT_MAX_ERRORS][400];
  int codes[SCNT_MAX_ERRORS];
  size_t nerrors;
  char says[8][64];
  size_t nsays;
  bool done, paused;
  scn_summary sum;
} scnt_run;

/* A run with its session, nothing loaded yet (set variables or stepping first). */
scnt_run *scnt_new(uint64_t timeout_ns, bool with_pause);
/* Loads text as file `name` (failing the test on a check error); scn_session_run starts it. */
void scnt_load(scnt_run *x, const char *name, const char *text);
/* Loads text (failing the test on a check error) and starts it; timeout_ns 0: none;
 * with_pause: `pause` waits for scnt_resume instead of being skipped. */
scnt_run *scnt_start(const char *text, uint64_t timeout_ns, bool with_pause);
/* scnt_start, then runs the loop until the scenario is done (at most 10 s). */
scnt_run *scnt_go(const char *text, uint64_t timeout_ns);
/* A line on the operator's lane, as the TUI's `:` line submits it. */
void scnt_submit(scnt_run *x, const char *line);
/* Runs the loop until the scenario is done (at most ms). */
bool scnt_wait_done(scnt_run *x, int ms);
/* Closes the session, asserts the loop closes clean, frees the run. */
void scnt_finish(scnt_run *x);

#endif
