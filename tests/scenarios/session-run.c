/* session-run.c - the session tests' harness (session-run.h). */
#include "session-run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_result(void *arg, const scn_result *r)
{
  scnt_run *x = arg;
  if (x->nresults < SCNT_MAX_RESULTS) x->results[x->nresults++] = *r;
}

static void on_error(void *arg, const scn_diag *d)
{
  scnt_run *x = arg;
  if (x->nerrors < SCNT_MAX_ERRORS) {
    scn_diag_format(d, x->errors[x->nerrors], sizeof x->errors[0]);
    x->codes[x->nerrors++] = d->code;
  }
}

static void on_say(void *arg, const scn_command *cmd, const char *text)
{
  scnt_run *x = arg;
  (void)cmd;
  if (x->nsays < 8) snprintf(x->says[x->nsays++], sizeof x->says[0], "%s", text);
}

static void on_pause(void *arg, const scn_command *cmd, const char *text)
{
  (void)cmd;
  (void)text;
  ((scnt_run *)arg)->paused = true;
}

static void on_done(void *arg, const scn_summary *sum)
{
  scnt_run *x = arg;
  x->done = true;
  x->sum = *sum;
}

static bool is_done(void *arg)
{
  return ((scnt_run *)arg)->done;
}

scnt_run *scnt_new(uint64_t timeout_ns, bool with_pause)
{
  scnt_run *x = calloc(1, sizeof *x);
  scn_reporter rep = {.arg = x,
                      .result = on_result,
                      .error = on_error,
                      .say = on_say,
                      .done = on_done,
                      .pause = with_pause ? on_pause : NULL};
  scn_session_opts o = {.timeout_ns = timeout_ns};
  assert_non_null(x);
  uv_loop_init(&x->loop);
  assert_int_equal(scn_session_new(&x->loop, &o, &rep, &x->s), 0);
  return x;
}

void scnt_load(scnt_run *x, const char *name, const char *text)
{
  scn_diags *d = calloc(1, sizeof *d);
  scn_source *src;
  assert_non_null(d);
  assert_int_equal(scn_source_new(name, text, strlen(text), &src), 0);
  if (scn_session_load(x->s, src, d) != 0) fail_msg("%s", d->items[0].message);
  free(d);
}

scnt_run *scnt_start(const char *text, uint64_t timeout_ns, bool with_pause)
{
  scnt_run *x = scnt_new(timeout_ns, with_pause);
  scnt_load(x, "t.mcb", text);
  scn_session_run(x->s);
  return x;
}

bool scnt_wait_done(scnt_run *x, int ms)
{
  return mcbt_run_until(&x->loop, is_done, x, ms);
}

scnt_run *scnt_go(const char *text, uint64_t timeout_ns)
{
  scnt_run *x = scnt_start(text, timeout_ns, false);
  assert_true(scnt_wait_done(x, 10000));
  return x;
}

void scnt_submit(scnt_run *x, const char *line)
{
  scn_diags d = {0};
  assert_int_equal(scn_session_submit(x->s, "op", line, &d), 0);
}

static void set_flag(void *arg)
{
  *(bool *)arg = true;
}

static bool flag(void *arg)
{
  return *(bool *)arg;
}

void scnt_finish(scnt_run *x)
{
  bool closed = false;
  scn_session_close(x->s, set_flag, &closed);
  assert_true(mcbt_run_until(&x->loop, flag, &closed, 5000));
  mcbt_loop_close(&x->loop);
  free(x);
}
