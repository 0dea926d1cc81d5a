/* netns.c - a private network namespace for safe experiments and tests.
 *
 * Moves the process into a fresh network namespace (inside a user namespace when not
 * root) and builds a small lab with rtnetlink: lo with multicast and 224.0.0.0/4, and a
 * veth pair mcb0/mcb1 because Linux never loops IPv6 multicast back on lo. Nothing sent
 * from here can reach the real network.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <sys/ioctl.h>
#include <time.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct nlreq {
  struct nlmsghdr *h;
  char buf[1024];
} nlreq;

static struct rtattr *nl_put(nlreq *r, unsigned short type, const void *data, size_t len)
{
  struct rtattr *a = (struct rtattr *)((char *)r->h + NLMSG_ALIGN(r->h->nlmsg_len));
  size_t total = NLMSG_ALIGN(r->h->nlmsg_len) + RTA_ALIGN(RTA_LENGTH(len));
  if (total > sizeof r->buf) return NULL;
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(len);
  if (len > 0) memcpy(RTA_DATA(a), data, len);
  r->h->nlmsg_len = (uint32_t)total;
  return a;
}

static void nl_end(nlreq *r, struct rtattr *nest)
{
  nest->rta_len = (unsigned short)((char *)r->h + r->h->nlmsg_len - (char *)nest);
}

static void *nl_start(nlreq *r, unsigned short type, unsigned short flags, size_t body)
{
  memset(r->buf, 0, sizeof r->buf);
  r->h = (struct nlmsghdr *)r->buf;
  r->h->nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
  r->h->nlmsg_type = type;
  r->h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
  return NLMSG_DATA(r->h);
}

/* Sends one request and waits for its acknowledgement. */
static int nl_talk(int fd, nlreq *r)
{
  char reply[4096];
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  ssize_t n;

  /* One request at a time, each acknowledged before the next: a constant sequence works. */
  r->h->nlmsg_seq = 1;
  if (sendto(fd, r->h, r->h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
    return -errno;
  for (;;) {
    n = recv(fd, reply, sizeof reply, 0);
    if (n < 0) return errno == EINTR ? 0 : -errno;
    for (struct nlmsghdr *h = (struct nlmsghdr *)reply; NLMSG_OK(h, (unsigned)n);
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != r->h->nlmsg_seq || h->nlmsg_type != NLMSG_ERROR) continue;
      return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
    }
  }
}

static int link_up(int fd, const char *name)
{
  nlreq r;
  struct ifinfomsg *ifi = nl_start(&r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)if_nametoindex(name);
  if (ifi->ifi_index == 0) return UV_ENODEV;
  ifi->ifi_flags = IFF_UP | IFF_MULTICAST;
  ifi->ifi_change = IFF_UP | IFF_MULTICAST;
  return nl_talk(fd, &r);
}

static int add_veth(int fd, const char *name, const char *peer)
{
  nlreq r;
  struct ifinfomsg *ifi = nl_start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
  struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
  struct rtattr *info, *data, *pinfo;

  ifi->ifi_family = AF_UNSPEC;
  nl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  info = nl_put(&r, IFLA_LINKINFO, NULL, 0);
  nl_put(&r, IFLA_INFO_KIND, "veth", 5);
  data = nl_put(&r, IFLA_INFO_DATA, NULL, 0);
  pinfo = nl_put(&r, VETH_INFO_PEER, &peer_ifi, sizeof peer_ifi);
  nl_put(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
  nl_end(&r, pinfo);
  nl_end(&r, data);
  nl_end(&r, info);
  return nl_talk(fd, &r);
}

static int add_addr(int fd, const char *ifname, const char *text, int prefix, const char *bcast)
{
  nlreq r;
  struct ifaddrmsg *ifa = nl_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof *ifa);
  unsigned char a[16], b[16];
  int family = strchr(text, ':') ? AF_INET6 : AF_INET;
  size_t len = family == AF_INET ? 4 : 16;
  uint32_t flags = IFA_F_NODAD;

  if (inet_pton(family, text, a) != 1) return UV_EINVAL;
  ifa->ifa_family = (unsigned char)family;
  ifa->ifa_prefixlen = (unsigned char)prefix;
  ifa->ifa_index = if_nametoindex(ifname);
  if (ifa->ifa_index == 0) return UV_ENODEV;
  nl_put(&r, IFA_LOCAL, a, len);
  nl_put(&r, IFA_ADDRESS, a, len);
  if (bcast != NULL && inet_pton(AF_INET, bcast, b) == 1) nl_put(&r, IFA_BROADCAST, b, 4);
  if (family == AF_INET6) nl_put(&r, IFA_FLAGS, &flags, sizeof flags);
  return nl_talk(fd, &r);
}

static int add_mcast_route(int fd, const char *ifname)
{
  nlreq r;
  struct rtmsg *rt = nl_start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);
  struct in_addr dst;
  uint32_t oif = if_nametoindex(ifname);
  inet_pton(AF_INET, "224.0.0.0", &dst);
  rt->rtm_family = AF_INET;
  rt->rtm_dst_len = 4;
  rt->rtm_table = RT_TABLE_MAIN;
  rt->rtm_protocol = RTPROT_BOOT;
  rt->rtm_scope = RT_SCOPE_LINK;
  rt->rtm_type = RTN_UNICAST;
  nl_put(&r, RTA_DST, &dst, sizeof dst);
  nl_put(&r, RTA_OIF, &oif, sizeof oif);
  return nl_talk(fd, &r);
}

