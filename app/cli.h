/* cli.h - mcbench's command line: global options and the subcommand table. */
#ifndef MCB_APP_CLI_H
#define MCB_APP_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses shared by every subcommand. */
enum { MCB_EXIT_OK = 0, MCB_EXIT_FAILED = 1, MCB_EXIT_USAGE = 2 };

/* State the global options give every subcommand (no globals: one context). */
typedef struct app_ctx {
  bool private_net;     /* --private was given */
  bool private_entered; /* the namespace exists */
  bool no_color;        /* --no-color, or NO_COLOR in the environment */
} app_ctx;

typedef struct cli_subcommand {
  const char *name;
  const char *synopsis; /* arguments after the name */
  const char *summary;
  int (*main)(app_ctx *ctx, int argc, char **argv); /* argv[0] is the subcommand name */
} cli_subcommand;

void cli_usage(FILE *out);
int cli_main(int argc, char **argv);

#endif
