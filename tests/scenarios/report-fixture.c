/* report-fixture.c - see report-fixture.h. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report-fixture.h"

scn_result fx_result(bool passed, const char *text, const char *exp, const char *act)
{
  scn_result r;
  memset(&r, 0, sizeof r);
  snprintf(r.file, sizeof r.file, "a.mcb");
  r.line = 7;
  snprintf(r.text, sizeof r.text, "%s", text);
  r.passed = passed;
  snprintf(r.expected, sizeof r.expected, "%s", exp);
  snprintf(r.actual, sizeof r.actual, "%s", act);
  r.elapsed_ns = 12000000;
  return r;
}

fixture fx_plain(void)
{
  fixture f = {.file = "a.mcb",
               .say = "hello",
               .trace = "rx: udp4 socket open",
               .command = "open rx udp4",
               .pass = fx_result(true, "expect rx received == 3", "", ""),
               .fail = fx_result(false, "expect rx payload \"x\"", "\"x\"", "\"\x1b[2Jboom\""),
               .error_msg = "join 239.1.1.1 on nosuch0: no such device (ENODEV)"};
  return f;
}

char *fx_slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf = calloc(1, 1 << 16);
  size_t n = f ? fread(buf, 1, (1 << 16) - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  return buf;
}

/* Plays one file's run through `rs` and records it in `rep`, as runner.c does. */
static void play(scn_reports *rs, const fixture *fx, scn_source *src, scn_file_report *rep)
{
  scn_command cmd = {.src = src, .line = 7};
  scn_diag d = {.src = src, .line = 3};
  scn_run_totals t = {.files = 1, .passed = 1, .failed = 1, .errors = 1, .signal = fx->signal};
  snprintf(d.message, sizeof d.message, "%s", fx->error_msg);
  scn_file_report_init(rep, fx->file);
  assert_int_equal(scn_reports_begin(rs), 0);
  scn_reports_file_begin(rs, rep);
  scn_reports_command(rs, &cmd, fx->command);
  scn_reports_note(rs, &cmd, SCN_NOTE_TRACE, fx->trace);
  scn_file_report_add_result(rep, &fx->pass);
  scn_reports_result(rs, &fx->pass);
  scn_file_report_add_result(rep, &fx->fail);
  scn_reports_result(rs, &fx->fail);
  scn_reports_say(rs, &cmd, fx->say);
  scn_reports_note(rs, &cmd, SCN_NOTE_HELP, "help text\nsecond line\n");
  scn_file_report_add_error(rep, &d, fx->signal ? SCN_ERR_INTERRUPTED : SCN_ERR_RUN);
  scn_reports_error(rs, &d, fx->signal ? SCN_ERR_INTERRUPTED : SCN_ERR_RUN);
  rep->sum = (scn_summary){.passed = 1, .failed = 1, .errors = 1};
  rep->signal = fx->signal;
  scn_reports_file_end(rs, rep);
  scn_reports_end(rs, rep, 1, &t);
}

void fx_capture(const scn_report_writer *w, const fixture *fx, captured *c)
{
  char dir[] = "/tmp/mcb-report-XXXXXX", path[64];
  scn_reports rs = {.n = 1};
  scn_source *src;
  scn_file_report rep;
  FILE *out, *err;
  memset(c, 0, sizeof *c);
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/report", dir);
  out = open_memstream(&c->out, &c->out_len);
  err = open_memstream(&c->err, &c->err_len);
  rs.outs[0] = (scn_report_out){.w = w, .out = out, .err = err, .path = w->arg ? path : NULL};
  assert_int_equal(scn_source_new(fx->file, "open rx udp4\n", 13, &src), 0);
  play(&rs, fx, src, &rep);
  fclose(out);
  fclose(err);
  c->file = fx_slurp(path);
  scn_file_report_free(&rep);
  scn_source_free(src);
  unlink(path);
  assert_int_equal(rmdir(dir), 0);
}

void fx_captured_free(captured *c)
{
  free(c->out), free(c->err), free(c->file);
}

const scn_report_writer *fx_writer(const char *name)
{
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++)
    if (strcmp((*w)->name, name) == 0) return *w;
  fail_msg("no writer named %s", name);
  return NULL;
}

int fx_validate(const char *kind, const char *text)
{
  char path[] = "/tmp/mcb-valid-XXXXXX", cmd[256];
  int fd = mkstemp(path), rc;
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  if (strcmp(kind, "xml") == 0)
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' %s",
             path);
  else
    snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s",
             path);
  static int python = -1; /* python3 parses them here, when it is installed */
  if (python < 0) python = system("python3 -c pass") == 0;
  rc = python ? system(cmd) : 0;
  unlink(path);
  return rc;
}
