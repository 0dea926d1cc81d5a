/* cmd-lab.c - `lab`: the virtual lab's verbs. Hosts, routers and switches are network
 * namespaces joined by veth links (core/src/lab*.c); `lab route` adds a static
 * multicast forwarding entry on a router, `lab show` prints the lab. The first lab verb
 * makes the session's lab; it vanishes with the session. */
#include "cmd-lab.h"
#include "command-api.h"
#include "values.h"

#include <stdio.h>
#include <string.h>

enum form {
  F_HOST,
  F_ROUTER,
  F_SWITCH,
  F_LINK,
  F_ROUTE,
  F_SHOW,
  F_TRACE,
  F_CAPTURE_STOP,
  F_CAPTURE,
  F_CAPTURE_PAIR_STOP,
  F_CAPTURE_PAIR,
  F_EXEC,
  F_SET_IGMP,
  F_SET_MLD,
};

static const char *const forms[] = {
    [F_HOST] = "host NODE",
    [F_ROUTER] = "router NODE",
    [F_SWITCH] = "switch NODE [querier on|off] [snooping on|off]",
    [F_LINK] = "link NODE OTHER [ttl-threshold N] [loss PCT] [dup PCT] [rate RATE kbps|Mbps] "
               "[delay DUR] [jitter DUR] [reorder PCT]",
    [F_ROUTE] = "route NODE GROUP [source ADDR] from OTHER to NODES",
    [F_SHOW] = "show [NODE]",
    [F_TRACE] = "trace GROUP from NODE to OTHER",
    [F_CAPTURE_STOP] = "capture LINK stop",
    [F_CAPTURE] = "capture LINK FILE [overwrite] [count N]",
    [F_CAPTURE_PAIR_STOP] = "capture NODE OTHER stop",
    [F_CAPTURE_PAIR] = "capture NODE OTHER FILE [overwrite] [count N]",
    [F_EXEC] = "exec NODE [within DUR] [status N] [bg] -- CMD...",
    [F_SET_IGMP] = "set NODE igmp 1|2|3",
    [F_SET_MLD] = "set NODE mld 1|2",
    NULL,
};

/* Declares the node for later lines; `querier` and `snooping` take on or off, and a
 * querier needs snooping (without it the bridge floods and ignores the reports). */
static void check_lab(scn_checker *ck, scn_command *cmd)
{
  const scn_token *q = scn_arg(cmd, "querier"), *n = scn_arg(cmd, "ttl-threshold");
  const scn_token *sn = scn_arg(cmd, "snooping");
  int64_t v;
  const char *why;
  if (q != NULL && strcmp(q->text, "on") != 0 && strcmp(q->text, "off") != 0)
    scn_diags_at(ck->diags, cmd, q, "querier takes on or off, not '%s'", q->text);
  if (sn != NULL && strcmp(sn->text, "on") != 0 && strcmp(sn->text, "off") != 0)
    scn_diags_at(ck->diags, cmd, sn, "snooping takes on or off, not '%s'", sn->text);
  else if (sn != NULL && q != NULL && strcmp(sn->text, "off") == 0 && strcmp(q->text, "on") == 0)
    scn_diags_at(ck->diags, cmd, q,
                 "a querier needs snooping: with snooping off the bridge "
                 "floods every group whatever the reports say");
  if (n != NULL && scn_parse_int(n->text, 0, 255, &v, &why) != 0)
    scn_diags_at(ck->diags, cmd, n, "a TTL threshold is 0..255");
  if (cmd->form <= F_SWITCH) scn_checker_add_node(ck, scn_arg(cmd, "NODE")->text);
  if (cmd->form == F_ROUTE) scn__lab_check_route(ck, cmd);
  if (cmd->form == F_LINK) scn__lab_check_link(ck, cmd);
  if (cmd->form == F_EXEC) scn__lab_exec_check(ck, cmd);
}

static scn_status add_node(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  static const mcb_lab_kind kinds[] = {
      [F_HOST] = MCB_LAB_HOST, [F_ROUTER] = MCB_LAB_ROUTER, [F_SWITCH] = MCB_LAB_SWITCH};
  const scn_token *q = scn_arg(cmd, "querier"), *sn = scn_arg(cmd, "snooping");
  const char *name = scn_arg(cmd, "NODE")->text;
  unsigned flags = q != NULL && strcmp(q->text, "on") == 0 ? MCB_LAB_QUERIER : 0;
  if (sn != NULL && strcmp(sn->text, "off") == 0) flags |= MCB_LAB_NO_SNOOPING;
  int rc = mcb_lab_add_node(lab, name, kinds[cmd->form], flags);
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  scn_note(s, cmd, "lab: %s %s ready%s", mcb_lab_kind_name(kinds[cmd->form]), name,
           flags & MCB_LAB_QUERIER       ? " (querier)"
           : flags & MCB_LAB_NO_SNOOPING ? " (no snooping: floods every group)"
                                         : "");
  return SCN_DONE;
}

