/* record-setup.c - what a recording needs beyond the typed lines: the commands that
 * recreate the lab and the sockets open when it began (so the file replays on its own:
 * lab nodes, links and routes, then each socket, `on` its lab host), and toggles
 * written as the state they produced (so a replay does not depend on the state before
 * it). Reads the session's sockets; writes scenario text only. */
#include "record.h"

#include <stdio.h>
#include <string.h>

#include "sockopt.h"

/* Options a new socket already has, so the setup only writes the others. Buffer sizes
 * are left out: the kernel reports twice what was set, and a replay would double it. */
static const struct {
  const char *name, *fresh;
} written[] = {
    {"ttl", "64"},           {"mcast-ttl", "1"}, {"loopback", "on"}, {"broadcast", "off"},
    {"mcast-if", "default"}, {"tos", "0x00"},    {"echo", "off"},
};

/* An interface name a scenario can hold as one word; otherwise the index is written. */
static bool plain_word(const char *s)
{
  if (!*s) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '.' || *s == '_' || *s == '-'))
      return false;
  return true;
}

/* An address a scenario can hold unquoted: "0.0.0.0:5000", "[fd00::1%mcb0]:5000",
 * "/tmp/srv.sock", "@abstract". Anything else (a unix path with odd bytes) is left out:
 * the replay then reports the socket unbound rather than reading a mangled path. */
static bool one_word(const char *s)
{
  if (!*s) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          strchr("._-/@:[]%", *s)))
      return false;
  return true;
}

static size_t add(char *out, size_t size, size_t n, const char *fmt, const char *a, const char *b,
                  const char *c)
{
  if (n < size) n += (size_t)snprintf(out + n, size - n, fmt, a, b, c);
  return n < size ? n : size;
}

static size_t options(const scn_sock *ss, char *out, size_t size, size_t n)
{
  mcb_optval vals[SCN_MAX_OPTIONS];
  const mcb_option *o;
  char buf[64];
  scn_option_values(ss->sock, vals);
  for (size_t i = 0; i < SCN_MAX_OPTIONS && (o = scn_option_at(i)) != NULL; i++) {
    if (!vals[i].valid) continue;
    mcb_option_format(o, &vals[i], buf, sizeof buf);
    for (size_t k = 0; k < sizeof written / sizeof written[0]; k++)
      if (strcmp(written[k].name, o->name) == 0 && strcmp(written[k].fresh, buf) != 0 &&
          plain_word(buf))
        n = add(out, size, n, "set %s %s %s\n", ss->name, o->name, buf);
  }
  return n;
}

static size_t joins(const scn_sock *ss, char *out, size_t size, size_t n)
{
  char g[MCB_ADDRSTRLEN], s[MCB_ADDRSTRLEN], on[40], from[16 * MCB_ADDRSTRLEN];
  for (size_t i = 0; i < mcb_membership_count(ss->sock); i++) {
    const mcb_membership *m = mcb_membership_at(ss->sock, i);
    size_t f = 0;
    on[0] = from[0] = '\0';
    if (m->ifindex != 0) snprintf(on, sizeof on, " on %s", plain_word(m->ifname) ? m->ifname : "");
    if (m->ifindex != 0 && !plain_word(m->ifname)) snprintf(on, sizeof on, " on %u", m->ifindex);
    for (size_t k = 0; k < m->nsources && f < sizeof from; k++)
      f += (size_t)snprintf(from + f, sizeof from - f, "%s%s",
                            k ? "," : (m->exclude ? " except " : " from "),
                            mcb_addr_format_host(&m->sources[k], s, sizeof s));
    n = add(out, size, n, "join %s %s%s", ss->name, mcb_addr_format_host(&m->group, g, sizeof g),
            on);
    n = add(out, size, n, "%s\n%s%s", from, "", "");
  }
  return n;
}

/* The lab as it stands: nodes, links and routes (the default hosts local and peer, and
 * their link, come with --private and are not declared). */
