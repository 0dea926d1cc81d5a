/* sub-run.c - `mcbench run` and `mcbench check`: their command-line options, from one table
 * plus the report writers' table (report.h), so the parser, the help and the check that
 * `check` refuses run-only options cannot drift apart. Options may come before or after
 * the files (GNU style); `--` ends them. */
#include "subcommands.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "values.h"

#define DEFAULT_TIMEOUT_NS (600ull * 1000000000ull) /* no scenario runs unbounded */
#define OPT_WRITER         256                      /* + the writer's index in its table */

typedef struct run_option {
  const char *name;
  char letter; /* the short option; 0: none */
  const char *arg;
  const char *help;
  bool run_only; /* `check` refuses it: it only means something when running */
} run_option;

static const run_option options[] = {
    {"exec", 'e', "CMDS", "commands given here (repeatable; each is one line)", false},
    {"define", 'D', "VAR=VALUE", "set ${VAR}; wins over 'default VAR ...' in the file", false},
    {"timeout", 't', "DUR", "bound each scenario (default 10m)", true},
    {"interval", 'i', "DUR", "per-peer lines every DUR: received, loss, rate, jitter", true},
    {"private", 'p', NULL, "run inside a private network namespace", true},
    {"verbose", 'v', NULL, "print each command and what it did", true},
    {"seed", 'S', "N", "seed of every send stream without its own 'seed N' (repeatable runs)",
     true},
    {"max-peers", 'P', "N", "peers kept per socket (default 256; the least recently seen goes)",
     true},
    {"max-groups", 'G', "N", "group memberships per socket (default 4096)", true},
    {"help", 'h', NULL, "show this help", false},
};
#define NOPTIONS (sizeof options / sizeof options[0])
#define MAX_LONG (NOPTIONS + SCN_MAX_REPORTS + 1)

/* Writes a command-line argument for the terminal (escaped). */
static void put_arg(FILE *out, const char *arg)
{
  scn_report_puts(out, arg, false);
}

static void option_line(FILE *out, char letter, const char *name, const char *arg, const char *help)
{
  char head[64];
  snprintf(head, sizeof head, "%c%c%c --%s%s%s", letter ? '-' : ' ', letter ? letter : ' ',
           letter ? ',' : ' ', name, arg ? " " : "", arg ? arg : "");
  if (strlen(head) > 20)
    fprintf(out, "  %s\n  %-20s %s\n", head, "", help);
  else
    fprintf(out, "  %-20s %s\n", head, help);
}

static void run_usage(FILE *out, bool check)
{
  const char *cmd = check ? "check" : "run";
  fprintf(out,
          "usage: mcbench %s [options] FILE...\n"
          "       mcbench %s [options] -e 'COMMANDS'\n\n",
          cmd, cmd);
  if (check)
    fputs("Checks scenarios without running them: every error of every file, compiler style\n"
          "(file:line:col, the line and a caret). Nothing is opened or sent.\n\n",
          out);
  fputs("options (before or after the files; -- ends them):\n", out);
  for (size_t i = 0; i + 1 < NOPTIONS; i++)
    if (!check || !options[i].run_only)
      option_line(out, options[i].letter, options[i].name, options[i].arg, options[i].help);
  for (const scn_report_writer *const *w = scn_report_writers(); !check && *w; w++)
    if ((*w)->option != NULL) option_line(out, 0, (*w)->option, (*w)->arg, (*w)->help);
  option_line(out, 'h', "help", NULL, options[NOPTIONS - 1].help);
  if (check)
    fputs("\nThe options of 'mcbench run' that only apply when running are refused.\n"
          "exit status: 0 every file is clean, 2 errors (or a usage error)\n",
          out);
  else
    fputs("\nexit status: 0 all expectations passed, 1 one failed, 2 usage or check errors\n"
          "(the files without errors still run), 128+N when signal N stopped the run\n",
          out);
}

