/* options.c - socket options: broadcast, TTL, multicast TTL, loopback, interface, rcvbuf.
 *
 * Values are validated before any system call, so a bad value changes nothing. After a
 * change the kernel's value is read back into the cache that mcb_socket_info_get() shows.
 * A dual-stack udp6 socket also gets the IPv4 variant, for its IPv4-mapped traffic.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static bool ip_socket(mcb_socket *s, const char *what)
{
  if (!mcb__usable(s, what)) return false;
  if (s->family != MCB_UNIX) return true;
  mcb__fail(s->bench, UV_ENOTSUP, "not an IP socket", "%s", what);
  return false;
}

static bool dual_stack(const mcb_socket *s)
{
  return s->family == MCB_UDP6 && !(s->flags & MCB_V6ONLY);
}

/* Sets the IPv4 or IPv6 flavour of an int option (and IPv4 too on dual-stack sockets). */
static int set_ip_int(mcb_socket *s, int v4name, int v6name, int value)
{
  if (s->family == MCB_UDP4)
    return setsockopt(s->fd, IPPROTO_IP, v4name, &value, sizeof value) == 0 ? 0 : -errno;
  if (setsockopt(s->fd, IPPROTO_IPV6, v6name, &value, sizeof value) != 0) return -errno;
  if (dual_stack(s)) (void)setsockopt(s->fd, IPPROTO_IP, v4name, &value, sizeof value);
  return 0;
}

static int changed(mcb_socket *s)
{
  mcb__emit_simple(s, MCB_EV_CHANGED);
  return 0;
}

int mcb_set_broadcast(mcb_socket *s, bool on)
{
  int v = on ? 1 : 0;
  const char *what = on ? "set broadcast on" : "set broadcast off";
  if (!ip_socket(s, what)) return s->bench->last_code;
  if (setsockopt(s->fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof v) != 0)
    return mcb__fail(s->bench, -errno, NULL, "%s", what);
  s->broadcast = mcb__getint(s->fd, SOL_SOCKET, SO_BROADCAST, v) != 0;
  return changed(s);
}

int mcb_set_ttl(mcb_socket *s, int ttl)
{
  int rc;
  if (!ip_socket(s, "set ttl")) return s->bench->last_code;
  if (ttl < 1 || ttl > 255)
    return mcb__fail(s->bench, UV_EINVAL, "TTL must be 1..255", "set ttl %d", ttl);
  if ((rc = set_ip_int(s, IP_TTL, IPV6_UNICAST_HOPS, ttl)) != 0)
    return mcb__fail(s->bench, rc, NULL, "set ttl %d", ttl);
  s->ttl = ttl;
  return changed(s);
}

int mcb_set_multicast_ttl(mcb_socket *s, int ttl)
{
  int rc;
  if (!ip_socket(s, "set mcast-ttl")) return s->bench->last_code;
  if (ttl < 0 || ttl > 255)
    return mcb__fail(s->bench, UV_EINVAL, "multicast TTL must be 0..255", "set mcast-ttl %d", ttl);
  if ((rc = set_ip_int(s, IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS, ttl)) != 0)
    return mcb__fail(s->bench, rc, NULL, "set mcast-ttl %d", ttl);
  s->mcast_ttl = ttl;
  return changed(s);
}

int mcb_set_multicast_loopback(mcb_socket *s, bool on)
{
  int rc;
  const char *what = on ? "set loopback on" : "set loopback off";
  if (!ip_socket(s, what)) return s->bench->last_code;
  if ((rc = set_ip_int(s, IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP, on ? 1 : 0)) != 0)
    return mcb__fail(s->bench, rc, NULL, "%s", what);
  s->mcast_loop = on;
  return changed(s);
}

static int set_v4_mcast_if(int fd, unsigned ifindex)
{
  struct ip_mreqn mr;
  memset(&mr, 0, sizeof mr);
  mr.imr_ifindex = (int)ifindex;
  return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr) == 0 ? 0 : -errno;
}

int mcb_set_multicast_interface(mcb_socket *s, const char *iface)
{
  unsigned idx;
  int rc, v;
  const char *name = (iface && *iface) ? iface : "default";

  if (!ip_socket(s, "set mcast-if")) return s->bench->last_code;
  rc = mcb__iface_index(iface, s->family, &idx);
  if (rc == UV_EINVAL)
    return mcb__fail(s->bench, rc, "an IPv6 socket names its interface, not an IPv4 address",
                     "set mcast-if %s", name);
  if (rc != 0) return mcb__fail(s->bench, rc, NULL, "set mcast-if %s", name);
  if (s->family == MCB_UDP4) {
    rc = set_v4_mcast_if(s->fd, idx);
  } else {
    v = (int)idx;
    rc = setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &v, sizeof v) == 0 ? 0 : -errno;
    if (rc == 0 && dual_stack(s)) (void)set_v4_mcast_if(s->fd, idx);
  }
  if (rc != 0) return mcb__fail(s->bench, rc, NULL, "set mcast-if %s", name);
  s->mcast_ifindex = idx;
  return changed(s);
}

int mcb_set_rcvbuf(mcb_socket *s, int bytes)
{
  if (!mcb__usable(s, "set rcvbuf")) return UV_EBADF;
  if (bytes < 1 || bytes > (1 << 30))
    return mcb__fail(s->bench, UV_EINVAL, "receive buffer must be 1..1073741824 bytes",
                     "set rcvbuf %d", bytes);
  if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0)
    return mcb__fail(s->bench, -errno, NULL, "set rcvbuf %d", bytes);
  s->rcvbuf = mcb__getint(s->fd, SOL_SOCKET, SO_RCVBUF, bytes);
  return changed(s);
}