static scn_status link_nodes(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const scn_token *n = scn_arg(cmd, "ttl-threshold");
  mcb_lab_link_opts opts = {0};
  mcb_lab_link_info li;
  char impair[160];
  int64_t thr = 0;
  const char *why;
  int rc;
  if (n != NULL) scn_parse_int(n->text, 0, 255, &thr, &why);
  scn__lab_link_opts(cmd, &opts);
  opts.ttl_threshold = (int)thr;
  rc = mcb_lab_link(lab, scn_arg(cmd, "NODE")->text, scn_arg(cmd, "OTHER")->text, &opts);
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  mcb_lab_link_at(lab, mcb_lab_link_count(lab) - 1, &li);
  scn__lab_format_impairments(&li, impair, sizeof impair);
  scn_note(s, cmd, "lab: link %s %s up: %s %s, %s %s%s", li.a, li.b, li.ifname_a,
           li.addr_a[0] ? li.addr_a : "(bridge port)", li.ifname_b,
           li.addr_b[0] ? li.addr_b : "(bridge port)", impair);
  return SCN_DONE;
}

static scn_status route(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const char *to[MCB_LAB_MAX_OUT];
  char names[MCB_LAB_MAX_OUT][MCB_LAB_NAME_MAX];
  const scn_token *src = scn_arg(cmd, "source");
  const char *p = scn_arg(cmd, "to")->text;
  size_t n = 0;
  int rc;
  while (n < MCB_LAB_MAX_OUT && *p) {
    size_t len = strcspn(p, ",");
    snprintf(names[n], sizeof names[n], "%.*s", (int)len, p);
    to[n] = names[n];
    n++;
    p += len + (p[len] == ',');
  }
  rc = mcb_lab_route(lab, scn_arg(cmd, "NODE")->text, scn_arg(cmd, "GROUP")->text,
                     src ? src->text : NULL, scn_arg(cmd, "from")->text, to, n);
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  scn_note(s, cmd, "lab: %s routes (%s,%s) from %s to %s", scn_arg(cmd, "NODE")->text,
           src ? src->text : "*", scn_arg(cmd, "GROUP")->text, scn_arg(cmd, "from")->text,
           scn_arg(cmd, "to")->text);
  scn__lab_route_notes(s, cmd, lab);
  return SCN_DONE;
}

static scn_status exec_lab(scn_session *s, scn_command *cmd)
{
  mcb_lab *lab = scn_session_lab(s, cmd);
  if (lab == NULL) return SCN_ERROR;
  switch ((enum form)cmd->form) {
  case F_HOST:
  case F_ROUTER:
  case F_SWITCH:
    return add_node(s, cmd, lab);
  case F_LINK:
    return link_nodes(s, cmd, lab);
  case F_ROUTE:
    return route(s, cmd, lab);
  case F_SHOW:
    return scn__lab_show(s, cmd, lab);
  case F_TRACE:
    return scn__lab_trace(s, cmd, lab);
  case F_CAPTURE_STOP:
  case F_CAPTURE:
  case F_CAPTURE_PAIR_STOP:
  case F_CAPTURE_PAIR:
    return scn__lab_capture(s, cmd, lab);
  case F_EXEC:
    return scn__lab_exec(s, cmd, lab);
  case F_SET_IGMP:
  case F_SET_MLD:
    return scn__lab_set(s, cmd, lab);
  }
  return SCN_ERROR;
}

