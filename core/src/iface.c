/* iface.c - turns an interface given by name, index or IPv4 address into an index.
 *
 * Joins and the multicast interface option work by index (RFC 3678), whatever the user
 * typed. Lookups are local (ioctl/netlink), so they never stall the loop on the network.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>

static int index_of_ipv4(const struct in_addr *a, unsigned *out)
{
  struct ifaddrs *list, *i;
  if (getifaddrs(&list) != 0) return -errno;
  *out = 0;
  for (i = list; i != NULL; i = i->ifa_next) {
    if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET) continue;
    if (((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr == a->s_addr) {
      *out = if_nametoindex(i->ifa_name);
      break;
    }
  }
  freeifaddrs(list);
  return *out != 0 ? 0 : UV_ENODEV;
}

int mcb__iface_index(const char *iface, mcb_family family, unsigned *out)
{
  struct in_addr a4;
  char name[IF_NAMESIZE];
  char *end;
  unsigned long v;

  *out = 0;
  if (iface == NULL || *iface == '\0') return 0;
  if (inet_pton(AF_INET, iface, &a4) == 1) {
    if (family == MCB_UDP6) return UV_EINVAL; /* IPv6 interfaces are named by name/index */
    return index_of_ipv4(&a4, out);
  }
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
