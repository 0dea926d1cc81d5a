/* cmd-expect.c - `expect`: the assertions of a scenario.
 *
 * Counts, TTL and payload expectations are evaluated at once and, with `within DUR`,
 * again after every datagram until they hold (pass at once) or the deadline passes
 * (fail). `none ... for DUR` fails at the first matching datagram and passes at the end.
 * `expect error CODE` judges the outcome of the command before it; `expect lab` a lab
 * link's packet counters, which see what reached an interface even when no socket took it.
 */
#include "command-api.h"
#include "expect-lab.h"
#include "expect-traffic.h"
#include "measure.h"
#include "values.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum form {
  F_ERROR,
  F_COUNT,
  F_SENT,
  F_SEND_ERRORS,
  F_TTL,
  F_NONE,
  F_PAYLOAD,
  F_LOSS,
  F_SEQ,
  F_TIME,
  F_RATE,
  F_KDROPS,
  F_JOIN,
  F_LAB,
  F_LAB_NOROUTE,
  F_LAB_LINK,
  F_LAB_SWITCH,
  F_LAB_QUERIER
};

/* The traffic forms are judged in expect-traffic.c. */
static bool traffic_form(int form)
{
  return form >= F_LOSS && form <= F_KDROPS;
}

typedef struct expect_state {
  scn_filter filter;
  uint64_t baseline; /* F_NONE: datagrams matching before the expectation started */
  size_t plen;
  uint8_t payload[]; /* F_PAYLOAD */
} expect_state;

static void describe_value(const uint8_t *p, size_t n, size_t wire, char *buf, size_t size)
{
  size_t o = 0;
  o += (size_t)snprintf(buf + o, size - o, "\"");
  for (size_t i = 0; i < n && o + 6 < size; i++) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
      buf[o++] = (char)p[i];
    else
      o += (size_t)snprintf(buf + o, size - o, "\\x%02x", p[i]);
  }
  if (o < size) snprintf(buf + o, size - o, "\"%s", wire > n ? "..." : "");
  if (wire != n && o + 24 < size) {
    size_t l = strlen(buf);
    snprintf(buf + l, size - l, " (%zu bytes)", wire);
  }
}

/* "OP N" of the forms that compare a number; writes the expectation's text. */
static void wanted(const scn_command *cmd, const char *what, scn_op *op, int64_t *want,
                   char *expected, size_t size)
{
  const char *why;
  scn_parse_op(scn_arg(cmd, "OP")->text, op);
  scn_parse_int(scn_arg(cmd, "N")->text, 0, INT32_MAX, want, &why);
  snprintf(expected, size, "%s %s %lld", what, scn_op_text(*op), (long long)*want);
}

/* sent: the datagrams the socket sent. */
static bool judge_sent(const scn_sock *ss, scn_op op, int64_t want, char *actual, size_t size)
{
  mcb_socket_info info;
  mcb_socket_info_get(ss->sock, &info);
  snprintf(actual, size, "sent %llu", (unsigned long long)info.counters.tx_msgs);
  return scn_op_holds(op, (int64_t)info.counters.tx_msgs, want);
}

/* send-errors: the sends that failed, all of them or those of one code; the actual value
 * lists every code seen. */
static bool judge_send_errors(const scn_command *cmd, const scn_sock *ss, scn_op op, int64_t want,
                              char *expected, char *actual, size_t size)
{
  const scn_send_stats *st = &ss->send;
  const scn_token *code_t = scn_arg(cmd, "code");
  int64_t got = (int64_t)st->errors;
  int code = 0;
  size_t o;
  if (code_t != NULL) {
    scn_parse_errcode(code_t->text, &code);
    got = 0;
    for (size_t i = 0; i < st->ncodes; i++)
      if (st->by_code[i].code == code) got = (int64_t)st->by_code[i].n;
    o = strlen(expected);
    if (o < size) snprintf(expected + o, size - o, " code %s", mcb_err_name(code));
  }
  o = (size_t)snprintf(actual, size, "send-errors %lld", (long long)got);
  for (size_t i = 0; i < st->ncodes && o < size; i++)
    o += (size_t)snprintf(actual + o, size - o, "%s%s %llu", i ? ", " : " (",
                          mcb_err_name(st->by_code[i].code), (unsigned long long)st->by_code[i].n);
  if (st->ncodes > 0 && o < size) snprintf(actual + o, size - o, ")");
  return scn_op_holds(op, got, want);
}

