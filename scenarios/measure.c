/* measure.c - filtered counts over a socket's peer table (see measure.h). */
#include "measure.h"

#include <string.h>

static bool parse_host_port(const char *text, mcb_addr *a, bool *has_port)
{
  *has_port = false;
  if (mcb_addr_parse_host(text, a) == 0) return true;
  if (mcb_addr_parse(text, 0, a) == 0) {
    *has_port = a->u.sa.sa_family != AF_UNIX;
    return true;
  }
  return false;
}

int scn_filter_parse(scn_filter *f, const char *from, const char *to)
{
  bool port;
  memset(f, 0, sizeof *f);
  f->from_any = from == NULL;
  f->to_any = to == NULL;
  if (from && !parse_host_port(from, &f->from, &f->from_port)) return UV_EINVAL;
  if (to && !parse_host_port(to, &f->to, &port)) return UV_EINVAL;
  return 0;
}

/* The IP address bytes of a, seeing through IPv4-mapped IPv6. */
static size_t ip_bytes(const mcb_addr *a, const uint8_t **p)
{
  if (a->u.sa.sa_family == AF_INET) {
    *p = (const uint8_t *)&a->u.in4.sin_addr;
    return 4;
  }
  if (a->u.sa.sa_family == AF_INET6) {
    if (IN6_IS_ADDR_V4MAPPED(&a->u.in6.sin6_addr)) {
      *p = &a->u.in6.sin6_addr.s6_addr[12];
      return 4;
    }
    *p = a->u.in6.sin6_addr.s6_addr;
    return 16;
  }
  return 0;
}

static bool host_matches(const mcb_addr *want, const mcb_addr *got, bool port)
{
  const uint8_t *a = NULL, *b = NULL;
  size_t la, lb;
  if (want->u.sa.sa_family == AF_UNIX || got->u.sa.sa_family == AF_UNIX)
    return want->u.sa.sa_family == got->u.sa.sa_family && mcb_addr_equal(want, got);
  la = ip_bytes(want, &a);
  lb = ip_bytes(got, &b);
  if (la == 0 || la != lb || memcmp(a, b, la) != 0) return false;
  if (want->u.sa.sa_family == AF_INET6 && want->u.in6.sin6_scope_id != 0 &&
      got->u.sa.sa_family == AF_INET6 && got->u.in6.sin6_scope_id != want->u.in6.sin6_scope_id)
    return false;
  return !port || mcb_addr_port(want) == mcb_addr_port(got);
}

static bool matches(const scn_filter *f, const mcb_peer_stats *st)
{
  return (f->from_any || host_matches(&f->from, &st->src, f->from_port)) &&
         (f->to_any || host_matches(&f->to, &st->dst, false));
}

void scn_measure_get(const mcb_socket *sock, const scn_filter *f, scn_measure *out)
{
  uint64_t now = uv_hrtime();
  memset(out, 0, sizeof *out);
  out->last_ttl = -1;
  for (const mcb_peer *p = mcb_peer_next(sock, NULL); p; p = mcb_peer_next(sock, p)) {
    mcb_peer_stats st;
    mcb_peer_stats_get(p, now, &st);
    if (!f->from_any && !host_matches(&f->from, &st.src, f->from_port)) continue;
    if (!f->to_any && !host_matches(&f->to, &st.dst, false)) continue;
    if (!out->any) { /* peers come most recently seen first */
      out->any = true;
      out->last_ttl = st.last_ttl;
      out->last = mcb_peer_history(p, 0);
      out->last_src = st.src;
    }
    out->msgs += st.msgs;
    out->bytes += st.bytes;
  }
  if (f->from_any && f->to_any) {
    mcb_socket_info info;
    mcb_socket_info_get(sock, &info);
    out->msgs = info.counters.rx_msgs;
    out->bytes = info.counters.rx_bytes;
  }
}

static int64_t max64(int64_t a, int64_t b)
{
  return a > b ? a : b;
}

void scn_measure_traffic(const mcb_socket *sock, const scn_filter *f, scn_traffic *out)
{
  uint64_t now = uv_hrtime();
  double delay_sum = 0, rtt_sum = 0;
  memset(out, 0, sizeof *out);
  for (const mcb_peer *p = mcb_peer_next(sock, NULL); p; p = mcb_peer_next(sock, p)) {
    mcb_peer_stats st;
    mcb_peer_analysis a;
    mcb_peer_stats_get(p, now, &st);
    if (!matches(f, &st)) continue;
    mcb_peer_analysis_get(p, now, &a);
    out->peers++;
    out->rate_msgs += st.rate_msgs;
    out->rate_bytes += st.rate_bytes;
    out->invalid += a.invalid;
    if (a.sequenced) out->sequenced++;
    out->received += a.received;
    out->expected += a.expected;
    out->lost += a.lost;
    out->duplicates += a.duplicates;
    out->reordered += a.reordered;
    out->late += a.late;
    if (a.delay_count > 0) {
      delay_sum += a.delay_avg_ns * (double)a.delay_count;
      out->delay_max_ns =
          out->delay_count ? max64(out->delay_max_ns, a.delay_max_ns) : a.delay_max_ns;
      out->delay_p99_ns =
          out->delay_count ? max64(out->delay_p99_ns, a.delay_p99_ns) : a.delay_p99_ns;
      out->delay_count += a.delay_count;
      if (a.jitter_ns > out->jitter_ns) out->jitter_ns = a.jitter_ns;
    }
    if (a.rtt_count > 0) {
      rtt_sum += a.rtt_avg_ns * (double)a.rtt_count;
      out->rtt_max_ns = out->rtt_count ? max64(out->rtt_max_ns, a.rtt_max_ns) : a.rtt_max_ns;
      out->rtt_p99_ns = out->rtt_count ? max64(out->rtt_p99_ns, a.rtt_p99_ns) : a.rtt_p99_ns;
      out->rtt_count += a.rtt_count;
    }
  }
  out->loss_pct = out->expected ? 100.0 * (double)out->lost / (double)out->expected : 0;
  if (out->delay_count) out->delay_avg_ns = delay_sum / (double)out->delay_count;
  if (out->rtt_count) out->rtt_avg_ns = rtt_sum / (double)out->rtt_count;
}
