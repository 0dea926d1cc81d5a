/* report-junit.c - the JUnit XML writer: one <testsuite> per scenario file, one
 * <testcase> per expectation; a run-time error or a check error (the file did not run)
 * is a <testcase> holding an <error> with the compiler-style text; the scenario a signal
 * interrupted is a <testcase> holding a <failure>. Written once at the end. */
#include "outfile.h"
#include "report.h"

/* XML 1.0 cannot carry most control characters at all: they become visible \xNN (newlines
 * too, but in element text when `text`). */
static void xml_text(FILE *f, const char *s, bool text)
{
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (text && *p == '\n') {
      fputc('\n', f);
      continue;
    }
    switch (*p) {
    case '&':
      fputs("&amp;", f);
      break;
    case '<':
      fputs("&lt;", f);
      break;
    case '>':
      fputs("&gt;", f);
      break;
    case '"':
      fputs("&quot;", f);
      break;
    case '\'':
      fputs("&apos;", f);
      break;
    default:
      if (*p < 0x20 || *p >= 0x7f)
        fprintf(f, "\\x%02x", *p);
      else
        fputc(*p, f);
    }
  }
}

static void xml(FILE *f, const char *s)
{
  xml_text(f, s, false);
}

static const char *const error_type[] = {
    [SCN_ERR_RUN] = "run-time",
    [SCN_ERR_PARSE] = "check",
    [SCN_ERR_INTERRUPTED] = "interrupted",
};

/* An error as a <testcase>: <error>, or <failure> for an interruption. */
static void error_case(FILE *f, const scn_file_report *r, const scn_error_rec *e)
{
  const char *elem = e->kind == SCN_ERR_INTERRUPTED ? "failure" : "error";
  fputs("    <testcase classname=\"", f);
  xml(f, r->file);
  fprintf(f, "\" name=\"line %u: %s\">\n      <%s type=\"%s\" message=\"", e->line,
          e->kind == SCN_ERR_INTERRUPTED ? "interrupted" : "error", elem, error_type[e->kind]);
  xml(f, e->message);
  if (e->detail == NULL) {
    fputs("\"/>\n    </testcase>\n", f);
    return;
  }
  fputs("\">", f);
  xml_text(f, e->detail, true);
  fprintf(f, "</%s>\n    </testcase>\n", elem);
}

static void suite(FILE *f, const scn_file_report *r)
{
  size_t interrupted = 0;
  for (size_t i = 0; i < r->nerrors; i++) interrupted += r->errors[i].kind == SCN_ERR_INTERRUPTED;
  fputs("  <testsuite name=\"", f);
  xml(f, r->file);
  fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
          r->nresults + r->nerrors, r->sum.failed + interrupted, r->nerrors - interrupted,
          (double)r->elapsed_ns / 1e9);
  for (size_t i = 0; i < r->nresults; i++) {
    const scn_result *x = &r->results[i];
    fputs("    <testcase classname=\"", f);
    xml(f, r->file);
    fprintf(f, "\" name=\"line %u: ", x->line);
    xml(f, x->text);
    fprintf(f, "\" time=\"%.3f\"", (double)x->elapsed_ns / 1e9);
    if (x->passed) {
      fputs("/>\n", f);
      continue;
    }
    fputs(">\n      <failure message=\"expected ", f);
    xml(f, x->expected);
    fputs(", got ", f);
    xml(f, x->actual);
    fputs("\"/>\n    </testcase>\n", f);
  }
  for (size_t i = 0; i < r->nerrors; i++) error_case(f, r, &r->errors[i]);
  fputs("  </testsuite>\n", f);
}

static int junit_end(scn_report_out *o, const scn_file_report *files, size_t n,
                     const scn_run_totals *t, char *err, size_t errsize)
{
  FILE *f;
  int rc = scn_outfile_open(&o->file, o->path, err, errsize);
  if (rc != 0) return rc;
  f = o->file.f;
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mcbench\">\n", f);
  for (size_t i = 0; i < n; i++) suite(f, &files[i]);
  fputs("</testsuites>\n", f);
  return scn_outfile_commit(&o->file, err, errsize);
}

const scn_report_writer scn_report_junit = {
    .name = "junit",
    .option = "junit",
    .arg = "FILE",
    .help = "also write JUnit XML to FILE",
    .end = junit_end,
};
