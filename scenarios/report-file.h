/* report-file.h - writing a report file atomically: to a temporary name, then renamed,
 * so a crash or a full disk never leaves half a report where CI looks for one. */
#ifndef SCN_REPORT_FILE_H
#define SCN_REPORT_FILE_H

#include <stdio.h>

typedef struct scn_outfile {
  FILE *f;
  char path[1024], tmp[1040];
} scn_outfile;

int scn_outfile_open(scn_outfile *o, const char *path, char *err, size_t errsize);
/* Flushes, checks for write errors and renames into place. */
int scn_outfile_commit(scn_outfile *o, char *err, size_t errsize);

#endif
