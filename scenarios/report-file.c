/* report-file.c - atomic report files (see report-file.h). */
#include "report-file.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <uv.h>

int scn_outfile_open(scn_outfile *o, const char *path, char *err, size_t errsize)
{
  snprintf(o->path, sizeof o->path, "%s", path);
  snprintf(o->tmp, sizeof o->tmp, "%s.tmp%ld", path, (long)getpid());
  o->f = fopen(o->tmp, "w");
  if (o->f == NULL) {
    int rc = -errno;
    snprintf(err, errsize, "%s: %s", path, uv_strerror(rc));
    return rc;
  }
  return 0;
}

int scn_outfile_commit(scn_outfile *o, char *err, size_t errsize)
{
  int rc = 0;
  if (fflush(o->f) != 0 || ferror(o->f)) rc = errno ? -errno : UV_EIO;
  if (fclose(o->f) != 0 && rc == 0) rc = -errno;
  o->f = NULL;
  if (rc == 0 && rename(o->tmp, o->path) != 0) rc = -errno;
  if (rc != 0) {
    unlink(o->tmp);
    snprintf(err, errsize, "%s: %s", o->path, uv_strerror(rc));
  }
  return rc;
}