/* Evaluates the expectation; fills expected/actual. */
static bool evaluate(scn_session *s, const scn_command *cmd, expect_state *st, char *expected,
                     char *actual, size_t size)
{
  const scn_sock *ss = scn_target(s);
  const char *what = scn_arg_word(cmd, "received|bytes|sent|send-errors|ttl");
  scn_measure m;
  scn_op op = SCN_OP_EQ;
  int64_t want = 0;

  if (traffic_form(cmd->form))
    return scn_expect_traffic(cmd, ss->sock, &st->filter, expected, actual, size);
  if (cmd->form == F_JOIN)
    return scn_expect_join_latency(cmd, ss->sock, &st->filter, expected, actual, size);
  if (cmd->form == F_LAB || cmd->form == F_LAB_NOROUTE)
    return scn_expect_lab(s, cmd, expected, actual, size);
  if (cmd->form == F_LAB_SWITCH || cmd->form == F_LAB_QUERIER)
    return scn_expect_switch(s, cmd, expected, actual, size);
  if (what != NULL) wanted(cmd, what, &op, &want, expected, size);
  if (cmd->form == F_SENT) return judge_sent(ss, op, want, actual, size);
  if (cmd->form == F_SEND_ERRORS)
    return judge_send_errors(cmd, ss, op, want, expected, actual, size);
  scn_measure_get(ss->sock, &st->filter, &m);
  switch (cmd->form) {
  case F_COUNT: {
    int64_t got = (int64_t)(strcmp(what, "received") == 0 ? m.msgs : m.bytes);
    snprintf(actual, size, "%s %lld", what, (long long)got);
    return scn_op_holds(op, got, want);
  }
  case F_TTL:
    if (!m.any) {
      snprintf(actual, size, "no datagram received");
      return false;
    }
    if (m.last_ttl < 0) { /* unix datagrams carry none: no comparison holds */
      snprintf(actual, size, "ttl - (no TTL on this datagram)");
      return false;
    }
    snprintf(actual, size, "ttl %d", m.last_ttl);
    return scn_op_holds(op, m.last_ttl, want);
  case F_NONE: {
    uint64_t extra = m.msgs - st->baseline;
    snprintf(expected, size, "no datagram");
    if (extra == 0) {
      snprintf(actual, size, "none");
      return true;
    }
    char src[MCB_ADDRSTRLEN];
    snprintf(actual, size, "%llu datagram%s, the latest from %s", (unsigned long long)extra,
             extra == 1 ? "" : "s", mcb_addr_format(&m.last_src, src, sizeof src));
    return false;
  }
  case F_PAYLOAD:
    describe_value(st->payload, st->plen < 64 ? st->plen : 64, st->plen, expected, size);
    if (!m.any || m.last == NULL) {
      snprintf(actual, size, "no datagram received");
      return false;
    }
    describe_value(m.last->data, m.last->len < 64 ? m.last->len : 64, m.last->wire_len, actual,
                   size);
    /* Only the stored prefix (payload_cap bytes) can be compared beyond the length. */
    return m.last->wire_len == st->plen &&
           memcmp(m.last->data, st->payload, m.last->len < st->plen ? m.last->len : st->plen) == 0;
  }
  return false;
}

static bool poll_expect(scn_session *s, scn_command *cmd, scn_status *status)
{
  char expected[200], actual[200];
  bool holds = evaluate(s, cmd, scn_current_waiter(s)->data, expected, actual, sizeof expected);
  *status = SCN_DONE;
  if (cmd->form == F_NONE) { /* fails at the first datagram */
    if (holds) return false;
    scn_report_result(s, cmd, false, expected, actual);
    return true;
  }
  if (!holds) return false;
  scn_report_result(s, cmd, true, expected, actual);
  return true;
}

static scn_status expire_expect(scn_session *s, scn_command *cmd)
{
  char expected[200], actual[200];
  bool holds = evaluate(s, cmd, scn_current_waiter(s)->data, expected, actual, sizeof expected);
  scn_report_result(s, cmd, holds, expected, actual);
  return SCN_DONE;
}

