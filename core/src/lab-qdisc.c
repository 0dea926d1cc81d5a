/* lab-qdisc.c - link impairments made by queueing disciplines, with rtnetlink (no `tc`):
 * a rate is a token bucket (tbf) on each end of the link; delay, jitter and reordering
 * are netem (sch_netem), which also takes the rate when both are asked for. A kernel
 * without sch_netem refuses the kind ("unknown qdisc kind", ENOENT): that becomes
 * UV_ENOTSUP with a message naming the module. Called inside the node of the end.
 * Also: what the impairments did (their nftables counters and the qdisc's drops), and
 * deleting a half-made link. */
#include "lab.h"
#include "rtnl.h"

#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <stdio.h>

#define TBF_BUCKET_MS  10   /* the bucket holds 10 ms of the rate ... */
#define TBF_BUCKET_MIN 3028 /* ... and at least two full Ethernet frames */
#define TBF_QUEUE_MS   50   /* what waits for tokens: 50 ms of the rate, then drops */
#define NETEM_LIMIT    1000 /* packets netem holds (tc's default) */

/* A share in millionths as netem's probabilities say it: 2^32 - 1 is 100%. */
static uint32_t prob(unsigned ppm)
{
  return (uint32_t)((uint64_t)ppm * UINT32_MAX / 1000000u);
}

static struct tcmsg *start_qdisc(mcb__nlreq *r, unsigned ifindex, const char *kind)
{
  struct tcmsg *tc = mcb__nl_start(r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, sizeof *tc);
  tc->tcm_family = AF_UNSPEC;
  tc->tcm_ifindex = (int)ifindex;
  tc->tcm_handle = 1u << 16; /* 1: */
  tc->tcm_parent = TC_H_ROOT;
  mcb__nl_put(r, TCA_KIND, kind, strlen(kind) + 1);
  return tc;
}

uint32_t mcb__lab_tbf_bucket(uint64_t rate_bps)
{
  uint64_t b = rate_bps / 8 * TBF_BUCKET_MS / 1000;
  return b < TBF_BUCKET_MIN ? TBF_BUCKET_MIN : b > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)b;
}

