/* model-session.c - a ui_model over a live session: sockets, peers and messages read
 * from the core at render time. Every string is escaped exactly once: addresses come
 * escaped from the core (mcb_addr_format: a unix peer's path is chosen by whoever sends
 * to us), raw text such as interface names is escaped here. */
#include "model-session.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "sockopt.h"

/* Raw text (an interface name may hold any byte): escaped. */
static void safe(const char *in, char *out, size_t size)
{
  scn_escape((const uint8_t *)in, strlen(in), true, out, size, 0, NULL);
}

/* An address as the core formats it: already escaped, so escaping it again would show
 * "\\x1b" for "\x1b". Copied; a cut shows. */
static void escaped(const char *in, char *out, size_t size)
{
  mcb_msgf(out, size, "%s", in);
}

/* Closed sockets leave the list: the model shows the sockets not yet closed, in order. */
static bool shown(const scn_sock *ss)
{
  mcb_socket_info info;
  if (ss == NULL || ss->sock == NULL) return false;
  mcb_socket_info_get(ss->sock, &info);
  return info.state != MCB_STATE_CLOSED;
}

/* The i-th socket shown: grouped by the host it lives on (the lab's order, see
 * ui_lab_rank), in the order they were opened within a host. */
static const scn_sock *nth(void *arg, size_t i)
{
  size_t n = scn_session_socket_count(arg), ranks[SCN_MAX_NAMES], here = 0;
  bool lab = scn_session_lab_if_any(arg) != NULL;
  for (size_t k = 0; k < n && k < SCN_MAX_NAMES; k++) {
    const scn_sock *ss = scn_session_socket_at(arg, k);
    ranks[k] = !shown(ss) ? SIZE_MAX : lab ? ui_lab_rank(arg, ss) : 0;
    if (!lab && ranks[k] == 0 && i-- == 0) return ss; /* no lab: the order they opened */
  }
  if (!lab) return NULL;
  for (size_t rank = 0; rank <= MCB_LAB_MAX_NODES + 1; rank++)
    for (size_t k = 0; k < n && k < SCN_MAX_NAMES; k++)
      if (ranks[k] == rank && here++ == i) return scn_session_socket_at(arg, k);
  return NULL;
}

static size_t socket_count(void *arg)
{
  size_t n = 0;
  for (size_t k = 0; k < scn_session_socket_count(arg); k++)
    n += shown(scn_session_socket_at(arg, k));
  return n;
}

static void groups_text(const mcb_socket *sock, char *out, size_t size)
{
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < mcb_membership_count(sock) && n < size; i++) {
    const mcb_membership *m = mcb_membership_at(sock, i);
    char g[MCB_ADDRSTRLEN], s[MCB_ADDRSTRLEN];
    n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "",
                          mcb_addr_format_host(&m->group, g, sizeof g));
    if (m->ifname[0] && n < size) {
      char ifn[4 * sizeof m->ifname];
      safe(m->ifname, ifn, sizeof ifn);
      n += (size_t)snprintf(out + n, size - n, "@%s", ifn);
    }
    /* "<S1,S2>" lists the only sources received (include mode); " except S1,S2" the
     * sources not received (exclude mode), as the command that joined them said it */
    for (size_t k = 0; k < m->nsources && n < size; k++)
      n += (size_t)snprintf(out + n, size - n, "%s%s", k ? "," : (m->exclude ? " except " : "<"),
                            mcb_addr_format_host(&m->sources[k], s, sizeof s));
    if (m->nsources && !m->exclude && n < size) n += (size_t)snprintf(out + n, size - n, ">");
  }
}

/* "ENETUNREACH 3, EACCES 1": the session's count of failed sends, by code. */
static void send_errors_text(const scn_send_stats *st, char *out, size_t size)
{
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < st->ncodes && n < size; i++)
    n += (size_t)snprintf(out + n, size - n, "%s%s %llu", i ? ", " : "",
                          mcb_err_name(st->by_code[i].code), (unsigned long long)st->by_code[i].n);
  if (st->errors > 0 && st->ncodes == 0 && n < size)
    snprintf(out, size, "%llu", (unsigned long long)st->errors);
}

