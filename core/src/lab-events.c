/* lab-events.c - the lab's event log: a ring of the newest MCB_LAB_EVENTS events with a
 * count of the older ones it let go, and how a decoded IGMP/MLD message becomes events
 * (one per group record) and a sentence. Pure bookkeeping: the watcher (lab-watch.c)
 * feeds it on the loop. */
#include "lab.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

struct mcb__lab_log {
  mcb_lab_event ring[MCB_LAB_EVENTS];
  uint64_t next; /* seq of the next event; the ring holds next - n .. next - 1 */
  size_t n;
};

static const char *const action_names[] = {
    [MCB_LAB_EV_JOIN] = "join",        [MCB_LAB_EV_LEAVE] = "leave",
    [MCB_LAB_EV_REPORT] = "report",    [MCB_LAB_EV_QUERY] = "query",
    [MCB_LAB_EV_NOROUTE] = "no-route", [MCB_LAB_EV_WRONGIF] = "wrong-if",
    [MCB_LAB_EV_ADD] = "adds",         [MCB_LAB_EV_REMOVE] = "removes",
    [MCB_LAB_EV_QUERIER] = "querier",
};

const char *mcb_lab_action_name(mcb_lab_action action)
{
  return action >= MCB_LAB_EV_JOIN && action <= MCB_LAB_EV_LAST ? action_names[action] : NULL;
}

bool mcb_lab_action_of_switch(mcb_lab_action action)
{
  return action == MCB_LAB_EV_ADD || action == MCB_LAB_EV_REMOVE || action == MCB_LAB_EV_QUERIER;
}

mcb__lab_log *mcb__lab_log_new(void)
{
  mcb__lab_log *log = calloc(1, sizeof *log);
  if (log != NULL) log->next = 1;
  return log;
}

void mcb__lab_log_free(mcb__lab_log *log)
{
  free(log);
}

void mcb__lab_log_add(mcb__lab_log *log, mcb_lab_event *ev)
{
  ev->seq = log->next++;
  log->ring[ev->seq % MCB_LAB_EVENTS] = *ev;
  if (log->n < MCB_LAB_EVENTS) log->n++;
}

uint64_t mcb_lab_event_next(const mcb_lab *lab)
{
  return lab->log != NULL ? lab->log->next : 1;
}

uint64_t mcb_lab_events_dropped(const mcb_lab *lab)
{
  return lab->log != NULL ? lab->log->next - 1 - lab->log->n : 0;
}

int mcb_lab_event_get(const mcb_lab *lab, uint64_t seq, mcb_lab_event *out)
{
  const mcb__lab_log *log = lab->log;
  if (log == NULL || seq >= log->next || seq < log->next - log->n) return UV_ENOENT;
  *out = log->ring[seq % MCB_LAB_EVENTS];
  return 0;
}

/* Groups every interface joins by itself (all nodes, solicited-node, all routers, MLDv2
 * routers, snoopers, node-local): their reports are noise in a lesson. */
