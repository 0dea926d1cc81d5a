/* cli.c - parses mcbench's global options and dispatches to a subcommand.
 *
 * --help lists every subcommand from one table, so the help cannot drift from what
 * exists. Subcommands parse their own options.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "mcb.h"
#include "report.h" /* scn_report_puts: arguments are escaped before they are echoed */
#include "subcommands.h"

static const cli_subcommand subcommands[] = {
    {"play", "[options] FILE", "replay a scenario in the TUI, for demos", app_sub_play},
    {"run", "[options] FILE... | -e CMDS", "run scenarios headless, report results", app_sub_run},
    {"check", "[options] FILE...", "check scenarios for errors without running them",
     app_sub_check},
    {"doctor", "GROUP[:PORT] [on IFACE] [from SRC]", "explain why multicast does not arrive",
     app_sub_doctor},
    {"help", "[VERB]", "list the scenario commands, or explain one", app_sub_help},
    {NULL, NULL, NULL, NULL},
};

void cli_usage(FILE *out)
{
  fprintf(out, "usage: mcbench [--private] [--no-color]   (the interactive bench)\n");
  if (subcommands[0].name != NULL) {
    fprintf(out, "       mcbench COMMAND [ARGS]\n\ncommands:\n");
    for (const cli_subcommand *c = subcommands; c->name != NULL; c++)
      fprintf(out, "  %-8s %-34s %s\n", c->name, c->synopsis, c->summary);
  }
  fprintf(out, "\nmcbench is a test bench for IP multicast, broadcast and unix datagram sockets.\n"
               "options:\n"
               "  -p, --private  work inside a private two-host lab (local: mcb0, peer: mcb1)\n"
               "      --no-color no colours (also when NO_COLOR is set)\n"
               "  -h, --help     show this help\n"
               "  -V, --version  show the version\n");
}

/* "mcbench: unknown option '...'": the argument as typed, escaped (it may hold any byte,
 * and this goes to a terminal). */
static void say_unknown(const char *what, const char *arg, const char *tail)
{
  fprintf(stderr, "mcbench: unknown %s '", what);
  scn_report_puts(stderr, arg, false);
  fprintf(stderr, "'%s\n", tail);
}

int cli_main(int argc, char **argv)
{
  app_ctx ctx = {.no_color = getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0'};
  static const struct option opts[] = {
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {"private", no_argument, NULL, 'p'},
      {"no-color", no_argument, NULL, 'C'},
      {NULL, 0, NULL, 0},
  };
  int c;

  /* `lab exec`'s wrapper (core/src/lab-exec.c): before anything else runs. */
  if (argc >= 2 && strcmp(argv[1], MCB_LAB_EXEC_ARG) == 0) return mcb_lab_exec_child(argc, argv);
  opterr = 0;
  /* '+': stop at the first non-option, the subcommand, which parses the rest itself. */
  while ((c = getopt_long(argc, argv, "+hVp", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      cli_usage(stdout);
      return MCB_EXIT_OK;
    case 'V':
      printf("mcbench %s (libuv %s)\n", mcb_version(), uv_version_string());
      return 0;
    case 'p':
      ctx.private_net = true;
      break;
    case 'C':
      ctx.no_color = true;
      break;
    default:
      say_unknown("option", argv[optind - 1], "");
      cli_usage(stderr);
      return MCB_EXIT_USAGE;
    }
  }
  if (optind >= argc) return app_sub_interactive(&ctx);
  for (const cli_subcommand *s = subcommands; s->name != NULL; s++) {
    if (strcmp(s->name, argv[optind]) == 0) {
      int first = optind;
      optind = 0; /* GNU getopt: re-initialise for the subcommand's own options */
      return s->main(&ctx, argc - first, argv + first);
    }
  }
  say_unknown("command", argv[optind], " (see mcbench --help)");
  return MCB_EXIT_USAGE;
}
