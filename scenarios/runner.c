/* runner.c - runs scenario files headless and reports (see runner.h). */
#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "escape.h"
#include "report.h"
#include "session.h"

typedef struct run {
  const scn_run_opts *o;
  scn_tap tap;
  scn_file_report *cur;
  bool done;
} run;

/* Loads the inputs: each file, then the -e text as one more source. */
static int load_sources(const scn_run_opts *o, scn_source **srcs, size_t *n)
{
  char err[512];
  *n = 0;
  for (size_t i = 0; i < o->nfiles; i++) {
    if (scn_source_load(o->files[i], &srcs[*n], err, sizeof err) != 0) {
      fprintf(o->err, "mcbench: %s\n", err);
      return SCN_EXIT_USAGE;
    }
    (*n)++;
  }
  if (o->inline_text != NULL) {
    if (scn_source_new("-e", o->inline_text, strlen(o->inline_text), &srcs[*n]) != 0) {
      fprintf(o->err, "mcbench: -e: commands too long\n");
      return SCN_EXIT_USAGE;
    }
    (*n)++;
  }
  return 0;
}

static size_t check_one(const scn_run_opts *o, const scn_source *src)
{
  scn_diags *diags = calloc(1, sizeof *diags);
  scn_checker *ck = calloc(1, sizeof *ck);
  scn_vars *vars = malloc(sizeof *vars);
  scn_commands cmds;
  size_t n;
  if (!diags || !ck || !vars) {
    free(diags), free(ck), free(vars);
    fprintf(o->err, "mcbench: out of memory\n");
    return 1;
  }
  *vars = o->vars;
  ck->vars = vars;
  ck->diags = diags;
  scn_compile(src, ck, &cmds);
  scn_commands_free(&cmds);
  for (size_t i = 0; i < diags->n; i++) scn_diag_print(o->err, &diags->items[i]);
  if (diags->dropped) fprintf(o->err, "%s: %zu more errors not shown\n", src->name, diags->dropped);
  n = diags->n + diags->dropped;
  free(diags), free(ck), free(vars);
  return n;
}

static int check_all(const scn_run_opts *o, scn_source **srcs, size_t n)
{
  size_t errors = 0;
  for (size_t i = 0; i < n; i++) errors += check_one(o, srcs[i]);
  if (errors > 0) {
    fprintf(o->err, "%zu error%s; nothing was run\n", errors, errors == 1 ? "" : "s");
    return SCN_EXIT_USAGE;
  }
  return 0;
}

int scn_runner_check(const scn_run_opts *o)
{
  scn_source **srcs = calloc(o->nfiles + 1, sizeof *srcs);
  size_t n = 0;
  int rc;
  if (srcs == NULL) return SCN_EXIT_USAGE;
  rc = load_sources(o, srcs, &n);
  if (rc == 0) {
    size_t errors = 0;
    for (size_t i = 0; i < n; i++) errors += check_one(o, srcs[i]);
    rc = errors ? SCN_EXIT_USAGE : 0;
    if (errors == 0) fprintf(o->out, "%zu file%s OK\n", n, n == 1 ? "" : "s");
  }
  for (size_t i = 0; i < n; i++) scn_source_free(srcs[i]);
  free(srcs);
  return rc;
}

/* ---- reporter callbacks ---- */

/* The file name, escaped: it is as untrusted as the file. */
static const char *safe_name(const scn_command *cmd, char *buf, size_t size)
{
  scn_escape((const uint8_t *)cmd->src->name, strlen(cmd->src->name), true, buf, size, 0, NULL);
  return buf;
}

static void on_command(void *arg, const scn_command *cmd)
{
  run *r = arg;
  char text[512], name[1024];
  if (!r->o->verbose) return;
  scn_command_text(cmd, text, sizeof text);
  if (r->o->tap)
    fprintf(r->o->out, "# %s:%u: %s\n", safe_name(cmd, name, sizeof name), cmd->line, text);
  else
    fprintf(r->o->out, "%s:%u: > %s\n", safe_name(cmd, name, sizeof name), cmd->line, text);
}

static void on_error(void *arg, const scn_diag *d)
{
  run *r = arg;
  scn_file_report_add_error(r->cur, d);
  if (r->o->tap)
    scn_tap_error(&r->tap, d);
  else
    scn_text_error(r->o->out, d);
}

static void on_result(void *arg, const scn_result *res)
{
  run *r = arg;
  scn_file_report_add_result(r->cur, res);
  if (r->o->tap)
    scn_tap_result(&r->tap, res);
  else
    scn_text_result(r->o->out, res);
}

