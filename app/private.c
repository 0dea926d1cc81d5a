/* private.c - `--private`: enters mcbench's private network namespace, once, as the
 * default lab (hosts local and peer); and the rule that any `lab` verb implies it (the
 * lab's nodes live inside that namespace). */
#include "subcommands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "mcb.h"

int app_enter_private(app_ctx *ctx)
{
  char err[MCB_MSG_MAX];
  if (ctx->private_entered) return 0;
  if (mcb_private_lab(err, sizeof err) != 0) {
    fprintf(stderr, "mcbench: %s\n", err);
    return -1;
  }
  ctx->private_entered = true;
  return 0;
}

static bool no_vars(void *arg, const char *name, const char **value)
{
  (void)arg;
  (void)name;
  (void)value;
  return false;
}

/* True when a command of src is a `lab` one, an `expect lab`, or an `open ... on NODE`: read with
 * the language's own lexer, so quotes, comments and `;` count as they do when it runs. */
static bool source_uses_lab(const scn_source *src)
{
  scn_diags *d = calloc(1, sizeof *d); /* lexical errors are the runner's to report */
  scn_lexer lx;
  scn_command cmd;
  bool found = false;
  if (d == NULL) return false;
  scn_lexer_init(&lx, src, no_vars, NULL, d);
  while (!found && scn_lexer_next(&lx, &cmd) == 1) {
    const scn_token *t = cmd.argv;
    found = cmd.argc > 0 && !t[0].quoted && strcmp(t[0].text, "lab") == 0;
    found = found || (cmd.argc > 1 && !t[0].quoted && strcmp(t[0].text, "expect") == 0 &&
                      !t[1].quoted && strcmp(t[1].text, "lab") == 0);
    for (size_t i = 2; !found && cmd.argc > 0 && strcmp(t[0].text, "open") == 0 && i < cmd.argc;
         i++)
      found = !t[i].quoted && strcmp(t[i].text, "on") == 0;
    scn_command_free(&cmd);
  }
  free(d);
  return found;
}

/* A quick look at the scenario before anything runs: the namespace must be entered
 * before libuv starts threads, long before the lab verb itself runs. Unreadable files
 * are left to the runner to report. */
bool app_uses_lab(const char *const *files, size_t nfiles, const char *inline_text)
{
  char err[MCB_MSG_MAX];
  scn_source *src;
  bool found = false;
  if (inline_text != NULL && scn_source_new("-e", inline_text, strlen(inline_text), &src) == 0) {
    found = source_uses_lab(src);
    scn_source_free(src);
  }
  for (size_t i = 0; i < nfiles && !found; i++) {
    if (strcmp(files[i], "-") == 0 || scn_source_load(files[i], &src, err, sizeof err) != 0)
      continue;
    found = source_uses_lab(src);
    scn_source_free(src);
  }
  return found;
}
