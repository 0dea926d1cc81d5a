/* cli.h - mcbench's command line: global options and the subcommand table. */
#ifndef MCB_APP_CLI_H
#define MCB_APP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "subcommands.h" /* app_ctx */

typedef struct cli_subcommand {
  const char *name;
  const char *synopsis; /* arguments after the name */
  const char *summary;
  int (*main)(app_ctx *ctx, int argc, char **argv); /* argv[0] is the subcommand name */
} cli_subcommand;

void cli_usage(FILE *out);
int cli_main(int argc, char **argv);

#endif
