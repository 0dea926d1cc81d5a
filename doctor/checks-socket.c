/* checks-socket.c - the sockets on the port (/proc/net/udp, udp6) and the sender's view.
 *
 * A socket bound to a unicast address never sees multicast; two wildcard sockets on one
 * port see each other's groups while IP_MULTICAST_ALL is on; a socket whose drops
 * column moves has too small a receive buffer.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static bool is_wildcard(const struct sockaddr_storage *ss)
{
  if (ss->ss_family == AF_INET) return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == 0;
  return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static bool is_group(const doc_diagnosis *d, const struct sockaddr_storage *ss)
{
  if (ss->ss_family != d->req.group.u.sa.sa_family) return false;
  if (ss->ss_family == AF_INET)
    return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == d->req.group.u.in4.sin_addr.s_addr;
  return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &d->req.group.u.in6.sin6_addr,
                sizeof(struct in6_addr)) == 0;
}

static void sock_text(const struct sockaddr_storage *ss, char *out, size_t size)
{
  mcb_addr a;
  memset(&a, 0, sizeof a);
  memcpy(&a.u.ss, ss, sizeof *ss);
  a.len = ss->ss_family == AF_INET ? sizeof a.u.in4 : sizeof a.u.in6;
  mcb_addr_format(&a, out, size);
}

/* The sockets on the port: the group's family, and for IPv4 also IPv6 wildcard sockets
 * (a dual-stack socket receives IPv4 too). Returns how many, or -1 when unreadable. */
static int sockets(doc_diagnosis *d, doc_udp_sock *out, int max)
{
  int n = 0;
  const char *text = doc_proc(d, doc_is_v6(d) ? "/proc/net/udp6" : "/proc/net/udp");
  if (text == NULL) return -1;
  n = doc_proc_udp(text, doc_is_v6(d) ? AF_INET6 : AF_INET, d->req.port, out, max);
  if (n > max) n = max;
  if (!doc_is_v6(d) && (text = doc_proc(d, "/proc/net/udp6")) != NULL) {
    doc_udp_sock six[DOC_UDP_MAX];
    int m = doc_proc_udp(text, AF_INET6, d->req.port, six, DOC_UDP_MAX);
    for (int i = 0; i < m && i < DOC_UDP_MAX && n < max; i++)
      if (is_wildcard(&six[i].local)) out[n++] = six[i];
  }
  return n;
}

static bool need_port(doc_diagnosis *d, doc_result *r)
{
  if (d->req.port != 0) return true;
  doc_set(r, DOC_SKIP, "needs the port: GROUP:PORT");
  return false;
}

void doc_check_socket_bind(doc_diagnosis *d, doc_result *r)
{
  doc_udp_sock s[DOC_UDP_MAX];
  char text[MCB_ADDRSTRLEN];
  int n, listening = 0, unicast = -1;
  if (!need_port(d, r)) return;
  if ((n = sockets(d, s, DOC_UDP_MAX)) < 0) {
    doc_set(r, DOC_SKIP, "cannot read /proc/net/udp");
    return;
  }
  for (int i = 0; i < n; i++) {
    sock_text(&s[i].local, text, sizeof text);
    doc_evidence(r, "/proc/net/udp%s: a socket on %s (inode %lu)",
                 s[i].local.ss_family == AF_INET6 ? "6" : "", text, s[i].inode);
    if (is_wildcard(&s[i].local) || is_group(d, &s[i].local))
      listening++;
    else if (unicast < 0)
      unicast = i;
  }
  if (listening > 0) {
    doc_set(r, DOC_PASS, "%d socket(s) on port %d can receive the group", listening, d->req.port);
  } else if (unicast >= 0) {
    sock_text(&s[unicast].local, text, sizeof text);
    doc_set(r, DOC_WARN, "the socket on port %d is bound to %s: it never receives multicast",
            d->req.port, text);
    doc_evidence(r, "the kernel counts such datagrams as Udp IgnoredMulti ([watch])");
    doc_fix(r, "bind to the wildcard or the group: bind NAME 0.0.0.0:%d (or GROUP:%d)", d->req.port,
            d->req.port);
  } else {
    doc_set(r, DOC_WARN, "nothing listens on port %d", d->req.port);
    doc_fix(r, "start the receiver first (bind NAME 0.0.0.0:%d), then run the doctor", d->req.port);
  }
}