/* "#1 239.1.1.1:5000 running 1000 pps, achieved 998, sent 4990; #2 ...": the socket's
 * streams, newest first (the running ones matter most), destinations escaped. */
static void streams_text(const scn_send_stats *st, char *out, size_t size)
{
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = st->nstreams; i-- > 0 && n < size;) {
    const scn_stream_stat *r = &st->streams[i];
    char dest[UI_ADDR_MAX], rate[48] = "", inj[80] = "";
    safe(r->dest, dest, sizeof dest);
    if (r->rate_pps > 0)
      snprintf(rate, sizeof rate, " %.*f pps, achieved %.*f%s,", r->rate_pps < 100 ? 2 : 0,
               r->rate_pps, r->achieved_pps < 100 ? 2 : 0, r->achieved_pps,
               r->behind ? " (behind)" : "");
    if (r->dropped || r->duplicated || r->reordered)
      snprintf(inj, sizeof inj, ", dropped %llu dup %llu reordered %llu",
               (unsigned long long)r->dropped, (unsigned long long)r->duplicated,
               (unsigned long long)r->reordered);
    n += (size_t)snprintf(out + n, size - n, "%s#%u %s %s%s sent %llu, errors %llu%s%s",
                          n ? "; " : "", r->id, dest, scn_stream_state_name(r->state), rate,
                          (unsigned long long)r->sent, (unsigned long long)r->errors, inj,
                          r->backpressure ? ", backpressure" : "");
  }
}

_Static_assert(UI_MAX_OPTS >= SCN_MAX_OPTIONS, "raise UI_MAX_OPTS");

/* Every row of the option table, formatted; interface names are escaped too. */
static void options_text(mcb_socket *sock, ui_sock_view *v)
{
  mcb_optval vals[SCN_MAX_OPTIONS];
  const mcb_option *o;
  char buf[UI_OPT_MAX];
  scn_option_values(sock, vals);
  for (size_t i = 0; i < SCN_MAX_OPTIONS && (o = scn_option_at(i)) != NULL; i++)
    if (vals[i].valid)
      safe(mcb_option_format(o, &vals[i], buf, sizeof buf), v->opts[i], UI_OPT_MAX);
}

static bool socket_view(void *arg, size_t i, ui_sock_view *v)
{
  const scn_sock *ss = nth(arg, i);
  mcb_socket_info info;
  char local[MCB_ADDRSTRLEN];
  if (ss == NULL || ss->sock == NULL) return false;
  memset(v, 0, sizeof *v);
  mcb_socket_info_get(ss->sock, &info);
  snprintf(v->name, sizeof v->name, "%s", ss->name);
  snprintf(v->family, sizeof v->family, "%s", mcb_family_name(info.family));
  snprintf(v->state, sizeof v->state, "%s", mcb_state_name(info.state));
  safe(ss->node, v->host, sizeof v->host);
  ui_lab_host(arg, ss, v->lab_host, sizeof v->lab_host);
  /* the kernel bound it on its first send: it has a port although bind never ran */
  if (info.state == MCB_STATE_OPEN && info.family != MCB_UNIX && mcb_addr_port(&info.local) != 0)
    snprintf(v->state, sizeof v->state, "bound (implicit)");
  if (info.state == MCB_STATE_CLOSED || info.state == MCB_STATE_CLOSING)
    v->local[0] = '\0';
  else if (info.family == MCB_UNIX && !info.bound)
    snprintf(v->local, sizeof v->local, "(unbound)");
  else if (!info.bound && mcb_addr_port(&info.local) == 0)
    snprintf(v->local, sizeof v->local, "(unbound)");
  else
    escaped(mcb_addr_format(&info.local, local, sizeof local), v->local, sizeof v->local);
  v->ip = info.family != MCB_UNIX;
  options_text(ss->sock, v);
  groups_text(ss->sock, v->groups, sizeof v->groups);
  v->ngroups = info.groups;
  v->rx_msgs = info.counters.rx_msgs;
  v->rx_bytes = info.counters.rx_bytes;
  v->tx_msgs = info.counters.tx_msgs;
  v->tx_bytes = info.counters.tx_bytes;
  v->rx_errors = info.counters.rx_errors;
  v->tx_errors = info.counters.tx_errors;
  v->evicted = info.counters.peers_evicted;
  send_errors_text(&ss->send, v->send_errors, sizeof v->send_errors);
  streams_text(&ss->send, v->streams, sizeof v->streams);
  v->peers = info.peers;
  v->kernel_drops = info.counters.rx_kernel_drops;
  return true;
}

