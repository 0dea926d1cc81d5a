/* doctor.c - the table of checks, the request, the run and the verdict.
 *
 * A new check is one row here plus its function and its test. Rows run in order,
 * cheapest and passive first; [watch] and [self-test] need the loop and run last.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const doc_check checks[] = {
    {"args", true, true, doc_check_args},
    {"iface", true, true, doc_check_iface},
    {"route", true, true, doc_check_route},
    {"rp_filter", true, false, doc_check_rp_filter},
    {"limits", true, false, doc_check_limits},
    {"igmp-version", true, false, doc_check_igmp_version},
    {"membership", true, false, doc_check_membership},
    {"socket-bind", true, false, doc_check_socket_bind},
    {"crosstalk", true, false, doc_check_crosstalk},
    {"rcvbuf", true, false, doc_check_rcvbuf},
    {"environment", true, true, doc_check_environment},
    {"sender", false, true, doc_check_sender},
    {"firewall", true, true, doc_check_firewall},
};

const char *doc_status_name(doc_status s)
{
  static const char *const names[] = {"PASS", "INFO", "SKIP", "WARN", "FAIL"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* vsnprintf that marks a cut instead of hiding it. */
static void put(char *out, const char *fmt, va_list ap)
{
  int n = vsnprintf(out, DOC_TEXT_MAX, fmt, ap);
  if (n >= DOC_TEXT_MAX) memcpy(out + DOC_TEXT_MAX - 4, "...", 4);
}

void doc_set(doc_result *r, doc_status s, const char *fmt, ...)
{
  va_list ap;
  r->status = s;
  va_start(ap, fmt);
  put(r->summary, fmt, ap);
  va_end(ap);
}

void doc_evidence(doc_result *r, const char *fmt, ...)
{
  va_list ap;
  if (r->nevidence >= DOC_EVIDENCE_MAX) return;
  va_start(ap, fmt);
  put(r->evidence[r->nevidence++], fmt, ap);
  va_end(ap);
}

void doc_fix(doc_result *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  put(r->fix, fmt, ap);
  va_end(ap);
}

doc_result *doc_find(doc_diagnosis *d, const char *id)
{
  for (unsigned i = 0; i < d->count; i++)
    if (strcmp(d->results[i].id, id) == 0) return &d->results[i];
  return NULL;
}

bool doc_is_v6(const doc_diagnosis *d)
{
  return d->req.group.u.sa.sa_family == AF_INET6;
}

const char *doc_host(const mcb_addr *a, char *out, size_t size)
{
  return mcb_addr_format_host(a, out, size);
}

const char *doc_errname(int code)
{
  return code < 0 ? uv_err_name(code) : "OK";
}

/* GROUP or GROUP:PORT, IPv4 or IPv6 ([ff3e::1]:5000). */
static int parse_group(doc_request *req, const char *text, char *err, size_t errsize)
{
  mcb_hostport hp;
  const char *why = NULL;
  if (mcb_addr_parse_host(text, &req->group) == 0) return 0;
  if (mcb_addr_split(text, &hp, &why) != 0 || mcb_addr_parse_host(hp.host, &req->group) != 0) {
    snprintf(err, errsize, "'%s' is not GROUP or GROUP:PORT (%s)", text,
             why != NULL ? why : "a numeric IPv4 or IPv6 group");
    return UV_EINVAL;
  }
  req->port = hp.port;
  return 0;
}

static int parse_word(doc_request *req, const char *key, const char *value, char *err,
                      size_t errsize)
{
  if (strcmp(key, "on") == 0) {
    if (strlen(value) >= sizeof req->iface) {
      snprintf(err, errsize, "interface name '%.40s' is too long", value);
      return UV_EINVAL;
    }
    snprintf(req->iface, sizeof req->iface, "%s", value);
    return 0;
  }
  if (strcmp(key, "to") == 0 && req->send) {
    if (mcb_addr_parse_host(value, &req->receiver) != 0) {
      snprintf(err, errsize, "receiver '%.60s' is not a numeric address", value);
      return UV_EINVAL;
    }
    req->has_receiver = true;
    return 0;
  }
  if (strcmp(key, "from") == 0 && !req->send) {
    if (mcb_addr_parse_host(value, &req->source) != 0) {
      snprintf(err, errsize, "source '%.60s' is not a numeric address", value);
      return UV_EINVAL;
    }
    req->has_source = true;
    return 0;
  }
  if (strcmp(key, "ttl") == 0 && req->send) {
    char *end;
    long ttl = strtol(value, &end, 10);
    if (*end != '\0' || end == value || ttl < 0 || ttl > 255) {
      snprintf(err, errsize, "ttl '%.20s' is not 0..255", value);
      return UV_EINVAL;
    }
    req->ttl = (int)ttl;
    return 0;
  }
  snprintf(err, errsize, "unknown word '%.40s' (expected %s)", key,
           req->send ? "on IFACE, ttl N or to RECEIVER" : "on IFACE or from SOURCE");
  return UV_EINVAL;
}

