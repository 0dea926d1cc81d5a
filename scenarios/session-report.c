/* session-report.c - how commands report: notes, narration, run-time failures with
 * their position and code, expectation verdicts, and the end of the script. */
#include "session-internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- reporting helpers ---- */

const scn_reporter *scn_reporter_of(scn_session *s)
{
  return &s->rep;
}

lane *scn__lane_of_seq(scn_session *s, uint64_t seq)
{
  for (int i = 0; i < NLANES; i++)
    if (s->lanes[i].running && s->lanes[i].running->seq == seq) return &s->lanes[i];
  return NULL;
}

void scn_say(scn_session *s, const scn_command *cmd, const char *text)
{
  if (s->rep.say) s->rep.say(s->rep.arg, cmd, text);
}

int scn_frontend(scn_session *s, const scn_command *cmd, char *why, size_t size)
{
  if (s->rep.frontend == NULL) return 1;
  return s->rep.frontend(s->rep.arg, cmd, why, size);
}

void scn_note(scn_session *s, const scn_command *cmd, const char *fmt, ...)
{
  char text[4096]; /* room for `help` */
  va_list ap;
  if (s->rep.note == NULL) return;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  s->rep.note(s->rep.arg, cmd, text);
}

scn_status scn_fail(scn_session *s, const scn_command *cmd, const scn_token *tok, int code,
                    const char *fmt, ...)
{
  va_list ap;
  const scn_token *at = tok ? tok : &cmd->argv[0];
  scn_err *e = &s->cur->err;
  e->code = code;
  va_start(ap, fmt);
  mcb_vmsgf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  e->line = at->line;
  e->col = at->col;
  e->width = at->width;
  return SCN_ERROR;
}

void scn_fail_seq(scn_session *s, uint64_t seq, const scn_token *tok, int code, const char *fmt,
                  ...)
{
  va_list ap;
  lane *l = scn__lane_of_seq(s, seq), *outer = s->cur;
  char msg[MCB_MSG_MAX];
  if (l == NULL) return;
  va_start(ap, fmt);
  mcb_vmsgf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  s->cur = l;
  scn_fail(s, &l->running->cmd, tok, code, "%s", msg);
  s->cur = outer;
}

scn_status scn_fail_core(scn_session *s, const scn_command *cmd, const scn_token *tok, int code)
{
  return scn_fail(s, cmd, tok, code, "%s", mcb_last_error(s->bench));
}

void scn_report_result(scn_session *s, const scn_command *cmd, bool passed, const char *expected,
                       const char *actual)
{
  scn_result r;
  memset(&r, 0, sizeof r);
  mcb_msgf(r.file, sizeof r.file, "%s", cmd->src->name);
  r.line = cmd->line;
  scn_command_text(cmd, r.text, sizeof r.text);
  r.passed = passed;
  mcb_msgf(r.expected, sizeof r.expected, "%s", expected ? expected : "");
  mcb_msgf(r.actual, sizeof r.actual, "%s", actual ? actual : "");
  r.elapsed_ns = uv_hrtime() - s->cur->started;
  if (passed)
    s->sum.passed++;
  else
    s->sum.failed++;
  if (s->rep.result) s->rep.result(s->rep.arg, &r);
}

void scn__report_error(scn_session *s, const scn_source *src, unsigned line, unsigned col,
                       unsigned width, int code, const char *message)
{
  scn_diag d;
  memset(&d, 0, sizeof d);
  d.code = code;
  d.src = src;
  d.line = line;
  d.col = col;
  d.width = width;
  mcb_msgf(d.message, sizeof d.message, "%s", message);
  s->sum.errors++;
  if (s->rep.error) s->rep.error(s->rep.arg, &d);
}

void scn__report_done(scn_session *s)
{
  if (s->rep.done) s->rep.done(s->rep.arg, &s->sum);
}
