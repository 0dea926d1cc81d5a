/* session-api.c - the front end's side of the session: loading and submitting commands,
 * controlling the script (continue, stepping, pacing) and read-only views. */
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
    memcpy(s->ck.nodes, ck->nodes, sizeof ck->nodes);
    s->ck.nnodes = ck->nnodes;
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
  lane *l = &s->lanes[LANE_OPERATOR];
  scn_status st = scn__exec(s, l, cmd);
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

/* The watcher read something: only a note that parked commands (and the reporter) look
 * on the next loop pass. */
static void on_lab_events(void *arg)
{
  scn_session_poke(arg);
}

mcb_lab *scn_session_lab(scn_session *s, const scn_command *cmd)
{
  int rc;
  if (s->lab_implicit) s->lab_implicit = false; /* adopted and watched already */
  if (s->lab == NULL && (rc = mcb_lab_new(&s->lab)) != 0) {
    scn_fail(s, cmd, NULL, rc, "lab: cannot hold the home namespace");
    s->lab = NULL;
  } else if (s->lab != NULL && mcb_lab_node_count(s->lab) == 0 &&
             (rc = mcb_lab_adopt_private(s->lab)) != 0) {
    scn_fail(s, cmd, NULL, rc, "%s", mcb_lab_last_error(s->lab));
    mcb_lab_free(s->lab);
    s->lab = NULL;
  } else if (s->lab != NULL && s->lab_told == 0) {
    s->lab_told = 1;
    /* Without its watcher the lab still works; the lesson only misses its events. */
    if (mcb_lab_watch(s->lab, s->loop, on_lab_events, s) != 0)
      scn_note(s, cmd, "lab: no IGMP/MLD watcher: %s", mcb_lab_last_error(s->lab));
  }
  return s->lab;
}

/* Under --private the default lab (local, peer) exists before any lab verb: its link is
 * watched from the start, so a plain `join` shows its report. Best effort and silent: a
 * session without it works as before. */
void scn__watch_default_lab(scn_session *s)
{
  mcb_lab *lab;
  if (mcb_lab_new(&lab) != 0) return;
  if (mcb_lab_adopt_private(lab) != 0 || mcb_lab_node_count(lab) == 0 ||
      mcb_lab_watch(lab, s->loop, on_lab_events, s) != 0) {
    mcb_lab_free(lab);
    return;
  }
  s->lab = lab;
  s->lab_implicit = true;
  s->lab_told = 1;
}

mcb_lab *scn_session_lab_if_any(const scn_session *s)
{
  return s->lab_implicit ? NULL : s->lab;
}

mcb_lab *scn_session_lab_events(const scn_session *s)
{
  return s->lab;
}

uint64_t *scn_session_lab_cursor(scn_session *s)
{
  return &s->lab_matched;
}

uint64_t *scn_session_switch_cursor(scn_session *s)
{
  return &s->lab_switch_matched;
}
