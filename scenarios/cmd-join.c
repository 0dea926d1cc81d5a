/* cmd-join.c - `join` and `drop`: group membership, any-source, source-specific (from:
 * include mode) or any source but some (except: exclude mode). */
#include "command-api.h"
#include "grammar.h"
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
  if (ssm) /* included (from) and excluded (except) sources count alike */
    return scn_fail(s, cmd, at, rc,
                    "%s; the kernel's limit net.%s is %ld sources per group and "
                    "socket (raise it with sysctl, or run with --private, whose namespace "
                    "raises it)",
                    msg, ipv4 ? "ipv4.igmp_max_msf" : "ipv6.mld_max_msf",
                    sysctl_value(ipv4 ? "net/ipv4/igmp_max_msf" : "net/ipv6/mld_max_msf"));
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

/* One group's join or drop, in the mode the command's words ask for. */
static int apply(scn_sock *ss, bool join, bool except, const char *host, const scn_token *on,
                 const char *const *sources, size_t n)
{
  const char *iface = on ? on->text : NULL;
  if (except)
    return join ? mcb_join_except(ss->sock, host, iface, sources, n)
                : mcb_drop_except(ss->sock, host, iface, sources, n);
  return join ? mcb_join(ss->sock, host, iface, sources, n)
              : mcb_drop(ss->sock, host, iface, sources, n);
}

/* "rx joined 239.1.1.1 on h2-r1 except 10.0.1.2"; a range says how many groups. */
static void note_done(scn_session *s, const scn_command *cmd, const scn_sock *ss, bool join,
                      uint64_t count)
{
  const scn_token *group = scn_arg(cmd, "GROUPS"), *on = scn_arg(cmd, "on"),
                  *from = scn_arg(cmd, "from"), *except = scn_arg(cmd, "except");
  char groups[64] = "";
  if (count > 1) snprintf(groups, sizeof groups, "%llu groups ", (unsigned long long)count);
  if (except != NULL && !join)
    scn_note(s, cmd, "%s receives %s%s%s from %s again", ss->name, group->text, on ? " on " : "",
             on ? on->text : "", except->text);
  else
    scn_note(s, cmd, "%s %s %s%s%s%s%s%s", ss->name, join ? "joined" : "left", groups, group->text,
             on ? " on " : "", on ? on->text : "", from ? " from " : (except ? " except " : ""),
             from ? from->text : (except ? except->text : ""));
}

static scn_status membership(scn_session *s, scn_command *cmd, bool join)
{
  const scn_token *group = scn_arg(cmd, "GROUPS"), *on = scn_arg(cmd, "on"),
                  *except = scn_arg(cmd, "except");
  const scn_token *from = except ? except : scn_arg(cmd, "from");
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
  if (except != NULL && scn_is_range(group->text)) /* check time says so too */
    return scn_fail(s, cmd, except, UV_EINVAL, "except takes one group, not a range");
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
    rc = apply(ss, join, except != NULL, host, on, sources, n);
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
  note_done(s, cmd, ss, join, count);
  return SCN_DONE;
}

/* A membership includes sources (from) or excludes them (except), never both; and a range
 * is joined all or nothing, which exclude mode on many groups would make unclear. */
static void check_join(scn_checker *ck, scn_command *cmd)
{
  const scn_token *from = scn_arg(cmd, "from"), *except = scn_arg(cmd, "except");
  if (from != NULL && except != NULL)
    scn_diags_at(ck->diags, cmd, except,
                 "from and except do not mix: a membership receives only some sources (from, "
                 "include mode) or every source but some (except, exclude mode)");
  else if (except != NULL && scn_is_range(scn_arg(cmd, "GROUPS")->text))
    scn_diags_at(ck->diags, cmd, except, "except takes one group, not a range");
}

static scn_status exec_join(scn_session *s, scn_command *cmd)
{
  return membership(s, cmd, true);
}

static scn_status exec_drop(scn_session *s, scn_command *cmd)
{
  return membership(s, cmd, false);
}

static const char *const forms[] = {"NAME GROUPS [on IFACE] [from SOURCES] [except SOURCES]", NULL};

const scn_entry scn_cmd_join = {
    .name = "join",
    .forms = forms,
    .summary = "join a multicast group (any source, only some with from, all but some with except)",
    .help =
        "Joins GROUPS (a group, or a range FIRST..LAST) on NAME, on interface IFACE (a name, "
        "index or IPv4 address; default: "
        "the kernel chooses by route). With from, only the listed sources are received "
        "(SSM, include mode); joining more sources of the same group adds them. With except, "
        "every source but the listed ones is received (IGMPv3/MLDv2 exclude mode: the group "
        "is joined, then each source blocked); joining more excluded sources adds them, and "
        "`drop NAME GROUP except SOURCES` receives them again. One group's membership is in "
        "one mode: the kernel refuses to mix from and except (EINVAL). The socket receives only "
        "the groups it joined (IP_MULTICAST_ALL is off). A range FIRST..LAST joins every "
        "group in it, or none when one fails (as mcjoin does for switch snooping tables). "
        "Linux allows net.ipv4.igmp_max_memberships groups (20) and net.ipv4.igmp_max_msf "
        "sources (10, included or excluded) per socket: past them the join fails with ENOBUFS "
        "naming the sysctl; mcbench --private raises both inside its namespace.",
    .example = "join rx 239.1.1.1\njoin rx 239.1.1.1 on mcb0\njoin r6 ff02::1234 on mcb1\n"
               "join rx 232.1.1.1 from 10.99.0.1\njoin rx 239.1.1.1 except 10.0.1.2,10.0.1.3\n"
               "join rx 239.1.1.1..239.1.1.200",
    .target = SCN_TARGET_OPEN_SOCKET,
    .check = check_join,
    .exec = exec_join,
};

const scn_entry scn_cmd_drop = {
    .name = "drop",
    .forms = forms,
    .summary = "leave a multicast group, or some sources of it",
    .help = "Leaves GROUP (or every group of a range FIRST..LAST) on NAME (the interface may "
            "be omitted when the group was joined on one interface only). With from, only those "
            "sources of a source-specific "
            "membership are dropped. With except, the listed excluded sources are received again "
            "(MCAST_UNBLOCK_SOURCE) and the group stays joined. Dropping a group never joined, "
            "or a source it does not list, fails with EADDRNOTAVAIL.",
    .example = "drop rx 239.1.1.1\ndrop rx 232.1.1.1 from 10.99.0.1\ndrop rx 239.1.1.1 except "
               "10.0.1.2",
    .target = SCN_TARGET_OPEN_SOCKET,
    .check = check_join,
    .exec = exec_drop,
};
