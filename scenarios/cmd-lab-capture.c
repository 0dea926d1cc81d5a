/* cmd-lab-capture.c - `lab capture LINK FILE` and `lab capture LINK stop`: one end of a
 * lab link recorded into a pcapng file (the core's mcb_lab_capture), as a background
 * task of the session. The file follows the rules of every file mcbench writes as it
 * grows (outfile.h): created exclusively, never through a symlink, an existing file kept
 * unless `overwrite` is given; every write checked. The file is complete at `lab
 * capture LINK stop`, when the capture reaches its cap, and when the lab ends. */
#include "cmd-lab.h"
#include "escape.h"
#include "outfile.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What stopping a capture found, for the `stop` command that asked for it. */
typedef struct capture_result {
  int error;
  char message[MCB_MSG_MAX];
} capture_result;

typedef struct capture {
  scn_task *task;
  mcb_capture *cap;
  scn_outfile out;
  uint64_t max_packets;
  char link[2 * MCB_LAB_NAME_MAX + IF_NAMESIZE]; /* as the command named it */
  char node[MCB_LAB_NAME_MAX], ifname[IF_NAMESIZE];
  capture_result *result; /* set by a `stop` command ending it, else NULL */
  bool finished;          /* the file is complete (stopped, or halted by itself) */
  mcb_capture_stats st;   /* its final figures, once finished */
  int error;              /* the first failure of the capture or of the file */
} capture;

static int write_blocks(const void *data, size_t len, void *arg)
{
  capture *c = arg;
  int rc = scn_outfile_write(&c->out, data, len);
  return rc != 0 ? rc : scn_outfile_flush(&c->out); /* a reader sees whole blocks */
}

/* Stops the capture and completes the file, once. */
static void finish(capture *c)
{
  char err[MCB_MSG_MAX];
  int rc;
  if (c->finished) return;
  c->finished = true;
  if (c->cap != NULL) c->error = mcb_capture_stop(c->cap, &c->st);
  c->cap = NULL;
  rc = c->out.f != NULL ? scn_outfile_close(&c->out, err, sizeof err) : 0;
  if (c->error == 0) c->error = rc;
}

/* The cap or a failed write: the capture has stopped recording. The file is completed
 * now; the task stays until `lab capture LINK stop` or the end of the lab, which report
 * it. */
static void on_halt(mcb_capture *cap, int status, void *arg)
{
  capture *c = arg;
  scn_session *s = scn_task_session(c->task);
  (void)cap;
  finish(c);
  if (s != NULL && status == 0)
    scn_note(s, scn_task_origin(c->task),
             "lab capture %s: reached its cap (%llu packets or %u MiB); later packets are not "
             "recorded\n",
             c->link, (unsigned long long)c->max_packets, MCB_CAPTURE_MAX_BYTES >> 20);
  else if (s != NULL)
    scn_note(s, scn_task_origin(c->task), "lab capture %s: stopped: %s (%s)\n", c->link,
             mcb_strerror(status), mcb_err_name(status));
}

static int capture_begin(scn_task *t)
{
  capture *c = scn_task_data(t);
  scn_session *s = scn_task_session(t);
  mcb_lab *lab = scn_session_lab_if_any(s);
  mcb_capture_opts o = {
      .max_packets = c->max_packets, .write = write_blocks, .on_halt = on_halt, .arg = c};
  c->task = t;
  if (lab == NULL) return UV_EINVAL;
  return mcb_lab_capture(lab, scn_session_loop(s), c->node, c->ifname, &o, &c->cap);
}

/* "12 packets (1.5 KiB) in FILE", with what went wrong. */
static void summary(capture *c, const mcb_capture_stats *st, int rc, char *buf, size_t size)
{
  char name[3 * SCN_PATH_MAX];
  size_t n;
  scn_escape((const uint8_t *)c->out.path, strlen(c->out.path), true, name, sizeof name, 0, NULL);
  n = (size_t)snprintf(buf, size, "lab capture %s: %llu packets (%llu bytes) in %s", c->link,
                       (unsigned long long)st->packets, (unsigned long long)st->bytes, name);
  if (n < size && st->capped)
    n += (size_t)snprintf(buf + n, size - n, "; stopped at its cap, later packets are missing");
  if (n < size && st->kernel_drops > 0)
    n += (size_t)snprintf(buf + n, size - n,
                          "; the kernel dropped %llu the capture could not "
                          "take in time",
                          (unsigned long long)st->kernel_drops);
  if (n < size && rc != 0)
    snprintf(buf + n, size - n, "; it stopped on an error: %s (%s)", mcb_strerror(rc),
             mcb_err_name(rc));
}

static void capture_end(scn_task *t, scn_task_end why)
{
  capture *c = scn_task_data(t);
  scn_session *s = scn_task_session(t);
  char msg[MCB_MSG_MAX];
  (void)why;
  finish(c);
  summary(c, &c->st, c->error, msg, sizeof msg);
  if (c->result != NULL) {
    c->result->error = c->error;
    snprintf(c->result->message, sizeof c->result->message, "%s", msg);
  } else if (s != NULL) {
    scn_note(s, scn_task_origin(t), "%s\n", msg);
  }
  scn_task_release(t);
}

static void capture_free(void *data)
{
  capture *c = data;
  if (c->cap != NULL || c->out.f != NULL) finish(c); /* never started as a task */
  free(c);
}

