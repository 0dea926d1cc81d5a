/* sub-doctor.c - `mcbench doctor`: parses its options, runs the diagnosis on a loop of
 * its own, prints the text and writes --json through a temporary file. */
#include "subcommands.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "escape.h"
#include "outfile.h"
#include "values.h"

static const char usage[] =
    "usage: mcbench doctor GROUP[:PORT] [on IFACE] [from SOURCE] [options]\n"
    "       mcbench doctor send GROUP:PORT [on IFACE] [ttl N] [to RECEIVER] [options]\n"
    "\n"
    "Explains why multicast does not arrive (or leave): each check prints PASS, WARN, FAIL,\n"
    "SKIP or INFO with the evidence it read and the fix, then a verdict.\n"
    "Exit status: 0 all pass, 1 a warning, 2 a failure, 3 inconclusive, 64 usage.\n"
    "\n"
    "options:\n"
    "  -w, --wait DUR   watch the kernel's drop counters for DUR while traffic flows\n"
    "                   (default 5s; 0 does not watch)\n"
    "  -q, --querier-wait DUR  listen DUR for IGMP/MLD queries (needs root; queries come\n"
    "                   every 125s, so only that long shows there is no querier)\n"
    "  -I, --query-interval DUR  how often the LAN's querier queries, when it is not the\n"
    "                   default 125s (a lab's switches query every 10s)\n"
    "  -P, --probe      join GROUP and send it one datagram with TTL 0 (it never leaves\n"
    "                   this host) to prove the local receive path\n"
    "  -j, --json FILE  write the same records as JSON\n"
    "  -h, --help       show this help\n";

enum { DOCTOR_EXIT_USAGE = 64 };

static int fail_usage(const char *what, const char *text)
{
  char esc[1024];
  scn_escape((const uint8_t *)text, strlen(text), true, esc, sizeof esc, 0, NULL);
  fprintf(stderr, "mcbench doctor: %s%s (mcbench doctor --help)\n", what, esc);
  return DOCTOR_EXIT_USAGE;
}

static int parse_options(int argc, char **argv, doc_request *req, const char **json)
{
  static const struct option opts[] = {
      {"wait", required_argument, NULL, 'w'},
      {"querier-wait", required_argument, NULL, 'q'},
      {"probe", no_argument, NULL, 'P'},
      {"json", required_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      {"query-interval", required_argument, NULL, 'I'},
      {NULL, 0, NULL, 0},
  };
  uint64_t ns;
  const char *why;
  int c;
  req->wait_ms = 5000;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "w:q:I:Pj:h", opts, NULL)) != -1) {
    switch (c) {
    case 'w':
      if (strcmp(optarg, "0") == 0)
        ns = 0;
      else if (scn_parse_duration(optarg, &ns, &why) != 0)
        return fail_usage("--wait: ", why);
      req->wait_ms = (ns + 999999) / 1000000;
      break;
    case 'q':
      if (scn_parse_duration(optarg, &ns, &why) != 0) return fail_usage("--querier-wait: ", why);
      req->querier_wait_ms = (ns + 999999) / 1000000;
      break;
    case 'I':
      if (scn_parse_duration(optarg, &ns, &why) != 0) return fail_usage("--query-interval: ", why);
      req->query_interval_ms = (ns + 999999) / 1000000;
      break;
    case 'P':
      req->probe = true;
      break;
    case 'j':
      *json = optarg;
      break;
    case 'h':
      fputs(usage, stdout);
      return -1;
    default:
      return fail_usage("unknown option ", argv[optind - 1]);
    }
  }
  return 0;
}

static int write_json(const doc_diagnosis *d, const char *path)
{
  char err[512];
  scn_outfile o;
  if (scn_outfile_open(&o, path, err, sizeof err) != 0 ||
      (doc_write_json(d, o.f), scn_outfile_commit(&o, err, sizeof err)) != 0) {
    fprintf(stderr, "mcbench doctor: %s\n", err);
    return -1;
  }
  return 0;
}

typedef struct run_state {
  uv_signal_t sigint;
  bool interrupted;
} run_state;

static void on_done(doc_diagnosis *d, void *arg)
{
  run_state *st = arg;
  (void)d;
  uv_close((uv_handle_t *)&st->sigint, NULL);
}

/* Ctrl-C stops the waiting phases: what was found so far is still printed. */
static void on_sigint(uv_signal_t *sig, int signum)
{
  run_state *st = sig->data;
  (void)signum;
  if (!st->interrupted) doc_cancel(sig->loop->data);
  st->interrupted = true;
}

static int run(doc_diagnosis *d, uv_loop_t *loop)
{
  run_state st = {.interrupted = false};
  loop->data = d;
  uv_signal_init(loop, &st.sigint);
  st.sigint.data = &st;
  uv_signal_start(&st.sigint, on_sigint, SIGINT);
  if (doc_start(d, loop, on_done, &st) != 0) {
    uv_close((uv_handle_t *)&st.sigint, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return UV_ENOMEM;
  }
  uv_run(loop, UV_RUN_DEFAULT);
  return 0;
}

int app_sub_doctor(app_ctx *ctx, int argc, char **argv)
{
  const char *json = NULL;
  char err[512];
  doc_diagnosis *d = calloc(1, sizeof *d);
  uv_loop_t loop;
  int rc, nwords = 0;
  char *wordv[64];
  (void)ctx;
  if (d == NULL) return MCB_EXIT_FAILED;
  /* GNU-style: options anywhere; the remaining words are the request. */
  rc = parse_options(argc, argv, &d->req, &json);
  if (rc == 0) {
    doc_request opts = d->req;
    for (int i = optind; i < argc && nwords < 64; i++) wordv[nwords++] = argv[i];
    if (doc_request_parse(&d->req, nwords, wordv, err, sizeof err) != 0) rc = fail_usage("", err);
    d->req.wait_ms = opts.wait_ms;
    d->req.querier_wait_ms = opts.querier_wait_ms;
    d->req.query_interval_ms = opts.query_interval_ms;
    d->req.probe = opts.probe;
  }
  if (rc != 0) {
    free(d);
    return rc < 0 ? MCB_EXIT_OK : rc;
  }
  uv_loop_init(&loop);
  if (run(d, &loop) != 0) {
    fprintf(stderr, "mcbench doctor: out of memory\n");
    free(d);
    return MCB_EXIT_FAILED;
  }
  doc_write_text(d, stdout);
  rc = doc_exit_status(d);
  if (json != NULL && write_json(d, json) != 0) rc = DOC_EXIT_FAIL;
  doc_free(d);
  free(d);
  if (uv_loop_close(&loop) != 0) fprintf(stderr, "mcbench doctor: handles left open\n");
  return rc;
}
