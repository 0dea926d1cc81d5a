/* report-json.c - the JSON writer: per file its results, errors (run-time, check errors
 * of a file that did not run, the interruption) and, per socket, its final state and
 * per-peer statistics (with what the payloads told: loss, duplicates, delay, jitter...),
 * and the --interval series. Written once at the end. ASCII only: anything else is a \u escape. */
#include "json.h"
#include "outfile.h"
#include "report.h"

#include <time.h>

static void str(FILE *f, const char *s)
{
  scn_json_str(f, s);
}

static void key(FILE *f, const char *k, bool first)
{
  fprintf(f, "%s\"%s\": ", first ? "" : ", ", k);
}

static void kstr(FILE *f, const char *k, const char *v, bool first)
{
  key(f, k, first);
  str(f, v);
}

static void kaddr(FILE *f, const char *k, const mcb_addr *a)
{
  char buf[MCB_ADDRSTRLEN];
  kstr(f, k, mcb_addr_format(a, buf, sizeof buf), false);
}

static void ktime(FILE *f, const char *k, int64_t ns)
{
  time_t secs = (time_t)(ns / 1000000000);
  struct tm tm;
  char buf[64];
  if (ns <= 0 || gmtime_r(&secs, &tm) == NULL) {
    key(f, k, false);
    fputs("null", f);
    return;
  }
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  key(f, k, false);
  fprintf(f, "\"%s.%03dZ\"", buf, (int)(ns / 1000000 % 1000));
}

/* A number of nanoseconds as milliseconds; null when nothing was measured. */
static void kms(FILE *f, const char *k, double ns, bool valid)
{
  key(f, k, false);
  if (valid)
    fprintf(f, "%.6f", ns / 1e6);
  else
    fputs("null", f);
}

/* `key`: the membership's sources when `mine`, else an empty list. */
static void source_list(FILE *f, const char *key, const mcb_membership *m, bool mine)
{
  char buf[MCB_ADDRSTRLEN];
  fprintf(f, ", \"%s\": [", key);
  for (size_t k = 0; mine && k < m->nsources; k++) {
    if (k) fputs(", ", f);
    str(f, mcb_addr_format_host(&m->sources[k], buf, sizeof buf));
  }
  fputc(']', f);
}

/* "239.1.1.1", "232.1.1.1 from 10.0.1.1", "239.1.1.1 except 10.0.1.2,10.0.1.3". */
static void membership_text(FILE *f, const mcb_membership *m)
{
  char text[MCB_ADDRSTRLEN * (MCB_MAX_SOURCES + 1) + 16], buf[MCB_ADDRSTRLEN];
  size_t n = strlen(mcb_addr_format_host(&m->group, text, sizeof text));
  for (size_t k = 0; k < m->nsources && n < sizeof text; k++)
    n += (size_t)snprintf(text + n, sizeof text - n, "%s%s",
                          k ? "," : (m->exclude ? " except " : " from "),
                          mcb_addr_format_host(&m->sources[k], buf, sizeof buf));
  kstr(f, "text", text, false);
}

static void groups(FILE *f, const scn_sock_report *s)
{
  char buf[MCB_ADDRSTRLEN];
  fputs(", \"groups\": [", f);
  for (size_t i = 0; i < s->ngroups; i++) {
    const mcb_membership *m = &s->groups[i];
    fputs(i ? ", {" : "{", f);
    kstr(f, "group", mcb_addr_format_host(&m->group, buf, sizeof buf), true);
    kstr(f, "interface", m->ifname, false);
    /* "sources" are the only ones received (include mode), "except" the ones not received
     * (exclude mode); "text" says it as the language does: "239.1.1.1 except 10.0.1.2" */
    kstr(f, "mode", m->nsources == 0 ? "any-source" : m->exclude ? "exclude" : "include", false);
    source_list(f, "sources", m, !m->exclude);
    source_list(f, "except", m, m->exclude);
    membership_text(f, m);
    kms(f, "join_latency_ms", (double)(m->first_ns - m->joined_ns), m->first_ns != 0);
    fputc('}', f);
  }
  fputc(']', f);
}