static size_t lab_setup(const scn_session *s, char *out, size_t size, size_t n)
{
  mcb_lab *lab = scn_session_lab_if_any(s);
  mcb_lab_node_info node;
  mcb_lab_link_info link;
  mcb_lab_route_info route;
  char extra[48], to[MCB_LAB_MAX_OUT * MCB_LAB_NAME_MAX];
  if (lab == NULL) return n;
  for (size_t i = 0; mcb_lab_node_at(lab, i, &node) == 0; i++) {
    if (strcmp(node.name, MCB_LAB_LOCAL) == 0 || strcmp(node.name, MCB_LAB_PEER) == 0) continue;
    n = add(out, size, n, "lab %s %s%s", mcb_lab_kind_name(node.kind), node.name,
            node.flags & MCB_LAB_QUERIER ? " querier on" : "");
    n = add(out, size, n, "%s\n%s%s", node.flags & MCB_LAB_NO_SNOOPING ? " snooping off" : "", "",
            "");
  }
  for (size_t i = 0; mcb_lab_link_at(lab, i, &link) == 0; i++) {
    size_t e = 0;
    if (strcmp(link.a, MCB_LAB_LOCAL) == 0 && strcmp(link.b, MCB_LAB_PEER) == 0) continue;
    extra[0] = '\0';
    if (link.ttl_threshold > 1) /* 1, the default, passes every TTL */
      e += (size_t)snprintf(extra, sizeof extra, " ttl-threshold %d", link.ttl_threshold);
    if (link.loss_ppm > 0 && e < sizeof extra)
      snprintf(extra + e, sizeof extra - e, " loss %g%%", link.loss_ppm / 10000.0);
    n = add(out, size, n, "lab link %s %s%s\n", link.a, link.b, extra);
  }
  for (size_t i = 0; mcb_lab_route_at(lab, i, &route) == 0; i++) {
    size_t t = 0;
    for (size_t k = 0; k < route.nto && t < sizeof to; k++)
      t += (size_t)snprintf(to + t, sizeof to - t, "%s%s", k ? "," : "", route.to[k]);
    n = add(out, size, n, "lab route %s %s%s", route.router, route.group,
            strcmp(route.source, "*") != 0 ? " source " : "");
    n = add(out, size, n, "%s from %s to %s\n", strcmp(route.source, "*") != 0 ? route.source : "",
            route.from, to);
  }
  return n;
}

size_t ui_record_setup(const scn_session *s, char *out, size_t size)
{
  size_t n = 0;
  char local[MCB_ADDRSTRLEN];
  out[0] = '\0';
  n = lab_setup(s, out, size, n);
  for (size_t i = 0; i < scn_session_socket_count(s); i++) {
    const scn_sock *ss = scn_session_socket_at(s, i);
    mcb_socket_info info;
    if (ss == NULL || ss->sock == NULL) continue;
    mcb_socket_info_get(ss->sock, &info);
    if (info.state == MCB_STATE_CLOSED || info.state == MCB_STATE_CLOSING) continue;
    n = add(out, size, n, "open %s %s%s", ss->name, mcb_family_name(info.family),
            info.flags & MCB_REUSE ? " reuse" : "");
    n = add(out, size, n, "%s%s%s\n", info.flags & MCB_V6ONLY ? " v6only" : "",
            ss->node[0] ? " on " : "", ss->node);
    n = options(ss, out, size, n);
    mcb_addr_format(&info.local, local, sizeof local);
    if (info.bound && one_word(local)) n = add(out, size, n, "bind %s %s%s\n", ss->name, local, "");
    n = joins(ss, out, size, n);
  }
  return n;
}

bool ui_record_toggle(const scn_session *s, const char *name, const char *option, char *out,
                      size_t size)
{
  const scn_sock *ss = scn_session_socket(s, name);
  const mcb_option *o = scn_option_find(option);
  mcb_optval vals[SCN_MAX_OPTIONS];
  char buf[64];
  if (ss == NULL || ss->sock == NULL || o == NULL) return false;
  scn_option_values(ss->sock, vals);
  for (size_t i = 0; i < SCN_MAX_OPTIONS && scn_option_at(i) != NULL; i++) {
    if (scn_option_at(i) != o || !vals[i].valid) continue;
    mcb_option_format(o, &vals[i], buf, sizeof buf);
    if (strcmp(buf, "on") != 0 && strcmp(buf, "off") != 0) return false;
    snprintf(out, size, "set %s %s %s", name, option, strcmp(buf, "on") == 0 ? "off" : "on");
    return true;
  }
  return false;
}
