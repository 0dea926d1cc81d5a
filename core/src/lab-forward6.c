/* lab-forward6.c - IPv6's row of the lab forwarder's protocol table (lab-forward.h):
 * which datagrams a router may forward (multicast of a scope above link-local: ff02::/16
 * and smaller scopes stay on their link), the hop limit, the group's MAC (33:33 and the
 * group's last 32 bits) and the UDP checksum a veth leaves unfinished. Used when the
 * kernel has no CONFIG_IPV6_MROUTE; the forwarding rules themselves are lab-forward.c's.
 * The kernel's IPv6 multicast routing has no per-interface thresholds, so IPv6 ports
 * forward whatever arrives with a hop limit above 1. */
#include "bigendian.h"
#include "lab-forward.h"

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/ip6.h>
#include <string.h>
#include <sys/socket.h>

bool mcb__lab_group6_routable(const struct in6_addr *g)
{
  /* ff0X/ff1X/...: the low nibble of the second byte is the scope; 0 reserved,
   * 1 interface-local, 2 link-local. */
  return g->s6_addr[0] == 0xff && (g->s6_addr[1] & 0x0f) > 2;
}

static bool parse6(const uint8_t *pkt, size_t len, struct in6_addr *group, struct in6_addr *source)
{
  const struct ip6_hdr *ip = (const struct ip6_hdr *)pkt;
  if (len < sizeof *ip || (pkt[0] >> 4) != 6) return false;
  if (!mcb__lab_group6_routable(&ip->ip6_dst)) return false;
  /* MLD (ICMPv6 behind a hop-by-hop header; an MLDv1 report goes to its group) is for
   * the router itself, never forwarded. */
  if (ip->ip6_nxt == 0 && len >= sizeof *ip + 8 && pkt[sizeof *ip] == IPPROTO_ICMPV6) return false;
  memcpy(group, &ip->ip6_dst, sizeof *group);
  memcpy(source, &ip->ip6_src, sizeof *source);
  return true;
}

/* A UDP datagram right after the fixed header (no extension headers): its checksum
 * covers a pseudo-header of source, destination, length and next header. IPv6 UDP
 * always has one. */
static void finish6(uint8_t *pkt, size_t len)
{
  const struct ip6_hdr *ip = (const struct ip6_hdr *)pkt;
  uint8_t *udp = pkt + sizeof *ip;
  size_t ulen;
  uint32_t sum;
  uint16_t c;
  if (ip->ip6_nxt != IPPROTO_UDP || len < sizeof *ip + 8) return;
  ulen = mcb__get16(udp + 4);
  if (ulen < 8 || sizeof *ip + ulen > len) return;
  udp[6] = udp[7] = 0;
  sum = mcb__fwd_sum16(0, (const uint8_t *)&ip->ip6_src, 32); /* source and destination */
  sum += IPPROTO_UDP + (uint32_t)ulen;
  c = mcb__fwd_fold(mcb__fwd_sum16(sum, udp, ulen));
  udp[6] = (uint8_t)(c >> 8);
  udp[7] = (uint8_t)c;
}

static unsigned hops6(const uint8_t *pkt)
{
  return ((const struct ip6_hdr *)pkt)->ip6_hlim;
}

static void send6(int fd, unsigned ifindex, uint8_t *pkt, size_t len)
{
  struct ip6_hdr *ip = (struct ip6_hdr *)pkt;
  struct sockaddr_ll to;
  memset(&to, 0, sizeof to);
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_IPV6);
  to.sll_ifindex = (int)ifindex;
  to.sll_halen = 6; /* the group's MAC: 33:33 and its last 32 bits (RFC 2464) */
  to.sll_addr[0] = 0x33;
  to.sll_addr[1] = 0x33;
  memcpy(to.sll_addr + 2, ip->ip6_dst.s6_addr + 12, 4);
  ip->ip6_hlim--; /* no header checksum in IPv6 */
  (void)sendto(fd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
  ip->ip6_hlim++;
}

const mcb__fwd_proto mcb__fwd_ipv6 = {AF_INET6, ETH_P_IPV6, parse6, finish6, hops6, send6};