/* "streams": each stream's sequence counts. */
static void streams(FILE *f, const scn_peer_streams *ps)
{
  fputs(", \"streams\": [", f);
  for (size_t i = 0; ps != NULL && i < ps->n; i++) {
    const mcb_stream_stats *s = &ps->s[i];
    const mcb_seqstats *q = &s->seq;
    fputs(i ? ", {" : "{", f);
    kstr(f, "kind", mcb_payload_kind_name(s->kind), true);
    fprintf(f,
            ", \"sender\": %lu, \"stream\": %u, \"echo\": %s, \"received\": %llu, "
            "\"expected\": %llu, \"lost\": %llu, \"loss_pct\": %.4f, \"duplicates\": %llu, "
            "\"reordered\": %llu, \"late\": %llu, \"runs\": %llu}",
            (unsigned long)s->sender, (unsigned)s->stream, s->echo ? "true" : "false",
            (unsigned long long)q->received, (unsigned long long)q->expected,
            (unsigned long long)q->lost, mcb_seqstats_loss_pct(q, false),
            (unsigned long long)q->duplicates, (unsigned long long)q->reordered,
            (unsigned long long)q->late, (unsigned long long)q->runs);
  }
  fputc(']', f);
}

/* "analysis": what the receive path recognised in the peer's payloads. */
static void analysis(FILE *f, const mcb_peer_analysis *a, const scn_peer_streams *ps)
{
  bool d = a->delay_count > 0, r = a->rtt_count > 0;
  fputs(", \"analysis\": {", f);
  kstr(f, "kind", mcb_payload_kind_name(a->kind), true);
  fprintf(f, ", \"sequenced\": %s, \"streams\": %zu", a->sequenced ? "true" : "false", a->streams);
  fprintf(f,
          ", \"received\": %llu, \"expected\": %llu, \"lost\": %llu, \"loss_pct\": %.4f, "
          "\"duplicates\": %llu, \"reordered\": %llu, \"late\": %llu, \"runs\": %llu, "
          "\"invalid\": %llu",
          (unsigned long long)a->received, (unsigned long long)a->expected,
          (unsigned long long)a->lost, a->loss_pct, (unsigned long long)a->duplicates,
          (unsigned long long)a->reordered, (unsigned long long)a->late,
          (unsigned long long)a->runs, (unsigned long long)a->invalid);
  key(f, "loss_pct_last_s", false);
  if (a->loss_pct_last_s < 0)
    fputs("null", f);
  else
    fprintf(f, "%.4f", a->loss_pct_last_s);
  fprintf(f, ", \"delay_count\": %llu", (unsigned long long)a->delay_count);
  kms(f, "delay_min_ms", (double)a->delay_min_ns, d);
  kms(f, "delay_avg_ms", a->delay_avg_ns, d);
  kms(f, "delay_max_ms", (double)a->delay_max_ns, d);
  kms(f, "delay_p99_ms", (double)a->delay_p99_ns, d);
  kms(f, "jitter_ms", a->jitter_ns, d);
  fprintf(f, ", \"rtt_count\": %llu", (unsigned long long)a->rtt_count);
  kms(f, "rtt_min_ms", (double)a->rtt_min_ns, r);
  kms(f, "rtt_avg_ms", a->rtt_avg_ns, r);
  kms(f, "rtt_max_ms", (double)a->rtt_max_ns, r);
  kms(f, "rtt_p99_ms", (double)a->rtt_p99_ns, r);
  streams(f, ps);
  fputc('}', f);
}

