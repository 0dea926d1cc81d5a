/* membership.c - joining and leaving groups: any-source, source-specific (include mode)
 * and any source but some (exclude mode).
 *
 * Uses the RFC 3678 protocol-independent calls by interface index (MCAST_JOIN_GROUP,
 * MCAST_JOIN_SOURCE_GROUP, MCAST_BLOCK_SOURCE, ...), as mcjoin does. The socket's own
 * table mirrors the kernel's, so a front end can show it, drops of groups never joined
 * are caught, and a request that would mix include and exclude mode on one group (which
 * the kernel refuses with a bare EINVAL) is refused with the reason.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct request {
  const char *verb; /* "join" or "drop" */
  bool except;      /* the sources are excluded (exclude mode), not joined */
  char what[MCB_MSG_MAX];
  mcb_addr group;
  unsigned ifindex;
  bool iface_given;
  size_t nsources;
  mcb_addr sources[MCB_MAX_SOURCES];
} request;

static void describe(request *r, const char *group, const char *iface, const char *const *src,
                     size_t n)
{
  bool cut = mcb_msgf(r->what, sizeof r->what, "%s %s", r->verb, group ? group : "(none)");
  size_t len = strlen(r->what);
  if (iface && *iface && !cut) {
    cut = mcb_msgf(r->what + len, sizeof r->what - len, " on %s", iface);
    len = strlen(r->what);
  }
  for (size_t i = 0; i < n && !cut; i++) {
    cut = mcb_msgf(r->what + len, sizeof r->what - len, "%s%s",
                   i ? "," : (r->except ? " except " : " from "), src[i] ? src[i] : "?");
    len = strlen(r->what);
  }
}

/* Validates everything the kernel would otherwise reject less clearly. */
static int parse_request(mcb_socket *s, request *r, const char *group, const char *iface,
                         const char *const *sources, size_t nsources)
{
  mcb_bench *b = s->bench;
  int rc;

  describe(r, group, iface, sources, nsources);
  if (!mcb__usable(s, r->what)) return UV_EBADF;
  if (s->family == MCB_UNIX) return mcb__fail(b, UV_ENOTSUP, "not an IP socket", "%s", r->what);
  if (group == NULL || mcb_addr_parse_host(group, &r->group) != 0)
    return mcb__fail(b, UV_EINVAL, "not a numeric IP address", "%s", r->what);
  if (!mcb_addr_is_multicast(&r->group))
    return mcb__fail(b, UV_EINVAL, "not a multicast address", "%s", r->what);
  if (r->group.u.sa.sa_family == AF_INET6 && s->family == MCB_UDP4)
    return mcb__fail(b, UV_EAFNOSUPPORT, "IPv6 group on a udp4 socket", "%s", r->what);
  if (r->group.u.sa.sa_family == AF_INET && (s->flags & MCB_V6ONLY))
    return mcb__fail(b, UV_EAFNOSUPPORT, "IPv4 group on a v6only udp6 socket", "%s", r->what);

  r->iface_given = iface != NULL && *iface != '\0';
  rc = mcb__iface_index(iface, mcb_addr_family(&r->group), &r->ifindex);
  if (rc != 0)
    return mcb__fail(b, rc,
                     rc != UV_EINVAL                       ? mcb__iface_why(rc, MCB_UDP4)
                     : r->group.u.sa.sa_family == AF_INET6 ? "IPv6 needs an interface name"
                                                           : "IPv4 needs an IPv4 interface address",
                     "%s", r->what);
  if (!r->iface_given && r->group.u.sa.sa_family == AF_INET6 && r->group.u.in6.sin6_scope_id) {
    r->ifindex = r->group.u.in6.sin6_scope_id; /* "ff02::1%mcb0" names its interface */
    r->iface_given = true;
  }
  if (r->group.u.sa.sa_family == AF_INET6) r->group.u.in6.sin6_scope_id = 0;

  if (nsources > MCB_MAX_SOURCES) {
    char why[MCB_MSG_MAX];
    mcb_msgf(why, sizeof why, "at most %d sources", MCB_MAX_SOURCES);
    return mcb__fail(b, UV_EINVAL, why, "%s", r->what);
  }
  r->nsources = nsources;
  for (size_t i = 0; i < nsources; i++) {
    mcb_addr *a = &r->sources[i];
    if (sources[i] == NULL || mcb_addr_parse_host(sources[i], a) != 0)
      return mcb__fail(b, UV_EINVAL, "source is not a numeric IP address", "%s", r->what);
    if (a->u.sa.sa_family != r->group.u.sa.sa_family)
      return mcb__fail(b, UV_EINVAL, "source and group families differ", "%s", r->what);
    if (mcb_addr_is_multicast(a))
      return mcb__fail(b, UV_EINVAL, "a source must be a unicast address", "%s", r->what);
    if (a->u.sa.sa_family == AF_INET6) a->u.in6.sin6_scope_id = 0;
    for (size_t k = 0; k < i; k++)
      if (mcb_addr_equal(&r->sources[k], a))
        return mcb__fail(b, UV_EINVAL, "a source is listed twice", "%s", r->what);
  }
  if (r->except && nsources == 0)
    return mcb__fail(b, UV_EINVAL, "exclude mode needs at least one source", "%s", r->what);
  return 0;
}

