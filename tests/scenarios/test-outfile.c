/* test-outfile.c - the files mcbench writes for its user: a report replaces its target
 * atomically and never follows a planted symlink, a failed write is an error that leaves
 * the old file alone, and a file written in place is created exclusively and is never a
 * FIFO (which would block the loop). */
#include "testlib.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

typedef struct dir {
  char path[32];
  char victim[64], target[64];
} dir;

static void dir_make(dir *d)
{
  FILE *f;
  snprintf(d->path, sizeof d->path, "/tmp/mcb-outfile-XXXXXX");
  assert_non_null(mkdtemp(d->path));
  snprintf(d->victim, sizeof d->victim, "%s/victim", d->path);
  snprintf(d->target, sizeof d->target, "%s/r.json", d->path);
  assert_non_null(f = fopen(d->victim, "w"));
  fputs("precious\n", f);
  fclose(f);
}

static char *slurp(const char *path)
{
  static char buf[256];
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  return buf;
}

/* Entries of the directory other than `.`, `..` and the ones named. */
static size_t strays(const dir *d, const char *keep1, const char *keep2)
{
  DIR *dp = opendir(d->path);
  struct dirent *e;
  size_t n = 0;
  while ((e = readdir(dp)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (strcmp(e->d_name, "victim") == 0 || strcmp(e->d_name, keep1) == 0) continue;
    if (keep2 != NULL && strcmp(e->d_name, keep2) == 0) continue;
    n++;
  }
  closedir(dp);
  return n;
}

static void dir_remove(dir *d)
{
  DIR *dp = opendir(d->path);
  struct dirent *e;
  char p[sizeof d->path + sizeof e->d_name + 1];
  while ((e = readdir(dp)) != NULL) {
    if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0)) continue;
    snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
    unlink(p);
  }
  closedir(dp);
  assert_int_equal(rmdir(d->path), 0);
}

static int write_report(const char *path, const char *text, char *err, size_t errsize)
{
  scn_outfile o;
  int rc = scn_outfile_open(&o, path, err, errsize);
  if (rc != 0) return rc;
  scn_outfile_printf(&o, "%s", text);
  return scn_outfile_commit(&o, err, errsize);
}