/* The getopt tables, built from the option table and the writer table. */
static void build_getopt(struct option *lo, char *shorts, size_t shorts_size)
{
  size_t n = 0, k = 0;
  k += (size_t)snprintf(shorts, shorts_size, "-:"); /* files in order; ':' for missing args */
  for (size_t i = 0; i < NOPTIONS; i++) {
    lo[n++] = (struct option){options[i].name, options[i].arg ? required_argument : no_argument,
                              NULL, options[i].letter};
    if (k + 3 < shorts_size)
      k += (size_t)snprintf(shorts + k, shorts_size - k, "%c%s", options[i].letter,
                            options[i].arg ? ":" : "");
  }
  for (const scn_report_writer *const *w = scn_report_writers(); *w; w++)
    if ((*w)->option != NULL && n + 1 < MAX_LONG)
      lo[n++] = (struct option){(*w)->option, (*w)->arg ? required_argument : no_argument, NULL,
                                OPT_WRITER + (int)(w - scn_report_writers())};
  lo[n] = (struct option){NULL, 0, NULL, 0};
}

/* The name of the option getopt just returned, as typed. */
static const char *typed(char **argv)
{
  return argv[optind - 1];
}

/* The long name of getopt's `c`: "--json". */
static void option_name(int c, char *buf, size_t size)
{
  const char *name = "?";
  for (size_t i = 0; i < NOPTIONS; i++)
    if (options[i].letter == c) name = options[i].name;
  if (c >= OPT_WRITER) name = scn_report_writers()[c - OPT_WRITER]->option;
  snprintf(buf, size, "--%s", name);
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

/* Why VAR=VALUE cannot be set: which rule or limit it breaks. */
static int define(scn_vars *vars, const char *arg, char *why, size_t size)
{
  char name[SCN_NAME_MAX];
  const char *eq = strchr(arg, '=');
  size_t len = eq ? (size_t)(eq - arg) : 0;
  int rc;
  if (eq == NULL || eq == arg) {
    mcb_msgf(why, size, "it takes VAR=VALUE");
    return UV_EINVAL;
  }
  if (len >= sizeof name) {
    mcb_msgf(why, size, "the name is %zu characters long (at most %zu)", len, sizeof name - 1);
    return UV_ENAMETOOLONG;
  }
  memcpy(name, arg, len);
  name[len] = '\0';
  rc = scn_vars_set(vars, name, eq + 1, true);
  if (rc == UV_E2BIG)
    mcb_msgf(why, size, "the value of %s is %zu bytes long (at most %d)", name, strlen(eq + 1),
             SCN_VAR_VALUE_MAX - 1);
  else if (rc != 0)
    scn_vars_explain(rc, why, size);
  return rc;
}

int app_define(scn_vars *vars, const char *cmd, const char *arg)
{
  char why[MCB_MSG_MAX];
  int rc = define(vars, arg, why, sizeof why);
  if (rc == 0) return 0;
  fprintf(stderr, "mcbench %s: -D '", cmd);
  scn_report_putn(stderr, arg, strlen(arg) > 60 ? 40 : strlen(arg)); /* a long value, cut */
  fprintf(stderr, "%s': %s\n", strlen(arg) > 60 ? "..." : "", why);
  return rc;
}

/* Whether getopt's `c` is an option that only means something when running. */
static bool run_only(int c)
{
  for (size_t i = 0; i < NOPTIONS; i++)
    if (options[i].letter == c) return options[i].run_only;
  return c >= OPT_WRITER; /* every report format */
}

typedef struct parsed {
  scn_run_opts *o;
  char *inline_text;
  const char **files;
  bool help;
} parsed;

/* One option (getopt's `c`); 0, or MCB_EXIT_USAGE after saying why. */
static int take_option(app_ctx *ctx, parsed *p, int c, char **argv, bool check)
{
  const char *cmd = check ? "check" : "run", *why;
  char name[32];
  if (check && run_only(c)) {
    option_name(c, name, sizeof name);
    fprintf(stderr,
            "mcbench check: %s only applies to 'mcbench run' (check runs nothing; see "
            "mcbench check --help)\n",
            name);
    return MCB_EXIT_USAGE;
  }
  switch (c) {
  case 1:
    p->files[p->o->nfiles++] = optarg;
    return 0;
  case 'e':
    return add_inline(&p->inline_text, optarg) == 0 ? 0 : MCB_EXIT_USAGE;
  case 'D':
    return app_define(&p->o->vars, cmd, optarg) == 0 ? 0 : MCB_EXIT_USAGE;
  case 't':
    if (scn_parse_duration(optarg, &p->o->timeout_ns, &why) == 0) return 0;
    fprintf(stderr, "mcbench %s: --timeout '", cmd);
    put_arg(stderr, optarg);
    fprintf(stderr, "': %s\n", why);
    return MCB_EXIT_USAGE;
  case 'i':
    if (scn_parse_duration(optarg, &p->o->interval_ns, &why) == 0 && p->o->interval_ns >= 10000000)
      return 0;
    fprintf(stderr, "mcbench %s: --interval '", cmd);
    put_arg(stderr, optarg);
    fprintf(stderr, "': %s\n", p->o->interval_ns ? "at least 10ms" : why);
    return MCB_EXIT_USAGE;
  case 'p':
    ctx->private_net = true;
    return 0;
  case 'S':
  case 'P':
  case 'G': {
    int64_t v;
    if (scn_parse_int(optarg, c == 'S' ? 0 : 1, c == 'S' ? INT32_MAX : 1 << 20, &v, &why) == 0) {
      if (c == 'S') p->o->seed = (uint64_t)v, p->o->seeded = true;
      if (c == 'P') p->o->max_peers = (size_t)v;
      if (c == 'G') p->o->max_groups = (size_t)v;
      return 0;
    }
    option_name(c, name, sizeof name);
    fprintf(stderr, "mcbench %s: %s '", cmd, name);
    put_arg(stderr, optarg);
    fprintf(stderr, "': %s\n", why);
    return MCB_EXIT_USAGE;
  }
  case 'v':
    p->o->verbose = true;
    return 0;
  case 'h':
    p->help = true;
    return 0;
  case ':':
    fprintf(stderr, "mcbench %s: ", cmd);
    put_arg(stderr, typed(argv));
    fputs(" needs an argument\n", stderr);
    return MCB_EXIT_USAGE;
  case '?':
    fprintf(stderr, "mcbench %s: unknown option '", cmd);
    if (optopt != 0 && optopt < OPT_WRITER)
      fprintf(stderr, "-%c", optopt);
    else
      put_arg(stderr, typed(argv));
    fprintf(stderr, "' (see mcbench %s --help)\n", cmd);
    return MCB_EXIT_USAGE;
  }
  if (scn_reports_add(&p->o->reports, scn_report_writers()[c - OPT_WRITER], optarg) == 0) return 0;
  option_name(c, name, sizeof name);
  fprintf(stderr, "mcbench %s: %s: only one report can go to standard output\n", cmd, name);
  return MCB_EXIT_USAGE;
}

static int parse(app_ctx *ctx, int argc, char **argv, bool check, parsed *p)
{
  struct option lo[MAX_LONG];
  char shorts[64];
  int c, rc;
  build_getopt(lo, shorts, sizeof shorts);
  while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1)
    if ((rc = take_option(ctx, p, c, argv, check)) != 0) return rc;
  while (optind < argc) p->files[p->o->nfiles++] = argv[optind++]; /* after "--" */
  return 0;
}

