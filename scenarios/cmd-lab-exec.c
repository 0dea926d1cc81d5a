/* cmd-lab-exec.c - `lab exec NODE [within DUR] [status N] [bg] -- CMD...`: a program run
 * inside a lab node (the core's mcb_lab_spawn), as a session task.
 *
 * Its output lines (standard output and error, bounded in count and length) are
 * untrusted bytes: each is escaped and shown as a note of the command. In the
 * foreground the command is parked until the program exits and fails unless the exit
 * status is the expected one; in the background (`bg`) the scenario goes on. Either way
 * the run is bounded: at its `within` deadline, when its lane stops or when the session
 * closes, its whole process group is killed (the core makes the lab's death, even by
 * kill -9, kill it too). The task's handles close in their own callbacks and the job
 * is freed after the last one, which may be after the session is gone. */
#include "cmd-lab.h"
#include "escape.h"
#include "values.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXEC_DEFAULT_NS   (30ull * 1000000000ull) /* a foreground run without `within` */
#define EXEC_MAX_LINES    400                     /* output lines shown per run */
#define EXEC_LINE_MAX     300                     /* bytes of a line kept (the rest is cut) */
#define EXEC_MAX_ARGS     64
#define EXEC_WHAT_COLUMNS 100

typedef struct exec_job {
  scn_task *task; /* NULL once the task is gone (its free ran) */
  scn_session *s; /* NULL once the task is stopped: never touched after */
  uv_process_t proc;
  uv_pipe_t out;
  uv_timer_t bound;
  int open; /* handles not yet closed */
  bool exited, eof, timed_out, fg, finished;
  uint64_t seq; /* the parked foreground command */
  uint64_t bound_ns;
  char bound_text[32]; /* as written, or the default */
  int want;            /* expected exit status */
  int64_t status;
  int term_signal;
  char node[MCB_LAB_NAME_MAX];
  char what[EXEC_WHAT_COLUMNS * 4 + 8]; /* the program and its arguments, escaped */
  char line[EXEC_LINE_MAX];
  size_t len;
  bool cut;
  unsigned lines;
  uint64_t hidden; /* lines past EXEC_MAX_LINES */
  char rbuf[4096]; /* each read, split into lines at once */
} exec_job;

static void job_maybe_free(exec_job *j)
{
  if (j->open == 0 && j->task == NULL) free(j);
}

static void on_closed(uv_handle_t *h)
{
  exec_job *j = h->data;
  j->open--;
  if (j->open == 0 && j->task != NULL)
    scn_task_release(j->task); /* may free the task, and with it the job (job_gone) */
  else
    job_maybe_free(j);
}

static void close_handle(uv_handle_t *h)
{
  if (!uv_is_closing(h)) uv_close(h, on_closed);
}

/* The whole process group: the wrapper made it its own session (setsid). */
static void kill_group(exec_job *j)
{
  if (!j->exited && j->proc.pid > 0) kill(-j->proc.pid, SIGKILL);
}

/* The command the run's notes and failure belong to: the parked command while it waits,
 * else the task's stand-in. */
static const scn_command *job_cmd(exec_job *j)
{
  const scn_command *cmd = j->fg ? scn_command_for(j->s, j->seq, NULL) : NULL;
  return cmd != NULL ? cmd : scn_task_origin(j->task);
}

static void emit_line(exec_job *j)
{
  char esc[EXEC_LINE_MAX * 4 + 8];
  if (j->s == NULL) return;
  if (j->lines >= EXEC_MAX_LINES) {
    j->hidden++;
    return;
  }
  j->lines++;
  scn_escape((const uint8_t *)j->line, j->len, true, esc, sizeof esc, 0, NULL);
  scn_note(j->s, job_cmd(j), "%s| %s%s", j->node, esc, j->cut ? "..." : "");
}

static void take_bytes(exec_job *j, const char *p, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '\n') {
      emit_line(j);
      j->len = 0;
      j->cut = false;
    } else if (j->len < sizeof j->line) {
      j->line[j->len++] = p[i];
    } else {
      j->cut = true;
    }
  }
}

static void on_alloc(uv_handle_t *h, size_t want, uv_buf_t *buf)
{
  exec_job *j = h->data;
  (void)want;
  *buf = uv_buf_init(j->rbuf, sizeof j->rbuf);
}

static void finish(exec_job *j);

static void end_output(exec_job *j)
{
  j->eof = true;
  close_handle((uv_handle_t *)&j->out);
  finish(j);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
  exec_job *j = st->data;
  if (n > 0) take_bytes(j, buf->base, (size_t)n);
  if (n < 0) end_output(j); /* the last process holding the pipe is gone (or it failed) */
}