static mcb_membership *find(mcb_socket *s, const request *r, bool exact)
{
  mcb_membership *only = NULL;
  size_t matches = 0;
  for (size_t i = 0; i < s->ngroups; i++) {
    mcb_membership *m = &s->groups[i];
    if (!mcb_addr_equal(&m->group, &r->group)) continue;
    if (m->ifindex == r->ifindex) return m;
    matches++;
    only = m;
  }
  /* A drop without "on" may name a group joined on one interface. */
  return (!exact && !r->iface_given && matches == 1) ? only : NULL;
}

static ssize_t find_source(const mcb_membership *m, const mcb_addr *src)
{
  for (size_t i = 0; i < m->nsources; i++)
    if (mcb_addr_equal(&m->sources[i], src)) return (ssize_t)i;
  return -1;
}

static int level_of(const mcb_addr *group)
{
  return group->u.sa.sa_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
}

static int kernel_group(mcb_socket *s, int op, const mcb_addr *group, unsigned ifindex)
{
  struct group_req gr;
  memset(&gr, 0, sizeof gr);
  gr.gr_interface = ifindex;
  memcpy(&gr.gr_group, &group->u.ss, group->len);
  return setsockopt(s->fd, level_of(group), op, &gr, sizeof gr) == 0 ? 0 : -errno;
}

static int kernel_source(mcb_socket *s, int op, const mcb_addr *group, unsigned ifindex,
                         const mcb_addr *src)
{
  struct group_source_req gsr;
  memset(&gsr, 0, sizeof gsr);
  gsr.gsr_interface = ifindex;
  memcpy(&gsr.gsr_group, &group->u.ss, group->len);
  memcpy(&gsr.gsr_source, &src->u.ss, src->len);
  return setsockopt(s->fd, level_of(group), op, &gsr, sizeof gsr) == 0 ? 0 : -errno;
}

/* The sources a membership lists, "10.0.1.2,10.0.1.3", for errors. */
static const char *source_list(const mcb_membership *m, char *buf, size_t size)
{
  size_t n = 0;
  char one[MCB_ADDRSTRLEN];
  buf[0] = '\0';
  for (size_t i = 0; i < m->nsources && n < size; i++)
    n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "",
                          mcb_addr_format_host(&m->sources[i], one, sizeof one));
  return buf;
}

/* Refuses a join that does not fit the membership the socket already has of the group:
 * the kernel keeps one filter mode per group and socket (include: SSM sources; exclude:
 * any source but some, any-source being exclude mode with none). */
static int join_conflict(mcb_socket *s, const mcb_membership *m, const request *r)
{
  mcb_bench *b = s->bench;
  bool m_include = m->nsources > 0 && !m->exclude, r_include = r->nsources > 0 && !r->except;
  char list[MCB_MAX_SOURCES * INET6_ADDRSTRLEN], why[MCB_MSG_MAX];
  if (m_include && !r_include) {
    mcb_msgf(why, sizeof why,
             r->except ? "already joined source-specifically (include mode, from %s); the kernel "
                         "refuses to mix include and exclude mode on one group: drop it first"
                       : "already joined source-specifically; drop it first",
             source_list(m, list, sizeof list));
    return mcb__fail(b, UV_EINVAL, why, "%s", r->what);
  }
  if (r_include && m->exclude) {
    mcb_msgf(why, sizeof why,
             "already joined in exclude mode (any source except %s); the kernel refuses to mix "
             "include and exclude mode on one group: drop it first",
             source_list(m, list, sizeof list));
    return mcb__fail(b, UV_EINVAL, why, "%s", r->what);
  }
  if (r_include && m->nsources == 0)
    return mcb__fail(b, UV_EINVAL, "already joined from any source; drop it first", "%s", r->what);
  if (r->nsources == 0) return mcb__fail(b, UV_EADDRINUSE, "already joined", "%s", r->what);
  for (size_t i = 0; i < r->nsources; i++)
    if (find_source(m, &r->sources[i]) >= 0)
      return mcb__fail(b, UV_EADDRINUSE,
                       r->except ? "source already excluded" : "source already joined", "%s",
                       r->what);
  if (m->nsources + r->nsources > MCB_MAX_SOURCES)
    return mcb__fail(b, UV_ENOBUFS, "too many sources for one group", "%s", r->what);
  return 0;
}

