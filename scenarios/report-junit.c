/* report-junit.c - JUnit XML: one <testsuite> per scenario file, one <testcase> per
 * expectation, run-time errors as <testcase> elements holding an <error>. */
#include "outfile.h"
#include "report.h"

/* XML 1.0 cannot carry most control characters at all: they become visible \xNN. */
static void xml(FILE *f, const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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

static void suite(FILE *f, const scn_file_report *r)
{
  fputs("  <testsuite name=\"", f);
  xml(f, r->file);
  fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
          r->nresults + r->nerrors, r->sum.failed, r->nerrors, (double)r->elapsed_ns / 1e9);
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
  for (size_t i = 0; i < r->nerrors; i++) {
    fputs("    <testcase classname=\"", f);
    xml(f, r->file);
    fprintf(f, "\" name=\"line %u: error\">\n      <error message=\"", r->errors[i].line);
    xml(f, r->errors[i].message);
    fputs("\"/>\n    </testcase>\n", f);
  }
  fputs("  </testsuite>\n", f);
}

int scn_write_junit(const char *path, const scn_file_report *files, size_t n, char *err,
                    size_t errsize)
{
  scn_outfile o;
  int rc = scn_outfile_open(&o, path, err, errsize);
  if (rc != 0) return rc;
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mcbench\">\n", o.f);
  for (size_t i = 0; i < n; i++) suite(o.f, &files[i]);
  fputs("</testsuites>\n", o.f);
  return scn_outfile_commit(&o, err, errsize);
}
