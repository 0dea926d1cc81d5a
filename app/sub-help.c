/* sub-help.c - `mcbench help [VERB]` and the generated references (--markdown, --man,
 * --bash-completion), all rendered from the command table. */
#include "subcommands.h"

#include "cli.h" /* cli_usage */

#include <string.h>

#include "escape.h"
#include "help.h"

int app_sub_help(app_ctx *ctx, int argc, char **argv)
{
  char why[MCB_MSG_MAX], esc[4 * sizeof why];
  const scn_entry *e;
  if (argc < 2) {
    cli_usage(stdout);
    fputc('\n', stdout);
    scn_help_index(stdout);
    return MCB_EXIT_OK;
  }
  if (strcmp(argv[1], "--markdown") == 0)
    scn_help_markdown(stdout);
  else if (strcmp(argv[1], "--man") == 0)
    scn_help_man5(stdout);
  else if (strcmp(argv[1], "--bash-completion") == 0)
    scn_help_bash_completion(stdout);
  else if ((e = scn_table_find(argv[1], why, sizeof why)) != NULL)
    scn_help_verb(stdout, e);
  else {
    /* `why` quotes the unknown word: escape it as payloads are */
    scn_escape((const uint8_t *)why, strlen(why), true, esc, sizeof esc, 0, NULL);
    fprintf(stderr, "mcbench help: %s\n", esc);
    return MCB_EXIT_USAGE;
  }
  return MCB_EXIT_OK;
}
