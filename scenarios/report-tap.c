/* report-tap.c - TAP version 13 on standard output: one test point per expectation and
 * per error as it happens, YAML diagnostics for failures, the plan ("1..N") at the end.
 * Text is escaped for a terminal, and '#' in a description as "\#" so that no scenario
 * text can turn a test point into a TODO or SKIP directive. */
#include "report.h"

#include <string.h>

/* A test point's description. */
static void desc(FILE *out, const char *s)
{
  const char *hash;
  while ((hash = strchr(s, '#')) != NULL) {
    scn_report_putn(out, s, (size_t)(hash - s));
    fputs("\\#", out);
    s = hash + 1;
  }
  scn_report_putn(out, s, strlen(s));
}

/* A YAML double-quoted scalar: printable ASCII, everything else escaped. */
static void yaml_str(FILE *out, const char *s)
{
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p >= 0x20 && *p < 0x7f)
      fputc(*p, out);
    else
      fprintf(out, "\\x%02x", *p);
  }
  fputc('"', out);
}

/* "# " before every line of text, so multi-line notes stay comments. `ours`: text of
 * mcbench's own (help), where only control bytes are escaped and backslashes are meant. */
static void comment_text(FILE *out, const char *text, bool ours)
{
  const char *nl;
  fputs("# ", out);
  for (;; text = nl + 1) {
    nl = strchr(text, '\n');
    size_t len = nl != NULL ? (size_t)(nl - text) : strlen(text);
    if (ours)
      scn_report_put_safe(out, text, len);
    else
      scn_report_putn(out, text, len);
    if (nl == NULL || nl[1] == '\0') break;
    fputs("\n# ", out);
  }
  fputc('\n', out);
}

static void comment(FILE *out, const char *text)
{
  comment_text(out, text, false);
}

static int tap_begin(scn_report_out *o, char *err, size_t errsize)
{
  o->points = 0;
  fputs("TAP version 13\n", o->out);
  return 0;
}

static void tap_command(scn_report_out *o, const scn_command *cmd, const char *text)
{
  fputs("# ", o->out);
  scn_report_puts(o->out, cmd->src->name, false);
  fprintf(o->out, ":%u: ", cmd->line);
  scn_report_put_safe(o->out, text, strcspn(text, "\n")); /* already quoted as a line */
  fputc('\n', o->out);
}

static void tap_result(scn_report_out *o, const scn_result *r)
{
  char head[200];
  fprintf(o->out, "%s %zu - ", r->passed ? "ok" : "not ok", ++o->points);
  snprintf(head, sizeof head, "%s:%u ", r->file, r->line);
  desc(o->out, head);
  desc(o->out, r->text);
  fputc('\n', o->out);
  if (r->passed) return;
  fputs("  ---\n  expected: ", o->out);
  yaml_str(o->out, r->expected);
  fputs("\n  actual: ", o->out);
  yaml_str(o->out, r->actual);
  fputs("\n  ...\n", o->out);
}

/* "not ok N - file:line:col: error: message", built here so that every byte is escaped once. */
static void tap_error(scn_report_out *o, const scn_diag *d, scn_error_kind kind)
{
  char head[64];
  fprintf(o->out, "not ok %zu - ", ++o->points);
  desc(o->out, d->src != NULL ? d->src->name : "?");
  if (d->col > 0)
    snprintf(head, sizeof head, ":%u:%u: error: ", d->line, d->col);
  else
    snprintf(head, sizeof head, ":%u: error: ", d->line);
  fputs(head, o->out);
  desc(o->out, d->message);
  fputc('\n', o->out);
}

static void tap_note(scn_report_out *o, const scn_command *cmd, scn_note_kind kind,
                     const char *text)
{
  comment_text(o->out, text, kind == SCN_NOTE_HELP);
}

static void tap_say(scn_report_out *o, const scn_command *cmd, const char *text)
{
  comment(o->out, text);
}

/* Interval figures are diagnostics: "# interval [  0.00-  1.00 s] rx ..." */
static void tap_interval(scn_report_out *o, const scn_interval *iv)
{
  char line[400];
  fputs("# interval ", o->out);
  scn_interval_format(iv, line, sizeof line);
  scn_report_put_safe(o->out, line, strlen(line));
  fputc('\n', o->out);
}

static void tap_file_end(scn_report_out *o, const scn_file_report *f)
{
  char line[400];
  if (!f->not_run) return;
  snprintf(line, sizeof line, "%s: %zu error%s; not run", f->file, f->nerrors,
           f->nerrors == 1 ? "" : "s");
  comment(o->out, line);
}

static int tap_end(scn_report_out *o, const scn_file_report *files, size_t n,
                   const scn_run_totals *t, char *err, size_t errsize)
{
  fprintf(o->out, "1..%zu\n", o->points);
  if (t->signal) fprintf(o->out, "# interrupted by %s\n", scn_signal_name(t->signal));
  fflush(o->out);
  return 0;
}

const scn_report_writer scn_report_tap = {
    .name = "tap",
    .option = "tap",
    .help = "write TAP instead of the default text",
    .console = true,
    .begin = tap_begin,
    .command = tap_command,
    .result = tap_result,
    .error = tap_error,
    .note = tap_note,
    .say = tap_say,
    .interval = tap_interval,
    .file_end = tap_file_end,
    .end = tap_end,
};
