/* netns.c - a private network namespace for safe experiments and tests, and the small
 * rtnetlink client (rtnl.h) that builds it and answers route questions for send.c.
 *
 * Moves the process into a fresh network namespace (inside a user namespace when not
 * root) and builds a small lab with rtnetlink: lo with multicast and 224.0.0.0/4, and a
 * veth pair mcb0/mcb1 because Linux never loops IPv6 multicast back on lo. Nothing sent
 * from here can reach the real network.
 */
#include "internal.h"
#include "lab.h"
#include "rtnl.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- the rtnetlink client (rtnl.h) ---- */

int mcb__nl_open(mcb__nl *nl)
{
  struct sockaddr_nl local = {.nl_family = AF_NETLINK}, kernel = {.nl_family = AF_NETLINK};
  struct timeval timeout = {5, 0};
  socklen_t len = sizeof local;
  int rc;

  nl->seq = 0;
  nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (nl->fd < 0) return -errno;
  if (bind(nl->fd, (struct sockaddr *)&local, sizeof local) != 0 ||
      getsockname(nl->fd, (struct sockaddr *)&local, &len) != 0 ||
      connect(nl->fd, (struct sockaddr *)&kernel, sizeof kernel) != 0 ||
      setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
    rc = -errno;
    mcb__nl_close(nl);
    return rc;
  }
  nl->pid = local.nl_pid;
  return 0;
}

void mcb__nl_close(mcb__nl *nl)
{
  if (nl->fd >= 0) close(nl->fd);
  nl->fd = -1;
}

struct rtattr *mcb__nl_put(mcb__nlreq *r, unsigned short type, const void *data, size_t len)
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

void mcb__nl_end(mcb__nlreq *r, struct rtattr *nest)
{
  if (nest != NULL) nest->rta_len = (unsigned short)((char *)r->h + r->h->nlmsg_len - (char *)nest);
}

void *mcb__nl_start(mcb__nlreq *r, unsigned short type, unsigned short flags, size_t body)
{
  memset(r->buf, 0, sizeof r->buf);
  r->h = (struct nlmsghdr *)r->buf;
  r->h->nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
  r->h->nlmsg_type = type;
  r->h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
  return NLMSG_DATA(r->h);
}

/* Looks at one datagram from the kernel: 1 and *rc when it holds the acknowledgement
 * of request `seq`, 0 to keep reading. */
static int nl_scan(const mcb__nl *nl, uint32_t seq, char *reply, size_t n, struct nlmsghdr *answer,
                   size_t size, bool *answered, int *rc)
{
  for (struct nlmsghdr *h = (struct nlmsghdr *)reply; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
    if (h->nlmsg_seq != seq || h->nlmsg_pid != nl->pid) continue; /* stale, or not ours */
    if (h->nlmsg_type == NLMSG_ERROR) {
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
        *rc = UV_EPROTO;
      } else {
        *rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        if (*rc > 0) *rc = -*rc;
      }
      return 1;
    }
    if (answer != NULL && !*answered && h->nlmsg_len <= size) {
      memcpy(answer, h, h->nlmsg_len);
      *answered = true;
    }
  }
  return 0;
}