static void peers(FILE *f, const scn_sock_report *s)
{
  fputs(", \"peers\": [", f);
  for (size_t i = 0; i < s->npeers; i++) {
    const mcb_peer_stats *p = &s->peers[i];
    fputs(i ? ", {" : "{", f);
    key(f, "id", true);
    fprintf(f, "%llu", (unsigned long long)p->id);
    kaddr(f, "source", &p->src);
    kaddr(f, "destination", &p->dst);
    fprintf(f,
            ", \"msgs\": %llu, \"bytes\": %llu, \"rate_msgs\": %.3f, \"rate_bytes\": %.3f, "
            "\"last_ttl\": ",
            (unsigned long long)p->msgs, (unsigned long long)p->bytes, p->rate_msgs, p->rate_bytes);
    if (p->last_ttl < 0) /* unix peers have no TTL */
      fputs("null", f);
    else
      fprintf(f, "%d", p->last_ttl);
    ktime(f, "first_seen", p->first_seen_real_ns);
    ktime(f, "last_seen", p->last_seen_real_ns);
    fprintf(f, ", \"rate_bps\": %.3f", p->rate_bytes * 8);
    if (p->has_cred) /* unix: who sent it, as the kernel vouches */
      fprintf(f, ", \"credentials\": {\"pid\": %d, \"uid\": %d, \"gid\": %d}", p->pid, p->uid,
              p->gid);
    if (s->analysis != NULL) analysis(f, &s->analysis[i], s->streams ? &s->streams[i] : NULL);
    fputc('}', f);
  }
  fputc(']', f);
}

/* "send_errors": {"total": 3, "cancelled": 0, "by_code": {"ENETUNREACH": 3}} */
static void send_errors(FILE *f, const scn_send_stats *st)
{
  fprintf(f, ", \"send_errors\": {\"total\": %llu, \"cancelled\": %llu, \"by_code\": {",
          (unsigned long long)st->errors, (unsigned long long)st->cancelled);
  for (size_t i = 0; i < st->ncodes; i++)
    fprintf(f, "%s\"%s\": %llu", i ? ", " : "", mcb_err_name(st->by_code[i].code),
            (unsigned long long)st->by_code[i].n);
  fputs("}}", f);
}

/* "streams": the socket's send streams with their progress and injected faults. */
static void send_streams(FILE *f, const scn_send_stats *st)
{
  fputs(", \"streams\": [", f);
  for (size_t i = 0; i < st->nstreams; i++) {
    const scn_stream_stat *r = &st->streams[i];
    fprintf(f, "%s{\"id\": %u", i ? ", " : "", r->id);
    kstr(f, "dest", r->dest, false);
    kstr(f, "payload", r->probe ? "probe" : "plain", false);
    kstr(f, "state", scn_stream_state_name(r->state), false);
    fprintf(f,
            ", \"foreground\": %s, \"rate_pps\": %.3f, \"achieved_pps\": %.3f, \"behind\": %s, "
            "\"planned\": %llu, \"seqs\": %llu, \"sent\": %llu, \"bytes\": %llu, "
            "\"errors\": %llu, \"backpressure\": %llu, \"dropped\": %llu, \"duplicated\": %llu, "
            "\"reordered\": %llu, "
            "\"seed\": %llu}",
            r->foreground ? "true" : "false", r->rate_pps, r->achieved_pps,
            r->behind ? "true" : "false", (unsigned long long)r->planned,
            (unsigned long long)r->seqs, (unsigned long long)r->sent, (unsigned long long)r->bytes,
            (unsigned long long)r->errors, (unsigned long long)r->backpressure,
            (unsigned long long)r->dropped, (unsigned long long)r->duplicated,
            (unsigned long long)r->reordered, (unsigned long long)r->seed);
  }
  fputc(']', f);
}

/* Every row of the option table under its report key; null where it does not apply. */
static void options(FILE *f, const scn_sock_report *s)
{
  const mcb_option *o;
  char ifname[IF_NAMESIZE + 8];
  for (size_t i = 0; i < SCN_MAX_OPTIONS && (o = scn_option_at(i)) != NULL; i++) {
    const mcb_optval *v = &s->options[i];
    key(f, o->key, false);
    if (!v->valid)
      fputs("null", f);
    else if (o->type == MCB_OPT_BOOL)
      fputs(v->num ? "true" : "false", f);
    else if (o->type == MCB_OPT_IFACE)
      str(f, v->num ? mcb_ifname((unsigned)v->num, ifname) : "");
    else
      fprintf(f, "%d", v->num);
  }
}