static scn_status expect_error(scn_session *s, scn_command *cmd)
{
  const scn_outcome *prev = scn_previous_outcome(s);
  const scn_token *code_t = scn_arg(cmd, "CODE");
  char expected[64], actual[MCB_MSG_MAX];
  int code = 0;
  scn_parse_errcode(code_t->text, &code);
  snprintf(expected, sizeof expected, "error %s", mcb_err_name(code));
  if (!prev->valid)
    snprintf(actual, sizeof actual, "no command before it");
  else if (prev->code == 0)
    snprintf(actual, sizeof actual, "the command succeeded");
  else
    mcb_msgf(actual, sizeof actual, "error %s: %s", mcb_err_name(prev->code), prev->message);
  scn_report_result(s, cmd, prev->valid && prev->code == code, expected, actual);
  return SCN_DONE;
}

/* The packets NODE's interface on its link to OTHER received or sent, as the kernel counts
 * them (every packet: datagrams, and IGMP, MLD and neighbour discovery), so a datagram the
 * host's IP layer drops (a group it did not join) still counts: a switch's flooding shows. */
static scn_status expect_lab_link(scn_session *s, scn_command *cmd)
{
  const char *node = scn_arg(cmd, "NODE")->text, *other = scn_arg(cmd, "OTHER")->text;
  const char *what = scn_arg_word(cmd, "received|sent");
  mcb_lab *lab = scn_session_lab(s, cmd); /* as lab show: local and peer exist from the start */
  mcb_lab_link_info li;
  uint64_t rx[2], tx[2];
  char expected[200], actual[200];
  scn_op op;
  int64_t want;
  size_t i;
  int end = -1;

  if (lab == NULL) return SCN_ERROR; /* the failure is recorded */
  wanted(cmd, what, &op, &want, expected, sizeof expected);
  for (i = 0; lab != NULL && end < 0 && mcb_lab_link_at(lab, i, &li) == 0; i++)
    end = strcmp(li.a, node) == 0 && strcmp(li.b, other) == 0   ? 0
          : strcmp(li.b, node) == 0 && strcmp(li.a, other) == 0 ? 1
                                                                : -1;
  if (end < 0)
    return scn_fail(s, cmd, scn_arg(cmd, "OTHER"), UV_ENOENT, "expect lab: no link %s %s", node,
                    other);
  if (mcb_lab_link_counters(lab, i - 1, rx, tx) != 0)
    return scn_fail(s, cmd, NULL, UV_EIO, "expect lab: %s", mcb_lab_last_error(lab));
  uint64_t got = strcmp(what, "received") == 0 ? rx[end] : tx[end];
  /* "expected h1's interface h1-s1 sent >= 20 packets, got 2" */
  snprintf(expected, sizeof expected, "%s's interface %s %s %s %lld packets", node,
           end == 0 ? li.ifname_a : li.ifname_b, what, scn_op_text(op), (long long)want);
  snprintf(actual, sizeof actual, "%llu", (unsigned long long)got);
  scn_report_result(s, cmd, scn_op_holds(op, (int64_t)got, want), expected, actual);
  return SCN_DONE;
}

static scn_status exec_expect(scn_session *s, scn_command *cmd)
{
  const scn_token *from = scn_arg(cmd, "from"), *to = scn_arg(cmd, "to"),
                  *within = scn_arg(cmd, "within"), *dur = scn_arg(cmd, "for");
  expect_state *es;
  uint8_t *data = NULL;
  size_t len = 0;
  uint64_t ns = 0;
  const char *why;
  char expected[200], actual[200];

  if (cmd->form == F_ERROR) return expect_error(s, cmd);
  if (cmd->form == F_LAB_LINK) return expect_lab_link(s, cmd);
  if (cmd->form == F_PAYLOAD) {
    const scn_token *p = scn_arg(cmd, "PAYLOAD");
    if (scn_parse_payload(p->text, p->len, p->quoted, &data, &len, &why) != 0)
      return scn_fail(s, cmd, p, UV_EINVAL, "%s", why);
  }
  es = calloc(1, sizeof *es + len);
  if (es == NULL) {
    free(data);
    return scn_fail(s, cmd, NULL, UV_ENOMEM, "expect: out of memory");
  }
  if (len > 0) memcpy(es->payload, data, len);
  es->plen = len;
  free(data);
  /* (`expect lab`'s from names a node, not an address) */
  if (cmd->form != F_LAB && cmd->form != F_LAB_NOROUTE && cmd->form != F_LAB_SWITCH &&
      cmd->form != F_LAB_QUERIER &&
      scn_filter_parse(&es->filter, from ? from->text : NULL, to ? to->text : NULL) != 0) {
    free(es);
    return scn_fail(s, cmd, from ? from : to, UV_EINVAL, "expect: bad address filter");
  }
  if (cmd->form == F_NONE) {
    scn_measure m;
    scn_measure_get(scn_target(s)->sock, &es->filter, &m);
    es->baseline = m.msgs;
    scn_parse_duration(dur->text, &ns, &why);
    return scn_wait(s, cmd, ns,
                    (scn_waiter){.poll = poll_expect, .expire = expire_expect, .data = es});
  }
  bool holds = evaluate(s, cmd, es, expected, actual, sizeof expected);
  if (holds || within == NULL) {
    scn_report_result(s, cmd, holds, expected, actual);
    free(es);
    return SCN_DONE;
  }
  scn_parse_duration(within->text, &ns, &why);
  return scn_wait(s, cmd, ns,
                  (scn_waiter){.poll = poll_expect, .expire = expire_expect, .data = es});
}