int mcb__nl_talk(mcb__nl *nl, mcb__nlreq *r, struct nlmsghdr *answer, size_t size)
{
  char reply[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
  bool answered = false;
  ssize_t n;
  int rc = 0;

  r->h->nlmsg_seq = ++nl->seq;
  r->h->nlmsg_pid = 0;
  do n = send(nl->fd, r->h, r->h->nlmsg_len, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  for (;;) {
    n = recv(nl->fd, reply, sizeof reply, 0);
    if (n < 0 && errno == EINTR) continue; /* a signal is no answer: read again */
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? UV_ETIMEDOUT : -errno;
    if (nl_scan(nl, r->h->nlmsg_seq, reply, (size_t)n, answer, size, &answered, &rc)) return rc;
  }
}

int mcb__route_type(const struct in_addr *dst)
{
  struct {
    struct nlmsghdr h;
    char body[1024];
  } answer;
  mcb__nlreq r;
  mcb__nl nl;
  struct rtmsg *rt = mcb__nl_start(&r, RTM_GETROUTE, 0, sizeof *rt);
  int rc;

  rt->rtm_family = AF_INET;
  rt->rtm_dst_len = 32;
  mcb__nl_put(&r, RTA_DST, dst, sizeof *dst);
  if ((rc = mcb__nl_open(&nl)) != 0) return rc;
  memset(&answer, 0, sizeof answer);
  rc = mcb__nl_talk(&nl, &r, &answer.h, sizeof answer);
  mcb__nl_close(&nl);
  if (rc != 0) return rc;
  if (answer.h.nlmsg_type != RTM_NEWROUTE || answer.h.nlmsg_len < NLMSG_LENGTH(sizeof *rt))
    return UV_EPROTO;
  return ((struct rtmsg *)NLMSG_DATA(&answer.h))->rtm_type;
}

/* ---- the private namespace ---- */

static int link_up(mcb__nl *fd, const char *name)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)if_nametoindex(name);
  if (ifi->ifi_index == 0) return UV_ENODEV;
  ifi->ifi_flags = IFF_UP | IFF_MULTICAST;
  ifi->ifi_change = IFF_UP | IFF_MULTICAST;
  return mcb__nl_talk(fd, &r, NULL, 0);
}

static int add_veth(mcb__nl *fd, const char *name, const char *peer)
{
  mcb__nlreq r;
  struct ifinfomsg *ifi = mcb__nl_start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
  struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
  struct rtattr *info, *data, *pinfo;

  ifi->ifi_family = AF_UNSPEC;
  mcb__nl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  info = mcb__nl_put(&r, IFLA_LINKINFO, NULL, 0);
  mcb__nl_put(&r, IFLA_INFO_KIND, "veth", 5);
  data = mcb__nl_put(&r, IFLA_INFO_DATA, NULL, 0);
  pinfo = mcb__nl_put(&r, VETH_INFO_PEER, &peer_ifi, sizeof peer_ifi);
  mcb__nl_put(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
  mcb__nl_end(&r, pinfo);
  mcb__nl_end(&r, data);
  mcb__nl_end(&r, info);
  return mcb__nl_talk(fd, &r, NULL, 0);
}

static int add_addr(mcb__nl *fd, const char *ifname, const char *text, int prefix,
                    const char *bcast)
{
  mcb__nlreq r;
  struct ifaddrmsg *ifa = mcb__nl_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof *ifa);
  unsigned char a[16], b[16];
  int family = strchr(text, ':') ? AF_INET6 : AF_INET;
  size_t len = family == AF_INET ? 4 : 16;
  uint32_t flags = IFA_F_NODAD;

  if (inet_pton(family, text, a) != 1) return UV_EINVAL;
  ifa->ifa_family = (unsigned char)family;
  ifa->ifa_prefixlen = (unsigned char)prefix;
  ifa->ifa_index = if_nametoindex(ifname);
  if (ifa->ifa_index == 0) return UV_ENODEV;
  mcb__nl_put(&r, IFA_LOCAL, a, len);
  mcb__nl_put(&r, IFA_ADDRESS, a, len);
  if (bcast != NULL && inet_pton(AF_INET, bcast, b) == 1) mcb__nl_put(&r, IFA_BROADCAST, b, 4);
  if (family == AF_INET6) mcb__nl_put(&r, IFA_FLAGS, &flags, sizeof flags);
  return mcb__nl_talk(fd, &r, NULL, 0);
}

static int add_mcast_route(mcb__nl *fd, const char *ifname)
{
  mcb__nlreq r;
  struct rtmsg *rt = mcb__nl_start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);
  struct in_addr dst;
  uint32_t oif = if_nametoindex(ifname);
  inet_pton(AF_INET, "224.0.0.0", &dst);
  rt->rtm_family = AF_INET;
  rt->rtm_dst_len = 4;
  rt->rtm_table = RT_TABLE_MAIN;
  rt->rtm_protocol = RTPROT_BOOT;
  rt->rtm_scope = RT_SCOPE_LINK;
  rt->rtm_type = RTN_UNICAST;
  mcb__nl_put(&r, RTA_DST, &dst, sizeof dst);
  mcb__nl_put(&r, RTA_OIF, &oif, sizeof oif);
  return mcb__nl_talk(fd, &r, NULL, 0);
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
 * packets from our own addresses accepted on the peer end of the veth; and the limits on
 * memberships per socket raised. */