/* The peer's traffic figures and its per-second history for the sparkline. */
static void analysis_view(const mcb_peer *p, uint64_t now, ui_peer_view *v)
{
  mcb_peer_analysis a;
  uint64_t msgs, bytes;
  mcb_peer_analysis_get(p, now, &a);
  snprintf(v->kind, sizeof v->kind, "%s", mcb_payload_kind_name(a.kind));
  v->sequenced = a.sequenced;
  v->expected = a.expected;
  v->lost = a.lost;
  v->dups = a.duplicates;
  v->reordered = a.reordered;
  v->invalid = a.invalid;
  v->loss_pct = a.loss_pct;
  v->has_delay = a.delay_count > 0;
  v->delay_ns = a.delay_avg_ns;
  v->jitter_ns = a.jitter_ns;
  v->has_rtt = a.rtt_count > 0;
  v->rtt_ns = a.rtt_avg_ns;
  for (unsigned ago = 0; ago < UI_SPARK; ago++) {
    mcb_persec_get(mcb_peer_persec(p), now, ago, &msgs, &bytes);
    v->spark[UI_SPARK - 1 - ago] = msgs > UINT32_MAX ? UINT32_MAX : (uint32_t)msgs;
  }
}

static size_t peers(void *arg, size_t i, ui_peer_view *out, size_t max)
{
  const scn_sock *ss = nth(arg, i);
  uint64_t now = uv_hrtime();
  size_t n = 0;
  char a[MCB_ADDRSTRLEN];
  if (ss == NULL || ss->sock == NULL) return 0;
  for (const mcb_peer *p = mcb_peer_next(ss->sock, NULL); p && n < max;
       p = mcb_peer_next(ss->sock, p)) {
    mcb_peer_stats st;
    ui_peer_view *v = &out[n++];
    mcb_peer_stats_get(p, now, &st);
    v->id = st.id;
    escaped(mcb_addr_format(&st.src, a, sizeof a), v->src, sizeof v->src);
    escaped(mcb_addr_format(&st.dst, a, sizeof a), v->dst, sizeof v->dst);
    v->msgs = st.msgs;
    v->bytes = st.bytes;
    v->rate_msgs = st.rate_msgs;
    v->rate_bytes = st.rate_bytes;
    v->last_ttl = st.last_ttl;
    v->last_real_ns = st.last_seen_real_ns;
    v->last_seen_ns = st.last_seen_ns;
    analysis_view(p, now, v);
  }
  return n;
}

