/* iface.c - turns an interface given by name, index or address into an index.
 *
 * Joins and the multicast interface option work by index (RFC 3678), whatever the user
 * typed. As in Node and the kernel, "default", 0.0.0.0 and :: mean the default
 * interface (index 0), and an address no local interface holds is EADDRNOTAVAIL.
 * Lookups are local (ioctl/netlink), so they never stall the loop on the network.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>

/* The interface holding address a (AF_INET or AF_INET6), or UV_EADDRNOTAVAIL. */
static int index_of_addr(int family, const void *a, unsigned *out)
{
  struct ifaddrs *list, *i;
  if (getifaddrs(&list) != 0) return -errno;
  *out = 0;
  for (i = list; i != NULL && *out == 0; i = i->ifa_next) {
    if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family) continue;
    if ((family == AF_INET &&
         memcmp(&((struct sockaddr_in *)i->ifa_addr)->sin_addr, a, sizeof(struct in_addr)) == 0) ||
        (family == AF_INET6 &&
         memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, a, sizeof(struct in6_addr)) == 0))
      *out = if_nametoindex(i->ifa_name);
  }
  freeifaddrs(list);
  return *out != 0 ? 0 : UV_EADDRNOTAVAIL;
}

static int by_ipv6(const char *iface, mcb_family family, unsigned *out)
{
  mcb_addr a;
  if (mcb_addr_parse_host(iface, &a) != 0) return UV_ENODEV;
  if (a.u.in6.sin6_scope_id != 0) { /* "::%mcb0", as Node's setMulticastInterface */
    if (!IN6_IS_ADDR_UNSPECIFIED(&a.u.in6.sin6_addr))
      return index_of_addr(AF_INET6, &a.u.in6.sin6_addr, out);
    *out = a.u.in6.sin6_scope_id;
    return 0;
  }
  if (IN6_IS_ADDR_UNSPECIFIED(&a.u.in6.sin6_addr)) return 0;
  if (family == MCB_UDP4) return UV_EINVAL;
  return index_of_addr(AF_INET6, &a.u.in6.sin6_addr, out);
}

int mcb__iface_index(const char *iface, mcb_family family, unsigned *out)
{
  struct in_addr a4;
  struct in6_addr a6;
  char name[IF_NAMESIZE];
  char *end;
  unsigned long v;

  *out = 0;
  if (iface == NULL || *iface == '\0' || strcmp(iface, "default") == 0) return 0;
  if (inet_pton(AF_INET, iface, &a4) == 1) {
    if (a4.s_addr == htonl(INADDR_ANY)) return 0;
    if (family == MCB_UDP6) return UV_EINVAL; /* IPv6 interfaces are named by name/index */
    return index_of_addr(AF_INET, &a4, out);
  }
  if (strchr(iface, ':') != NULL && (inet_pton(AF_INET6, iface, &a6) == 1 || strchr(iface, '%')))
    return by_ipv6(iface, family, out);
  if (*iface >= '0' && *iface <= '9') {
    v = strtoul(iface, &end, 10);
    if (*end != '\0' || v == 0 || v > 0x7fffffff) return UV_ENODEV;
    if (if_indextoname((unsigned)v, name) == NULL) return UV_ENODEV;
    *out = (unsigned)v;
    return 0;
  }
  if (strlen(iface) >= IF_NAMESIZE) return UV_ENODEV;
  *out = if_nametoindex(iface);
  return *out != 0 ? 0 : UV_ENODEV;
}

int mcb_iface_index(const char *iface, mcb_family family, unsigned *out)
{
  unsigned ignored;
  if (family < MCB_UDP4 || family > MCB_UNIX) return UV_EINVAL;
  return mcb__iface_index(iface, family, out ? out : &ignored);
}

const char *mcb__iface_why(int code, mcb_family family)
{
  switch (code) {
  case UV_ENODEV:
    return "no such device";
  case UV_EADDRNOTAVAIL:
    return "no local interface has this address";
  case UV_EINVAL:
    return family == MCB_UDP6 ? "an IPv6 socket names its interface, not an IPv4 address"
                              : "an IPv4 socket names its interface, not an IPv6 address";
  default:
    return NULL;
  }
}
