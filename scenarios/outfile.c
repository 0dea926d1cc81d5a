/* outfile.c - reports, recordings and captures written without losing data (see
 * outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "mcb.h" /* mcb_msgf */

static int fail(scn_outfile *o, int rc, char *err, size_t errsize)
{
  if (err != NULL && errsize > 0) mcb_msgf(err, errsize, "%s: %s", o->path, uv_strerror(rc));
  return rc;
}

static void keep_error(scn_outfile *o, int rc)
{
  if (o->error == 0) o->error = rc != 0 ? rc : UV_EIO;
}

/* The mode a report gets: the one of the file it replaces, else what fopen("w") would
 * give (0666 less the umask). */
static mode_t report_mode(const char *path)
{
  struct stat st;
  mode_t mask;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
  mask = umask(022);
  umask(mask);
  return 0666 & ~mask;
}

int scn_outfile_open(scn_outfile *o, const char *path, char *err, size_t errsize)
{
  const char *slash = strrchr(path, '/');
  int fd;

  memset(o, 0, sizeof *o);
  snprintf(o->path, sizeof o->path, "%s", path);
  if (strlen(path) >= sizeof o->path) return fail(o, UV_ENAMETOOLONG, err, errsize);
  /* The temporary lives in the target's directory, so rename() stays on one file system. */
  if (slash != NULL)
    snprintf(o->tmp, sizeof o->tmp, "%.*s.mcbench-XXXXXX", (int)(slash - path + 1), path);
  else
    snprintf(o->tmp, sizeof o->tmp, ".mcbench-XXXXXX");
  fd = mkstemp(o->tmp);
  if (fd < 0) {
    o->tmp[0] = '\0';
    return fail(o, -errno, err, errsize);
  }
  (void)fchmod(fd, report_mode(path)); /* mkstemp gives 0600 */
  o->f = fdopen(fd, "w");
  if (o->f == NULL) {
    int rc = -errno;
    close(fd);
    unlink(o->tmp);
    o->tmp[0] = '\0';
    return fail(o, rc, err, errsize);
  }
  return 0;
}

static int finish(scn_outfile *o)
{
  int rc = o->error;
  if (o->f == NULL) return rc != 0 ? rc : UV_EBADF;
  if (fflush(o->f) != 0 && rc == 0) rc = errno ? -errno : UV_EIO;
  if (ferror(o->f) && rc == 0) rc = UV_EIO;
  if (fsync(fileno(o->f)) != 0 && rc == 0 && errno != EINVAL) rc = -errno;
  if (fclose(o->f) != 0 && rc == 0) rc = -errno;
  o->f = NULL;
  return rc;
}

int scn_outfile_commit(scn_outfile *o, char *err, size_t errsize)
{
  int rc = finish(o);
  if (rc == 0 && rename(o->tmp, o->path) != 0) rc = -errno;
  if (rc != 0) {
    unlink(o->tmp);
    o->tmp[0] = '\0';
    return fail(o, rc, err, errsize);
  }
  o->tmp[0] = '\0';
  return 0;
}

void scn_outfile_abort(scn_outfile *o)
{
  if (o->f != NULL) fclose(o->f);
  o->f = NULL;
  if (o->tmp[0] != '\0') unlink(o->tmp);
  o->tmp[0] = '\0';
}

int scn_outfile_create(scn_outfile *o, const char *path, bool overwrite, char *err, size_t errsize)
{
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  struct stat st;
  int fd;

  memset(o, 0, sizeof *o);
  snprintf(o->path, sizeof o->path, "%s", path);
  if (strlen(path) >= sizeof o->path) return fail(o, UV_ENAMETOOLONG, err, errsize);
  /* O_NONBLOCK: opening a FIFO for writing would wait for a reader and freeze the loop;
   * without one it fails with ENXIO at once, with one fstat refuses it. */
  fd = open(path, flags | O_NONBLOCK, 0644);
  if (fd < 0 && errno != ENXIO) return fail(o, -errno, err, errsize);
  /* Only a regular file is written: not a FIFO, not a device. */
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) close(fd);
    mcb_msgf(err, errsize, "%s is not a regular file", path);
    return UV_EINVAL;
  }
  (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  o->f = fdopen(fd, "w");
  if (o->f == NULL) {
    int rc = -errno;
    close(fd);
    return fail(o, rc, err, errsize);
  }
  return 0;
}

int scn_outfile_printf(scn_outfile *o, const char *fmt, ...)
{
  va_list ap;
  int n;
  if (o->f == NULL) return o->error != 0 ? o->error : UV_EBADF;
  va_start(ap, fmt);
  n = vfprintf(o->f, fmt, ap);
  va_end(ap);
  if (n < 0) keep_error(o, -errno);
  return o->error;
}

int scn_outfile_flush(scn_outfile *o)
{
  if (o->f == NULL) return o->error != 0 ? o->error : UV_EBADF;
  if (fflush(o->f) != 0) keep_error(o, -errno);
  return o->error;
}

int scn_outfile_close(scn_outfile *o, char *err, size_t errsize)
{
  int rc = finish(o);
  return rc != 0 ? fail(o, rc, err, errsize) : 0;
}

int scn_outfile_write(scn_outfile *o, const void *data, size_t len)
{
  if (o->f == NULL) return o->error != 0 ? o->error : UV_EBADF;
  errno = 0;
  if (len > 0 && fwrite(data, 1, len, o->f) != len) keep_error(o, errno ? -errno : UV_EIO);
  return o->error;
}
