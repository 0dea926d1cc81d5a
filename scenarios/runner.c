/* runner.c - runs scenario files headless and reports (see runner.h). */
#include "runner.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "escape.h"
#include "interval.h"
#include "session.h"

#define NSIGNALS         3
#define LAB_EVENTS_SHOWN 100 /* per file; the JSON report keeps the rest */

typedef struct run {
  const scn_run_opts *o;
  scn_reports rs;
  scn_file_report *cur;
  bool finished; /* the current scenario is done */
  int signal;    /* the signal that stops the run; 0 while none */
  uv_signal_t sigs[NSIGNALS];
  int sigs_open;
  scn_session *s;    /* the running scenario's */
  size_t lab_events; /* seen in this file */
} run;

/* Loads the inputs: each file, then the -e text as one more source. */
static int load_sources(const scn_run_opts *o, scn_source **srcs, size_t *n)
{
  char err[MCB_MSG_MAX];
  *n = 0;
  for (size_t i = 0; i < o->nfiles; i++) {
    if (scn_source_load(o->files[i], &srcs[*n], err, sizeof err) != 0) {
      char esc[4 * sizeof err];
      scn_escape_text(err, strlen(err), true, esc, sizeof esc, 0); /* it quotes an escaped name */
      fprintf(o->err, "mcbench: %s\n", esc);
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
  scn_checker_default_nodes(ck);
  ck->diags = diags;
  scn_compile(src, ck, &cmds);
  scn_commands_free(&cmds);
  for (size_t i = 0; i < diags->n; i++) scn_report_diag(o->err, &diags->items[i]);
  if (diags->dropped) {
    scn_report_puts(o->err, src->name, false);
    fprintf(o->err, ": %zu more errors not shown\n", diags->dropped);
  }
  n = diags->n + diags->dropped;
  free(diags), free(ck), free(vars);
  return n;
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

/* ---- reporter callbacks: every event goes to every writer ---- */

static void on_command(void *arg, const scn_command *cmd)
{
  run *r = arg;
  char text[512];
  if (!r->o->verbose) return;
  scn_command_text(cmd, text, sizeof text);
  scn_reports_command(&r->rs, cmd, text);
}

static void on_error(void *arg, const scn_diag *d)
{
  run *r = arg;
  scn_file_report_add_error(r->cur, d, SCN_ERR_RUN);
  scn_reports_error(&r->rs, d, SCN_ERR_RUN);
}

static void on_result(void *arg, const scn_result *res)
{
  run *r = arg;
  scn_file_report_add_result(r->cur, res);
  scn_reports_result(&r->rs, res);
}

static void on_note(void *arg, const scn_command *cmd, const char *text)
{
  run *r = arg;
  /* What the user asked to see (help, report, lab show, lab trace, what a stopped lab
   * capture wrote) is always shown: their output, not a trace. */
  bool help = strcmp(cmd->entry->name, "help") == 0 || strcmp(cmd->entry->name, "report") == 0 ||
              (strcmp(cmd->entry->name, "lab") == 0 &&
               (scn_arg(cmd, "show") != NULL || scn_arg(cmd, "trace") != NULL ||
                (scn_arg(cmd, "capture") != NULL && scn_arg(cmd, "stop") != NULL) ||
                strncmp(cmd->entry->forms[cmd->form], "exec ", 5) == 0));
  /* (`lab exec` notes come from its task's stand-in too, which has the form, not the
   * arguments; their program's output is escaped already) */
  bool warning = strncmp(text, "warning: ", 9) == 0; /* a caveat the user must see */
  if (!r->o->verbose && !help && !warning) return;
  scn_reports_note(&r->rs, cmd, help ? SCN_NOTE_HELP : SCN_NOTE_TRACE, text);
}

static void on_say(void *arg, const scn_command *cmd, const char *text)
{
  run *r = arg;
  scn_reports_say(&r->rs, cmd, text);
}

/* What the lab's watcher saw, as notes under the command running then, always shown: a
 * lesson is about them. At most LAB_EVENTS_SHOWN per file (the writers escape them). */
static void on_lab_event(void *arg, const mcb_lab_event *ev)
{
  run *r = arg;
  const scn_command *cmd = r->s != NULL ? scn_session_current(r->s) : NULL;
  char event[256], text[300];
  if (cmd == NULL || ++r->lab_events > LAB_EVENTS_SHOWN + 1) return;
  if (r->lab_events > LAB_EVENTS_SHOWN)
    snprintf(text, sizeof text, "lab: more events not shown (--json FILE keeps them)");
  else
    snprintf(text, sizeof text, "lab: %s", mcb_lab_event_format(ev, event, sizeof event));
  scn_reports_note(&r->rs, cmd, SCN_NOTE_TRACE, text);
}

static void on_done(void *arg, const scn_summary *sum)
{
  run *r = arg;
  r->cur->sum = *sum;
  r->finished = true;
}

static void session_closed(void *arg)
{
  *(bool *)arg = true;
}

/* ---- signals: the loop's signal watchers only note the signal; run_one acts on it ---- */

static void on_signal(uv_signal_t *h, int signum)
{
  run *r = h->data;
  if (r->signal == 0) r->signal = signum;
}

static void signal_closed(uv_handle_t *h)
{
  run *r = h->data;
  r->sigs_open--;
}

static void signals_start(uv_loop_t *loop, run *r)
{
  static const int signums[NSIGNALS] = {SIGINT, SIGTERM, SIGHUP};
  for (int i = 0; i < NSIGNALS; i++) {
    if (uv_signal_init(loop, &r->sigs[i]) != 0) continue;
    r->sigs[i].data = r;
    r->sigs_open++;
    /* one-shot: a second signal of the same kind ends the process at once */
    if (uv_signal_start_oneshot(&r->sigs[i], on_signal, signums[i]) != 0)
      fprintf(r->o->err, "mcbench: cannot watch %s; it will end the run at once\n",
              scn_signal_name(signums[i]));
  }
}

static void signals_stop(uv_loop_t *loop, run *r)
{
  for (int i = 0; i < NSIGNALS; i++)
    if (r->sigs[i].data == r) uv_close((uv_handle_t *)&r->sigs[i], signal_closed);
  while (r->sigs_open > 0) uv_run(loop, UV_RUN_ONCE);
}

/* The running scenario as a failed test: "interrupted by SIGTERM while running: wait 30s". */
static void record_interrupt(run *r, scn_session *s, const scn_source *src, scn_file_report *rep)
{
  const scn_command *cmd = scn_session_current(s);
  scn_diag d = {.src = src};
  char text[MCB_MSG_MAX] = "";
  if (cmd != NULL) {
    scn_command_text(cmd, text, sizeof text);
    d.src = cmd->src;
    d.line = cmd->line;
    d.col = cmd->argv[0].col;
    d.width = cmd->argv[0].width;
  }
  mcb_msgf(d.message, sizeof d.message, "interrupted by %s%s%s", scn_signal_name(r->signal),
           cmd ? " while running: " : "", text);
  rep->sum = scn_session_summary(s);
  rep->sum.errors++;
  rep->sum.stopped = true;
  rep->signal = r->signal;
  scn_file_report_add_error(rep, &d, SCN_ERR_INTERRUPTED);
  scn_reports_error(&r->rs, &d, SCN_ERR_INTERRUPTED);
}

/* A file that did not check: its errors are its report; it does not run. */
static void record_check_errors(run *r, const scn_diags *diags, scn_file_report *rep)
{
  rep->not_run = true;
  for (size_t i = 0; i < diags->n; i++) {
    scn_file_report_add_error(rep, &diags->items[i], SCN_ERR_PARSE);
    scn_reports_error(&r->rs, &diags->items[i], SCN_ERR_PARSE);
  }
  if (diags->dropped > 0 && diags->n > 0) {
    scn_diag d = {.src = diags->items[diags->n - 1].src, .line = diags->items[diags->n - 1].line};
    mcb_msgf(d.message, sizeof d.message, "%zu more errors not shown", diags->dropped);
    scn_file_report_add_error(rep, &d, SCN_ERR_PARSE);
    scn_reports_error(&r->rs, &d, SCN_ERR_PARSE);
  }
  rep->sum.errors = diags->n + diags->dropped;
}

static void session_failed(run *r, scn_source *src, scn_file_report *rep)
{
  scn_diag d = {.src = src, .line = 1};
  mcb_msgf(d.message, sizeof d.message, "cannot start a session (out of memory?)");
  on_error(r, &d);
  rep->sum.errors++;
}

/* Runs one source in a fresh session, which takes the source; stops at a signal. */
static void run_one(uv_loop_t *loop, run *r, scn_source *src, scn_file_report *rep)
{
  scn_reporter rp = {.arg = r,
                     .command = on_command,
                     .error = on_error,
                     .result = on_result,
                     .note = on_note,
                     .say = on_say,
                     .done = on_done,
                     .lab_event = on_lab_event};
  scn_session_opts so = {
      .timeout_ns = r->o->timeout_ns, .seed = r->o->seed, .seeded = r->o->seeded};
  mcb_limits lim;
  if (r->o->max_peers || r->o->max_groups) {
    mcb_limits_default(&lim);
    lim.payload_cap = 1500; /* as the session's default */
    if (r->o->max_peers) lim.max_peers = r->o->max_peers;
    if (r->o->max_groups) lim.max_groups = r->o->max_groups;
    so.limits = &lim;
  }
  scn_diags *diags = calloc(1, sizeof *diags);
  scn_session *s = NULL;
  uint64_t t0 = uv_hrtime();
  bool closed = false;
  scn_interval_clock *iclock = NULL;

  r->cur = rep;
  r->finished = false;
  if (diags == NULL || scn_session_new(loop, &so, &rp, &s) != 0) {
    session_failed(r, src, rep);
    scn_source_free(src);
    free(diags);
    return;
  }
  *scn_session_vars(s) = r->o->vars;
  r->s = s;
  r->lab_events = 0;
  if (scn_session_load(s, src, diags) == 0) {
    if (r->o->interval_ns > 0 &&
        scn_interval_start(loop, r->o->interval_ns, s, &r->rs, rep, &iclock) != 0)
      fprintf(r->o->err, "mcbench: --interval: cannot start its timer\n");
    scn_session_run(s);
    while (!r->finished && r->signal == 0) uv_run(loop, UV_RUN_ONCE);
    scn_interval_stop(iclock);
    if (!r->finished) record_interrupt(r, s, src, rep);
  } else {
    record_check_errors(r, diags, rep);
  }
  rep->elapsed_ns = uv_hrtime() - t0;
  scn_file_report_snapshot(rep, s);
  /* closing the bench closes every socket and removes the unix sockets' files */
  r->s = NULL;
  scn_session_close(s, session_closed, &closed);
  while (!closed) uv_run(loop, UV_RUN_ONCE);
  free(diags);
}

/* The exit status: a signal wins, then errors of the run itself, then the verdicts. */
static int status(const run *r, const scn_run_totals *t, size_t report_failures)
{
  if (t->signal) return 128 + t->signal;
  if (report_failures > 0 || t->not_run > 0) return SCN_EXIT_USAGE;
  return (t->failed > 0 || t->errors > 0) ? SCN_EXIT_FAILED : SCN_EXIT_OK;
}

int scn_runner_run(uv_loop_t *loop, const scn_run_opts *o)
{
  scn_source **srcs = calloc(o->nfiles + 1, sizeof *srcs);
  scn_file_report *reps = calloc(o->nfiles + 1, sizeof *reps);
  scn_run_totals t = {0};
  size_t n = 0, bad_reports;
  run r = {.o = o, .rs = o->reports};
  int rc;

  if (srcs == NULL || reps == NULL) {
    free(srcs), free(reps);
    return SCN_EXIT_USAGE;
  }
  rc = load_sources(o, srcs, &n);
  if (rc != 0) {
    for (size_t i = 0; i < n; i++) scn_source_free(srcs[i]);
    free(srcs), free(reps);
    return rc;
  }
  scn_reports_setup(&r.rs, o->out, o->err);
  if (scn_reports_begin(&r.rs) > 0) { /* a report that cannot be written: nothing runs */
    for (size_t i = 0; i < n; i++) scn_source_free(srcs[i]);
    free(srcs), free(reps);
    return SCN_EXIT_USAGE;
  }
  signals_start(loop, &r);
  for (size_t i = 0; i < n; i++) {
    if (r.signal != 0) { /* the files after an interruption do not run */
      scn_source_free(srcs[i]);
      continue;
    }
    scn_file_report_init(&reps[t.files], srcs[i]->name);
    scn_reports_file_begin(&r.rs, &reps[t.files]);
    run_one(loop, &r, srcs[i], &reps[t.files]);
    scn_reports_file_end(&r.rs, &reps[t.files]);
    t.passed += reps[t.files].sum.passed;
    t.failed += reps[t.files].sum.failed;
    t.errors += reps[t.files].sum.errors;
    t.not_run += reps[t.files].not_run;
    t.files++;
  }
  t.signal = r.signal;
  fflush(o->out);
  bad_reports = scn_reports_end(&r.rs, reps, t.files, &t);
  signals_stop(loop, &r);
  for (size_t i = 0; i < t.files; i++) scn_file_report_free(&reps[i]);
  free(srcs);
  free(reps);
  return status(&r, &t, bad_reports);
}