/* A process that left the program's group and PID namespace (possible only where the
 * wrapper could not make one) may hold the pipe open: the output ends a second after
 * the program, whatever it left running. */
static void on_drain(uv_timer_t *t)
{
  exec_job *j = t->data;
  if (!j->eof) end_output(j);
}

static void on_program_exit(uv_process_t *p, int64_t status, int term_signal)
{
  exec_job *j = p->data;
  /* Whatever it left behind in its group goes too (with a PID namespace the kernel has
   * done that already); then the pipe reaches its end. */
  kill(-p->pid, SIGKILL);
  j->exited = true;
  j->status = status;
  j->term_signal = term_signal;
  close_handle((uv_handle_t *)p);
  if (!uv_is_closing((uv_handle_t *)&j->bound)) { /* the bound is over: it exited */
    uv_timer_stop(&j->bound);
    if (!j->eof) uv_timer_start(&j->bound, on_drain, 1000, 0);
  }
  finish(j);
}

static void on_bound(uv_timer_t *t)
{
  exec_job *j = t->data;
  if (j->exited) return;
  j->timed_out = true;
  kill_group(j);
}

/* How it ended: "status 2", "signal 9 (SIGKILL)", "still running after 2s: killed...". */
static void describe(const exec_job *j, char *buf, size_t size)
{
  if (j->timed_out) {
    snprintf(buf, size, "still running after %s: killed with its process group", j->bound_text);
  } else if (j->term_signal != 0) {
    const char *name = sigabbrev_np(j->term_signal);
    snprintf(buf, size, "signal %d (SIG%s)", j->term_signal, name ? name : "?");
  } else {
    snprintf(buf, size, "status %lld", (long long)j->status);
  }
}

static bool job_passed(const exec_job *j)
{
  return !j->timed_out && j->term_signal == 0 && j->status == j->want;
}

/* The program has exited and its output is read: the last line without its newline,
 * the count of lines not shown; then the parked command's poll reports the result, or,
 * for a background run (or one whose command has ended), a note does. */
static void finish(exec_job *j)
{
  char how[160];
  if (!j->exited || !j->eof || j->s == NULL || j->finished) return;
  j->finished = true;
  if (j->len > 0) emit_line(j);
  if (j->hidden > 0)
    scn_note(j->s, job_cmd(j), "%s| (%llu more lines not shown)", j->node,
             (unsigned long long)j->hidden);
  if (j->fg && scn_command_for(j->s, j->seq, NULL) != NULL) {
    scn_session_poke(j->s);
    return;
  }
  describe(j, how, sizeof how);
  scn_note(j->s, job_cmd(j), "lab exec on %s: '%s' ended: %s%s", j->node, j->what, how,
           job_passed(j) || !j->fg ? "" : " (its command had ended)");
  scn_task_done(j->task);
}

/* The parked foreground command: a result once the run has finished. */
static bool exec_poll(scn_session *s, scn_command *cmd, scn_status *status)
{
  exec_job *j = *(exec_job **)scn_current_waiter(s)->data;
  char expected[64], how[160]; /* the result's text is the command: what ran, and where */
  if (!j->finished) return false;
  describe(j, how, sizeof how);
  snprintf(expected, sizeof expected, "status %d", j->want);
  scn_report_result(s, cmd, job_passed(j), expected, how);
  *status = SCN_DONE;
  scn_task_done(j->task);
  return true;
}

/* ---- the task ---- */

static int job_start(scn_task *t)
{
  exec_job *j = scn_task_data(t);
  j->task = t;
  j->s = scn_task_session(t);
  if (j->bound_ns > 0) uv_timer_start(&j->bound, on_bound, scn_ms_ceil(j->bound_ns), 0);
  return uv_read_start((uv_stream_t *)&j->out, on_alloc, on_read);
}

static void job_stop(scn_task *t, scn_task_end why)
{
  exec_job *j = scn_task_data(t);
  (void)why;
  j->s = NULL;
  kill_group(j); /* its exit still comes, and closes the process handle */
  close_handle((uv_handle_t *)&j->bound);
  close_handle((uv_handle_t *)&j->out);
  if (j->exited) close_handle((uv_handle_t *)&j->proc);
}

/* The task is gone; the job goes once its handles are closed. */
static void job_gone(void *data)
{
  exec_job *j = data;
  j->task = NULL;
  job_maybe_free(j);
}

static const scn_task_ops exec_ops = {
    .kind = "lab exec",
    .start = job_start,
    .stop = job_stop,
    .free = job_gone,
};

/* ---- the command ---- */

