/* report-text.c - the default console writer: "file:line: PASS expect ..." lines as they
 * happen, compiler-style errors, `say` narration and a closing summary. Everything from a
 * scenario or the network goes through scn_report_puts: nothing raw reaches the terminal. */
#include "report.h"

#include <string.h>

/* "file:line: " with the file name escaped. */
static void where(FILE *out, const char *file, unsigned line)
{
  scn_report_puts(out, file, false);
  fprintf(out, ":%u: ", line);
}

static void text_command(scn_report_out *o, const scn_command *cmd, const char *text)
{
  where(o->out, cmd->src->name, cmd->line);
  fputs("> ", o->out);
  scn_report_put_safe(o->out, text, strlen(text)); /* already quoted as a scenario line */
  fputc('\n', o->out);
}

static void text_result(scn_report_out *o, const scn_result *r)
{
  where(o->out, r->file, r->line);
  fputs(r->passed ? "PASS " : "FAIL ", o->out);
  scn_report_puts(o->out, r->text, false);
  if (!r->passed) {
    fputs(": expected ", o->out);
    scn_report_puts(o->out, r->expected, false);
    fputs(", got ", o->out);
    scn_report_puts(o->out, r->actual, false);
  }
  fputc('\n', o->out);
}

/* Check errors go to standard error, as a compiler's do; run-time errors are results. */
static void text_error(scn_report_out *o, const scn_diag *d, scn_error_kind kind)
{
  if (kind == SCN_ERR_PARSE) fflush(o->out);
  scn_report_diag(kind == SCN_ERR_PARSE ? o->err : o->out, d);
}

static void text_note(scn_report_out *o, const scn_command *cmd, scn_note_kind kind,
                      const char *text)
{
  if (kind == SCN_NOTE_HELP) { /* our own text: backslashes in it are meant */
    size_t len = strlen(text);
    scn_report_put_safe(o->out, text, len);
    if (len > 0 && text[len - 1] != '\n') fputc('\n', o->out);
    return;
  }
  where(o->out, cmd->src->name, cmd->line);
  fputs("  ", o->out);
  scn_report_puts(o->out, text, false);
  fputc('\n', o->out);
}

static void text_say(scn_report_out *o, const scn_command *cmd, const char *text)
{
  where(o->out, cmd->src->name, cmd->line);
  fputs("say: ", o->out);
  scn_report_puts(o->out, text, false);
  fputc('\n', o->out);
}

static void text_interval(scn_report_out *o, const scn_interval *iv)
{
  char line[400];
  scn_interval_format(iv, line, sizeof line);
  fputs("interval ", o->out);
  scn_report_put_safe(o->out, line, strlen(line)); /* addresses and names: already safe */
  fputc('\n', o->out);
}

static void text_file_end(scn_report_out *o, const scn_file_report *f)
{
  if (!f->not_run) return;
  scn_report_puts(o->err, f->file, false);
  fprintf(o->err, ": %zu error%s; not run\n", f->nerrors, f->nerrors == 1 ? "" : "s");
}

/* "N passed, M failed", then the errors, the files not run and the interruption. */
static int text_end(scn_report_out *o, const scn_file_report *files, size_t n,
                    const scn_run_totals *t, char *err, size_t errsize)
{
  fprintf(o->out, "%zu passed, %zu failed", t->passed, t->failed);
  if (t->errors) fprintf(o->out, ", %zu error%s", t->errors, t->errors == 1 ? "" : "s");
  if (t->not_run) fprintf(o->out, ", %zu file%s not run", t->not_run, t->not_run == 1 ? "" : "s");
  if (t->signal) fprintf(o->out, "; interrupted by %s", scn_signal_name(t->signal));
  fputc('\n', o->out);
  fflush(o->out);
  return 0;
}

const scn_report_writer scn_report_text = {
    .name = "text",
    .help = "PASS/FAIL lines and a summary on standard output (the default)",
    .console = true,
    .command = text_command,
    .result = text_result,
    .error = text_error,
    .note = text_note,
    .say = text_say,
    .interval = text_interval,
    .file_end = text_file_end,
    .end = text_end,
};