static void on_note(void *arg, const scn_command *cmd, const char *text)
{
  run *r = arg;
  bool help = strcmp(cmd->entry->name, "help") == 0;
  if (!r->o->verbose && !help) return;
  if (r->o->tap) {
    scn_tap_comment(&r->tap, text);
  } else if (help) {
    fputs(text, r->o->out);
  } else {
    char name[1024], esc[1024];
    fprintf(r->o->out, "%s:%u:   ", safe_name(cmd, name, sizeof name), cmd->line);
    for (const char *p = text; *p;) { /* escaped, but a multi-line note keeps its lines */
      size_t n = strcspn(p, "\n"), used = 0;
      scn_escape((const uint8_t *)p, n, true, esc, sizeof esc, 0, &used);
      fputs(esc, r->o->out);
      p += used;
      if (used == n && *p == '\n') fputs(*++p ? "\n" : "", r->o->out);
    }
    fputc('\n', r->o->out);
  }
}

static void on_say(void *arg, const scn_command *cmd, const char *text)
{
  run *r = arg;
  if (r->o->tap)
    scn_tap_comment(&r->tap, text);
  else
    scn_text_say(r->o->out, cmd, text);
}

static void on_done(void *arg, const scn_summary *sum)
{
  run *r = arg;
  r->cur->sum = *sum;
  r->done = true;
}

static void session_closed(void *arg)
{
  *(bool *)arg = true;
}

/* Runs one checked source in a fresh session; the session takes the source. */
static void run_one(uv_loop_t *loop, run *r, scn_source *src, scn_file_report *rep)
{
  scn_reporter rp = {.arg = r,
                     .command = on_command,
                     .error = on_error,
                     .result = on_result,
                     .note = on_note,
                     .say = on_say,
                     .done = on_done};
  scn_session_opts so = {.timeout_ns = r->o->timeout_ns};
  scn_diags *diags = calloc(1, sizeof *diags);
  scn_session *s;
  uint64_t t0 = uv_hrtime();
  bool closed = false;
  char msg[300];

  r->cur = rep;
  r->done = false;
  if (diags == NULL || scn_session_new(loop, &so, &rp, &s) != 0) {
    scn_diag d = {.src = src, .line = 1};
    snprintf(msg, sizeof msg, "cannot start a session (out of memory?)");
    snprintf(d.message, sizeof d.message, "%s", msg);
    on_error(r, &d);
    rep->sum.errors++;
    scn_source_free(src);
    free(diags);
    return;
  }
  *scn_session_vars(s) = r->o->vars;
  if (scn_session_load(s, src, diags) == 0) {
    scn_session_run(s);
    while (!r->done) uv_run(loop, UV_RUN_ONCE);
  }
  rep->elapsed_ns = uv_hrtime() - t0;
  scn_file_report_snapshot(rep, s);
  scn_session_close(s, session_closed, &closed);
  while (!closed) uv_run(loop, UV_RUN_ONCE);
  free(diags);
}

static int write_reports(const scn_run_opts *o, scn_file_report *reps, size_t n)
{
  char err[512];
  int rc = 0;
  if (o->junit_path && scn_write_junit(o->junit_path, reps, n, err, sizeof err) != 0) {
    fprintf(o->err, "mcbench: %s\n", err);
    rc = SCN_EXIT_USAGE;
  }
  if (o->json_path && scn_write_json(o->json_path, reps, n, err, sizeof err) != 0) {
    fprintf(o->err, "mcbench: %s\n", err);
    rc = SCN_EXIT_USAGE;
  }
  return rc;
}

int scn_runner_run(uv_loop_t *loop, const scn_run_opts *o)
{
  scn_source **srcs = calloc(o->nfiles + 1, sizeof *srcs);
  scn_file_report *reps = calloc(o->nfiles + 1, sizeof *reps);
  size_t n = 0, passed = 0, failed = 0, errors = 0;
  run r = {.o = o};
  int rc;

  if (srcs == NULL || reps == NULL) {
    free(srcs), free(reps);
    return SCN_EXIT_USAGE;
  }
  rc = load_sources(o, srcs, &n);
  if (rc == 0) rc = check_all(o, srcs, n);
  if (rc != 0) {
    for (size_t i = 0; i < n; i++) scn_source_free(srcs[i]);
    free(srcs), free(reps);
    return rc;
  }
  if (o->tap) scn_tap_begin(&r.tap, o->out);
  for (size_t i = 0; i < n; i++) {
    scn_file_report_init(&reps[i], srcs[i]->name);
    run_one(loop, &r, srcs[i], &reps[i]);
    passed += reps[i].sum.passed;
    failed += reps[i].sum.failed;
    errors += reps[i].sum.errors;
  }
  if (o->tap)
    scn_tap_end(&r.tap);
  else
    scn_text_summary(o->out, passed, failed, errors);
  fflush(o->out);
  rc = write_reports(o, reps, n);
  for (size_t i = 0; i < n; i++) scn_file_report_free(&reps[i]);
  free(srcs);
  free(reps);
  if (rc != 0) return rc;
  return (failed > 0 || errors > 0) ? SCN_EXIT_FAILED : SCN_EXIT_OK;
}
