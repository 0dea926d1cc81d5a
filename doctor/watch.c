/* watch.c - [watch]: kernel counters before and after --wait, while traffic flows.
 *
 * A counter that moves is the proof a FAIL needs: it turns the matching WARN into a
 * FAIL (IPReversePathFilter for rp_filter, IgnoredMulti for socket-bind, the port's
 * drops for rcvbuf). The wait runs on the loop: a timer, never a sleep.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef struct counter {
  const char *name;    /* as the kernel spells it */
  const char *file;    /* under /proc/net */
  const char *section; /* "Udp:"; NULL for snmp6's one-per-line format */
  bool v6;
  const char *escalates; /* the check a move proves, NULL: none */
  int traffic;           /* 1: arrivals (receiver), 2: departures (sender) */
} counter;

static const counter counters[] = {
    {"IPReversePathFilter", "netstat", "TcpExt:", false, "rp_filter", 0},
    {"IgnoredMulti", "snmp", "Udp:", false, "socket-bind", 0},
    {"RcvbufErrors", "snmp", "Udp:", false, "rcvbuf", 0},
    {"InMcastPkts", "netstat", "IpExt:", false, NULL, 1},
    {"OutMcastPkts", "netstat", "IpExt:", false, NULL, 2},
    {"Udp6IgnoredMulti", "snmp6", NULL, true, "socket-bind", 0},
    {"Udp6RcvbufErrors", "snmp6", NULL, true, "rcvbuf", 0},
    {"Ip6InMcastPkts", "snmp6", NULL, true, NULL, 1},
    {"Ip6OutMcastPkts", "snmp6", NULL, true, NULL, 2},
};
#define NCOUNTERS (sizeof counters / sizeof counters[0])

static int read_counter(doc_diagnosis *d, const counter *c, uint64_t *value)
{
  char path[64];
  const char *text;
  snprintf(path, sizeof path, "/proc/net/%s", c->file);
  if ((text = doc_proc(d, path)) == NULL) return UV_ENOENT;
  return c->section != NULL ? doc_proc_counter(text, c->section, c->name, value)
                            : doc_proc_counter6(text, c->name, value);
}

static void snapshot(doc_diagnosis *d, uint64_t *values, bool *ok)
{
  for (size_t i = 0; i < NCOUNTERS; i++)
    ok[i] = counters[i].v6 == doc_is_v6(d) && read_counter(d, &counters[i], &values[i]) == 0;
}

static void escalate(doc_diagnosis *d, const counter *c, uint64_t delta)
{
  doc_result *target = c->escalates != NULL ? doc_find(d, c->escalates) : NULL;
  if (target == NULL) return;
  doc_evidence(target, "%s moved by %llu while the doctor watched", c->name,
               (unsigned long long)delta);
  if (target->status == DOC_WARN) target->status = DOC_FAIL;
}

static void judge(doc_diagnosis *d, doc_result *r, const uint64_t *after, const bool *ok)
{
  unsigned moved = 0;
  for (size_t i = 0; i < NCOUNTERS; i++) {
    if (!d->watch_ok[i] || !ok[i]) continue;
    uint64_t delta = after[i] - d->watch_before[i];
    doc_evidence(r, "%s +%llu in %llu ms", counters[i].name, (unsigned long long)delta,
                 (unsigned long long)d->req.wait_ms);
    if (delta == 0) continue;
    if (counters[i].traffic == (d->req.send ? 2 : 1)) d->traffic_seen = true;
    if (counters[i].escalates != NULL) {
      moved++;
      escalate(d, &counters[i], delta);
    }
  }
  if (moved > 0)
    doc_set(r, DOC_INFO, "%u drop counter(s) moved: see the checks they prove", moved);
  else if (d->traffic_seen)
    doc_set(r, DOC_PASS, "multicast %s this host and no drop counter moved",
            d->req.send ? "left" : "reached");
  else
    doc_set(r, DOC_INFO, "no multicast %s this host while watching: look at the %s",
            d->req.send ? "left" : "reached",
            d->req.send ? "sender" : "sender, the switch and routers");
}

static void on_timer(uv_timer_t *t)
{
  doc_diagnosis *d = t->data;
  uint64_t after[NCOUNTERS];
  bool ok[NCOUNTERS];
  d->watch_running = false;
  snapshot(d, after, ok);
  d->watched = true;
  judge(d, d->watch_result, after, ok);
  doc_phase_done(d);
}

void doc_watch_start(doc_diagnosis *d, doc_result *r)
{
  _Static_assert(NCOUNTERS <= sizeof d->watch_ok / sizeof d->watch_ok[0], "watch_ok too small");
  if (d->req.wait_ms == 0) {
    doc_set(r, DOC_SKIP, "not watching the counters (--wait 0)");
    doc_phase_done(d);
    return;
  }
  d->watch_result = r;
  snapshot(d, d->watch_before, d->watch_ok);
  d->watch_running = true;
  uv_timer_start(&d->timer, on_timer, d->req.wait_ms, 0);
}

void doc_watch_cancel(doc_diagnosis *d)
{
  if (!d->watch_running) return;
  d->watch_running = false;
  uv_timer_stop(&d->timer);
  doc_set(d->watch_result, DOC_SKIP, "stopped before the wait was over");
  doc_phase_done(d);
}