static const scn_task_ops capture_ops = {
    .kind = "capture",
    .start = capture_begin,
    .stop = capture_end,
    .free = capture_free,
};

/* The link the command names: LINK, or NODE OTHER. */
static void link_words(const scn_command *cmd, const char **a, const char **b)
{
  const scn_token *link = scn_arg(cmd, "LINK");
  *a = link ? link->text : scn_arg(cmd, "NODE")->text;
  *b = link ? NULL : scn_arg(cmd, "OTHER")->text;
}

static scn_status fail_file(scn_session *s, scn_command *cmd, int rc, const char *why)
{
  const scn_token *file = scn_arg(cmd, "FILE");
  if (rc == UV_EEXIST)
    return scn_fail(s, cmd, file, rc, "lab capture: %s exists (add overwrite to replace it)",
                    file->text);
  if (rc == UV_ELOOP)
    return scn_fail(s, cmd, file, rc, "lab capture: %s is a symbolic link: not followed",
                    file->text);
  return scn_fail(s, cmd, file, rc, "lab capture: %s", why);
}

/* Finds the capture running on an end without ending it (pick always says no). */
typedef struct busy_arg {
  const char *node, *ifname;
  const capture *found;
} busy_arg;

static bool find_end(void *data, void *arg)
{
  const capture *c = data;
  busy_arg *b = arg;
  if (strcmp(c->node, b->node) == 0 && strcmp(c->ifname, b->ifname) == 0) b->found = c;
  return false;
}

/* One capture per end: `stop` names the end, so a second one could not be told apart. */
static scn_status refuse_busy(scn_session *s, scn_command *cmd, const capture *c)
{
  busy_arg b = {c->node, c->ifname, NULL};
  char name[3 * SCN_PATH_MAX];
  scn_tasks_end(s, NULL, &capture_ops, find_end, &b);
  if (b.found == NULL) return SCN_DONE;
  scn_escape((const uint8_t *)b.found->out.path, strlen(b.found->out.path), true, name, sizeof name,
             0, NULL);
  return scn_fail(s, cmd, NULL, UV_EBUSY,
                  "lab capture %s: %s is already captured into %s (lab capture %s stop first)",
                  c->link, c->ifname, name, b.found->link);
}

static scn_status start(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const scn_token *file = scn_arg(cmd, "FILE"), *count = scn_arg(cmd, "count");
  bool overwrite = scn_arg(cmd, "overwrite") != NULL;
  char why[MCB_MSG_MAX];
  const char *a, *b, *w;
  int64_t n = 0;
  capture *c = calloc(1, sizeof *c);
  int rc;
  if (c == NULL) return scn_fail(s, cmd, NULL, UV_ENOMEM, "lab capture: out of memory");
  link_words(cmd, &a, &b);
  snprintf(c->link, sizeof c->link, "%s%s%s", a, b ? " " : "", b ? b : "");
  if (count != NULL) scn_parse_int(count->text, 1, INT32_MAX, &n, &w); /* checked already */
  c->max_packets = n > 0 ? (uint64_t)n : MCB_CAPTURE_MAX_PACKETS;
  if ((rc = mcb_lab_link_end(lab, a, b, c->node, c->ifname)) != 0) {
    free(c);
    return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  }
  if (refuse_busy(s, cmd, c) != SCN_DONE) {
    free(c);
    return SCN_ERROR;
  }
  if ((rc = scn_outfile_create(&c->out, file->text, overwrite, why, sizeof why)) != 0) {
    free(c);
    return fail_file(s, cmd, rc, why);
  }
  if ((rc = scn_task_start(s, cmd, NULL, &capture_ops, c)) != 0) {
    if (!overwrite) unlink(file->text); /* ours, made empty a moment ago */
    return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  }
  scn_note(s, cmd, "lab: capturing %s (%s in %s) to %s", c->link, c->ifname, c->node, file->text);
  return SCN_DONE;
}

typedef struct pick_arg {
  const char *node, *ifname;
  capture_result *result;
} pick_arg;

static bool same_end(void *data, void *arg)
{
  capture *c = data;
  pick_arg *p = arg;
  if (strcmp(c->node, p->node) != 0 || strcmp(c->ifname, p->ifname) != 0) return false;
  c->result = p->result;
  return true;
}

static scn_status stop(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  char node[MCB_LAB_NAME_MAX], ifname[IF_NAMESIZE];
  capture_result result = {0};
  pick_arg p = {node, ifname, &result};
  const char *a, *b;
  int rc;
  link_words(cmd, &a, &b);
  if ((rc = mcb_lab_link_end(lab, a, b, node, ifname)) != 0)
    return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  if (scn_tasks_end(s, NULL, &capture_ops, same_end, &p) == 0)
    return scn_fail(s, cmd, NULL, UV_ENOENT, "lab capture %s%s%s: no capture is running there", a,
                    b ? " " : "", b ? b : "");
  if (result.error != 0) return scn_fail(s, cmd, NULL, result.error, "%s", result.message);
  scn_note(s, cmd, "%s\n", result.message);
  return SCN_DONE;
}

scn_status scn__lab_capture(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  return scn_arg(cmd, "stop") != NULL ? stop(s, cmd, lab) : start(s, cmd, lab);
}
