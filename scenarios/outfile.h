/* outfile.h - the files mcbench writes for its user (reports, recordings, captures).
 *
 * The rules that keep a user's data safe, in one place:
 * - A report is replaced atomically: written to a mkstemp() name in the target's
 *   directory, then renamed over the target (keeping the mode of the file it replaces). A
 *   planted symlink at a predictable temporary name cannot redirect it, and a crash or a
 *   full disk never leaves half a report.
 * - A file written as it grows (a recording) is created exclusively and never follows a
 *   symlink: an existing file is refused with EEXIST unless the caller was told to
 *   overwrite it, and even then a symlink is refused (ELOOP).
 * - Every write and the final close are checked; the first error is kept and returned.
 */
#ifndef SCN_OUTFILE_H
#define SCN_OUTFILE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define SCN_PATH_MAX 1024

typedef struct scn_outfile {
  FILE *f;
  char path[SCN_PATH_MAX];
  char tmp[SCN_PATH_MAX + 16]; /* "" for files written in place */
  int error;                   /* first negative code seen, 0 when all went well */
} scn_outfile;

/* Opens a temporary file beside `path` for a report that replaces `path` on commit. */
int scn_outfile_open(scn_outfile *o, const char *path, char *err, size_t errsize);
/* Flushes, checks every write, closes and renames into place; removes the temporary on
 * failure. */
int scn_outfile_commit(scn_outfile *o, char *err, size_t errsize);
/* Gives up a report: the temporary is removed, `path` is untouched. */
void scn_outfile_abort(scn_outfile *o);

/* Creates `path` for writing in place: O_EXCL|O_NOFOLLOW, or with `overwrite` truncates
 * an existing regular file (never through a symlink). Never blocks: anything but a
 * regular file (a FIFO, a device) is refused. Errors: UV_EEXIST, UV_ELOOP, UV_EINVAL... */
int scn_outfile_create(scn_outfile *o, const char *path, bool overwrite, char *err, size_t errsize);
/* printf into the file; records the first error. Returns 0 or that error. */
int scn_outfile_printf(scn_outfile *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Flushes so a reader sees what was written so far; 0 or the first error. */
int scn_outfile_flush(scn_outfile *o);
/* Flushes and closes a file created with scn_outfile_create; 0 or the first error. */
int scn_outfile_close(scn_outfile *o, char *err, size_t errsize);
/* Writes `len` bytes (a capture's blocks); records the first error. Returns 0 or it. */
int scn_outfile_write(scn_outfile *o, const void *data, size_t len);

#endif