static bool boring(int family, const uint8_t *g)
{
  static const uint8_t sn[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
  static const uint8_t zero[12] = {0};
  unsigned last = (unsigned)(g[14] << 8 | g[15]);
  if (family == AF_INET) return g[0] == 224 && g[1] == 0 && g[2] == 0 && g[3] == 1;
  if (g[0] == 0xff && (g[1] & 0x0f) == 1) return true;
  if (memcmp(g, sn, sizeof sn) == 0) return true;
  return g[0] == 0xff && (g[1] & 0x0f) == 2 && memcmp(g + 2, zero, sizeof zero) == 0 &&
         (last == 1 || last == 2 || last == 0x16 || last == 0x6a);
}

bool mcb__lab_boring_group(int family, const uint8_t *g)
{
  return boring(family, g);
}

static mcb_lab_action record_action(const mcb_igmp_record *r)
{
  switch (r->type) {
  case MCB_IGMP_IS_IN:
  case MCB_IGMP_IS_EX:
    return MCB_LAB_EV_REPORT;
  case MCB_IGMP_TO_IN:
    return r->nsources == 0 ? MCB_LAB_EV_LEAVE : MCB_LAB_EV_JOIN;
  case MCB_IGMP_BLOCK:
    return MCB_LAB_EV_LEAVE;
  default:
    return MCB_LAB_EV_JOIN;
  }
}

/* "include {10.0.1.2, 10.0.1.3}", "exclude {}", "allow {...}" (sources added), "block
 * {...}" (sources taken away), with "+N more" past what was kept. */
static void filter_text(int family, const mcb_igmp_record *r, char *buf, size_t size)
{
  static const char *const words[] = {"sources", "include", "exclude", "include",
                                      "exclude", "allow",   "block"};
  const char *what = r->type <= MCB_IGMP_BLOCK ? words[r->type] : "?";
  size_t o = (size_t)snprintf(buf, size, "%s {", what);
  for (unsigned i = 0; i < r->nsources && i < MCB_IGMP_MAX_SOURCES && o < size; i++) {
    char a[INET6_ADDRSTRLEN];
    inet_ntop(family, r->sources[i], a, sizeof a);
    o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", a);
  }
  if (r->nsources > MCB_IGMP_MAX_SOURCES && o < size)
    o += (size_t)snprintf(buf + o, size - o, ", +%u more", r->nsources - MCB_IGMP_MAX_SOURCES);
  if (o < size) snprintf(buf + o, size - o, "}");
}

static void group_text(int family, const uint8_t *g, char *buf, size_t size)
{
  static const uint8_t zero[16] = {0};
  buf[0] = '\0';
  if (memcmp(g, zero, family == AF_INET ? 4 : 16) != 0) inet_ntop(family, g, buf, (socklen_t)size);
}

size_t mcb__lab_events_of(const mcb_igmp_msg *m, mcb_lab_event *out, size_t max)
{
  size_t n = 0, kept = m->nrecords < MCB_IGMP_MAX_RECORDS ? m->nrecords : MCB_IGMP_MAX_RECORDS;
  for (size_t i = 0; i < kept && n < max; i++) {
    const mcb_igmp_record *r = &m->records[i];
    mcb_lab_event *e = &out[n];
    if (m->type != MCB_IGMP_QUERY && boring(m->family, r->group)) continue;
    memset(e, 0, sizeof *e);
    e->family = m->family;
    e->version = m->version;
    inet_ntop(m->family, m->src, e->source, sizeof e->source);
    group_text(m->family, r->group, e->group, sizeof e->group);
    if (m->type == MCB_IGMP_QUERY)
      e->action = MCB_LAB_EV_QUERY;
    else if (m->type == MCB_IGMP_LEAVE)
      e->action = MCB_LAB_EV_LEAVE;
    else
      e->action = r->type ? record_action(r) : MCB_LAB_EV_JOIN;
    /* v3 records say their mode; a group-and-source query its sources */
    if (r->type != 0 || (m->type == MCB_IGMP_QUERY && r->nsources > 0))
      filter_text(m->family, r, e->filter, sizeof e->filter);
    n++;
  }
  return n;
}

/* "s1 adds 239.1.1.1 on port s1-h2", "s1 removes ... (timed out)", "s1 became querier
 * (IGMP)", "s1 hears another querier 10.0.1.5 (IGMP) on port s1-s2", "s1 hears no
 * querier (MLD)". */
static char *switch_format(const mcb_lab_event *ev, char *buf, size_t size)
{
  const char *proto = ev->family == AF_INET6 ? "MLD" : "IGMP";
  if (ev->action == MCB_LAB_EV_ADD)
    snprintf(buf, size, "%s adds %s on port %s", ev->node, ev->group, ev->link);
  else if (ev->action == MCB_LAB_EV_REMOVE)
    snprintf(buf, size, "%s removes %s on port %s (%s)", ev->node, ev->group, ev->link, ev->filter);
  else if (strcmp(ev->filter, "self") == 0)
    snprintf(buf, size, "%s became querier (%s%s%s)", ev->node, proto, ev->source[0] ? ", " : "",
             ev->source);
  else if (strcmp(ev->filter, "other") == 0)
    snprintf(buf, size, "%s hears another querier %s (%s)%s%s", ev->node,
             ev->source[0] ? ev->source : "0.0.0.0", proto, ev->link[0] ? " on port " : "",
             ev->link);
  else
    snprintf(buf, size, "%s hears no querier (%s)", ev->node, proto);
  return buf;
}

char *mcb_lab_event_format(const mcb_lab_event *ev, char *buf, size_t size)
{
  if (mcb_lab_action_of_switch(ev->action)) return switch_format(ev, buf, size);
  static const char *const verbs[] = {[MCB_LAB_EV_JOIN] = "reports join",
                                      [MCB_LAB_EV_LEAVE] = "leaves",
                                      [MCB_LAB_EV_REPORT] = "reports",
                                      [MCB_LAB_EV_QUERY] = "queries"};
  const char *who = ev->node[0] ? ev->node : ev->source;
  if (ev->action == MCB_LAB_EV_NOROUTE) {
    snprintf(buf, size, "%s: no route for (%s, %s) arriving on %s", who, ev->source, ev->group,
             ev->link);
    return buf;
  }
  if (ev->action == MCB_LAB_EV_WRONGIF) {
    snprintf(buf, size, "%s got %s from %s on %s, expected on %s", who, ev->group, ev->source,
             ev->link, ev->expected_link);
    return buf;
  }
  const char *verb = ev->action >= MCB_LAB_EV_JOIN && ev->action <= MCB_LAB_EV_LAST_MEMBERSHIP
                         ? verbs[ev->action]
                         : "sends";
  const char *what = ev->group[0] ? ev->group : ev->action == MCB_LAB_EV_QUERY ? "all groups" : "";
  snprintf(buf, size, "%s %s %s (%s%d%s%s) on %s", who, verb, what,
           ev->family == AF_INET6 ? "MLDv" : "IGMPv", ev->version, ev->filter[0] ? ", " : "",
           ev->filter, ev->link);
  return buf;
}