static int add_tbf(mcb__nl *nl, unsigned ifindex, uint64_t rate_bps)
{
  mcb__nlreq r;
  struct tc_tbf_qopt q;
  uint64_t bytes_ps = rate_bps / 8 ? rate_bps / 8 : 1, queue = bytes_ps * TBF_QUEUE_MS / 1000;
  uint32_t burst = mcb__lab_tbf_bucket(rate_bps);
  struct rtattr *opts;

  memset(&q, 0, sizeof q);
  q.rate.rate = bytes_ps > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_ps;
  q.rate.linklayer = TC_LINKLAYER_ETHERNET; /* no rate table to send */
  q.limit = (uint32_t)(burst + (queue > UINT32_MAX / 2 ? UINT32_MAX / 2 : queue));
  /* The bucket as the time it takes at the rate, in the scheduler's 64 ns ticks (the
   * kernel uses TCA_TBF_BURST when it knows it). */
  q.buffer = (uint32_t)((uint64_t)burst * 1000000000u / bytes_ps >> 6);
  start_qdisc(&r, ifindex, "tbf");
  opts = mcb__nl_put(&r, TCA_OPTIONS, NULL, 0);
  mcb__nl_put(&r, TCA_TBF_PARMS, &q, sizeof q);
  if (bytes_ps > UINT32_MAX) mcb__nl_put(&r, TCA_TBF_RATE64, &bytes_ps, sizeof bytes_ps);
  if (mcb__nl_put(&r, TCA_TBF_BURST, &burst, sizeof burst) == NULL) return UV_ENOBUFS;
  mcb__nl_end(&r, opts);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

/* netem's options are its struct followed by attributes, in one TCA_OPTIONS. */
static int add_netem(mcb__nl *nl, unsigned ifindex, const mcb__lab_link *l)
{
  mcb__nlreq r;
  struct tc_netem_qopt q;
  int64_t delay = (int64_t)l->delay_ns, jitter = (int64_t)l->jitter_ns;
  struct rtattr *opts;

  memset(&q, 0, sizeof q);
  q.limit = NETEM_LIMIT;
  q.latency = (uint32_t)(l->delay_ns >> 6 > UINT32_MAX ? UINT32_MAX : l->delay_ns >> 6);
  q.jitter = (uint32_t)(l->jitter_ns >> 6 > UINT32_MAX ? UINT32_MAX : l->jitter_ns >> 6);
  q.gap = l->reorder_ppm > 0; /* reorder: this share goes at once, the rest waits */
  start_qdisc(&r, ifindex, "netem");
  opts = mcb__nl_put(&r, TCA_OPTIONS, &q, sizeof q);
  mcb__nl_put(&r, TCA_NETEM_LATENCY64, &delay, sizeof delay);
  mcb__nl_put(&r, TCA_NETEM_JITTER64, &jitter, sizeof jitter);
  if (l->reorder_ppm > 0) {
    struct tc_netem_reorder ro = {.probability = prob(l->reorder_ppm)};
    mcb__nl_put(&r, TCA_NETEM_REORDER, &ro, sizeof ro);
  }
  if (l->rate_bps > 0) {
    uint64_t bytes_ps = l->rate_bps / 8 ? l->rate_bps / 8 : 1;
    struct tc_netem_rate rate = {.rate = bytes_ps > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_ps};
    mcb__nl_put(&r, TCA_NETEM_RATE, &rate, sizeof rate);
    if (bytes_ps > UINT32_MAX) mcb__nl_put(&r, TCA_NETEM_RATE64, &bytes_ps, sizeof bytes_ps);
  }
  if (r.h->nlmsg_len + 8 > sizeof r.buf) return UV_ENOBUFS;
  mcb__nl_end(&r, opts);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

/* "10ms", "1.5ms", "250us" for a message. */
static void format_dur(uint64_t ns, char *buf, size_t size)
{
  if (ns % 1000000u == 0)
    snprintf(buf, size, "%llums", (unsigned long long)(ns / 1000000u));
  else if (ns % 1000u == 0)
    snprintf(buf, size, "%lluus", (unsigned long long)(ns / 1000u));
  else
    snprintf(buf, size, "%lluns", (unsigned long long)ns);
}

bool mcb__lab_needs_netem(const mcb__lab_link *l)
{
  return l->delay_ns > 0 || l->jitter_ns > 0 || l->reorder_ppm > 0;
}

int mcb__lab_set_qdisc(unsigned ifindex, const mcb__lab_link *l, char *why, size_t size)
{
  mcb__nl nl = {.fd = -1};
  int rc;
  if (!mcb__lab_needs_netem(l) && l->rate_bps == 0) return 0;
  if ((rc = mcb__nl_open(&nl)) != 0) return rc;
  rc = mcb__lab_needs_netem(l) ? add_netem(&nl, ifindex, l) : add_tbf(&nl, ifindex, l->rate_bps);
  mcb__nl_close(&nl);
  if (rc == UV_ENOENT && mcb__lab_needs_netem(l)) {
    char d[32];
    if (l->delay_ns > 0) {
      format_dur(l->delay_ns, d, sizeof d);
      snprintf(why, size, "delay %s", d);
    } else if (l->jitter_ns > 0) {
      format_dur(l->jitter_ns, d, sizeof d);
      snprintf(why, size, "jitter %s", d);
    } else {
      snprintf(why, size, "reorder");
    }
    snprintf(why + strlen(why), size - strlen(why),
             " needs the kernel's sch_netem module (modprobe sch_netem), which this kernel "
             "lacks");
    return UV_ENOTSUP;
  }
  if (rc != 0)
    snprintf(why, size, "the kernel refused the %s qdisc",
             mcb__lab_needs_netem(l) ? "netem" : "tbf");
  return rc;
}

/* The drops of the root qdisc of `ifindex` (TCA_STATS2 / TCA_STATS_QUEUE). The kernel
 * answers a single qdisc's get only as an echo (to a dump it answers everything). */
static int qdisc_drops(mcb__nl *nl, unsigned ifindex, uint64_t *drops)
{
  mcb__nlreq r;
  struct tcmsg *tc = mcb__nl_start(&r, RTM_GETQDISC, NLM_F_ECHO, sizeof *tc);
  union {
    struct nlmsghdr h;
    char buf[4096];
  } answer;
  struct rtattr *a;
  int rc, len;
  tc->tcm_family = AF_UNSPEC;
  tc->tcm_ifindex = (int)ifindex;
  tc->tcm_parent = TC_H_ROOT;
  memset(&answer, 0, sizeof answer);
  if ((rc = mcb__nl_talk(nl, &r, &answer.h, sizeof answer)) != 0) return rc;
  if (answer.h.nlmsg_type != RTM_NEWQDISC || answer.h.nlmsg_len < NLMSG_LENGTH(sizeof *tc))
    return UV_EPROTO;
  len = (int)(answer.h.nlmsg_len - NLMSG_LENGTH(sizeof *tc));
  for (a = (struct rtattr *)((char *)NLMSG_DATA(&answer.h) + NLMSG_ALIGN(sizeof *tc));
       RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    struct rtattr *q = RTA_DATA(a);
    int qlen = (int)RTA_PAYLOAD(a);
    if (a->rta_type != TCA_STATS2) continue;
    for (; RTA_OK(q, qlen); q = RTA_NEXT(q, qlen))
      if (q->rta_type == TCA_STATS_QUEUE && RTA_PAYLOAD(q) >= sizeof(struct gnet_stats_queue)) {
        struct gnet_stats_queue st;
        memcpy(&st, RTA_DATA(q), sizeof st);
        *drops = st.drops;
        return 0;
      }
  }
  return UV_EPROTO;
}

/* One end's counters, inside its node. */
static void end_counters(const mcb__lab_link *l, const mcb__lab_end *end,
                         mcb_lab_impair_counters *out)
{
  mcb__nl nl = {.fd = -1};
  if (l->loss_ppm > 0) (void)mcb__lab_nft_counter(end->ifindex, "loss", &out->lost);
  if (l->dup_ppm > 0) (void)mcb__lab_nft_counter(end->ifindex, "dup", &out->duplicated);
  if ((l->rate_bps > 0 || mcb__lab_needs_netem(l)) && mcb__nl_open(&nl) == 0)
    (void)qdisc_drops(&nl, end->ifindex, &out->queue_dropped);
  mcb__nl_close(&nl);
}

int mcb_lab_link_impairs(mcb_lab *lab, size_t i, mcb_lab_impair_counters out[2])
{
  const mcb__lab_link *l;
  int rc = 0;
  if (i >= lab->nlinks) return UV_EINVAL;
  l = &lab->links[i];
  memset(out, 0, 2 * sizeof *out);
  for (int e = 0; e < 2 && rc == 0; e++)
    if ((rc = mcb__lab_switch(lab, l->end[e].node)) == 0) end_counters(l, &l->end[e], &out[e]);
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) rc = UV_EIO;
  return rc != 0 ? mcb__lab_fail(lab, rc, "impairment counters of link %zu", i) : 0;
}

int mcb__nl_del_link(mcb__nl *nl, const char *name)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_DELLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  if (mcb__nl_put(&r, IFLA_IFNAME, name, strlen(name) + 1) == NULL) return UV_ENOBUFS;
  return mcb__nl_talk(nl, &r, NULL, 0);
}