/* Room for one more membership, so the kernel join cannot fail after it succeeded. */
static int make_room(mcb_socket *s, const request *r)
{
  mcb_bench *b = s->bench;
  size_t max_groups = b->limits.max_groups ? b->limits.max_groups : MCB_MAX_GROUPS;
  if (s->ngroups >= max_groups)
    return mcb__fail(b, UV_ENOBUFS, "too many groups on one socket (the bench's max_groups)", "%s",
                     r->what);
  if (s->ngroups == s->groups_cap) {
    size_t cap = s->groups_cap ? s->groups_cap * 2 : 8;
    mcb_membership *g = realloc(s->groups, (cap < max_groups ? cap : max_groups) * sizeof *g);
    if (g == NULL) return mcb__fail(b, UV_ENOMEM, NULL, "%s", r->what);
    s->groups = g;
    s->groups_cap = cap < max_groups ? cap : max_groups;
  }
  return 0;
}

/* The kernel's side of a join: the group (unless `joined`), then each source joined
 * (include) or blocked (exclude). On failure the kernel is left as it was. */
static int kernel_join(mcb_socket *s, const request *r, bool joined)
{
  int add = r->except ? MCAST_BLOCK_SOURCE : MCAST_JOIN_SOURCE_GROUP;
  int undo = r->except ? MCAST_UNBLOCK_SOURCE : MCAST_LEAVE_SOURCE_GROUP;
  size_t done;
  int rc = 0;
  if (r->nsources == 0 || (r->except && !joined)) {
    rc = kernel_group(s, MCAST_JOIN_GROUP, &r->group, r->ifindex);
    if (rc != 0 || r->nsources == 0) return rc;
  }
  for (done = 0; done < r->nsources; done++) {
    rc = kernel_source(s, add, &r->group, r->ifindex, &r->sources[done]);
    if (rc != 0) break;
  }
  if (rc == 0) return 0;
  while (done-- > 0) (void)kernel_source(s, undo, &r->group, r->ifindex, &r->sources[done]);
  if (r->except && !joined) (void)kernel_group(s, MCAST_LEAVE_GROUP, &r->group, r->ifindex);
  return rc;
}

static int join_request(mcb_socket *s, request *r, const char *group, const char *iface,
                        const char *const *sources, size_t nsources)
{
  mcb_bench *b = s->bench;
  mcb_membership *m;
  int rc;

  if ((rc = parse_request(s, r, group, iface, sources, nsources)) != 0) return rc;
  m = find(s, r, true);
  if (m != NULL && (rc = join_conflict(s, m, r)) != 0) return rc;
  if (m == NULL && (rc = make_room(s, r)) != 0) return rc;
  if ((rc = kernel_join(s, r, m != NULL)) != 0) return mcb__fail(b, rc, NULL, "%s", r->what);

  if (m == NULL) {
    m = &s->groups[s->ngroups++];
    memset(m, 0, sizeof *m);
    m->group = r->group;
    m->ifindex = r->ifindex;
    if (r->ifindex != 0) mcb_ifname(r->ifindex, m->ifname);
    m->joined_ns = uv_hrtime();
    s->groups_waiting++;
  }
  if (r->except) m->exclude = true;
  for (size_t i = 0; i < r->nsources; i++) m->sources[m->nsources++] = r->sources[i];
  mcb__emit_simple(s, MCB_EV_CHANGED);
  return 0;
}

int mcb_join(mcb_socket *s, const char *group, const char *iface, const char *const *sources,
             size_t nsources)
{
  request r = {.verb = "join"};
  return join_request(s, &r, group, iface, sources, nsources);
}

int mcb_join_except(mcb_socket *s, const char *group, const char *iface, const char *const *sources,
                    size_t nsources)
{
  request r = {.verb = "join", .except = true};
  return join_request(s, &r, group, iface, sources, nsources);
}