static size_t messages(void *arg, size_t i, uint64_t peer_id, uint64_t max_seq, ui_msg *out,
                       size_t max)
{
  const scn_sock *ss = nth(arg, i);
  size_t n = 0;
  unsigned last_index = 0; /* a peer's datagrams mostly arrive on one interface */
  char name[IF_NAMESIZE + 8] = "";
  if (ss == NULL || ss->sock == NULL) return 0;
  for (const mcb_peer *p = mcb_peer_next(ss->sock, NULL); p; p = mcb_peer_next(ss->sock, p)) {
    mcb_peer_stats st;
    mcb_peer_stats_get(p, 0, &st);
    if (st.id != peer_id) continue;
    for (size_t k = 0; k < mcb_peer_history_len(p) && n < max; k++) {
      const mcb_record *r = mcb_peer_history(p, k);
      if (r->seq > max_seq) continue;
      out[n++] = (ui_msg){.seq = r->seq,
                          .real_ns = r->realtime_ns,
                          .wire_len = r->wire_len,
                          .len = r->len,
                          .truncated = r->truncated,
                          .ttl = r->ttl,
                          .data = r->data};
      if (r->ifindex != 0 && r->ifindex != last_index) {
        scn_session_ifname(arg, ss, r->ifindex, name);
        last_index = r->ifindex;
      }
      if (r->ifindex != 0) safe(name, out[n - 1].ifname, sizeof out[n - 1].ifname);
    }
    break;
  }
  return n;
}

/* "UP,MULTICAST": the flags a multicast lesson needs. */
static void flags_text(unsigned flags, char *out, size_t size)
{
  static const struct {
    unsigned bit;
    const char *name;
  } names[] = {{IFF_UP, "UP"},
               {IFF_RUNNING, "RUNNING"},
               {IFF_MULTICAST, "MULTICAST"},
               {IFF_BROADCAST, "BROADCAST"},
               {IFF_LOOPBACK, "LOOPBACK"},
               {IFF_ALLMULTI, "ALLMULTI"}};
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sizeof names / sizeof names[0] && n < size; i++)
    if (flags & names[i].bit)
      n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "", names[i].name);
}

static void addr_list(const mcb_addr *a, size_t count, char *out, size_t size)
{
  char buf[MCB_ADDRSTRLEN], all[1024];
  size_t n = 0;
  all[0] = '\0';
  for (size_t i = 0; i < count && n < sizeof all; i++)
    n += (size_t)snprintf(all + n, sizeof all - n, "%s%s", i ? ", " : "",
                          mcb_addr_format_host(&a[i], buf, sizeof buf));
  safe(all, out, size);
}

/* The interfaces as the host of socket `sock` sees them: inside its lab node, if any. */
static size_t ifaces(void *arg, const char *sock, char *host, size_t hostsize, ui_iface_view *out,
                     size_t max)
{
  const scn_sock *ss = sock[0] ? scn_session_socket(arg, sock) : nth(arg, 0);
  mcb_lab *lab = ss != NULL && ss->node[0] ? scn_session_lab_if_any(arg) : NULL;
  mcb_iface *ifs = calloc(max, sizeof *ifs);
  size_t n = 0;
  bool inside = lab != NULL && mcb_lab_enter(lab, ss->node) == 0;
  snprintf(host, hostsize, "%s", inside ? ss->node : "");
  if (ifs == NULL || mcb_iface_list(ifs, max, &n) != 0) n = 0;
  if (inside && mcb_lab_leave(lab) != 0) abort(); /* never go on in the wrong namespace */
  for (size_t i = 0; i < n; i++) {
    ui_iface_view *v = &out[i];
    v->index = ifs[i].index;
    safe(ifs[i].name, v->name, sizeof v->name);
    flags_text(ifs[i].flags, v->flags, sizeof v->flags);
    addr_list(ifs[i].addrs, ifs[i].naddrs, v->addrs, sizeof v->addrs);
    addr_list(ifs[i].groups, ifs[i].ngroups, v->groups, sizeof v->groups);
  }
  free(ifs);
  return n;
}

void ui_model_session(ui_model *src, scn_session *s)
{
  src->arg = s;
  src->socket_count = socket_count;
  src->socket = socket_view;
  src->peers = peers;
  src->messages = messages;
  src->ifaces = ifaces;
  src->topology = ui_lab_topology;
}