static bool multicast_group(const char *text)
{
  struct in6_addr a6;
  struct in_addr a4;
  if (inet_pton(AF_INET, text, &a4) == 1) return IN_MULTICAST(ntohl(a4.s_addr));
  return inet_pton(AF_INET6, text, &a6) == 1 && IN6_IS_ADDR_MULTICAST(&a6);
}

/* `expect lab`: a version the protocol has (IGMP 1..3, MLD 1..2), a group of its family. */
static void check_expect(scn_checker *ck, scn_command *cmd)
{
  const scn_token *v = scn_arg(cmd, "version"), *g = scn_arg(cmd, "GROUP");
  bool mld;
  int64_t n;
  const char *why;
  if (cmd->form != F_LAB && cmd->form != F_LAB_NOROUTE) return;
  mld = cmd->form == F_LAB && strcmp(scn_arg_word(cmd, "igmp|mld"), "mld") == 0;
  if (v != NULL && scn_parse_int(v->text, 1, mld ? 2 : 3, &n, &why) != 0)
    scn_diags_at(ck->diags, cmd, v, "%s has versions 1 to %d", mld ? "MLD" : "IGMP", mld ? 2 : 3);
  /* (a router's events are of either family) */
  if (cmd->form == F_LAB_NOROUTE && g != NULL && !multicast_group(g->text))
    scn_diags_at(ck->diags, cmd, g, "a multicast group (239.1.1.1, ff05::1)");
  if (cmd->form == F_LAB && g != NULL && (strchr(g->text, ':') != NULL) != mld)
    scn_diags_at(ck->diags, cmd, g,
                 "an IGMP group is IPv4 (239.1.1.1), an MLD group IPv6 (ff05::1)");
}

static const char *const forms[] = {
    [F_ERROR] = "error CODE",
    [F_COUNT] = "NAME received|bytes OP N [from ADDR] [to GROUP] [within DUR]",
    [F_SENT] = "NAME sent OP N [within DUR]",
    [F_SEND_ERRORS] = "NAME send-errors OP N [code CODE] [within DUR]",
    [F_TTL] = "NAME ttl OP N [from ADDR] [within DUR]",
    [F_NONE] = "NAME none [from ADDR] [to GROUP] for DUR",
    [F_PAYLOAD] = "NAME payload PAYLOAD [from ADDR] [within DUR]",
    [F_LOSS] = "NAME loss OP PCT [from ADDR] [to GROUP] [within DUR]",
    [F_SEQ] = "NAME dups|reordered|late|lost|invalid OP N [from ADDR] [to GROUP] [within DUR]",
    [F_TIME] = "NAME jitter|delay|delay-max|delay-p99|rtt|rtt-max|rtt-p99 OP DUR [from ADDR] "
               "[to GROUP] [within DUR]",
    [F_RATE] = "NAME rate OP N pps [from ADDR] [to GROUP] [within DUR]",
    [F_KDROPS] = "NAME kernel-drops OP N [within DUR]",
    [F_JOIN] = "NAME join-latency OP DUR [to GROUP] [within DUR]",
    [F_LAB] = "lab igmp|mld join|leave|report|query [GROUP] [from NODE] [version N] [within DUR]",
    [F_LAB_NOROUTE] = "lab no-route|wrong-if [GROUP] [at NODE] [within DUR]",
    [F_LAB_LINK] = "lab NODE OTHER received|sent OP N",
    [F_LAB_SWITCH] = "lab NODE adds|removes [GROUP] [on OTHER] [within DUR]",
    [F_LAB_QUERIER] = "lab NODE querier self|other|none [within DUR]",
    NULL,
};