static void tune_sysctls(void)
{
  static const char *const zero[] = {
      "/proc/sys/net/ipv6/conf/all/accept_dad", "/proc/sys/net/ipv6/conf/default/accept_dad",
      "/proc/sys/net/ipv4/conf/all/rp_filter", "/proc/sys/net/ipv4/conf/default/rp_filter"};
  static const char *const one[] = {"/proc/sys/net/ipv4/conf/all/accept_local",
                                    "/proc/sys/net/ipv4/conf/default/accept_local"};
  for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) (void)write_file(zero[i], "0");
  for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) (void)write_file(one[i], "1");
  /* Many groups per socket (`join rx 239.1.1.1..239.1.4.255`), as snooping tests need:
   * Linux's defaults are 20 memberships and 10 sources per filter. */
  (void)write_file("/proc/sys/net/ipv4/igmp_max_memberships", "65536");
  (void)write_file("/proc/sys/net/ipv4/igmp_max_msf", "1024");
  (void)write_file("/proc/sys/net/ipv6/mld_max_msf", "1024");
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
    mcb_msgf(errbuf, size, "cannot create a private network namespace: %s (%s)", mcb_strerror(rc),
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
    mcb_msgf(errbuf, size, "cannot map user ids in the private namespace: %s (%s)",
             mcb_strerror(rc), mcb_err_name(rc));
  return rc;
}

int mcb_private_network(char *errbuf, size_t size)
{
  const char *step = "";
  mcb__nl nl = {.fd = -1}, *fd = &nl;
  int rc;

  if ((rc = enter_namespace(errbuf, size)) != 0) return rc;
  tune_sysctls();
  if ((rc = mcb__nl_open(&nl)) != 0) {
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
  mcb__nl_close(&nl);
  if (rc != 0)
    mcb_msgf(errbuf, size, "private network: %s: %s (%s)", step, mcb_strerror(rc),
             mcb_err_name(rc));
  return rc;
}

/* ---- the private namespace as a two-host lab ---- */

static int private_home = -1; /* the namespace mcb_private_lab() entered */

bool mcb__in_private_home(void)
{
  struct stat mine, home;
  if (private_home < 0 || stat("/proc/thread-self/ns/net", &mine) != 0 ||
      fstat(private_home, &home) != 0)
    return false;
  return mine.st_dev == home.st_dev && mine.st_ino == home.st_ino;
}

int mcb_private_lab(char *errbuf, size_t size)
{
  mcb_lab_link_opts def = {
      .ifname_a = MCB_LAB_IF0, .ifname_b = MCB_LAB_IF1, .flags = MCB_LAB_DEFAULT};
  mcb_lab *lab;
  int rc;

  if (mcb__private_lab != NULL) return 0;
  if ((rc = enter_namespace(errbuf, size)) != 0) return rc;
  private_home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (private_home < 0 || (rc = mcb_lab_new(&lab)) != 0) {
    rc = private_home < 0 ? -errno : rc;
    snprintf(errbuf, size, "private network: hold its namespace: %s (%s)", mcb_strerror(rc),
             mcb_err_name(rc));
    return rc;
  }
  if ((rc = mcb_lab_add_node(lab, MCB_LAB_LOCAL, MCB_LAB_HOST, MCB_LAB_HERE)) != 0 ||
      (rc = mcb_lab_add_node(lab, MCB_LAB_PEER, MCB_LAB_HOST, 0)) != 0 ||
      (rc = mcb_lab_link(lab, MCB_LAB_LOCAL, MCB_LAB_PEER, &def)) != 0) {
    snprintf(errbuf, size, "private network: %s", mcb_lab_last_error(lab));
    mcb_lab_free(lab);
    return rc;
  }
  mcb__private_lab = lab; /* for the process's lifetime: its descriptors hold the lab */
  return 0;
}