void doc_check_crosstalk(doc_diagnosis *d, doc_result *r)
{
  doc_udp_sock s[DOC_UDP_MAX];
  int n, wild = 0;
  if (!need_port(d, r)) return;
  if ((n = sockets(d, s, DOC_UDP_MAX)) < 0) {
    doc_set(r, DOC_SKIP, "cannot read /proc/net/udp");
    return;
  }
  for (int i = 0; i < n; i++) wild += is_wildcard(&s[i].local);
  if (wild < 2) {
    doc_set(r, DOC_PASS, "no other wildcard socket shares port %d", d->req.port);
    return;
  }
  doc_set(r, DOC_WARN,
          "%d sockets share port %d on the wildcard address: each receives every "
          "group joined on this host (IP_MULTICAST_ALL is on by default)",
          wild, d->req.port);
  doc_fix(r, "bind each to its group (bind NAME GROUP:%d), or set NAME mcast-all off", d->req.port);
}

void doc_check_rcvbuf(doc_diagnosis *d, doc_result *r)
{
  doc_udp_sock s[DOC_UDP_MAX];
  uint64_t drops = 0;
  long rmem_max = 0, rmem_default = 0;
  int n;
  if (!need_port(d, r)) return;
  if ((n = sockets(d, s, DOC_UDP_MAX)) < 0) {
    doc_set(r, DOC_SKIP, "cannot read /proc/net/udp");
    return;
  }
  for (int i = 0; i < n; i++) drops += s[i].drops;
  if (doc_sysctl("/proc/sys/net/core/rmem_default", &rmem_default) == 0 &&
      doc_sysctl("/proc/sys/net/core/rmem_max", &rmem_max) == 0)
    doc_evidence(r, "net.core.rmem_default = %ld, net.core.rmem_max = %ld", rmem_default, rmem_max);
  doc_evidence(r, "/proc/net/udp drops on port %d: %llu", d->req.port, (unsigned long long)drops);
  if (drops == 0) {
    doc_set(r, DOC_PASS, "no socket on port %d has dropped datagrams", d->req.port);
    return;
  }
  doc_set(r, DOC_WARN, "sockets on port %d dropped %llu datagram(s): the receive buffer overflowed",
          d->req.port, (unsigned long long)drops);
  doc_fix(r, "read faster, or raise the buffer: set NAME rcvbuf 4194304 (and sysctl -w "
             "net.core.rmem_max=4194304)");
}

/* How many routers lie between this host and the receiver, as far as this host can
 * tell: 0 on-link, 1 or more behind a gateway (-1 when unknown). */
static int hops_to(const mcb_addr *receiver, char *via, size_t size)
{
  mcb_route_info rt;
  if (mcb_route_query(&receiver->u.sa, NULL, 0, &rt) != 0) return -1;
  if (rt.gateway.ss_family == 0) return 0;
  mcb_addr gw;
  memset(&gw, 0, sizeof gw);
  memcpy(&gw.u.ss, &rt.gateway, sizeof rt.gateway);
  gw.len = rt.gateway.ss_family == AF_INET ? sizeof gw.u.in4 : sizeof gw.u.in6;
  mcb_addr_format_host(&gw, via, size);
  return 1;
}

void doc_check_sender(doc_diagnosis *d, doc_result *r)
{
  char recv[MCB_ADDRSTRLEN], via[MCB_ADDRSTRLEN];
  int ttl = d->req.ttl < 0 ? 1 : d->req.ttl;
  int hops = d->req.has_receiver ? hops_to(&d->req.receiver, via, sizeof via) : -1;
  if (d->req.ttl < 0)
    doc_evidence(r, "no ttl given: the multicast TTL is 1 unless the socket sets it");
  if (ttl == 0) {
    doc_set(r, DOC_WARN, "TTL 0: the datagrams never leave this host");
    doc_fix(r, "set NAME mcast-ttl 1 (the LAN) or more (routed)");
  } else if (hops > 0 && ttl <= 1) {
    doc_host(&d->req.receiver, recv, sizeof recv);
    doc_set(r, DOC_WARN, "TTL %d cannot reach %s: it is behind the router %s", ttl, recv, via);
    doc_fix(r, "set NAME mcast-ttl N, N greater than the number of routers on the way");
  } else if (ttl == 1) {
    doc_set(r, DOC_INFO, "TTL 1: the datagrams stay on the LAN (routers drop them)");
    doc_fix(r, "receivers behind a router: set NAME mcast-ttl N, N > the number of routers");
  } else {
    doc_set(r, DOC_PASS, "TTL %d crosses up to %d router(s)", ttl, ttl - 1);
  }
  if (hops == 0) doc_evidence(r, "the receiver is on a directly connected network");
  doc_evidence(r, "loopback is on by default: this host's own receivers get a copy; with it "
                  "off, a test on one host sees nothing");
}
