/* private.c - `--private`: enters mcbench's private network namespace, once, as the
 * default lab (hosts local and peer); and the rule that any `lab` verb implies it (the
 * lab's nodes live inside that namespace). */
#include "subcommands.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mcb.h"

int app_enter_private(app_ctx *ctx)
{
  char err[256];
  if (ctx->private_entered) return 0;
  if (mcb_private_lab(err, sizeof err) != 0) {
    fprintf(stderr, "mcbench: %s\n", err);
    return -1;
  }
  ctx->private_entered = true;
  return 0;
}

static bool verb_is(const char *line, const char *verb)
{
  size_t n = strlen(verb);
  return strncmp(line, verb, n) == 0 && (line[n] == '\0' || isspace((unsigned char)line[n]));
}

/* True for a `lab` line, or an `open ... on NODE` one. */
static bool lab_line(const char *line)
{
  while (isspace((unsigned char)*line)) line++;
  return verb_is(line, "lab") || (verb_is(line, "open") && strstr(line, " on ") != NULL);
}

static bool text_uses_lab(const char *text)
{
  for (const char *p = text; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
    if (lab_line(p)) return true;
  return false;
}

/* A quick look at the scenario before anything runs: the namespace must be entered
 * before libuv starts threads, long before the lab verb itself runs. Unreadable files
 * are left to the runner to report. */
bool app_uses_lab(const char *const *files, size_t nfiles, const char *inline_text)
{
  char line[1024];
  if (inline_text != NULL && text_uses_lab(inline_text)) return true;
  for (size_t i = 0; i < nfiles; i++) {
    FILE *f = strcmp(files[i], "-") == 0 ? NULL : fopen(files[i], "r");
    bool found = false;
    if (f == NULL) continue;
    while (!found && fgets(line, sizeof line, f) != NULL) found = lab_line(line);
    fclose(f);
    if (found) return true;
  }
  return false;
}
