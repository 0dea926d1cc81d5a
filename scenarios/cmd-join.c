/* cmd-join.c - `join` and `drop`: group membership, any-source or source-specific. */
#include "command-api.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The token a failed join or drop points at: the interface when it is what the core could
 * not resolve (unknown, or an address no interface holds), else the group. */
static const scn_token *at_fault(const char *host, const scn_token *group, const scn_token *on)
{
  mcb_addr a;
  unsigned idx;
  if (on == NULL || mcb_addr_parse_host(host, &a) != 0) return group;
  return mcb_iface_index(on->text, mcb_addr_family(&a), &idx) != 0 ? on : group;
}

/* Reads a kernel limit from /proc/sys ("net/ipv4/igmp_max_memberships"); -1 when unknown. */
static long sysctl_value(const char *path)
{
  char full[128], buf[32];
  long v = -1;
  FILE *f;
  snprintf(full, sizeof full, "/proc/sys/%s", path);
  if ((f = fopen(full, "r")) == NULL) return -1;
  if (fgets(buf, sizeof buf, f) != NULL) v = strtol(buf, NULL, 10);
  fclose(f);
  return v;
}

/* The kernel refuses a membership past its per-socket limits with ENOBUFS: name the
 * sysctl, so the user knows what to raise (mcbench --private raises both). */
static scn_status fail_join(scn_session *s, const scn_command *cmd, const scn_token *at, int rc,
                            bool ipv4, bool ssm, size_t joined)
{
  mcb_bench *b = scn_session_bench(s);
  const char *msg = mcb_last_error(b);
  long limit;
  if (rc != UV_ENOBUFS || strstr(msg, "too many") != NULL) return scn_fail_core(s, cmd, at, rc);
  if (ipv4 && ssm)
    return scn_fail(s, cmd, at, rc,
                    "%s; the kernel's limit net.ipv4.igmp_max_msf is %ld sources per group and "
                    "socket (raise it with sysctl, or run with --private, whose namespace "
                    "raises it)",
                    msg, sysctl_value("net/ipv4/igmp_max_msf"));
  limit = sysctl_value("net/ipv4/igmp_max_memberships");
  if (ipv4 && limit >= 0 && (size_t)limit <= joined)
    return scn_fail(s, cmd, at, rc,
                    "%s; the kernel's limit net.ipv4.igmp_max_memberships is %ld per socket "
                    "(raise it with sysctl, or run with --private, whose namespace raises it)",
                    msg, limit);
  /* Below that limit, the memberships' memory is what ran out. */
  return scn_fail(s, cmd, at, rc,
                  "%s after %zu groups on this socket; the kernel's limit on a socket's option "
                  "memory, net.core.optmem_max, is %ld bytes (raise it with sysctl, or spread the "
                  "groups over more sockets)",
                  msg, joined, sysctl_value("net/core/optmem_max"));
}

static scn_status membership(scn_session *s, scn_command *cmd, bool join)
{
  const scn_token *group = scn_arg(cmd, "GROUPS"), *on = scn_arg(cmd, "on"),
                  *from = scn_arg(cmd, "from");
  scn_sock *ss = scn_target(s);
  char list[1100], *save = NULL, host[MCB_ADDRSTRLEN];
  const char *sources[16], *why;
  mcb_addr first, a;
  uint64_t count = 1, i;
  size_t n = 0;
  int rc = 0;

  if (from != NULL) {
    snprintf(list, sizeof list, "%s", from->text);
    for (char *p = strtok_r(list, ",", &save); p && n < 16; p = strtok_r(NULL, ",", &save))
      sources[n++] = p;
  }
  if (!scn_is_range(group->text)) {
    snprintf(host, sizeof host, "%s", group->text);
  } else if (scn_parse_range(group->text, false, &first, &count, &why) != 0) {
    return scn_fail(s, cmd, group, UV_EINVAL, "%s", why);
  }
  for (i = 0; i < count; i++) {
    if (scn_is_range(group->text)) {
      scn_range_at(&first, i, &a);
      mcb_addr_format_host(&a, host, sizeof host);
    }
    rc = join ? mcb_join(ss->sock, host, on ? on->text : NULL, sources, n)
              : mcb_drop(ss->sock, host, on ? on->text : NULL, sources, n);
    if (rc != 0) break;
  }
  if (rc != 0) {
    scn_status st = fail_join(s, cmd, at_fault(host, group, on), rc, strchr(host, ':') == NULL,
                              n > 0, mcb_membership_count(ss->sock));
    /* A range joins all or nothing: leave the ones joined before the failure. */
    while (join && i-- > 0) {
      scn_range_at(&first, i, &a);
      mcb_addr_format_host(&a, host, sizeof host);
      (void)mcb_drop(ss->sock, host, on ? on->text : NULL, sources, n);
    }
    return st;
  }
  if (count > 1)
    scn_note(s, cmd, "%s %s %llu groups %s%s%s%s%s", ss->name, join ? "joined" : "left",
             (unsigned long long)count, group->text, on ? " on " : "", on ? on->text : "",
             from ? " from " : "", from ? from->text : "");
  else
    scn_note(s, cmd, "%s %s %s%s%s%s%s", ss->name, join ? "joined" : "left", group->text,
             on ? " on " : "", on ? on->text : "", from ? " from " : "", from ? from->text : "");
  return SCN_DONE;
}

static scn_status exec_join(scn_session *s, scn_command *cmd)
{
  return membership(s, cmd, true);
}

static scn_status exec_drop(scn_session *s, scn_command *cmd)
{
  return membership(s, cmd, false);
}

static const char *const forms[] = {"NAME GROUPS [on IFACE] [from SOURCES]", NULL};

const scn_entry scn_cmd_join = {
    .name = "join",
    .forms = forms,
    .summary = "join a multicast group (any-source, or source-specific with from)",
    .help = "Joins GROUPS (a group, or a range FIRST..LAST) on NAME, on interface IFACE (a name, "
            "index or IPv4 address; default: "
            "the kernel chooses by route). With from, only the listed sources are received "
            "(SSM); joining more sources of the same group adds them. The socket receives only "
            "the groups it joined (IP_MULTICAST_ALL is off). A range FIRST..LAST joins every "
            "group in it, or none when one fails (as mcjoin does for switch snooping tables). "
            "Linux allows net.ipv4.igmp_max_memberships groups (20) and net.ipv4.igmp_max_msf "
            "sources (10) per socket: past them the join fails with ENOBUFS naming the sysctl; "
            "mcbench --private raises both inside its namespace.",
    .example = "join rx 239.1.1.1\njoin rx 239.1.1.1 on mcb0\njoin r6 ff02::1234 on mcb1\n"
               "join rx 232.1.1.1 from 10.99.0.1\njoin rx 239.1.1.1..239.1.1.200",
    .target = SCN_TARGET_OPEN_SOCKET,
    .exec = exec_join,
};

const scn_entry scn_cmd_drop = {
    .name = "drop",
    .forms = forms,
    .summary = "leave a multicast group, or some sources of it",
    .help = "Leaves GROUP (or every group of a range FIRST..LAST) on NAME (the interface may "
            "be omitted when the group was joined on one interface only). With from, only those "
            "sources of a source-specific "
            "membership are dropped. Dropping a group never joined fails with EADDRNOTAVAIL.",
    .example = "drop rx 239.1.1.1\ndrop rx 232.1.1.1 from 10.99.0.1",
    .target = SCN_TARGET_OPEN_SOCKET,
    .exec = exec_drop,
};
