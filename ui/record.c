/* record.c - recording typed commands as a scenario (see record.h). */
#include "record.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "mcb.h"
#include "values.h"

static int failed(ui_record *r, int rc, char *why, size_t size)
{
  mcb_msgf(why, size, "%s: %s", r->out.path, mcb_strerror(rc));
  return rc;
}

/* The header is comments only: the file name is escaped, so a newline or a control
 * byte in it can neither end the comment nor reach a terminal that shows the file. It
 * says where the commands ran, and so how to replay them. */
static int write_header(ui_record *r, const char *path, bool private_net)
{
  time_t now = time(NULL);
  struct tm tm;
  char when[64] = "", name[3 * SCN_PATH_MAX];
  if (localtime_r(&now, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  scn_escape((const uint8_t *)path, strlen(path), true, name, sizeof name, 0, NULL);
  if (private_net)
    scn_outfile_printf(&r->out,
                       "# Recorded by mcbench %s on %s in its private network namespace\n"
                       "# (hosts local and peer, linked by mcb0 and mcb1): replay it there.\n"
                       "# Replay: mcbench run --private %s\n\n",
                       mcb_version(), when, name);
  else
    scn_outfile_printf(&r->out,
                       "# Recorded by mcbench %s on %s on this host's network: a replay\n"
                       "# sends on it too.\n# Replay: mcbench run %s\n\n",
                       mcb_version(), when, name);
  return scn_outfile_flush(&r->out);
}

int ui_record_start(ui_record *r, const char *path, bool overwrite, bool private_net, char *why,
                    size_t size)
{
  int rc;
  if (r->active) ui_record_stop(r, NULL, 0);
  memset(r, 0, sizeof *r);
  if ((rc = scn_outfile_create(&r->out, path, overwrite, why, size)) != 0) {
    if (rc == UV_EEXIST) mcb_msgf(why, size, "%s exists (record FILE overwrite replaces it)", path);
    if (rc == UV_ELOOP) mcb_msgf(why, size, "%s is a symbolic link: not followed", path);
    return rc;
  }
  r->active = true;
  if ((rc = write_header(r, path, private_net)) != 0) return failed(r, rc, why, size);
  return 0;
}

int ui_record_command(ui_record *r, const char *text, uint64_t now_ns, char *why, size_t size)
{
  char dur[32];
  int rc;
  if (!r->active) return 0;
  /* Keep the operator's pace, rounded to milliseconds; tiny gaps are noise. */
  if (r->last_ns != 0 && now_ns - r->last_ns >= 10000000ull) {
    scn_format_duration(scn_ms_ceil(now_ns - r->last_ns) * 1000000u, dur, sizeof dur);
    scn_outfile_printf(&r->out, "wait %s\n", dur);
  }
  scn_outfile_printf(&r->out, "%s\n", text);
  r->last_ns = now_ns;
  if ((rc = scn_outfile_flush(&r->out)) != 0) return failed(r, rc, why, size);
  r->lines++;
  return 0;
}

int ui_record_error(ui_record *r, int code, char *why, size_t size)
{
  int rc;
  if (!r->active || code == 0) return 0;
  scn_outfile_printf(&r->out, "expect error %s\n", mcb_err_name(code));
  if ((rc = scn_outfile_flush(&r->out)) != 0) return failed(r, rc, why, size);
  return 0;
}

int ui_record_stop(ui_record *r, char *why, size_t size)
{
  char ignored[8];
  if (!r->active) return 0;
  r->active = false;
  if (why == NULL) {
    why = ignored;
    size = sizeof ignored;
  }
  return scn_outfile_close(&r->out, why, size);
}

bool ui_record_active(const ui_record *r)
{
  return r->active;
}

const char *ui_record_path(const ui_record *r)
{
  return r->out.path;
}
