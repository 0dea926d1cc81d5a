/* report.c - collects what a headless run reports, per scenario file (see report.h).
 * Bounded: a runaway scenario cannot grow a report without limit. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 100000
#define MAX_DETAIL  2048 /* bytes of one error's compiler-style text */

void scn_file_report_init(scn_file_report *r, const char *file)
{
  memset(r, 0, sizeof *r);
  snprintf(r->file, sizeof r->file, "%s", file);
}

void scn_file_report_free(scn_file_report *r)
{
  for (size_t i = 0; i < r->nsockets; i++) {
    free(r->sockets[i].groups);
    free(r->sockets[i].peers);
    free(r->sockets[i].analysis);
    free(r->sockets[i].streams);
  }
  free(r->intervals);
  free(r->lab_events);
  for (size_t i = 0; i < r->nerrors; i++) free(r->errors[i].detail);
  free(r->sockets);
  free(r->results);
  free(r->errors);
  memset(r, 0, sizeof *r);
}

/* Grows an array by doubling; false when full or out of memory. */
static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
  size_t ncap;
  void *nv;
  if (n < *cap) return true;
  if (n >= MAX_RECORDS) return false;
  ncap = *cap ? *cap * 2 : 16;
  if ((nv = realloc(*v, ncap * size)) == NULL) return false;
  *v = nv;
  *cap = ncap;
  return true;
}

int scn_file_report_add_result(scn_file_report *r, const scn_result *res)
{
  if (!grow((void **)&r->results, &r->results_cap, r->nresults, sizeof *res)) return UV_ENOBUFS;
  r->results[r->nresults++] = *res;
  return 0;
}

int scn_file_report_add_interval(scn_file_report *r, const scn_interval *iv)
{
  if (!grow((void **)&r->intervals, &r->intervals_cap, r->nintervals, sizeof *iv))
    return UV_ENOBUFS;
  r->intervals[r->nintervals++] = *iv;
  return 0;
}

/* The compiler-style text of a diagnostic (heading, the line, a caret), bounded. */
static char *detail_of(const scn_diag *d)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f;
  if (d->src == NULL || (f = open_memstream(&text, &len)) == NULL) return NULL;
  scn_diag_print(f, d);
  if (fclose(f) != 0) {
    free(text);
    return NULL;
  }
  if (len > MAX_DETAIL) {
    len = MAX_DETAIL;
    text[len] = '\0';
  }
  while (len > 0 && text[len - 1] == '\n') text[--len] = '\0';
  return text;
}

int scn_file_report_add_error(scn_file_report *r, const scn_diag *d, scn_error_kind kind)
{
  scn_error_rec *e;
  if (!grow((void **)&r->errors, &r->errors_cap, r->nerrors, sizeof *e)) return UV_ENOBUFS;
  e = &r->errors[r->nerrors++];
  e->kind = kind;
  e->line = d->line;
  e->col = d->col;
  mcb_msgf(e->message, sizeof e->message, "%s", d->message);
  e->detail = detail_of(d);
  return 0;
}

static int snapshot_one(scn_sock_report *out, const scn_sock *ss, uint64_t now)
{
  size_t n = 0;
  snprintf(out->name, sizeof out->name, "%s", ss->name);
  out->echo = ss->echo;
  out->send = ss->send;
  mcb_socket_info_get(ss->sock, &out->info);
  scn_option_values(ss->sock, out->options);
  out->ngroups = mcb_membership_count(ss->sock);
  if (out->ngroups && (out->groups = calloc(out->ngroups, sizeof *out->groups)) == NULL)
    return UV_ENOMEM;
  for (size_t i = 0; i < out->ngroups; i++) out->groups[i] = *mcb_membership_at(ss->sock, i);
  out->npeers = mcb_peer_count(ss->sock);
  if (out->npeers && ((out->peers = calloc(out->npeers, sizeof *out->peers)) == NULL ||
                      (out->analysis = calloc(out->npeers, sizeof *out->analysis)) == NULL ||
                      (out->streams = calloc(out->npeers, sizeof *out->streams)) == NULL))
    return UV_ENOMEM;
  for (const mcb_peer *p = mcb_peer_next(ss->sock, NULL); p && n < out->npeers;
       p = mcb_peer_next(ss->sock, p)) {
    scn_peer_streams *ps = &out->streams[n];
    for (ps->n = 0; ps->n < MCB_PEER_STREAMS && mcb_peer_stream(p, ps->n) != NULL; ps->n++)
      ps->s[ps->n] = *mcb_peer_stream(p, ps->n);
    mcb_peer_analysis_get(p, now, &out->analysis[n]);
    mcb_peer_stats_get(p, now, &out->peers[n++]);
  }
  out->npeers = n;
  return 0;
}

/* The lab's event log as it is at the end (at most MCB_LAB_EVENTS). */
static int snapshot_lab(scn_file_report *r, const mcb_lab *lab)
{
  uint64_t next = mcb_lab_event_next(lab), dropped = mcb_lab_events_dropped(lab);
  r->lab_events_dropped = dropped;
  if (next - 1 == dropped) return 0;
  if ((r->lab_events = calloc(next - 1 - dropped, sizeof *r->lab_events)) == NULL) return UV_ENOMEM;
  for (uint64_t seq = dropped + 1; seq < next; seq++)
    if (mcb_lab_event_get(lab, seq, &r->lab_events[r->nlab_events]) == 0) r->nlab_events++;
  return 0;
}

int scn_file_report_snapshot(scn_file_report *r, const scn_session *s)
{
  size_t n = scn_session_socket_count(s);
  uint64_t now = uv_hrtime();
  const mcb_lab *lab = scn_session_lab_events(s);
  if (lab != NULL && snapshot_lab(r, lab) != 0) return UV_ENOMEM;
  if (n == 0) return 0;
  if ((r->sockets = calloc(n, sizeof *r->sockets)) == NULL) return UV_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const scn_sock *ss = scn_session_socket_at(s, i);
    if (ss->sock == NULL) continue;
    if (snapshot_one(&r->sockets[r->nsockets++], ss, now) != 0) return UV_ENOMEM;
  }
  return 0;
}