/* Refuses a drop of sources the membership does not list in the request's mode. */
static int drop_conflict(mcb_socket *s, const mcb_membership *m, const request *r)
{
  mcb_bench *b = s->bench;
  if (r->nsources == 0) return 0;
  if (r->except && !m->exclude)
    return mcb__fail(b, UV_EADDRNOTAVAIL,
                     m->nsources ? "group is joined source-specifically (include mode): no "
                                   "source of it is excluded"
                                 : "no source of the group is excluded",
                     "%s", r->what);
  if (!r->except && m->nsources == 0)
    return mcb__fail(b, UV_EADDRNOTAVAIL, "group was joined from any source", "%s", r->what);
  if (!r->except && m->exclude)
    return mcb__fail(b, UV_EADDRNOTAVAIL,
                     "group is joined in exclude mode: its sources are excluded, not joined", "%s",
                     r->what);
  for (size_t i = 0; i < r->nsources; i++)
    if (find_source(m, &r->sources[i]) < 0)
      return mcb__fail(b, UV_EADDRNOTAVAIL, r->except ? "source not excluded" : "source not joined",
                       "%s", r->what);
  return 0;
}

static int drop_request(mcb_socket *s, request *r, const char *group, const char *iface,
                        const char *const *sources, size_t nsources)
{
  mcb_bench *b = s->bench;
  mcb_membership *m;
  int rc;

  if ((rc = parse_request(s, r, group, iface, sources, nsources)) != 0) return rc;
  m = find(s, r, false);
  if (m == NULL) return mcb__fail(b, UV_EADDRNOTAVAIL, "group not joined", "%s", r->what);
  if ((rc = drop_conflict(s, m, r)) != 0) return rc;

  if (r->nsources == 0 || (!r->except && r->nsources == m->nsources)) {
    if ((rc = kernel_group(s, MCAST_LEAVE_GROUP, &m->group, m->ifindex)) != 0)
      return mcb__fail(b, rc, NULL, "%s", r->what);
    size_t at = (size_t)(m - s->groups); /* keep the order the user joined in */
    if (m->first_ns == 0) s->groups_waiting--;
    memmove(m, m + 1, (--s->ngroups - at) * sizeof *m);
  } else {
    int op = r->except ? MCAST_UNBLOCK_SOURCE : MCAST_LEAVE_SOURCE_GROUP;
    for (size_t i = 0; i < r->nsources; i++) {
      rc = kernel_source(s, op, &m->group, m->ifindex, &r->sources[i]);
      if (rc != 0) return mcb__fail(b, rc, NULL, "%s", r->what);
      size_t at = (size_t)find_source(m, &r->sources[i]);
      memmove(&m->sources[at], &m->sources[at + 1], (--m->nsources - at) * sizeof m->sources[0]);
    }
    if (m->nsources == 0) m->exclude = false; /* no source excluded: any source */
  }
  mcb__emit_simple(s, MCB_EV_CHANGED);
  return 0;
}

int mcb_drop(mcb_socket *s, const char *group, const char *iface, const char *const *sources,
             size_t nsources)
{
  request r = {.verb = "drop"};
  return drop_request(s, &r, group, iface, sources, nsources);
}

int mcb_drop_except(mcb_socket *s, const char *group, const char *iface, const char *const *sources,
                    size_t nsources)
{
  request r = {.verb = "drop", .except = true};
  return drop_request(s, &r, group, iface, sources, nsources);
}

static bool host_equal(const mcb_addr *a, const mcb_addr *b)
{
  if (a->u.sa.sa_family != b->u.sa.sa_family) return false;
  if (a->u.sa.sa_family == AF_INET) return a->u.in4.sin_addr.s_addr == b->u.in4.sin_addr.s_addr;
  return memcmp(&a->u.in6.sin6_addr, &b->u.in6.sin6_addr, sizeof a->u.in6.sin6_addr) == 0;
}

void mcb__membership_arrival(mcb_socket *s, const mcb_message *msg)
{
  for (size_t i = 0; i < s->ngroups; i++) {
    mcb_membership *m = &s->groups[i];
    bool listed = false;
    if (m->first_ns != 0 || !host_equal(&m->group, msg->dst)) continue;
    if (m->ifindex != 0 && msg->ifindex != 0 && m->ifindex != msg->ifindex) continue;
    for (size_t k = 0; k < m->nsources && !listed; k++)
      listed = host_equal(&m->sources[k], msg->src);
    if (m->nsources > 0 && listed == m->exclude) continue; /* not one of its sources */
    m->first_ns = msg->mono_ns;
    s->groups_waiting--;
  }
}

size_t mcb_membership_count(const mcb_socket *s)
{
  return s->ngroups;
}

const mcb_membership *mcb_membership_at(const mcb_socket *s, size_t index)
{
  return index < s->ngroups ? &s->groups[index] : NULL;
}
