/* selftest.c - [self-test] (--probe): proves the local receive path without the network.
 *
 * The doctor joins GROUP on the interface itself and sends one datagram to GROUP:PORT
 * with TTL 0 and loopback on: the kernel loops a copy back to local members before it
 * drops the original for its TTL, so nothing is ever put on the wire. If the copy
 * arrives, binding, joining, the firewall's input path and the buffer work.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SELF_TEST_MS 1000

typedef struct doc_probe {
  doc_diagnosis *d;
  doc_result *r;
  uv_timer_t timer;
  mcb_bench *bench;
  bool arrived, stopping, closed, timer_closed;
  int ttl;
  unsigned ifindex;
} doc_probe;

static void judge(doc_probe *p)
{
  doc_result *r = p->r;
  char dev[IF_NAMESIZE + 8];
  if (r->status == DOC_FAIL) return; /* a call failed: start() said which */
  if (p->arrived) {
    doc_set(r, DOC_PASS, "%s",
            p->d->req.send ? "a datagram sent on the interface looped back: this host can send "
                             "the group there"
                           : "a datagram looped back to the doctor's own join: this host's "
                             "receive path works");
    doc_evidence(r, "it arrived on %s with TTL %d", mcb_ifname(p->ifindex, dev), p->ttl);
  } else if (p->d->cancelled) {
    doc_set(r, DOC_SKIP, "stopped before the datagram could come back");
  } else {
    doc_result *fw = doc_find(p->d, "firewall");
    doc_set(r, DOC_FAIL, "the doctor's own datagram did not come back within %d ms", SELF_TEST_MS);
    if (fw != NULL && fw->status == DOC_WARN) { /* the proof the firewall's suspicion needed */
      fw->status = DOC_FAIL;
      doc_evidence(fw, "the self-test's datagram did not come back");
    }
    doc_evidence(r, "TTL 0 with loopback on is delivered to local members unless something drops "
                    "it on input: a firewall rule, or a full buffer");
    doc_fix(r, "look at the input chains: nft list ruleset (udp or igmp drops)");
  }
}

/* Both the bench and the timer are closed: the phase is over. */
static void finish(doc_probe *p)
{
  if (!p->closed || !p->timer_closed) return;
  doc_diagnosis *d = p->d;
  judge(p);
  d->probe = NULL;
  free(p);
  doc_phase_done(d);
}

static void on_bench_closed(mcb_bench *b, void *arg)
{
  doc_probe *p = arg;
  (void)b;
  p->closed = true;
  finish(p);
}

static void on_timer_closed(uv_handle_t *h)
{
  doc_probe *p = h->data;
  p->timer_closed = true;
  finish(p);
}

static void stop(doc_probe *p)
{
  if (p->stopping) return;
  p->stopping = true;
  uv_timer_stop(&p->timer);
  uv_close((uv_handle_t *)&p->timer, on_timer_closed);
  mcb_bench_close(p->bench, on_bench_closed, p);
}

static void on_event(const mcb_event *ev, void *arg)
{
  doc_probe *p = arg;
  if (ev->type != MCB_EV_MESSAGE || p->stopping) return;
  p->arrived = true;
  p->ttl = ev->msg->ttl;
  p->ifindex = ev->msg->ifindex;
  stop(p);
}

static void on_timeout(uv_timer_t *t)
{
  stop(t->data);
}

/* Opens, binds, joins and sends; 0 or the failing call's code, described in r. */
static int start(doc_probe *p)
{
  doc_diagnosis *d = p->d;
  char g[MCB_ADDRSTRLEN], dest[MCB_ADDRSTRLEN + 8];
  const char *iface = d->facts.have_link ? d->facts.ifname : NULL;
  mcb_socket *s;
  mcb_addr local;
  int rc;
  doc_host(&d->req.group, g, sizeof g);
  if ((rc = mcb_open(p->bench, mcb_addr_family(&d->req.group), MCB_REUSE, &s)) != 0 ||
      (rc = mcb_bind(s, NULL, d->req.port)) != 0 || (rc = mcb_address(s, &local)) != 0 ||
      (rc = mcb_join(s, g, iface, NULL, 0)) != 0 || (rc = mcb_set_multicast_ttl(s, 0)) != 0 ||
      (rc = mcb_set_multicast_loopback(s, true)) != 0 ||
      (iface != NULL && (rc = mcb_set_multicast_interface(s, iface)) != 0)) {
    doc_set(p->r, DOC_FAIL, "the doctor could not receive on %s itself", g);
    doc_evidence(p->r, "%s", mcb_last_error(p->bench));
    return rc;
  }
  snprintf(dest, sizeof dest, doc_is_v6(d) ? "[%s]:%d" : "%s:%d", g, mcb_addr_port(&local));
  if ((rc = mcb_send(s, "mcbench doctor self-test", 24, dest, NULL, NULL)) != 0) {
    doc_set(p->r, DOC_FAIL, "the doctor could not send to %s", dest);
    doc_evidence(p->r, "%s", mcb_last_error(p->bench));
    return rc;
  }
  doc_evidence(p->r, "joined %s on %s, sent 1 datagram to %s with TTL 0 (it cannot leave the host)",
               g, iface != NULL ? iface : "the default interface", dest);
  return 0;
}

void doc_self_test_start(doc_diagnosis *d, doc_result *r)
{
  doc_probe *p;
  if (!d->req.probe) {
    doc_set(r, DOC_SKIP,
            "not asked (--probe joins and sends one datagram that stays on this host)");
    doc_phase_done(d);
    return;
  }
  if ((p = calloc(1, sizeof *p)) == NULL || mcb_bench_new(d->loop, NULL, &p->bench) != 0) {
    free(p);
    doc_set(r, DOC_SKIP, "cannot start the core (out of memory)");
    doc_phase_done(d);
    return;
  }
  p->d = d;
  p->r = r;
  d->probe = p;
  mcb_observe(p->bench, on_event, p);
  uv_timer_init(d->loop, &p->timer);
  p->timer.data = p;
  if (start(p) != 0)
    stop(p);
  else
    uv_timer_start(&p->timer, on_timeout, SELF_TEST_MS, 0);
}

void doc_self_test_cancel(doc_diagnosis *d)
{
  if (d->probe != NULL) stop(d->probe);
}