static void sock(FILE *f, const scn_sock_report *s)
{
  const mcb_socket_info *in = &s->info;
  const mcb_counters *c = &in->counters;
  fputc('{', f);
  kstr(f, "name", s->name, true);
  kstr(f, "family", mcb_family_name(in->family), false);
  kstr(f, "state", mcb_state_name(in->state), false);
  kaddr(f, "local", &in->local);
  options(f, s);
  groups(f, s);
  fprintf(f,
          ", \"counters\": {\"rx_msgs\": %llu, \"rx_bytes\": %llu, \"rx_truncated\": %llu, "
          "\"rx_errors\": %llu, \"tx_msgs\": %llu, \"tx_bytes\": %llu, \"tx_errors\": %llu, "
          "\"peers_evicted\": %llu, \"rx_kernel_drops\": %llu}",
          (unsigned long long)c->rx_msgs, (unsigned long long)c->rx_bytes,
          (unsigned long long)c->rx_truncated, (unsigned long long)c->rx_errors,
          (unsigned long long)c->tx_msgs, (unsigned long long)c->tx_bytes,
          (unsigned long long)c->tx_errors, (unsigned long long)c->peers_evicted,
          (unsigned long long)c->rx_kernel_drops);
  send_errors(f, &s->send);
  send_streams(f, &s->send);
  peers(f, s);
  fputc('}', f);
}

/* One `--interval` sample of one peer. */
static void interval(FILE *f, const scn_interval *iv, bool first)
{
  fputs(first ? "{" : ", {", f);
  kstr(f, "socket", iv->socket, true);
  kaddr(f, "source", &iv->src);
  kaddr(f, "destination", &iv->dst);
  kstr(f, "kind", mcb_payload_kind_name(iv->kind), false);
  fprintf(f,
          ", \"start_s\": %.3f, \"end_s\": %.3f, \"received\": %llu, \"bytes\": %llu, "
          "\"sequenced\": %s, \"expected\": %llu, \"lost\": %llu, \"loss_pct\": %.4f, "
          "\"rate_pps\": %.3f, \"rate_bps\": %.3f, \"jitter_ms\": %.6f}",
          (double)iv->start_ns / 1e9, (double)iv->end_ns / 1e9, (unsigned long long)iv->received,
          (unsigned long long)iv->bytes, iv->sequenced ? "true" : "false",
          (unsigned long long)iv->expected, (unsigned long long)iv->lost, iv->loss_pct,
          iv->rate_pps, iv->rate_bps, iv->jitter_ns / 1e6);
}

static const char *const error_kind[] = {
    [SCN_ERR_RUN] = "run-time",
    [SCN_ERR_PARSE] = "check",
    [SCN_ERR_INTERRUPTED] = "interrupted",
};

/* The check errors of a file that did not run, or every other error. */
static void errors(FILE *f, const scn_file_report *r, bool check)
{
  bool first = true;
  for (size_t i = 0; i < r->nerrors; i++) {
    const scn_error_rec *e = &r->errors[i];
    if ((e->kind == SCN_ERR_PARSE) != check) continue;
    fprintf(f, "%s{\"line\": %u, \"col\": %u", first ? "" : ", ", e->line, e->col);
    kstr(f, "kind", error_kind[e->kind], false);
    kstr(f, "message", e->message, false);
    if (e->detail != NULL) kstr(f, "detail", e->detail, false);
    fputc('}', f);
    first = false;
  }
}

