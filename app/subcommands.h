/* subcommands.h - mcbench's subcommands (one file each) and the shared app state. */
#ifndef MCB_APP_COMMANDS_H
#define MCB_APP_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses shared by every subcommand. */
enum { MCB_EXIT_OK = 0, MCB_EXIT_FAILED = 1, MCB_EXIT_USAGE = 2 };

/* State the global options give every subcommand (no globals: one context). */
typedef struct app_ctx {
  bool private_net;     /* --private was given */
  bool private_entered; /* the namespace exists */
  bool no_color;        /* --no-color, or NO_COLOR in the environment */
} app_ctx;

int app_sub_run(app_ctx *ctx, int argc, char **argv);
int app_sub_check(app_ctx *ctx, int argc, char **argv);
int app_sub_help(app_ctx *ctx, int argc, char **argv);
int app_sub_play(app_ctx *ctx, int argc, char **argv);
int app_sub_doctor(app_ctx *ctx, int argc, char **argv);
/* No subcommand: the interactive bench. */
int app_sub_interactive(app_ctx *ctx);
/* -D VAR=VALUE into vars (fixed); 0, or a negative code after saying on stderr which rule
 * or limit the definition breaks ("mcbench CMD: -D '...': the value of X is 300 bytes
 * long (at most 255)"). */
struct scn_vars;
int app_define(struct scn_vars *vars, const char *cmd, const char *arg);

/* Enters the private network namespace once; prints why on failure. Call before any
 * thread exists (the libuv thread pool starts with the first name lookup). */
int app_enter_private(app_ctx *ctx);
/* True when a scenario (files, -e text) has a `lab` verb: it then runs privately. */
bool app_uses_lab(const char *const *files, size_t nfiles, const char *inline_text);

#endif