/* The old writer used PATH.tmp<PID>: a symlink planted there must not be followed. */
static void symlink_at_the_old_temporary_name(void **state)
{
  dir d;
  char planted[96], err[256], name[40];
  struct stat st;
  dir_make(&d);
  snprintf(planted, sizeof planted, "%s.tmp%ld", d.target, (long)getpid());
  assert_int_equal(symlink(d.victim, planted), 0);
  assert_int_equal(write_report(d.target, "{\"ok\": true}\n", err, sizeof err), 0);
  assert_string_equal(slurp(d.victim), "precious\n");
  assert_string_equal(slurp(d.target), "{\"ok\": true}\n");
  assert_int_equal(lstat(planted, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  snprintf(name, sizeof name, "r.json.tmp%ld", (long)getpid());
  assert_int_equal(strays(&d, "r.json", name), 0); /* no temporary left behind */
  dir_remove(&d);
}

/* A symlink at the target itself is replaced, not written through. */
static void symlink_at_the_target(void **state)
{
  dir d;
  char err[256];
  struct stat st;
  dir_make(&d);
  assert_int_equal(symlink(d.victim, d.target), 0);
  assert_int_equal(write_report(d.target, "new\n", err, sizeof err), 0);
  assert_string_equal(slurp(d.victim), "precious\n");
  assert_int_equal(lstat(d.target, &st), 0);
  assert_true(S_ISREG(st.st_mode));
  assert_string_equal(slurp(d.target), "new\n");
  dir_remove(&d);
}

/* A write that fails (the file size limit, as a full disk would) is an error with the
 * path in it; the old report stays whole and no temporary is left. */
static void failed_write_is_an_error(void **state)
{
  dir d;
  char err[256], big[8192];
  struct rlimit old, small = {.rlim_cur = 1024};
  FILE *f;
  dir_make(&d);
  assert_non_null(f = fopen(d.target, "w"));
  fputs("old report\n", f);
  fclose(f);
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  small.rlim_max = old.rlim_max;
  signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  int rc = write_report(d.target, big, err, sizeof err);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, SIG_DFL);
  assert_int_equal(rc, UV_EFBIG);
  assert_non_null(strstr(err, d.target));
  assert_string_equal(slurp(d.target), "old report\n");
  assert_int_equal(strays(&d, "r.json", NULL), 0);
  dir_remove(&d);
}

/* A new report is as readable as fopen("w") would make it; a replaced one keeps its mode. */
static void report_modes(void **state)
{
  dir d;
  char err[256];
  struct stat st;
  mode_t old = umask(027);
  dir_make(&d);
  assert_int_equal(write_report(d.target, "x", err, sizeof err), 0);
  assert_int_equal(stat(d.target, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0640);
  assert_int_equal(chmod(d.target, 0604), 0);
  assert_int_equal(write_report(d.target, "y", err, sizeof err), 0);
  assert_int_equal(stat(d.target, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0604);
  umask(old);
  dir_remove(&d);
}

static void missing_directory_is_an_error(void **state)
{
  char err[256];
  assert_int_equal(write_report("/nonexistent-dir/r.json", "x", err, sizeof err), UV_ENOENT);
  assert_non_null(strstr(err, "/nonexistent-dir/r.json"));
}

/* Files written in place (recordings): exclusive, never through a symlink. */
static void create_is_exclusive_and_refuses_symlinks(void **state)
{
  dir d;
  char err[256];
  scn_outfile o;
  dir_make(&d);
  assert_int_equal(scn_outfile_create(&o, d.victim, false, err, sizeof err), UV_EEXIST);
  assert_int_equal(symlink(d.victim, d.target), 0);
  assert_int_equal(scn_outfile_create(&o, d.target, true, err, sizeof err), UV_ELOOP);
  assert_string_equal(slurp(d.victim), "precious\n");
  assert_int_equal(scn_outfile_create(&o, d.victim, true, err, sizeof err), 0);
  assert_int_equal(scn_outfile_printf(&o, "rewritten\n"), 0);
  assert_int_equal(scn_outfile_close(&o, err, sizeof err), 0);
  assert_string_equal(slurp(d.victim), "rewritten\n");
  dir_remove(&d);
}

/* A FIFO at the target is refused at once, with or without a reader: opening it for
 * writing would otherwise wait for a reader and freeze the loop. The alarm turns a
 * block into a failure instead of a hang. */
static void create_refuses_fifos_without_blocking(void **state)
{
  dir d;
  char err[MCB_MSG_MAX], fifo[80];
  scn_outfile o;
  int reader;
  dir_make(&d);
  snprintf(fifo, sizeof fifo, "%s/fifo", d.path);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  alarm(10);
  assert_int_equal(scn_outfile_create(&o, fifo, false, err, sizeof err), UV_EEXIST);
  assert_int_equal(scn_outfile_create(&o, fifo, true, err, sizeof err), UV_EINVAL);
  assert_non_null(strstr(err, "is not a regular file"));
  assert_true((reader = open(fifo, O_RDONLY | O_NONBLOCK)) >= 0);
  assert_int_equal(scn_outfile_create(&o, fifo, true, err, sizeof err), UV_EINVAL);
  assert_null(o.f);
  close(reader);
  alarm(0);
  dir_remove(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(symlink_at_the_old_temporary_name),
      cmocka_unit_test(symlink_at_the_target),
      cmocka_unit_test(failed_write_is_an_error),
      cmocka_unit_test(report_modes),
      cmocka_unit_test(missing_directory_is_an_error),
      cmocka_unit_test(create_is_exclusive_and_refuses_symlinks),
      cmocka_unit_test(create_refuses_fifos_without_blocking),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