/* What the lab's IGMP/MLD watcher saw: each event's fields and its sentence. */
static void lab_events(FILE *f, const scn_file_report *r)
{
  fprintf(f, ", \"lab_events_dropped\": %llu, \"lab_events\": [",
          (unsigned long long)r->lab_events_dropped);
  for (size_t i = 0; i < r->nlab_events; i++) {
    const mcb_lab_event *e = &r->lab_events[i];
    char text[256];
    fprintf(f, "%s{\"seq\": %llu", i ? ", " : "", (unsigned long long)e->seq);
    ktime(f, "time", e->real_ns);
    kstr(f, "action", mcb_lab_action_name(e->action), false);
    fprintf(f, ", \"protocol\": \"%s\", \"version\": %d",
            mcb_lab_action_of_switch(e->action) ? "bridge"
            : e->action == MCB_LAB_EV_NOROUTE || e->action == MCB_LAB_EV_WRONGIF
                ? (e->family == AF_INET ? "mroute" : "mroute6")
            : e->family == AF_INET ? "igmp"
                                   : "mld",
            e->version);
    kstr(f, "node", e->node, false);
    kstr(f, "link", e->link, false);
    kstr(f, "source", e->source, false);
    kstr(f, "group", e->group, false);
    kstr(f, "filter", e->filter, false);
    if (e->action == MCB_LAB_EV_WRONGIF) kstr(f, "expected_link", e->expected_link, false);
    kstr(f, "text", mcb_lab_event_format(e, text, sizeof text), false);
    fputs("}", f);
  }
  fputs("]", f);
}

static void file_obj(FILE *f, const scn_file_report *r)
{
  fputs("{", f);
  kstr(f, "file", r->file, true);
  fprintf(f,
          ", \"passed\": %zu, \"failed\": %zu, \"errors\": %zu, \"timed_out\": %s, "
          "\"not_run\": %s, \"elapsed_ms\": %.3f",
          r->sum.passed, r->sum.failed, r->sum.errors, r->sum.timed_out ? "true" : "false",
          r->not_run ? "true" : "false", (double)r->elapsed_ns / 1e6);
  if (r->signal)
    kstr(f, "interrupted", scn_signal_name(r->signal), false);
  else
    fputs(", \"interrupted\": null", f);
  fputs(", \"results\": [", f);
  for (size_t i = 0; i < r->nresults; i++) {
    const scn_result *x = &r->results[i];
    fprintf(f, "%s{\"line\": %u", i ? ", " : "", x->line);
    kstr(f, "text", x->text, false);
    fprintf(f, ", \"passed\": %s", x->passed ? "true" : "false");
    kstr(f, "expected", x->expected, false);
    kstr(f, "actual", x->actual, false);
    fprintf(f, ", \"elapsed_ms\": %.3f}", (double)x->elapsed_ns / 1e6);
  }
  fputs("], \"run_errors\": [", f);
  errors(f, r, false);
  fputs("], \"check_errors\": [", f);
  errors(f, r, true);
  fputs("], \"sockets\": [", f);
  for (size_t i = 0; i < r->nsockets; i++) {
    if (i) fputs(", ", f);
    sock(f, &r->sockets[i]);
  }
  fputs("], \"intervals\": [", f);
  for (size_t i = 0; i < r->nintervals; i++) interval(f, &r->intervals[i], i == 0);
  fputs("]", f);
  lab_events(f, r);
  fputs("}", f);
}

static int json_end(scn_report_out *o, const scn_file_report *files, size_t n,
                    const scn_run_totals *t, char *err, size_t errsize)
{
  FILE *f;
  int rc = scn_outfile_open(&o->file, o->path, err, errsize);
  if (rc != 0) return rc;
  f = o->file.f;
  fputs("{\"mcbench\": ", f);
  str(f, mcb_version());
  fprintf(f, ", \"passed\": %zu, \"failed\": %zu, \"errors\": %zu, \"not_run\": %zu", t->passed,
          t->failed, t->errors, t->not_run);
  if (t->signal)
    kstr(f, "interrupted", scn_signal_name(t->signal), false);
  else
    fputs(", \"interrupted\": null", f);
  fputs(", \"files\": [", f);
  for (size_t i = 0; i < n; i++) {
    if (i) fputs(",\n  ", f);
    file_obj(f, &files[i]);
  }
  fputs("]}\n", f);
  return scn_outfile_commit(&o->file, err, errsize);
}

const scn_report_writer scn_report_json = {
    .name = "json",
    .option = "json",
    .arg = "FILE",
    .help = "also write results and socket statistics as JSON to FILE",
    .end = json_end,
};
