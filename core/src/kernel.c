/* kernel.c - what the kernel says about an interface and a route, for diagnosis.
 *
 * Asked through rtnetlink (rtnl.h), never /sys: /sys shows the namespace it was mounted
 * in, rtnetlink the namespace the caller is in, which is the one its sockets live in.
 * One short request each; the kernel answers at once, so a caller on the loop does not
 * wait on the network.
 */
#include "internal.h"
#include "rtnl.h"

#include <linux/if_link.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  struct nlmsghdr h;
  char body[8192];
} nl_answer;

static const struct rtattr *find_attr(const struct rtattr *a, int len, unsigned short type)
{
  for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
    if (a->rta_type == type) return a;
  return NULL;
}

static unsigned attr_u32(const struct rtattr *a)
{
  uint32_t v = 0;
  if (a != NULL && RTA_PAYLOAD(a) >= sizeof v) memcpy(&v, RTA_DATA(a), sizeof v);
  return v;
}

static void attr_string(const struct rtattr *a, char *out, size_t size)
{
  size_t n = a == NULL ? 0 : RTA_PAYLOAD(a);
  if (n >= size) n = size - 1;
  if (n > 0) memcpy(out, RTA_DATA(a), n);
  out[n] = '\0';
}

static int ask(mcb__nlreq *r, nl_answer *answer, unsigned short want)
{
  mcb__nl nl;
  int rc = mcb__nl_open(&nl);
  if (rc != 0) return rc;
  memset(&answer->h, 0, sizeof answer->h);
  rc = mcb__nl_talk(&nl, r, &answer->h, sizeof *answer);
  mcb__nl_close(&nl);
  if (rc != 0) return rc;
  return answer->h.nlmsg_type == want ? 0 : UV_EPROTO;
}

static void read_link(const nl_answer *answer, mcb_link_info *out)
{
  const struct ifinfomsg *ifi = NLMSG_DATA(&answer->h);
  const struct rtattr *attrs = IFLA_RTA(ifi);
  int len = (int)IFLA_PAYLOAD(&answer->h);
  const struct rtattr *info = find_attr(attrs, len, IFLA_LINKINFO);

  out->index = (unsigned)ifi->ifi_index;
  out->flags = ifi->ifi_flags;
  attr_string(find_attr(attrs, len, IFLA_IFNAME), out->name, sizeof out->name);
  out->mtu = attr_u32(find_attr(attrs, len, IFLA_MTU));
  out->promiscuity = attr_u32(find_attr(attrs, len, IFLA_PROMISCUITY));
  out->operstate = 0;
  const struct rtattr *op = find_attr(attrs, len, IFLA_OPERSTATE);
  if (op != NULL && RTA_PAYLOAD(op) >= 1) out->operstate = *(const unsigned char *)RTA_DATA(op);
  if (info != NULL)
    attr_string(find_attr(RTA_DATA(info), (int)RTA_PAYLOAD(info), IFLA_INFO_KIND), out->kind,
                sizeof out->kind);
}

int mcb_link_query(const char *name, unsigned index, mcb_link_info *out)
{
  nl_answer answer;
  mcb__nlreq r;
  struct ifinfomsg *ifi;
  int rc;

  if (out == NULL || (name == NULL && index == 0)) return UV_EINVAL;
  memset(out, 0, sizeof *out);
  ifi = mcb__nl_start(&r, RTM_GETLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)index;
  if (name != NULL) {
    if (strlen(name) >= IF_NAMESIZE) return UV_ENODEV;
    mcb__nl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  }
  rc = ask(&r, &answer, RTM_NEWLINK);
  if (rc == UV_EINVAL && name != NULL) rc = UV_ENODEV; /* old kernels: unknown name */
  if (rc != 0) return rc;
  read_link(&answer, out);
  return 0;
}

static void put_addr(mcb__nlreq *r, unsigned short type, const struct sockaddr *sa,
                     unsigned char *len)
{
  if (sa == NULL) return;
  if (sa->sa_family == AF_INET) {
    mcb__nl_put(r, type, &((const struct sockaddr_in *)sa)->sin_addr, sizeof(struct in_addr));
    *len = 32;
  } else if (sa->sa_family == AF_INET6) {
    mcb__nl_put(r, type, &((const struct sockaddr_in6 *)sa)->sin6_addr, sizeof(struct in6_addr));
    *len = 128;
  }
}

static void read_addr(const struct rtattr *a, int family, struct sockaddr_storage *out)
{
  memset(out, 0, sizeof *out);
  if (a == NULL) return;
  if (family == AF_INET && RTA_PAYLOAD(a) >= sizeof(struct in_addr)) {
    struct sockaddr_in *in = (struct sockaddr_in *)out;
    in->sin_family = AF_INET;
    memcpy(&in->sin_addr, RTA_DATA(a), sizeof in->sin_addr);
  } else if (family == AF_INET6 && RTA_PAYLOAD(a) >= sizeof(struct in6_addr)) {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    in6->sin6_family = AF_INET6;
    memcpy(&in6->sin6_addr, RTA_DATA(a), sizeof in6->sin6_addr);
  }
}

/* One RTM_GETROUTE; with RTM_F_FIB_MATCH the kernel answers with the table entry that
 * matched (its prefix length) instead of the resulting route. */
static int route_ask(const struct sockaddr *dst, const struct sockaddr *src, unsigned oif,
                     unsigned flags, nl_answer *answer)
{
  mcb__nlreq r;
  struct rtmsg *rt = mcb__nl_start(&r, RTM_GETROUTE, 0, sizeof *rt);
  rt->rtm_family = (unsigned char)dst->sa_family;
  rt->rtm_flags = flags;
  put_addr(&r, RTA_DST, dst, &rt->rtm_dst_len);
  put_addr(&r, RTA_SRC, src, &rt->rtm_src_len);
  if (oif != 0) {
    uint32_t o = oif;
    mcb__nl_put(&r, RTA_OIF, &o, sizeof o);
  }
  int rc = ask(&r, answer, RTM_NEWROUTE);
  if (rc == 0 && answer->h.nlmsg_len < NLMSG_LENGTH(sizeof *rt)) rc = UV_EPROTO;
  return rc;
}

int mcb_route_query(const struct sockaddr *dst, const struct sockaddr *src, unsigned oif,
                    mcb_route_info *out)
{
  nl_answer answer;
  struct rtmsg *rt;
  int rc;

  if (out == NULL || dst == NULL || (dst->sa_family != AF_INET && dst->sa_family != AF_INET6))
    return UV_EINVAL;
  if (src != NULL && src->sa_family != dst->sa_family) return UV_EINVAL;
  memset(out, 0, sizeof *out);
  out->prefix_len = -1;
  if ((rc = route_ask(dst, src, oif, RTM_F_FIB_MATCH, &answer)) == 0)
    out->prefix_len = ((struct rtmsg *)NLMSG_DATA(&answer.h))->rtm_dst_len;
  if ((rc = route_ask(dst, src, oif, 0, &answer)) != 0) return rc;
  rt = NLMSG_DATA(&answer.h);
  const struct rtattr *attrs = RTM_RTA(rt);
  int len = (int)RTM_PAYLOAD(&answer.h);
  out->type = rt->rtm_type;
  out->table = rt->rtm_table;
  out->oif = attr_u32(find_attr(attrs, len, RTA_OIF));
  read_addr(find_attr(attrs, len, RTA_GATEWAY), rt->rtm_family, &out->gateway);
  read_addr(find_attr(attrs, len, RTA_PREFSRC), rt->rtm_family, &out->prefsrc);
  return 0;
}