const scn_entry scn_cmd_expect = {
    .name = "expect",
    .forms = forms,
    .summary = "assert what a socket received, what a lab link counted, or that the last command "
               "failed",
    .help = "received/bytes compare the datagrams (or bytes) NAME received, optionally only "
            "from a source (ADDR, ADDR:PORT) and/or to a destination (GROUP). ttl checks the "
            "TTL or hop limit the latest datagram arrived with; payload its content. sent "
            "compares the datagrams NAME sent, send-errors its sends that failed, or with code "
            "CODE those that failed with CODE (a background send goes on after a failure and "
            "counts it; the actual value lists them by error code). With "
            "within DUR the expectation passes as soon as it holds and fails at the deadline; "
            "give ttl and payload checks a within too, as they judge the latest datagram, "
            "which may still be on its way. "
            "none ... for DUR fails at the first matching datagram. error CODE passes when the "
            "previous command failed with CODE (so a failure it expects does not stop the "
            "scenario). Traffic figures come from the payloads mcbench recognises (its probes, "
            "iperf 2, mcjoin), summed over the matching peers: loss compares lost / expected "
            "sequence numbers in percent; dups, reordered, late, lost and invalid count "
            "datagrams; delay is the mean one-way delay (send time to arrival: one host or "
            "synchronised clocks), delay-max and delay-p99 the largest of the peers', jitter "
            "the largest RFC 3550 interarrival jitter; rtt, rtt-max and rtt-p99 the round trip "
            "of probes echoed back (set echo on at the receiver); rate the datagrams per second "
            "over the last second; kernel-drops the datagrams the kernel dropped because the "
            "socket's receive buffer was full. join-latency is the time from a join to the first "
            "datagram of that group (the largest over NAME's memberships, or those to GROUP); "
            "a membership still waiting does not hold. A figure no datagram carried does not "
            "hold. lab NODE OTHER received|sent compares the packets NODE's interface on its "
            "link to OTHER received or sent, as the kernel counts them: every packet, IGMP, MLD "
            "and neighbour discovery too, and datagrams of groups no socket there joined, which "
            "the host's IP layer drops after counting (so a switch's flooding shows there). "
            "hold. lab igmp|mld ACTION passes when the lab's IGMP/MLD watcher saw a matching "
            "event on a link (join, leave, report: the current state answering a query, or "
            "query), of GROUP, sent by NODE, in version N when given; each passing one moves "
            "on past the event it matched, so joins and leaves are asserted in order. "
            "lab no-route passes when a router (NODE) got GROUP (IPv4 or IPv6) without a "
            "forwarding entry for it; lab wrong-if when it got GROUP on another link than its "
            "entry's incoming one (its from). lab NODE adds|removes passes when the switch NODE's "
            "group table got (lost) GROUP on its port to OTHER, as the kernel notifies it; lab "
            "NODE querier self|other|none when it became querier, heard another one, or lost the "
            "one it heard (IGMP or MLD). "
            "Each expectation prints PASS or FAIL with what was expected and seen.",
    .example =
        "expect rx received == 3 within 1s\nexpect rx ttl == 4 from 10.99.0.1\n"
        "expect rx none to 239.1.1.1 for 300ms\nexpect rx payload \"hello\"\n"
        "expect tx sent == 100 within 2s\nexpect tx send-errors == 0\nexpect tx send-errors "
        "<= 2 code ENOBUFS\nexpect error EACCES\nexpect rx loss < 1% within 2s\n"
        "expect rx dups == 0 from 10.99.0.1\nexpect rx jitter < 1ms\n"
        "expect rx rate >= 900 pps within 2s\nexpect rx kernel-drops == 0\n"
        "expect tx rtt < 10ms\nexpect rx join-latency < 500ms within 2s\n"
        "expect lab peer local received >= 10\nexpect lab igmp join 239.1.1.1 within 2s\n"
        "lab switch s1\nlab host h2\nlab link h2 s1\nexpect lab s1 adds 239.1.1.1 on h2 within 2s",
    .target = SCN_TARGET_SOCKET,
    .check = check_expect,
    .exec = exec_expect,
};
