/* report-fixture.h - one run played to report writers, as runner.c plays it, and what
 * each writer made of it: shared by test-report and test-report-escape. */
#ifndef MCBT_REPORT_FIXTURE_H
#define MCBT_REPORT_FIXTURE_H

#include "report.h"

typedef struct fixture {
  const char *file, *say, *trace, *command;
  scn_result pass, fail;
  const char *error_msg;
  int signal;
} fixture;

typedef struct captured {
  char *out, *err, *file; /* what went to stdout, stderr and the report file */
  size_t out_len, err_len;
  int end_rc;
} captured;

scn_result fx_result(bool passed, const char *text, const char *exp, const char *act);
/* A run with one pass, one failure, a trace, `say`, help output and an error. */
fixture fx_plain(void);
/* The file's text (at most 64 KiB), to free(). */
char *fx_slurp(const char *path);
/* Runs `fx` through writer `w` alone; a file writer writes into a fresh directory. */
void fx_capture(const scn_report_writer *w, const fixture *fx, captured *c);
void fx_captured_free(captured *c);
const scn_report_writer *fx_writer(const char *name);
/* 0 when python3 parses `text` as "xml" or "json" (or python3 is missing). */
int fx_validate(const char *kind, const char *text);

#endif
