/* session-api.c - loading and submitting commands, controlling the script (run,
 * continue, stepping, pacing), the socket names, and the session's read-only views. */
#include "session-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

scn_vars *scn_session_vars(scn_session *s)
{
  return &s->vars;
}

/* Diagnostics point into their source, so a source with errors outlives its load; only
 * the latest few are kept (callers read diagnostics at once), so typos in a long TUI
 * sitting cannot pile up. */
static void keep(scn_session *s, srcref *ref)
{
  srcref **pp = &s->kept;
  size_t n = 0;
  ref->next = s->kept;
  s->kept = ref;
  while (*pp && ++n < SCN_KEPT_SOURCES) pp = &(*pp)->next;
  while (*pp) {
    srcref *old = *pp;
    *pp = old->next;
    scn__srcref_put(old);
  }
}

/* Compiles against a copy of what the session knows; commits only when clean. */
static size_t compile(scn_session *s, scn_source *src, scn_diags *diags, scn_commands *cmds,
                      srcref **ref)
{
  scn_vars *vars = malloc(sizeof *vars);
  scn_checker *ck = malloc(sizeof *ck);
  size_t before = diags->n + diags->dropped, errors;

  cmds->v = NULL;
  cmds->n = 0;
  if (vars == NULL || ck == NULL || (*ref = scn__srcref_new(src)) == NULL) {
    free(vars);
    free(ck);
    scn_source_free(src);
    scn_diags_add(diags, NULL, 0, 0, 0, "out of memory");
    return 1;
  }
  *vars = s->vars;
  *ck = s->ck;
  ck->vars = vars;
  ck->diags = diags;
  scn_compile(src, ck, cmds);
  errors = diags->n + diags->dropped - before;
  if (errors == 0) {
    s->vars = *vars;
    memcpy(s->ck.names, ck->names, sizeof ck->names);
    s->ck.nnames = ck->nnames;
  } else {
    scn_commands_free(cmds);
    keep(s, *ref);
    *ref = NULL;
  }
  free(vars);
  free(ck);
  return errors;
}

size_t scn_session_load(scn_session *s, scn_source *src, scn_diags *diags)
{
  scn_commands cmds;
  srcref *ref;
  size_t errors = compile(s, src, diags, &cmds, &ref);
  if (errors > 0) return errors;
  for (size_t i = 0; i < cmds.n; i++) scn__enqueue(&s->lanes[LANE_SCRIPT], &cmds.v[i], ref);
  free(cmds.v);
  scn__srcref_put(ref);
  return 0;
}

/* Runs a front-end verb at once, outside any queue: they never wait. */
static void run_immediate(scn_session *s, scn_command *cmd)
{
  lane *l = &s->lanes[LANE_OPERATOR], *outer = s->cur;
  scn_status st;
  s->cur = l;
  st = cmd->entry->exec(s, cmd);
  s->cur = outer;
  if (st == SCN_ERROR)
    scn__report_error(s, cmd->src, l->err.line, l->err.col, l->err.width, l->err.code,
                      l->err.message);
}

size_t scn_session_submit(scn_session *s, const char *origin, const char *line, scn_diags *diags)
{
  scn_commands cmds;
  scn_source *src;
  srcref *ref;
  size_t errors;
  bool immediate = true;

  if (scn_source_new(origin, line, strlen(line), &src) != 0) {
    scn_diags_add(diags, NULL, 0, 0, 0, "line too long");
    return 1;
  }
  if ((errors = compile(s, src, diags, &cmds, &ref)) > 0) return errors;
  for (size_t i = 0; i < cmds.n; i++)
    if (!(cmds.v[i].entry->flags & SCN_F_IMMEDIATE)) immediate = false;
  for (size_t i = 0; i < cmds.n; i++) {
    if (immediate) {
      run_immediate(s, &cmds.v[i]);
      scn_command_free(&cmds.v[i]);
    } else {
      scn__enqueue(&s->lanes[LANE_OPERATOR], &cmds.v[i], ref);
    }
  }
  free(cmds.v);
  scn__srcref_put(ref);
  if (!immediate) scn__advance(&s->lanes[LANE_OPERATOR]);
  return 0;
}

void scn_session_continue(scn_session *s)
{
  for (int i = 0; i < NLANES; i++)
    if (s->lanes[i].running && s->lanes[i].pausing) scn__resume_lane(&s->lanes[i], SCN_DONE);
}

void scn_session_set_stepping(scn_session *s, bool on)
{
  s->stepping = on;
  if (!on) scn__advance(&s->lanes[LANE_SCRIPT]);
}

void scn_session_step(scn_session *s)
{
  s->step_once = true;
  s->paced = true; /* a step runs at once, whatever the pacing */
  scn__advance(&s->lanes[LANE_SCRIPT]);
}

void scn_session_set_delay(scn_session *s, uint64_t ns)
{
  s->delay_ns = ns;
}

uint64_t scn_session_delay(const scn_session *s)
{
  return s->delay_ns;
}

bool scn_session_busy(const scn_session *s)
{
  return s->lanes[LANE_SCRIPT].running != NULL || s->lanes[LANE_SCRIPT].head != NULL;
}

bool scn_session_paused(const scn_session *s)
{
  return s->lanes[LANE_SCRIPT].pausing || s->lanes[LANE_OPERATOR].pausing;
}

bool scn_session_stopped(const scn_session *s)
{
  return s->lanes[LANE_SCRIPT].stopped;
}

const scn_command *scn_session_current(const scn_session *s)
{
  const lane *l = &s->lanes[LANE_SCRIPT];
  if (l->running) return &l->running->cmd;
  return l->head ? &l->head->cmd : NULL;
}

scn_summary scn_session_summary(const scn_session *s)
{
  return s->sum;
}

mcb_bench *scn_session_bench(const scn_session *s)
{
  return s->bench;
}

const scn_checker *scn_session_checker(const scn_session *s)
{
  return &s->ck;
}

uv_loop_t *scn_session_loop(const scn_session *s)
{
  return s->loop;
}

lane *scn__lane_of_running(scn_session *s)
{
  return s->cur;
}

/* ---- socket names ---- */

size_t scn_session_socket_count(const scn_session *s)
{
  return s->nsocks;
}

const scn_sock *scn_session_socket_at(const scn_session *s, size_t i)
{
  return i < s->nsocks ? &s->socks[i] : NULL;
}

scn_sock *scn_find_sock(scn_session *s, const char *name)
{
  for (size_t i = 0; i < s->nsocks; i++)
    if (strcmp(s->socks[i].name, name) == 0) return &s->socks[i];
  return NULL;
}

const scn_sock *scn_session_socket(const scn_session *s, const char *name)
{
  return scn_find_sock((scn_session *)s, name);
}

scn_sock *scn_add_sock(scn_session *s, const char *name)
{
  scn_sock *ss;
  if (s->nsocks == SCN_MAX_NAMES) return NULL;
  ss = &s->socks[s->nsocks++];
  memset(ss, 0, sizeof *ss);
  snprintf(ss->name, sizeof ss->name, "%s", name);
  return ss;
}

scn_sock *scn_need_sock(scn_session *s, const scn_command *cmd, scn_status *st)
{
  const scn_token *t = scn_arg(cmd, "NAME");
  scn_sock *ss = t ? scn_find_sock(s, t->text) : NULL;
  if (ss == NULL || ss->sock == NULL)
    *st = scn_fail(s, cmd, t, UV_ENOENT, "no socket named '%s' (its open failed?)",
                   t ? t->text : "?");
  return ss && ss->sock ? ss : NULL;
}
