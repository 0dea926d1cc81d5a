/* expect-traffic.c - the traffic forms of `expect`: loss, sequence counts, delay, jitter,
 * round-trip time, rate and kernel drops, judged on the receive path's per-peer analysis
 * (mcb_peer_analysis) summed over the peers the from/to filter keeps.
 *
 * A figure that needs a sequence number (loss and the counts) or a send time (delay,
 * jitter, rtt) does not hold when no matching datagram carried one: "no datagram with a
 * sequence number" is the actual value, so a test of plain traffic fails loudly instead of
 * passing on zeros.
 */
#include "expect-traffic.h"

#include "values.h"

#include <stdio.h>
#include <string.h>

const char *const scn_expect_counts = "dups|reordered|late|lost|invalid";
const char *const scn_expect_times = "jitter|delay|delay-max|delay-p99|rtt|rtt-max|rtt-p99";

static void fmt_ns(double ns, char *buf, size_t size)
{
  if (ns < 0) {
    size_t o = (size_t)snprintf(buf, size, "-");
    if (o < size) scn_format_duration((uint64_t)(-ns), buf + o, size - o);
    return;
  }
  scn_format_duration((uint64_t)ns, buf, size);
}

static bool judge_counts(const char *what, const scn_traffic *t, scn_op op, int64_t want,
                         char *actual, size_t size)
{
  uint64_t got = 0;
  if (strcmp(what, "invalid") == 0)
    got = t->invalid;
  else if (t->sequenced == 0) {
    snprintf(actual, size, "no datagram with a sequence number");
    return false;
  } else if (strcmp(what, "dups") == 0)
    got = t->duplicates;
  else if (strcmp(what, "reordered") == 0)
    got = t->reordered;
  else if (strcmp(what, "late") == 0)
    got = t->late;
  else
    got = t->lost;
  snprintf(actual, size, "%s %llu (received %llu of %llu expected)", what, (unsigned long long)got,
           (unsigned long long)t->received, (unsigned long long)t->expected);
  return scn_op_holds(op, (int64_t)got, want);
}

static bool judge_time(const char *what, const scn_traffic *t, scn_op op, uint64_t want,
                       char *actual, size_t size)
{
  bool rtt = strncmp(what, "rtt", 3) == 0;
  double got;
  char buf[32];
  if ((rtt ? t->rtt_count : t->delay_count) == 0) {
    snprintf(actual, size, rtt ? "no echo reply to a probe" : "no datagram with a send time");
    return false;
  }
  if (strcmp(what, "jitter") == 0)
    got = t->jitter_ns;
  else if (strcmp(what, "delay") == 0)
    got = t->delay_avg_ns;
  else if (strcmp(what, "delay-max") == 0)
    got = (double)t->delay_max_ns;
  else if (strcmp(what, "delay-p99") == 0)
    got = (double)t->delay_p99_ns;
  else if (strcmp(what, "rtt") == 0)
    got = t->rtt_avg_ns;
  else if (strcmp(what, "rtt-max") == 0)
    got = (double)t->rtt_max_ns;
  else
    got = (double)t->rtt_p99_ns;
  fmt_ns(got, buf, sizeof buf);
  snprintf(actual, size, "%s %s (%llu datagrams)", what, buf,
           (unsigned long long)(rtt ? t->rtt_count : t->delay_count));
  return scn_op_holds_double(op, got, (double)want);
}

