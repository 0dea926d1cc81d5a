/* lab-rtnl.c - the rtnetlink requests the virtual lab makes: veth pairs whose far end is
 * born in another namespace, bridges with snooping, addresses and routes. Each request
 * acts in the namespace its netlink socket was opened in (the node the caller entered). */
#include "rtnl.h"

#include <linux/if_link.h>
#include <linux/veth.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <uv.h>

int mcb__nl_link_up(mcb__nl *nl, unsigned ifindex)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)ifindex;
  ifi->ifi_flags = IFF_UP | IFF_MULTICAST;
  ifi->ifi_change = IFF_UP | IFF_MULTICAST;
  return mcb__nl_talk(nl, &r, NULL, 0);
}

int mcb__nl_add_veth(mcb__nl *nl, const char *name, const char *peer, int peer_nsfd)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
  struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
  struct rtattr *info, *data, *pinfo;
  uint32_t fd = (uint32_t)peer_nsfd;

  ifi->ifi_family = AF_UNSPEC;
  mcb__nl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  info = mcb__nl_put(&r, IFLA_LINKINFO, NULL, 0);
  mcb__nl_put(&r, IFLA_INFO_KIND, "veth", 5);
  data = mcb__nl_put(&r, IFLA_INFO_DATA, NULL, 0);
  pinfo = mcb__nl_put(&r, VETH_INFO_PEER, &peer_ifi, sizeof peer_ifi);
  mcb__nl_put(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
  /* The far end is created in its node directly: it never exists anywhere else. */
  if (mcb__nl_put(&r, IFLA_NET_NS_FD, &fd, sizeof fd) == NULL) return UV_ENOBUFS;
  mcb__nl_end(&r, pinfo);
  mcb__nl_end(&r, data);
  mcb__nl_end(&r, info);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

static void put_u8(mcb__nlreq *r, unsigned short type, uint8_t v)
{
  mcb__nl_put(r, type, &v, sizeof v);
}

static void put_u32(mcb__nlreq *r, unsigned short type, uint32_t v)
{
  mcb__nl_put(r, type, &v, sizeof v);
}

static void put_u64(mcb__nlreq *r, unsigned short type, uint64_t v)
{
  mcb__nl_put(r, type, &v, sizeof v);
}

int mcb__nl_add_bridge(mcb__nl *nl, const char *name, bool snooping)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
  struct rtattr *info, *data;

  ifi->ifi_family = AF_UNSPEC;
  mcb__nl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  info = mcb__nl_put(&r, IFLA_LINKINFO, NULL, 0);
  mcb__nl_put(&r, IFLA_INFO_KIND, "bridge", 7);
  data = mcb__nl_put(&r, IFLA_INFO_DATA, NULL, 0);
  put_u32(&r, IFLA_BR_STP_STATE, 0);
  put_u32(&r, IFLA_BR_FORWARD_DELAY, 0); /* ports forward at once (no STP) */
  put_u8(&r, IFLA_BR_MCAST_SNOOPING, snooping ? 1 : 0);
  put_u8(&r, IFLA_BR_MCAST_IGMP_VERSION, 3);
  put_u8(&r, IFLA_BR_MCAST_MLD_VERSION, 2);
  /* In clock ticks (1/100 s): answer within 1 s, query every 10 s. */
  put_u64(&r, IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, 100);
  put_u64(&r, IFLA_BR_MCAST_QUERY_INTVL, 1000);
  if (mcb__nl_put(&r, IFLA_BR_MCAST_STARTUP_QUERY_INTVL, &(uint64_t){250}, 8) == NULL)
    return UV_ENOBUFS;
  mcb__nl_end(&r, data);
  mcb__nl_end(&r, info);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

int mcb__nl_bridge_querier(mcb__nl *nl, unsigned ifindex, bool on)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, 0, sizeof *ifi);
  struct rtattr *info, *data;

  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)ifindex;
  info = mcb__nl_put(&r, IFLA_LINKINFO, NULL, 0);
  mcb__nl_put(&r, IFLA_INFO_KIND, "bridge", 7);
  data = mcb__nl_put(&r, IFLA_INFO_DATA, NULL, 0);
  put_u8(&r, IFLA_BR_MCAST_QUERIER, on ? 1 : 0);
  mcb__nl_end(&r, data);
  mcb__nl_end(&r, info);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

int mcb__nl_set_master(mcb__nl *nl, unsigned ifindex, unsigned master)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)ifindex;
  put_u32(&r, IFLA_MASTER, master);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

int mcb__nl_add_addr(mcb__nl *nl, unsigned ifindex, int family, const void *addr, int prefix,
                     const void *bcast)
{
  mcb__nlreq r;
  struct ifaddrmsg *ifa = mcb__nl_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof *ifa);
  size_t len = family == AF_INET ? 4 : 16;
  uint32_t flags = IFA_F_NODAD;

  ifa->ifa_family = (unsigned char)family;
  ifa->ifa_prefixlen = (unsigned char)prefix;
  ifa->ifa_index = ifindex;
  mcb__nl_put(&r, IFA_LOCAL, addr, len);
  mcb__nl_put(&r, IFA_ADDRESS, addr, len);
  if (family == AF_INET && bcast != NULL) mcb__nl_put(&r, IFA_BROADCAST, bcast, 4);
  if (family == AF_INET6) mcb__nl_put(&r, IFA_FLAGS, &flags, sizeof flags);
  return mcb__nl_talk(nl, &r, NULL, 0);
}

int mcb__nl_add_route(mcb__nl *nl, int family, const void *dst, int len, const void *gw,
                      unsigned oif)
{
  mcb__nlreq r;
  struct rtmsg *rt = mcb__nl_start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);
  size_t alen = family == AF_INET ? 4 : 16;

  rt->rtm_family = (unsigned char)family;
  rt->rtm_dst_len = (unsigned char)len;
  rt->rtm_table = RT_TABLE_MAIN;
  rt->rtm_protocol = RTPROT_BOOT;
  rt->rtm_scope = gw != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  rt->rtm_type = RTN_UNICAST;
  if (len > 0) mcb__nl_put(&r, RTA_DST, dst, alen);
  if (gw != NULL) mcb__nl_put(&r, RTA_GATEWAY, gw, alen);
  put_u32(&r, RTA_OIF, oif);
  return mcb__nl_talk(nl, &r, NULL, 0);
}
