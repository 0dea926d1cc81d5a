/* sub-run.c - `mcbench run` and `mcbench check`: command-line options for the runner. */
#include "subcommands.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "values.h"

#define DEFAULT_TIMEOUT_NS (600ull * 1000000000ull) /* no scenario runs unbounded */

static void run_usage(FILE *out, const char *cmd)
{
  fprintf(out,
          "usage: mcbench %s [options] FILE...\n"
          "       mcbench %s [options] -e 'COMMANDS'\n\n"
          "options:\n"
          "  -e, --exec CMDS      run these commands (repeatable; each is one line)\n"
          "  -D, --define VAR=VALUE\n"
          "                       set ${VAR}; wins over 'default VAR ...' in the file\n",
          cmd, cmd);
  if (strcmp(cmd, "run") == 0)
    fprintf(out, "  -t, --timeout DUR    bound each scenario (default 10m)\n"
                 "      --tap            write TAP instead of the default text\n"
                 "      --junit FILE     also write JUnit XML to FILE\n"
                 "      --json FILE      also write results and socket statistics as JSON\n"
                 "  -p, --private        run inside a private network namespace\n"
                 "  -v, --verbose        print each command and what it did\n");
  fprintf(out, "  -h, --help           show this help\n\n"
               "exit status: 0 all expectations passed, 1 one failed, 2 usage or parse error\n");
}

/* Appends one -e line to the inline text. */
static int add_inline(char **text, const char *line)
{
  size_t old = *text ? strlen(*text) : 0, add = strlen(line);
  char *t = realloc(*text, old + add + 2);
  if (t == NULL) return -1;
  memcpy(t + old, line, add);
  t[old + add] = '\n';
  t[old + add + 1] = '\0';
  *text = t;
  return 0;
}

int app_define(scn_vars *vars, const char *arg)
{
  char name[SCN_NAME_MAX];
  const char *eq = strchr(arg, '=');
  if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof name) return -1;
  memcpy(name, arg, (size_t)(eq - arg));
  name[eq - arg] = '\0';
  return scn_vars_set(vars, name, eq + 1, true);
}

static int runner_main(app_ctx *ctx, int argc, char **argv, bool check_only)
{
  enum { OPT_TAP = 256, OPT_JUNIT, OPT_JSON };
  static const struct option opts[] = {
      {"exec", required_argument, NULL, 'e'},
      {"define", required_argument, NULL, 'D'},
      {"timeout", required_argument, NULL, 't'},
      {"tap", no_argument, NULL, OPT_TAP},
      {"junit", required_argument, NULL, OPT_JUNIT},
      {"json", required_argument, NULL, OPT_JSON},
      {"private", no_argument, NULL, 'p'},
      {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cmd = argv[0], *why;
  scn_run_opts *o = calloc(1, sizeof *o);
  char *inline_text = NULL;
  int c, rc = MCB_EXIT_USAGE;

  if (o == NULL) return MCB_EXIT_USAGE;
  o->out = stdout;
  o->err = stderr;
  o->timeout_ns = DEFAULT_TIMEOUT_NS;
  while ((c = getopt_long(argc, argv, check_only ? "+e:D:h" : "+e:D:t:pvh", opts, NULL)) != -1) {
    switch (c) {
    case 'e':
      if (add_inline(&inline_text, optarg) != 0) goto out;
      break;
    case 'D':
      if (app_define(&o->vars, optarg) != 0) {
        fprintf(stderr, "mcbench %s: -D takes VAR=VALUE (VAR: letters, digits, _): '%s'\n", cmd,
                optarg);
        goto out;
      }
      break;
    case 't':
      if (scn_parse_duration(optarg, &o->timeout_ns, &why) != 0) {
        fprintf(stderr, "mcbench %s: --timeout '%s': %s\n", cmd, optarg, why);
        goto out;
      }
      break;
    case OPT_TAP:
      o->tap = true;
      break;
    case OPT_JUNIT:
      o->junit_path = optarg;
      break;
    case OPT_JSON:
      o->json_path = optarg;
      break;
    case 'p':
      ctx->private_net = true;
      break;
    case 'v':
      o->verbose = true;
      break;
    case 'h':
      run_usage(stdout, cmd);
      rc = MCB_EXIT_OK;
      goto out;
    default:
      fprintf(stderr, "mcbench %s: unknown or incomplete option '%s'\n", cmd, argv[optind - 1]);
      run_usage(stderr, cmd);
      goto out;
    }
  }
  o->files = (const char *const *)argv + optind;
  o->nfiles = (size_t)(argc - optind);
  o->inline_text = inline_text;
  if (o->nfiles == 0 && inline_text == NULL) {
    fprintf(stderr, "mcbench %s: no scenario given\n", cmd);
    run_usage(stderr, cmd);
    goto out;
  }
  if (check_only) {
    rc = scn_runner_check(o);
  } else if (ctx->private_net && app_enter_private(ctx) != 0) {
    rc = MCB_EXIT_USAGE;
  } else {
    uv_loop_t loop;
    uv_loop_init(&loop);
    rc = scn_runner_run(&loop, o);
    uv_run(&loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&loop) != 0) fprintf(stderr, "mcbench: internal: handles left open\n");
  }
out:
  free(inline_text);
  free(o);
  return rc;
}

int app_sub_run(app_ctx *ctx, int argc, char **argv)
{
  return runner_main(ctx, argc, argv, false);
}

int app_sub_check(app_ctx *ctx, int argc, char **argv)
{
  return runner_main(ctx, argc, argv, true);
}
