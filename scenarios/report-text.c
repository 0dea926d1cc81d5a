/* report-text.c - the default output and TAP, streamed one line per expectation.
 * Text from scenarios or the network is escaped: nothing raw reaches the terminal. */
#include "report.h"

#include <string.h>

/* Writes s with control and non-ASCII bytes as \xNN. */
static void put_safe(FILE *out, const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p >= 0x20 && *p < 0x7f)
      fputc(*p, out);
    else
      fprintf(out, "\\x%02x", *p);
  }
}

void scn_text_result(FILE *out, const scn_result *r)
{
  put_safe(out, r->file);
  fprintf(out, ":%u: %s ", r->line, r->passed ? "PASS" : "FAIL");
  put_safe(out, r->text);
  if (!r->passed) {
    fputs(": expected ", out);
    put_safe(out, r->expected);
    fputs(", got ", out);
    put_safe(out, r->actual);
  }
  fputc('\n', out);
}

void scn_text_error(FILE *out, const scn_diag *d)
{
  scn_diag_print(out, d);
}

void scn_text_say(FILE *out, const scn_command *cmd, const char *text)
{
  put_safe(out, cmd->src->name);
  fprintf(out, ":%u: say: ", cmd->line);
  put_safe(out, text);
  fputc('\n', out);
}

void scn_text_summary(FILE *out, size_t passed, size_t failed, size_t errors)
{
  fprintf(out, "%zu passed, %zu failed", passed, failed);
  if (errors) fprintf(out, ", %zu error%s", errors, errors == 1 ? "" : "s");
  fputc('\n', out);
}

/* ---- TAP version 13 ---- */

/* A YAML double-quoted scalar. */
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

void scn_tap_begin(scn_tap *t, FILE *out)
{
  t->out = out;
  t->n = 0;
  fputs("TAP version 13\n", out);
}

void scn_tap_result(scn_tap *t, const scn_result *r)
{
  fprintf(t->out, "%s %zu - ", r->passed ? "ok" : "not ok", ++t->n);
  put_safe(t->out, r->file);
  fprintf(t->out, ":%u ", r->line);
  put_safe(t->out, r->text);
  fputc('\n', t->out);
  if (r->passed) return;
  fputs("  ---\n  expected: ", t->out);
  yaml_str(t->out, r->expected);
  fputs("\n  actual: ", t->out);
  yaml_str(t->out, r->actual);
  fputs("\n  ...\n", t->out);
}

void scn_tap_error(scn_tap *t, const scn_diag *d)
{
  char line[512];
  scn_diag_format(d, line, sizeof line);
  fprintf(t->out, "not ok %zu - ", ++t->n);
  put_safe(t->out, line);
  fputc('\n', t->out);
}

void scn_tap_comment(scn_tap *t, const char *text)
{
  /* One "# " line per line of text, so multi-line notes stay comments. */
  fputs("# ", t->out);
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if (*p == '\n')
      fputs(p[1] ? "\n# " : "", t->out);
    else if (*p >= 0x20 && *p < 0x7f)
      fputc(*p, t->out);
    else
      fprintf(t->out, "\\x%02x", *p);
  }
  fputc('\n', t->out);
}

void scn_tap_end(scn_tap *t)
{
  fprintf(t->out, "1..%zu\n", t->n);
}