void scn__lab_exec_check(scn_checker *ck, scn_command *cmd)
{
  const scn_token *st = scn_arg(cmd, "status");
  const scn_token *first = scn_arg(cmd, "--");
  int64_t v;
  const char *why;
  if (st != NULL && scn_parse_int(st->text, 0, 255, &v, &why) != 0)
    scn_diags_at(ck->diags, cmd, st, "an exit status is 0..255");
  if (first != NULL && cmd->argc - (size_t)(first - cmd->argv) > EXEC_MAX_ARGS)
    scn_diags_at(ck->diags, cmd, first, "at most %d words after --", EXEC_MAX_ARGS);
  for (size_t k = first != NULL ? (size_t)(first - cmd->argv) : cmd->argc; k < cmd->argc; k++)
    if (strlen(cmd->argv[k].text) != cmd->argv[k].len) /* a program's argument ends there */
      scn_diags_at(ck->diags, cmd, &cmd->argv[k], "a program's argument cannot hold a NUL byte");
}

/* The job for `cmd`, its argv pointing into the command's tokens. */
static exec_job *new_job(const scn_command *cmd, char **argv)
{
  const scn_token *first = scn_arg(cmd, "--"), *w = scn_arg(cmd, "within");
  const scn_token *st = scn_arg(cmd, "status");
  exec_job *j = calloc(1, sizeof *j);
  size_t n = 0, o = 0, k = (size_t)(first - cmd->argv);
  int64_t v = 0;
  const char *why;
  if (j == NULL) return NULL;
  j->fg = scn_arg(cmd, "bg") == NULL;
  j->bound_ns = j->fg ? EXEC_DEFAULT_NS : 0;
  if (w != NULL) scn_parse_duration(w->text, &j->bound_ns, &why); /* checked by the grammar */
  snprintf(j->bound_text, sizeof j->bound_text, "%s", w != NULL ? w->text : "30s");
  if (st != NULL) scn_parse_int(st->text, 0, 255, &v, &why);
  j->want = (int)v;
  snprintf(j->node, sizeof j->node, "%s", scn_arg(cmd, "NODE")->text);
  for (; k < cmd->argc && n < EXEC_MAX_ARGS; k++) {
    const scn_token *t = &cmd->argv[k];
    bool quote = t->len == 0 || strchr(t->text, ' ') != NULL;
    argv[n++] = t->text;
    if (o + 4 >= sizeof j->what) continue;
    if (o > 0) j->what[o++] = ' ';
    if (quote) j->what[o++] = '"';
    scn_escape((const uint8_t *)t->text, t->len, true, j->what + o, sizeof j->what - o - 1,
               EXEC_WHAT_COLUMNS, NULL);
    o += strlen(j->what + o);
    if (quote) j->what[o++] = '"';
    j->what[o] = '\0';
  }
  argv[n] = NULL;
  return j;
}

/* Closes what a failed start leaves; the job goes with its last handle. */
static void abandon(exec_job *j)
{
  kill_group(j);
  close_handle((uv_handle_t *)&j->out);
  close_handle((uv_handle_t *)&j->bound);
  if (j->proc.loop != NULL) close_handle((uv_handle_t *)&j->proc);
}

scn_status scn__lab_exec(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  char *argv[EXEC_MAX_ARGS + 1];
  uv_loop_t *loop = scn_session_loop(s);
  exec_job *j = new_job(cmd, argv), **holder;
  int rc;
  if (j == NULL) return scn_fail(s, cmd, NULL, UV_ENOMEM, "lab exec: out of memory");
  uv_pipe_init(loop, &j->out, 0);
  uv_timer_init(loop, &j->bound);
  j->out.data = j->bound.data = j->proc.data = j;
  j->open = 2;
  rc = mcb_lab_spawn(lab, j->node, loop, &j->proc, &j->out, argv, on_program_exit);
  if (j->proc.loop != NULL) j->open++;
  if (rc != 0) {
    scn_status st = scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
    abandon(j);
    return st;
  }
  j->seq = scn_command_seq(s);
  if ((rc = scn_task_start(s, cmd, NULL, &exec_ops, j)) != 0) {
    scn_status st = scn_fail(s, cmd, NULL, rc, "lab exec on %s: cannot follow the program: %s",
                             j->node, mcb_strerror(rc));
    abandon(j); /* the task is gone already (job_gone ran) */
    return st;
  }
  scn_note(s, cmd, "lab exec on %s: started '%s' (pid %d)%s", j->node, j->what, j->proc.pid,
           j->fg ? "" : " in the background");
  if (!j->fg) return SCN_DONE;
  if ((holder = malloc(sizeof *holder)) == NULL) { /* the run goes on, reported by a note */
    j->fg = false;
    return scn_fail(s, cmd, NULL, UV_ENOMEM, "lab exec on %s: out of memory", j->node);
  }
  *holder = j; /* the job outlives the wait: it is freed after its task */
  return scn_wait(s, cmd, 0, (scn_waiter){.poll = exec_poll, .data = holder});
}
