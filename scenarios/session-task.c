/* session-task.c - background tasks: work that outlives the command that started it
 * (paced sends today; streams, timers and lab watchers tomorrow).
 *
 * The session keeps running tasks in a list and stops them when their socket closes
 * (cancelled), when the lane that started them stops, or when the session closes. A task
 * copies what it needs from its command (a stand-in with the source, line and verb, the
 * source held by reference) and never takes the command away from its lane. Once stopped
 * a task is unlinked and no longer touches the session; it is freed when its own pending
 * work is released, which may come after the session is gone.
 */
#include "session-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void task_free(scn_task *t)
{
  if (t->ops->free) t->ops->free(t->data);
  scn__srcref_put(t->ref);
  free(t);
}

static void unlink_task(scn_session *s, scn_task *t)
{
  for (scn_task **pp = &s->tasks; *pp; pp = &(*pp)->next)
    if (*pp == t) {
      *pp = t->next;
      s->ntasks--;
      return;
    }
}

static void task_stop(scn_task *t, scn_task_end why)
{
  if (t->stopped) return;
  t->stopped = true;
  unlink_task(t->s, t);
  t->ops->stop(t, why); /* may release at once */
  t->s = NULL;
  if (t->released) task_free(t);
}

/* The stand-in keeps the verb's token (for a caret under it) and the source's line. */
static void copy_origin(scn_task *t, const scn_command *cmd)
{
  t->verb = cmd->argv[0];
  snprintf(t->verb_text, sizeof t->verb_text, "%s", cmd->argv[0].text);
  t->verb.text = t->verb_text;
  t->verb.len = strlen(t->verb_text);
  t->origin = (scn_command){.src = t->ref ? t->ref->src : NULL,
                            .line = cmd->line,
                            .argv = &t->verb,
                            .argc = 1,
                            .entry = cmd->entry,
                            .form = cmd->form};
}

int scn_task_start(scn_session *s, const scn_command *cmd, mcb_socket *sock,
                   const scn_task_ops *ops, void *data)
{
  lane *l = s->cur;
  scn_task *t = calloc(1, sizeof *t);
  int rc = t == NULL ? UV_ENOMEM : s->ntasks >= SCN_MAX_TASKS ? UV_ENOBUFS : 0;
  if (rc == 0 && (l->running == NULL || &l->running->cmd != cmd || s->closing)) rc = UV_EINVAL;
  if (rc != 0) {
    free(t);
    if (ops->free) ops->free(data);
    return rc;
  }
  t->s = s;
  t->ops = ops;
  t->data = data;
  t->sock = sock;
  t->lane = l->id;
  t->ref = l->running->ref;
  t->ref->refs++;
  copy_origin(t, cmd);
  t->next = s->tasks;
  s->tasks = t;
  s->ntasks++;
  if ((rc = ops->start(t)) != 0) {
    unlink_task(s, t);
    task_free(t);
  }
  return rc;
}

void scn_task_done(scn_task *t)
{
  task_stop(t, SCN_TASK_DONE);
}

void scn_task_release(scn_task *t)
{
  t->released = true;
  if (t->stopped && t->s == NULL) task_free(t);
}

void *scn_task_data(const scn_task *t)
{
  return t->data;
}

scn_session *scn_task_session(const scn_task *t)
{
  return t->s;
}

mcb_socket *scn_task_socket(const scn_task *t)
{
  return t->sock;
}

bool scn_task_stopped(const scn_task *t)
{
  return t->stopped;
}

const scn_command *scn_task_origin(const scn_task *t)
{
  return &t->origin;
}

size_t scn_tasks_cancel(scn_session *s, const mcb_socket *sock)
{
  size_t n = 0;
  scn_task *t = s->tasks, *next;
  for (; t; t = next) {
    next = t->next;
    if (t->sock != sock) continue;
    task_stop(t, SCN_TASK_CANCELLED);
    n++;
  }
  return n;
}

size_t scn_tasks_end(scn_session *s, const mcb_socket *sock, const scn_task_ops *ops,
                     bool (*pick)(void *data, void *arg), void *arg)
{
  size_t n = 0;
  scn_task *t = s->tasks, *next;
  for (; t; t = next) {
    next = t->next;
    if (t->sock != sock || t->ops != ops || (pick != NULL && !pick(t->data, arg))) continue;
    task_stop(t, SCN_TASK_ENDED);
    n++;
  }
  return n;
}

void scn__tasks_stop(scn_session *s, int lane_id)
{
  scn_task *t = s->tasks, *next;
  for (; t; t = next) {
    next = t->next;
    if (lane_id < 0 || t->lane == lane_id) task_stop(t, SCN_TASK_STOPPED);
  }
}

size_t scn_session_tasks(const scn_session *s)
{
  return s->ntasks;
}