int doc_request_parse(doc_request *req, int argc, char **argv, char *err, size_t errsize)
{
  int i = 0, rc;
  memset(req, 0, sizeof *req);
  req->ttl = -1;
  if (i < argc && strcmp(argv[i], "send") == 0) req->send = true, i++;
  if (i >= argc) {
    snprintf(err, errsize, "which group? (doctor GROUP[:PORT] [on IFACE] [from SOURCE])");
    return UV_EINVAL;
  }
  if ((rc = parse_group(req, argv[i++], err, errsize)) != 0) return rc;
  for (; i < argc; i += 2) {
    if (i + 1 >= argc) {
      snprintf(err, errsize, "'%.40s' needs a value", argv[i]);
      return UV_EINVAL;
    }
    if ((rc = parse_word(req, argv[i], argv[i + 1], err, errsize)) != 0) return rc;
  }
  if ((req->has_source && req->source.u.sa.sa_family != req->group.u.sa.sa_family) ||
      (req->has_receiver && req->receiver.u.sa.sa_family != req->group.u.sa.sa_family)) {
    snprintf(err, errsize, "the %s and the group are of different families",
             req->has_source ? "source" : "receiver");
    return UV_EINVAL;
  }
  if (req->send && req->port == 0) {
    snprintf(err, errsize, "a sender needs GROUP:PORT ([GROUP]:PORT for IPv6)");
    return UV_EINVAL;
  }
  return 0;
}

static doc_result *add_result(doc_diagnosis *d, const char *id)
{
  doc_result *r = &d->results[d->count++];
  memset(r, 0, sizeof *r);
  r->id = id;
  return r;
}

static void on_finished(uv_handle_t *h)
{
  doc_diagnosis *d = h->data;
  d->done(d, d->done_arg);
}

/* The stages after the passive checks; each starts its phases and waits for them. */
static void next_stage(doc_diagnosis *d)
{
  d->in_stage = true;
  while (d->pending == 0) {
    switch (d->stage++) {
    case 0:
      d->pending = 1;
      doc_self_test_start(d, add_result(d, "self-test"));
      break;
    case 1:
      d->pending = 2;
      doc_watch_start(d, add_result(d, "watch"));
      doc_querier_start(d, add_result(d, "querier"));
      break;
    default:
      /* `done` comes from the loop, after the timer is closed: never from doc_start,
       * and with no handle of the diagnosis left open. */
      d->in_stage = false;
      uv_close((uv_handle_t *)&d->timer, on_finished);
      return;
    }
  }
  d->in_stage = false;
}

void doc_phase_done(doc_diagnosis *d)
{
  if (--d->pending == 0 && !d->in_stage) next_stage(d);
}

static void run_passive(doc_diagnosis *d)
{
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    if (d->req.send ? !checks[i].sender : !checks[i].receiver) continue;
    doc_result *r = add_result(d, checks[i].id);
    checks[i].run(d, r);
    /* Later checks need what [args] found valid. */
    if (strcmp(r->id, "args") == 0 && r->status == DOC_FAIL) {
      d->stage = 2; /* nothing to wait for */
      return;
    }
  }
}

int doc_start(doc_diagnosis *d, uv_loop_t *loop, doc_done_cb done, void *arg)
{
  if (d->proc == NULL && (d->proc = malloc(DOC_PROC_MAX)) == NULL) return UV_ENOMEM;
  d->procsize = DOC_PROC_MAX;
  d->count = 0;
  memset(&d->facts, 0, sizeof d->facts);
  d->loop = loop;
  d->done = done;
  d->done_arg = arg;
  d->stage = d->pending = 0;
  d->cancelled = false;
  uv_timer_init(loop, &d->timer);
  d->timer.data = d;
  run_passive(d);
  next_stage(d);
  return 0;
}

void doc_cancel(doc_diagnosis *d)
{
  d->cancelled = true;
  doc_self_test_cancel(d);
  doc_watch_cancel(d);
  doc_querier_cancel(d);
}

void doc_free(doc_diagnosis *d)
{
  free(d->proc);
  d->proc = NULL;
}

const doc_result *doc_verdict(const doc_diagnosis *d)
{
  for (doc_status s = DOC_FAIL; s >= DOC_WARN; s--)
    for (unsigned i = 0; i < d->count; i++)
      if (d->results[i].status == s) return &d->results[i];
  return NULL;
}

int doc_exit_status(const doc_diagnosis *d)
{
  const doc_result *v = doc_verdict(d);
  if (v != NULL) return v->status == DOC_FAIL ? DOC_EXIT_FAIL : DOC_EXIT_WARN;
  return d->watched && !d->traffic_seen ? DOC_EXIT_INCONCLUSIVE : DOC_EXIT_PASS;
}