bool scn_expect_traffic(const scn_command *cmd, const mcb_socket *sock, const scn_filter *f,
                        char *expected, char *actual, size_t size)
{
  const char *what = scn_arg_word(cmd, "loss|rate|kernel-drops");
  const scn_token *op_t = scn_arg(cmd, "OP");
  scn_op op = SCN_OP_EQ;
  scn_traffic t;
  const char *why;

  scn_parse_op(op_t->text, &op);
  if (what != NULL && strcmp(what, "kernel-drops") == 0) { /* per socket: no filter */
    mcb_socket_info info;
    int64_t want = 0;
    scn_parse_int(scn_arg(cmd, "N")->text, 0, INT32_MAX, &want, &why);
    snprintf(expected, size, "kernel-drops %s %lld", scn_op_text(op), (long long)want);
    mcb_socket_info_get(sock, &info);
    snprintf(actual, size, "kernel-drops %llu (received %llu)",
             (unsigned long long)info.counters.rx_kernel_drops,
             (unsigned long long)info.counters.rx_msgs);
    return scn_op_holds(op, (int64_t)info.counters.rx_kernel_drops, want);
  }
  scn_measure_traffic(sock, f, &t);
  if (what != NULL && strcmp(what, "loss") == 0) {
    double want = 0;
    scn_parse_percent(scn_arg(cmd, "PCT")->text, &want, &why);
    snprintf(expected, size, "loss %s %g%%", scn_op_text(op), want);
    if (t.sequenced == 0) {
      snprintf(actual, size, "no datagram with a sequence number");
      return false;
    }
    snprintf(actual, size, "loss %.3g%% (lost %llu of %llu)", t.loss_pct,
             (unsigned long long)t.lost, (unsigned long long)t.expected);
    return scn_op_holds_double(op, t.loss_pct, want);
  }
  if (what != NULL) { /* rate */
    int64_t want = 0;
    scn_parse_int(scn_arg(cmd, "N")->text, 0, INT32_MAX, &want, &why);
    snprintf(expected, size, "rate %s %lld pps", scn_op_text(op), (long long)want);
    snprintf(actual, size, "rate %.1f pps (%.0f bit/s)", t.rate_msgs, t.rate_bytes * 8);
    return scn_op_holds_double(op, t.rate_msgs, (double)want);
  }
  if ((what = scn_arg_word(cmd, scn_expect_counts)) != NULL) {
    int64_t want = 0;
    scn_parse_int(scn_arg(cmd, "N")->text, 0, INT32_MAX, &want, &why);
    snprintf(expected, size, "%s %s %lld", what, scn_op_text(op), (long long)want);
    return judge_counts(what, &t, op, want, actual, size);
  }
  if ((what = scn_arg_word(cmd, scn_expect_times)) != NULL) {
    uint64_t want = 0;
    char buf[32];
    scn_parse_duration(scn_arg(cmd, "DUR")->text, &want, &why);
    scn_format_duration(want, buf, sizeof buf);
    snprintf(expected, size, "%s %s %s", what, scn_op_text(op), buf);
    return judge_time(what, &t, op, want, actual, size);
  }
  snprintf(actual, size, "unknown traffic figure");
  return false;
}

static bool same_host(const mcb_addr *a, const mcb_addr *b)
{
  char x[MCB_ADDRSTRLEN], y[MCB_ADDRSTRLEN];
  return strcmp(mcb_addr_format_host(a, x, sizeof x), mcb_addr_format_host(b, y, sizeof y)) == 0;
}

bool scn_expect_join_latency(const scn_command *cmd, const mcb_socket *sock, const scn_filter *f,
                             char *expected, char *actual, size_t size)
{
  scn_op op = SCN_OP_EQ;
  uint64_t want = 0, worst = 0;
  size_t n = 0;
  const char *why;
  char buf[32], group[MCB_ADDRSTRLEN];

  scn_parse_op(scn_arg(cmd, "OP")->text, &op);
  scn_parse_duration(scn_arg(cmd, "DUR")->text, &want, &why);
  scn_format_duration(want, buf, sizeof buf);
  snprintf(expected, size, "join-latency %s %s", scn_op_text(op), buf);
  for (size_t i = 0; i < mcb_membership_count(sock); i++) {
    const mcb_membership *m = mcb_membership_at(sock, i);
    if (!f->to_any && !same_host(&m->group, &f->to)) continue;
    n++;
    if (m->first_ns == 0) {
      scn_format_duration(uv_hrtime() - m->joined_ns, buf, sizeof buf);
      snprintf(actual, size, "no datagram of %s yet (joined %s ago)",
               mcb_addr_format_host(&m->group, group, sizeof group), buf);
      return false;
    }
    if (m->first_ns - m->joined_ns > worst) worst = m->first_ns - m->joined_ns;
  }
  if (n == 0) {
    snprintf(actual, size, "no membership%s", f->to_any ? "" : " of that group");
    return false;
  }
  scn_format_duration(worst, buf, sizeof buf);
  snprintf(actual, size, "join-latency %s (the largest of %zu membership%s)", buf, n,
           n == 1 ? "" : "s");
  return scn_op_holds_double(op, (double)worst, (double)want);
}