const scn_entry scn_cmd_lab = {
    .name = "lab",
    .forms = forms,
    .summary = "build a virtual network: hosts, routers and switches in namespaces",
    .help = "Declares a lab node or link, or shows the lab. Each node is a network namespace "
            "mcbench holds (it vanishes when mcbench exits); any lab verb runs the scenario in a "
            "private namespace. Every lab starts with two hosts: local (mcbench's own namespace, "
            "where sockets open by default) and peer, linked by mcb0 and mcb1 (10.99.0.0/24). "
            "host, router and switch declare a node (1 to 7 letters, digits or _). link joins two "
            "nodes with a veth pair named NODE-OTHER in NODE and OTHER-NODE in OTHER and addresses "
            "it: the k-th link or switch is segment k (never 99), 10.0.k.0/24 and fd00:0:0:k::/64, "
            "its nodes numbered .1, .2 in the order they join (a switch's bridge is .1). A host's "
            "first link carries its default and multicast routes; routers forward; switches are "
            "bridges with IGMP/MLD snooping (querier on makes the bridge the querier; snooping off "
            "makes it flood every group to every port). "
            "ttl-threshold N makes routers forward onto the link only datagrams that arrive with a "
            "TTL above N (IPv4 only: IPv6 multicast routing has no thresholds, any hop limit above "
            "1 crosses); loss PCT drops that share of the datagrams crossing the link, in each "
            "direction (nftables). route adds a static IPv4 or IPv6 multicast forwarding entry on "
            "router NODE: GROUP (from any source, or from ADDR) coming from neighbour OTHER goes "
            "out to NODES (comma-separated), by the kernel's multicast routing (MRT, MRT6), or by "
            "mcbench when the kernel has none; each router lowers the TTL or hop limit by one and "
            "keeps the source. Link-scope groups (224.0.0.0/24, ff02::/16, any IPv6 scope up to 2) "
            "are never routed. show prints nodes with the groups they joined (a switch: its group "
            "table by port), links with their addresses, packet counters and impairments (and what "
            "these dropped or duplicated), and routes with their counters. trace prints the path "
            "GROUP takes from host NODE to host OTHER, hop by hop, "
            "from the routers' entries and counters, and where and why it stops (no route, wrong "
            "incoming interface, link-scope group). Open sockets in a node with `open NAME udp4 on "
            "NODE` (or udp6); an IPv6 join names its interface (`join rx ff05::1:3 on h2-r1`), "
            "without `on` it lands on the node's first link. "
            "Link impairments act in each direction: dup PCT sends that share twice "
            "(nftables); rate N kbps|Mbps is a token bucket (tbf) holding 10 ms of the rate "
            "and queueing 50 ms more, dropping the rest; delay DUR, jitter DUR (delay varies "
            "by up to that) and reorder PCT (that share skips the delay) need the kernel's "
            "sch_netem and fail with ENOTSUP without it. capture records one end of a link "
            "into a pcapng file for Wireshark or tshark: LINK is that end's interface (h1-r1 "
            "is h1's end of the link to r1, as lab show names them), or NODE OTHER is NODE's "
            "end; both directions are recorded. An existing FILE is kept unless overwrite is "
            "given; a symbolic link is never followed. count N stops recording after N "
            "packets (default 100000, and at most 64 MiB), and says so. The file is complete "
            "at capture LINK stop (which prints what it holds), and when the lab ends. exec runs a "
            "program inside NODE's namespace (every word after --; mcbench is this binary) and "
            "waits for it, within DUR (default 30s), failing unless it exits with status N "
            "(default 0); its output lines show as notes, escaped. bg leaves it running, until "
            "within DUR or the end of the scenario. The program and all it starts are killed with "
            "the lab, even when mcbench is killed. set NODE igmp 1|2|3 (mld 1|2) makes a host's or "
            "router's interfaces report in that IGMP (MLD) version (force_igmp_version, "
            "force_mld_version), so v2 and v3 reports can be compared. On every link an IGMP/MLD "
            "watcher logs joins, leaves, reports and queries with who sent them: printed as they "
            "come, in the TUI's event log (E), in the JSON report and asserted by `expect lab igmp "
            "join GROUP from NODE`.",
    .example =
        "lab host h1\nlab router r1\nlab host h2\nlab link h1 r1 loss 5%\nlab link r1 h2 "
        "ttl-threshold 6\nlab route r1 239.1.1.1 from h1 to h2\nlab route r1 ff05::1:3 from "
        "h1 to h2\nlab show r1\nlab trace 239.1.1.1 from h1 to h2\nlab link h1 h2 dup 1% rate 10 "
        "Mbps\nlab capture h1-r1 /tmp/h1.pcapng\nlab capture h1-r1 stop\nlab exec h2 status 3 -- "
        "mcbench doctor 239.1.1.1:5000 --wait 1s\nlab set h2 igmp 2",
    .check = check_lab,
    .exec = exec_lab,
};
