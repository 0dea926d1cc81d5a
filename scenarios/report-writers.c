/* report-writers.c - the table of report formats and the fan-out that tells every active
 * writer the same event (see report.h). A new format is one file plus one row here. */
#include "report.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

extern const scn_report_writer scn_report_text, scn_report_tap, scn_report_junit, scn_report_json,
    scn_report_csv;

/* The default console writer first, then the options in the order --help lists them. */
static const scn_report_writer *const writers[] = {
    &scn_report_text, &scn_report_tap, &scn_report_junit, &scn_report_json, &scn_report_csv, NULL,
};

const scn_report_writer *const *scn_report_writers(void)
{
  return writers;
}

const scn_report_writer *scn_report_writer_by_option(const char *option)
{
  for (const scn_report_writer *const *w = writers; *w != NULL; w++)
    if ((*w)->option != NULL && strcmp((*w)->option, option) == 0) return *w;
  return NULL;
}

int scn_reports_add(scn_reports *rs, const scn_report_writer *w, const char *path)
{
  for (size_t i = 0; i < rs->n; i++) {
    if (rs->outs[i].w == w) {
      rs->outs[i].path = path;
      return 0;
    }
    if (rs->outs[i].w->console && w->console) return UV_EEXIST;
  }
  if (rs->n == SCN_MAX_REPORTS) return UV_ENOBUFS;
  memset(&rs->outs[rs->n], 0, sizeof rs->outs[rs->n]);
  rs->outs[rs->n].w = w;
  rs->outs[rs->n++].path = path;
  return 0;
}

void scn_reports_setup(scn_reports *rs, FILE *out, FILE *err)
{
  bool console = false;
  for (size_t i = 0; i < rs->n; i++) console = console || rs->outs[i].w->console;
  if (!console && rs->n < SCN_MAX_REPORTS) {
    /* the default console writer goes first, so it speaks before the files are written */
    memmove(&rs->outs[1], &rs->outs[0], rs->n * sizeof rs->outs[0]);
    memset(&rs->outs[0], 0, sizeof rs->outs[0]);
    rs->outs[0].w = writers[0];
    rs->n++;
  }
  for (size_t i = 0; i < rs->n; i++) {
    rs->outs[i].out = out;
    rs->outs[i].err = err;
  }
}

/* Calls one callback of every active writer that has it. */
#define EACH(rs, cb, ...)                                                                          \
  do {                                                                                             \
    for (size_t i_ = 0; i_ < (rs)->n; i_++)                                                        \
      if ((rs)->outs[i_].w->cb != NULL) (rs)->outs[i_].w->cb(&(rs)->outs[i_], __VA_ARGS__);        \
  } while (0)

/* "mcbench: path: why" on the writer's err stream. */
static void say_failure(scn_report_out *o, const char *err)
{
  if (o->out != NULL) fflush(o->out);
  fputs("mcbench: ", o->err);
  scn_report_puts(o->err, err, false);
  fputc('\n', o->err);
}

size_t scn_reports_begin(scn_reports *rs)
{
  char err[MCB_MSG_MAX];
  size_t failed = 0;
  for (size_t i = 0; i < rs->n; i++) {
    scn_report_out *o = &rs->outs[i];
    if (o->w->begin != NULL && o->w->begin(o, err, sizeof err) != 0) {
      say_failure(o, err);
      failed++;
    }
  }
  for (size_t i = 0; failed > 0 && i < rs->n; i++) scn_outfile_abort(&rs->outs[i].file);
  return failed;
}

void scn_reports_file_begin(scn_reports *rs, const scn_file_report *f)
{
  EACH(rs, file_begin, f);
}

void scn_reports_command(scn_reports *rs, const scn_command *cmd, const char *text)
{
  EACH(rs, command, cmd, text);
}

void scn_reports_result(scn_reports *rs, const scn_result *r)
{
  EACH(rs, result, r);
}

void scn_reports_error(scn_reports *rs, const scn_diag *d, scn_error_kind kind)
{
  EACH(rs, error, d, kind);
}

void scn_reports_note(scn_reports *rs, const scn_command *cmd, scn_note_kind kind, const char *text)
{
  EACH(rs, note, cmd, kind, text);
}

void scn_reports_say(scn_reports *rs, const scn_command *cmd, const char *text)
{
  EACH(rs, say, cmd, text);
}

void scn_reports_interval(scn_reports *rs, const scn_interval *iv)
{
  EACH(rs, interval, iv);
}

void scn_reports_file_end(scn_reports *rs, const scn_file_report *f)
{
  EACH(rs, file_end, f);
}

size_t scn_reports_end(scn_reports *rs, const scn_file_report *files, size_t n,
                       const scn_run_totals *t)
{
  size_t failed = 0;
  char err[MCB_MSG_MAX];
  for (size_t i = 0; i < rs->n; i++) {
    scn_report_out *o = &rs->outs[i];
    if (o->w->end == NULL || o->w->end(o, files, n, t, err, sizeof err) == 0) continue;
    say_failure(o, err);
    scn_outfile_abort(&o->file); /* whatever the writer left open */
    failed++;
  }
  return failed;
}

void scn_report_putn(FILE *out, const char *s, size_t len)
{
  char buf[1024];
  size_t used;
  while (len > 0) {
    scn_escape((const uint8_t *)s, len, true, buf, sizeof buf, 0, &used);
    if (used == 0) used = 1; /* cannot happen with this buffer; never loop forever */
    fputs(buf, out);
    s += used, len -= used;
  }
}

void scn_report_puts(FILE *out, const char *s, bool keep_newlines)
{
  const char *nl;
  while (keep_newlines && (nl = strchr(s, '\n')) != NULL) {
    scn_report_putn(out, s, (size_t)(nl - s));
    fputc('\n', out);
    s = nl + 1;
  }
  scn_report_putn(out, s, strlen(s));
}

void scn_report_put_safe(FILE *out, const char *s, size_t len)
{
  const uint8_t *p = (const uint8_t *)s;
  for (size_t i = 0; i < len;) {
    uint32_t cp = p[i];
    size_t n = p[i] < 0x80 ? 1 : scn_utf8_decode(p + i, len - i, &cp);
    bool control =
        cp == 0x7f || (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x80 && cp < 0xa0);
    if (n == 0 || control) {
      for (size_t k = 0; k < (n ? n : 1); k++) fprintf(out, "\\x%02x", p[i + k]);
      i += n ? n : 1;
    } else {
      fwrite(p + i, 1, n, out);
      i += n;
    }
  }
}

void scn_report_diag(FILE *out, const scn_diag *d)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f == NULL) return;
  scn_diag_print(f, d);
  if (fclose(f) == 0) scn_report_put_safe(out, text, len);
  free(text);
}

const char *scn_signal_name(int signum)
{
  switch (signum) {
  case SIGINT:
    return "SIGINT";
  case SIGTERM:
    return "SIGTERM";
  case SIGHUP:
    return "SIGHUP";
  default:
    return "a signal";
  }
}
