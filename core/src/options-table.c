/* options-table.c - every socket option, one row each (in the spirit of tmux's
 * options-table.c). A row says how the language spells the option, the families it
 * applies to, the kernel's level/optname per family, its value type and range, where the
 * sockets pane shows it, and its help. options.c does the setting and reading; `set`,
 * help, completion, reports and the TUI read these rows. Adding an option is a row here.
 */
#include "internal.h"

#include <string.h>

#define SOCK(n)                                                                                    \
  {                                                                                                \
    SOL_SOCKET, n                                                                                  \
  }
#define IP4(n)                                                                                     \
  {                                                                                                \
    IPPROTO_IP, n                                                                                  \
  }
#define IP6(n)                                                                                     \
  {                                                                                                \
    IPPROTO_IPV6, n                                                                                \
  }

static int set_v4_mcast_if(int fd, unsigned ifindex)
{
  struct ip_mreqn mr;
  memset(&mr, 0, sizeof mr);
  mr.imr_ifindex = (int)ifindex;
  return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr) == 0 ? 0 : -errno;
}

/* IPv4 takes an ip_mreqn (by index), IPv6 an int index. */
static int set_mcast_if(mcb_socket *s, const mcb_option *o, const mcb_optval *v)
{
  int idx = v->num, rc;
  if (s->family == MCB_UDP4) return set_v4_mcast_if(s->fd, (unsigned)idx);
  rc = setsockopt(s->fd, o->udp6.level, o->udp6.name, &idx, sizeof idx) == 0 ? 0 : -errno;
  if (rc == 0 && !(s->flags & MCB_V6ONLY)) (void)set_v4_mcast_if(s->fd, (unsigned)idx);
  return rc;
}

static const mcb_option opt_ttl = {
    .name = "ttl",
    .key = "ttl",
    .noun = "TTL",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_INT,
    .min = 1,
    .max = 255,
    .udp4 = IP4(IP_TTL),
    .udp6 = IP6(IPV6_UNICAST_HOPS),
    .dual = IP4(IP_TTL),
    .fallback = 64,
    .column = "TTL",
    .width = 3,
    .help = "unicast TTL (IPv4) or hop limit (IPv6) of what this socket sends",
};

static const mcb_option opt_mcast_ttl = {
    .name = "mcast-ttl",
    .key = "mcast_ttl",
    .noun = "multicast TTL",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_INT,
    .min = 0,
    .max = 255,
    .udp4 = IP4(IP_MULTICAST_TTL),
    .udp6 = IP6(IPV6_MULTICAST_HOPS),
    .dual = IP4(IP_MULTICAST_TTL),
    .fallback = 1,
    .column = "MTTL",
    .width = 4,
    .help = "TTL or hop limit of multicast sent (1 stays on the link). 0 is meant to stay "
            "on this host, but Linux puts a TTL 0 datagram on the wire when no local member "
            "joined the group on the outgoing interface: a kernel behaviour worth a lesson, "
            "not a bug",
};

static const mcb_option opt_loopback = {
    .name = "loopback",
    .key = "loopback",
    .noun = "multicast loopback",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_BOOL,
    .udp4 = IP4(IP_MULTICAST_LOOP),
    .udp6 = IP6(IPV6_MULTICAST_LOOP),
    .dual = IP4(IP_MULTICAST_LOOP),
    .fallback = 1,
    .column = "LOOP",
    .width = -4,
    .help = "hear our own multicast on this host (IP_MULTICAST_LOOP)",
};

static const mcb_option opt_broadcast = {
    .name = "broadcast",
    .key = "broadcast",
    .noun = "broadcast",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_BOOL,
    .any = SOCK(SO_BROADCAST),
    .column = "BCAST",
    .width = -5,
    .help = "allow sending to broadcast addresses (SO_BROADCAST)",
};

static const mcb_option opt_mcast_if = {
    .name = "mcast-if",
    .key = "mcast_if",
    .noun = "multicast interface",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_IFACE,
    .flags = MCB_OPT_CACHED,
    .udp4 = IP4(IP_MULTICAST_IF),
    .udp6 = IP6(IPV6_MULTICAST_IF),
    .dual = IP4(IP_MULTICAST_IF),
    .help = "the interface multicast leaves by: a name, an index, the address of a local "
            "interface, or default (also 0.0.0.0 or ::)",
    .set = set_mcast_if,
};

static const mcb_option opt_rcvbuf = {
    .name = "rcvbuf",
    .key = "rcvbuf",
    .noun = "receive buffer",
    .families = MCB_FAM_ALL,
    .type = MCB_OPT_INT,
    .min = 1,
    .max = 1 << 30,
    .unit = "bytes",
    .any = SOCK(SO_RCVBUF),
    .fallback = 212992,
    .help = "receive buffer size (SO_RCVBUF; the kernel doubles it and shows the result)",
};

static const mcb_option opt_tos = {
    .name = "tos",
    .key = "tos",
    .noun = "TOS",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_INT,
    .flags = MCB_OPT_HEX,
    .min = 0,
    .max = 255,
    .udp4 = IP4(IP_TOS),
    .udp6 = IP6(IPV6_TCLASS),
    .dual = IP4(IP_TOS),
    .help = "type of service (IPv4) or traffic class (IPv6) byte of what this socket sends: "
            "DSCP << 2 | ECN, e.g. 0xb8 for EF",
};

static const mcb_option opt_sndbuf = {
    .name = "sndbuf",
    .key = "sndbuf",
    .noun = "send buffer",
    .families = MCB_FAM_ALL,
    .type = MCB_OPT_INT,
    .min = 1,
    .max = 1 << 30,
    .unit = "bytes",
    .any = SOCK(SO_SNDBUF),
    .fallback = 212992,
    .help = "send buffer size (SO_SNDBUF; the kernel doubles it and shows the result)",
};

static const mcb_option opt_v6only = {
    .name = "v6only",
    .key = "v6only",
    .noun = "v6only",
    .families = MCB_FAM(MCB_UDP6),
    .type = MCB_OPT_BOOL,
    .flags = MCB_OPT_READONLY,
    .udp6 = IP6(IPV6_V6ONLY),
    .help = "IPv6 only, no IPv4-mapped traffic (IPV6_V6ONLY); chosen at open: "
            "open NAME udp6 v6only",
};

static const mcb_option opt_mcast_all = {
    .name = "mcast-all",
    .key = "mcast_all",
    .noun = "mcast-all",
    .families = MCB_FAM_IP,
    .type = MCB_OPT_BOOL,
    .flags = MCB_OPT_READONLY,
    .udp4 = IP4(IP_MULTICAST_ALL),
#ifdef IPV6_MULTICAST_ALL
    .udp6 = IP6(IPV6_MULTICAST_ALL),
#else
    .udp6 = IP4(IP_MULTICAST_ALL),
#endif
    .help = "hear groups joined by other sockets of the host on our port (IP_MULTICAST_ALL); "
            "mcbench turns it off at open, as mcjoin does",
};

/* The order help, completion and the screen list them in. */
// clang-format off
static const mcb_option *const table[] = {
    &opt_ttl,
    &opt_mcast_ttl,
    &opt_loopback,
    &opt_broadcast,
    &opt_mcast_if,
    &opt_rcvbuf,
    &opt_tos,
    &opt_sndbuf,
    &opt_v6only,
    &opt_mcast_all,
    NULL,
};
// clang-format on

_Static_assert(sizeof table / sizeof table[0] <= MCB_MAX_OPTIONS + 1, "raise MCB_MAX_OPTIONS");

const mcb_option *const *mcb_options(void)
{
  return table;
}