static int run_or_check(app_ctx *ctx, scn_run_opts *o, bool check)
{
  uv_loop_t loop;
  int rc;
  if (check) return scn_runner_check(o);
  if (app_uses_lab(o->files, o->nfiles, o->inline_text)) ctx->private_net = true;
  if (ctx->private_net && app_enter_private(ctx) != 0) return MCB_EXIT_USAGE;
  if (uv_loop_init(&loop) != 0) {
    fprintf(stderr, "mcbench: cannot start the event loop\n");
    return MCB_EXIT_USAGE;
  }
  rc = scn_runner_run(&loop, o);
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) != 0) fprintf(stderr, "mcbench: internal: handles left open\n");
  return rc;
}

static int runner_main(app_ctx *ctx, int argc, char **argv, bool check)
{
  parsed p = {.o = calloc(1, sizeof *p.o), .files = calloc((size_t)argc + 1, sizeof *p.files)};
  int rc = MCB_EXIT_USAGE;

  if (p.o == NULL || p.files == NULL) goto out;
  p.o->out = stdout;
  p.o->err = stderr;
  p.o->timeout_ns = DEFAULT_TIMEOUT_NS;
  if (parse(ctx, argc, argv, check, &p) != 0) goto out;
  if (p.help) {
    run_usage(stdout, check);
    rc = MCB_EXIT_OK;
    goto out;
  }
  p.o->files = p.files;
  p.o->inline_text = p.inline_text;
  if (p.o->nfiles == 0 && p.inline_text == NULL) {
    fprintf(stderr, "mcbench %s: no scenario given\n", check ? "check" : "run");
    run_usage(stderr, check);
    goto out;
  }
  rc = run_or_check(ctx, p.o, check);
out:
  free(p.inline_text);
  free(p.files);
  free(p.o);
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
