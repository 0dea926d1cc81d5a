/* record.c - recording typed commands as a scenario (see record.h). */
#include "record.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "mcb.h"
#include "values.h"

int ui_record_start(ui_record *r, const char *path, char *why, size_t size)
{
  time_t now = time(NULL);
  struct tm tm;
  char when[64] = "";
  if (r->f) ui_record_stop(r);
  r->f = fopen(path, "w");
  if (r->f == NULL) {
    int rc = -errno;
    snprintf(why, size, "%s: %s", path, mcb_strerror(rc));
    return rc;
  }
  if (localtime_r(&now, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  fprintf(r->f, "# Recorded by mcbench %s on %s.\n# Replay: mcbench run %s\n\n", mcb_version(),
          when, path);
  fflush(r->f);
  r->last_ns = 0;
  r->lines = 0;
  return 0;
}

void ui_record_command(ui_record *r, const char *text, uint64_t now_ns)
{
  char dur[32];
  if (r->f == NULL) return;
  /* Keep the operator's pace, rounded to milliseconds; tiny gaps are noise. */
  if (r->last_ns != 0 && now_ns - r->last_ns >= 10000000ull) {
    scn_format_duration((now_ns - r->last_ns) / 1000000ull * 1000000ull, dur, sizeof dur);
    fprintf(r->f, "wait %s\n", dur);
  }
  fprintf(r->f, "%s\n", text);
  fflush(r->f);
  r->last_ns = now_ns;
  r->lines++;
}

void ui_record_error(ui_record *r, int code)
{
  if (r->f == NULL || code == 0) return;
  fprintf(r->f, "expect error %s\n", mcb_err_name(code));
  fflush(r->f);
}

void ui_record_stop(ui_record *r)
{
  if (r->f == NULL) return;
  fclose(r->f);
  r->f = NULL;
}

bool ui_record_active(const ui_record *r)
{
  return r->f != NULL;
}