static int write_file(const char *path, const char *text)
{
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  ssize_t n;
  if (fd < 0) return -errno;
  n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : UV_EIO;
}

/* Settings the new devices inherit: no DAD (IPv6 link-locals usable at once), and IPv4
 * packets from our own addresses accepted on the peer end of the veth. */
static void tune_sysctls(void)
{
  static const char *const zero[] = {
      "/proc/sys/net/ipv6/conf/all/accept_dad", "/proc/sys/net/ipv6/conf/default/accept_dad",
      "/proc/sys/net/ipv4/conf/all/rp_filter", "/proc/sys/net/ipv4/conf/default/rp_filter"};
  static const char *const one[] = {"/proc/sys/net/ipv4/conf/all/accept_local",
                                    "/proc/sys/net/ipv4/conf/default/accept_local"};
  for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) (void)write_file(zero[i], "0");
  for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) (void)write_file(one[i], "1");
}

/* True when the interface is running and has an IPv6 link-local address. */
static bool ready(int fd, const char *name)
{
  struct ifreq ifr;
  struct ifaddrs *list, *i;
  bool ll = false;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || !(ifr.ifr_flags & IFF_RUNNING)) return false;
  if (getifaddrs(&list) != 0) return false;
  for (i = list; i != NULL; i = i->ifa_next)
    if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6 && strcmp(i->ifa_name, name) == 0 &&
        IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr))
      ll = true;
  freeifaddrs(list);
  return ll;
}

/* The kernel activates a new link (its queue, its IPv6 link-local address) from
 * deferred work, up to a second later under load; until then packets are dropped. So
 * wait, bounded, until both ends are ready. */
static int wait_ready(void)
{
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct timespec tick = {0, 5000000};
  int rc = UV_ETIMEDOUT;
  if (fd < 0) return -errno;
  for (int i = 0; i < 600; i++) { /* 3 s */
    if (ready(fd, MCB_LAB_IF0) && ready(fd, MCB_LAB_IF1)) {
      rc = 0;
      break;
    }
    nanosleep(&tick, NULL);
  }
  close(fd);
  return rc;
}

static int enter_namespace(char *errbuf, size_t size)
{
  char map[64];
  uid_t uid = geteuid();
  gid_t gid = getegid();
  int rc;

  if (uid == 0 && unshare(CLONE_NEWNET) == 0) return 0;
  if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
    rc = -errno;
    snprintf(errbuf, size, "cannot create a private network namespace: %s (%s)", mcb_strerror(rc),
             mcb_err_name(rc));
    return rc;
  }
  (void)write_file("/proc/self/setgroups", "deny");
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  if ((rc = write_file("/proc/self/uid_map", map)) == 0) {
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    rc = write_file("/proc/self/gid_map", map);
  }
  if (rc != 0)
    snprintf(errbuf, size, "cannot map user ids in the private namespace: %s (%s)",
             mcb_strerror(rc), mcb_err_name(rc));
  return rc;
}

int mcb_private_network(char *errbuf, size_t size)
{
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  const char *step = "";
  int fd, rc;

  if ((rc = enter_namespace(errbuf, size)) != 0) return rc;
  tune_sysctls();
  fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
    rc = -errno;
    step = "open rtnetlink";
    goto out;
  }
  /* clang-format off */
  if ((rc = link_up(fd, "lo")) != 0) { step = "set lo up"; goto out; }
  if ((rc = add_mcast_route(fd, "lo")) != 0) { step = "route 224.0.0.0/4 to lo"; goto out; }
  if ((rc = add_veth(fd, MCB_LAB_IF0, MCB_LAB_IF1)) != 0) { step = "create veth mcb0/mcb1"; goto out; }
  if ((rc = add_addr(fd, MCB_LAB_IF0, MCB_LAB_ADDR0, 24, MCB_LAB_BCAST)) != 0) { step = "address mcb0"; goto out; }
  if ((rc = add_addr(fd, MCB_LAB_IF1, MCB_LAB_ADDR1, 24, MCB_LAB_BCAST)) != 0) { step = "address mcb1"; goto out; }
  if ((rc = link_up(fd, MCB_LAB_IF0)) != 0) { step = "set mcb0 up"; goto out; }
  if ((rc = link_up(fd, MCB_LAB_IF1)) != 0) { step = "set mcb1 up"; goto out; }
  if ((rc = add_addr(fd, MCB_LAB_IF0, MCB_LAB_ADDR6_0, 64, NULL)) != 0) { step = "IPv6 address mcb0"; goto out; }
  if ((rc = add_addr(fd, MCB_LAB_IF1, MCB_LAB_ADDR6_1, 64, NULL)) != 0) { step = "IPv6 address mcb1"; goto out; }
  if ((rc = wait_ready()) != 0) { step = "wait for mcb0/mcb1 to come up"; goto out; }
  /* clang-format on */
out:
  if (fd >= 0) close(fd);
  if (rc != 0)
    snprintf(errbuf, size, "private network: %s: %s (%s)", step, mcb_strerror(rc),
             mcb_err_name(rc));
  return rc;
}
