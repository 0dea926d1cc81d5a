/* cmd-join.c - `join` and `drop`: group membership, any-source or source-specific. */
#include "command-api.h"

#include <stdio.h>
#include <string.h>

/* The token a failed join or drop points at: the interface when it is what the core could
 * not resolve (unknown, or an address no interface holds), else the group. */
static const scn_token *at_fault(const scn_token *group, const scn_token *on)
{
  mcb_addr a;
  unsigned idx;
  if (on == NULL || mcb_addr_parse_host(group->text, &a) != 0) return group;
  return mcb_iface_index(on->text, mcb_addr_family(&a), &idx) != 0 ? on : group;
}

static scn_status membership(scn_session *s, scn_command *cmd, bool join)
{
  const scn_token *group = scn_arg(cmd, "GROUP"), *on = scn_arg(cmd, "on"),
                  *from = scn_arg(cmd, "from");
  scn_sock *ss = scn_target(s);
  char list[1100], *save = NULL;
  const char *sources[16];
  size_t n = 0;
  int rc;

  if (from != NULL) {
    snprintf(list, sizeof list, "%s", from->text);
    for (char *p = strtok_r(list, ",", &save); p && n < 16; p = strtok_r(NULL, ",", &save))
      sources[n++] = p;
  }
  rc = join ? mcb_join(ss->sock, group->text, on ? on->text : NULL, sources, n)
            : mcb_drop(ss->sock, group->text, on ? on->text : NULL, sources, n);
  if (rc != 0) return scn_fail_core(s, cmd, at_fault(group, on), rc);
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

static const char *const forms[] = {"NAME GROUP [on IFACE] [from SOURCES]", NULL};

const scn_entry scn_cmd_join = {
    .name = "join",
    .forms = forms,
    .summary = "join a multicast group (any-source, or source-specific with from)",
    .help = "Joins GROUP on NAME, on interface IFACE (a name, index or IPv4 address; default: "
            "the kernel chooses by route). With from, only the listed sources are received "
            "(SSM); joining more sources of the same group adds them. The socket receives only "
            "the groups it joined (IP_MULTICAST_ALL is off).",
    .example = "join rx 239.1.1.1\njoin rx 239.1.1.1 on mcb0\njoin r6 ff02::1234 on mcb1\n"
               "join rx 232.1.1.1 from 10.99.0.1",
    .target = SCN_TARGET_OPEN_SOCKET,
    .exec = exec_join,
};

const scn_entry scn_cmd_drop = {
    .name = "drop",
    .forms = forms,
    .summary = "leave a multicast group, or some sources of it",
    .help = "Leaves GROUP on NAME (the interface may be omitted when the group was joined on "
            "one interface only). With from, only those sources of a source-specific "
            "membership are dropped. Dropping a group never joined fails with EADDRNOTAVAIL.",
    .example = "drop rx 239.1.1.1\ndrop rx 232.1.1.1 from 10.99.0.1",
    .target = SCN_TARGET_OPEN_SOCKET,
    .exec = exec_drop,
};
