/* private.c - `--private`: enters mcbench's private network namespace, once. */
#include "subcommands.h"

#include <stdio.h>

#include "mcb.h"

int app_enter_private(app_ctx *ctx)
{
  char err[MCB_MSG_MAX];
  if (ctx->private_entered) return 0;
  if (mcb_private_network(err, sizeof err) != 0) {
    fprintf(stderr, "mcbench: %s\n", err);
    return -1;
  }
  ctx->private_entered = true;
  return 0;
}
