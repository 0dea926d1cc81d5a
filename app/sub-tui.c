/* sub-tui.c - `mcbench` (the interactive bench) and `mcbench play FILE`. */
#include "subcommands.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "report.h" /* scn_report_puts: arguments are escaped before they are echoed */
#include "ui.h"
#include "values.h"

#define DEFAULT_PLAY_DELAY_NS 400000000ull

static int run_ui(app_ctx *ctx, ui_options *o)
{
  uv_loop_t loop;
  int rc;
  if (o->play_file != NULL && app_uses_lab(&o->play_file, 1, NULL)) ctx->private_net = true;
  if (ctx->private_net && app_enter_private(ctx) != 0) return MCB_EXIT_USAGE;
  o->private_net = ctx->private_net;
  uv_loop_init(&loop);
  rc = ui_main(&loop, o);
  if (uv_loop_close(&loop) != 0) fprintf(stderr, "mcbench: internal: handles left open\n");
  return rc;
}

int app_sub_interactive(app_ctx *ctx)
{
  ui_options o = {.no_color = ctx->no_color};
  return run_ui(ctx, &o);
}

static void play_usage(FILE *out)
{
  fprintf(out, "usage: mcbench play [options] FILE\n\n"
               "Replays a scenario in the TUI: 'say' narrates in the banner, 'pause' waits for\n"
               "Space or Enter, n steps one command, + and - change the pace, and you may type\n"
               "commands at any time. The screen stays after the end until you quit (q).\n\n"
               "options:\n"
               "  -D, --define VAR=VALUE  set ${VAR} (wins over 'default')\n"
               "  -d, --delay DUR         pause between commands (default 400ms)\n"
               "  -p, --private           run inside a private network namespace\n"
               "      --no-color          no colours (also NO_COLOR=1)\n"
               "  -h, --help              show this help\n\n"
               "exit status: 0 all expectations passed, 1 one failed, 2 errors in FILE\n");
}

int app_sub_play(app_ctx *ctx, int argc, char **argv)
{
  enum { OPT_NO_COLOR = 256 };
  static const struct option opts[] = {
      {"define", required_argument, NULL, 'D'}, {"delay", required_argument, NULL, 'd'},
      {"private", no_argument, NULL, 'p'},      {"no-color", no_argument, NULL, OPT_NO_COLOR},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
  };
  ui_options o = {.no_color = ctx->no_color, .play_delay_ns = DEFAULT_PLAY_DELAY_NS};
  scn_vars *vars = calloc(1, sizeof *vars);
  const char *why;
  int c, rc = MCB_EXIT_USAGE;

  if (vars == NULL) return rc;
  while ((c = getopt_long(argc, argv, "+D:d:ph", opts, NULL)) != -1) {
    switch (c) {
    case 'D':
      if (app_define(vars, "play", optarg) != 0) goto out;
      break;
    case 'd':
      if (scn_parse_duration(optarg, &o.play_delay_ns, &why) != 0 && strcmp(optarg, "0") != 0) {
        fputs("mcbench play: --delay '", stderr);
        scn_report_puts(stderr, optarg, false);
        fprintf(stderr, "': %s\n", why);
        goto out;
      }
      if (strcmp(optarg, "0") == 0) o.play_delay_ns = 0;
      break;
    case 'p':
      ctx->private_net = true;
      break;
    case OPT_NO_COLOR:
      o.no_color = true;
      break;
    case 'h':
      play_usage(stdout);
      rc = MCB_EXIT_OK;
      goto out;
    default:
      fputs("mcbench play: unknown or incomplete option '", stderr);
      scn_report_puts(stderr, argv[optind - 1], false);
      fputs("'\n", stderr);
      play_usage(stderr);
      goto out;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "mcbench play: give one scenario FILE\n");
    play_usage(stderr);
    goto out;
  }
  o.play_file = argv[optind];
  o.vars = vars;
  rc = run_ui(ctx, &o);
out:
  free(vars);
  return rc;
}
