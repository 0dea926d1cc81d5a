/* test-record.c - `record FILE` keeps the operator's files safe: an existing file is
 * refused unless overwrite is given, a symbolic link is never followed, the header is
 * comments that a hostile file name cannot break out of, and a failed write or close is
 * returned (never "N commands in FILE" for an empty file). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>

#include "record.h"

static char dir[256];

static int make_dir(void **state)
{
  snprintf(dir, sizeof dir, "/tmp/mcb-record-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
  static char buf[4096];
  FILE *f = fopen(path, "r");
  size_t n;
  assert_non_null(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void records_commands_and_waits(void **state)
{
  ui_record r = {0};
  char path[300], why[512];
  snprintf(path, sizeof path, "%s/new.mcb", dir);
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), 0);
  assert_true(ui_record_active(&r));
  assert_int_equal(ui_record_command(&r, "open rx udp4", 1000000000ull, why, sizeof why), 0);
  assert_int_equal(ui_record_command(&r, "join rx 10.0.0.1", 1500000000ull, why, sizeof why), 0);
  assert_int_equal(ui_record_error(&r, UV_EINVAL, why, sizeof why), 0);
  assert_int_equal(r.lines, 2);
  assert_int_equal(ui_record_stop(&r, why, sizeof why), 0);
  assert_false(ui_record_active(&r));
  assert_non_null(strstr(slurp(path), "\nopen rx udp4\nwait 500ms\njoin rx 10.0.0.1\nexpect "
                                      "error EINVAL\n"));
}

static void existing_file_is_kept(void **state)
{
  ui_record r = {0};
  char path[300], why[512];
  snprintf(path, sizeof path, "%s/mine.mcb", dir);
  write_file(path, "open a udp4 # hand-written\n");
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), UV_EEXIST);
  assert_non_null(strstr(why, "overwrite"));
  assert_false(ui_record_active(&r));
  assert_string_equal(slurp(path), "open a udp4 # hand-written\n");
  /* overwrite replaces it */
  assert_int_equal(ui_record_start(&r, path, true, false, why, sizeof why), 0);
  assert_int_equal(ui_record_command(&r, "open b udp6", 1, why, sizeof why), 0);
  assert_int_equal(ui_record_stop(&r, why, sizeof why), 0);
  assert_null(strstr(slurp(path), "hand-written"));
  assert_non_null(strstr(slurp(path), "open b udp6\n"));
}

static void symlink_is_not_followed(void **state)
{
  ui_record r = {0};
  char target[300], link[300], why[512];
  snprintf(target, sizeof target, "%s/target", dir);
  snprintf(link, sizeof link, "%s/link.mcb", dir);
  write_file(target, "precious\n");
  assert_int_equal(symlink(target, link), 0);
  assert_int_not_equal(ui_record_start(&r, link, false, false, why, sizeof why), 0);
  assert_int_equal(ui_record_start(&r, link, true, false, why, sizeof why), UV_ELOOP);
  assert_non_null(strstr(why, "symbolic link"));
  assert_false(ui_record_active(&r));
  assert_string_equal(slurp(target), "precious\n");
}

/* A FIFO would block the loop until a reader came: refused at once, even with overwrite. */
static void fifo_is_refused(void **state)
{
  ui_record r = {0};
  char path[300], why[512];
  snprintf(path, sizeof path, "%s/fifo", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), UV_EEXIST);
  assert_int_equal(ui_record_start(&r, path, true, false, why, sizeof why), UV_EINVAL);
  assert_non_null(strstr(why, "not a regular file"));
  assert_false(ui_record_active(&r));
}

static void header_cannot_be_broken_out_of(void **state)
{
  ui_record r = {0};
  char path[300], why[512], *text, *line;
  snprintf(path, sizeof path, "%s/evil\nclose rx\n\033]2;x\a.mcb", dir);
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), 0);
  assert_int_equal(ui_record_stop(&r, why, sizeof why), 0);
  text = slurp(path);
  /* every line of the header is a comment, or empty; no control byte but newlines */
  for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] != '#') fail_msg("header line is not a comment: %s", line);
    for (const char *p = line; *p; p++)
      if ((unsigned char)*p < 0x20 || *p == 0x7f) fail_msg("control byte in: %s", line);
  }
}

/* A FILE whose writes fail (a full disk) stands in for the recording's file. */
static void failing_writes_are_reported(void **state)
{
  ui_record r = {0};
  char path[300], why[512];
  FILE *full = fopen("/dev/full", "w");
  if (full == NULL) skip();
  snprintf(path, sizeof path, "%s/full.mcb", dir);
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), 0);
  fclose(r.out.f);
  r.out.f = full;
  assert_int_equal(ui_record_command(&r, "open rx udp4", 1, why, sizeof why), UV_ENOSPC);
  assert_non_null(strstr(why, "full.mcb"));
  assert_int_equal(r.lines, 0); /* not counted as recorded */
  assert_int_equal(ui_record_error(&r, UV_EINVAL, why, sizeof why), UV_ENOSPC);
  /* the close reports the first error too */
  assert_int_equal(ui_record_stop(&r, why, sizeof why), UV_ENOSPC);
  assert_false(ui_record_active(&r));
}

static void create_failure_is_reported(void **state)
{
  ui_record r = {0};
  char sub[300], path[400], why[512];
  /* a regular file where a directory should be: fails for root too */
  snprintf(sub, sizeof sub, "%s/plain", dir);
  write_file(sub, "");
  snprintf(path, sizeof path, "%s/x.mcb", sub);
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), UV_ENOTDIR);
  assert_non_null(strstr(why, "x.mcb"));
  assert_false(ui_record_active(&r));
  if (geteuid() == 0) return; /* root writes into read-only directories */
  snprintf(sub, sizeof sub, "%s/ro", dir);
  assert_int_equal(mkdir(sub, 0555), 0);
  snprintf(path, sizeof path, "%s/x.mcb", sub);
  assert_int_equal(ui_record_start(&r, path, false, false, why, sizeof why), UV_EACCES);
  assert_false(ui_record_active(&r));
  chmod(sub, 0755);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(records_commands_and_waits),
      cmocka_unit_test(existing_file_is_kept),
      cmocka_unit_test(symlink_is_not_followed),
      cmocka_unit_test(fifo_is_refused),
      cmocka_unit_test(header_cannot_be_broken_out_of),
      cmocka_unit_test(failing_writes_are_reported),
      cmocka_unit_test(create_failure_is_reported),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
