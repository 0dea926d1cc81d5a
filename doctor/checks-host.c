/* checks-host.c - kernel limits, IGMP/MLD versions, who joined, and the environment.
 *
 * Read from /proc/sys and /proc/net of the caller's namespace; mind the byte orders
 * (proc.c).
 */
#include "internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t group_be(const doc_diagnosis *d)
{
  return d->req.group.u.in4.sin_addr.s_addr;
}

void doc_check_limits(doc_diagnosis *d, doc_result *r)
{
  const char *names[3];
  long v[3];
  int n = 0;
  if (doc_is_v6(d)) {
    names[n++] = "net.ipv6.mld_max_msf";
  } else {
    names[n++] = "net.ipv4.igmp_max_memberships";
    names[n++] = "net.ipv4.igmp_max_msf";
  }
  for (int i = 0; i < n; i++) {
    char path[96];
    snprintf(path, sizeof path, "/proc/sys/%s", names[i]);
    for (char *p = path + 10; *p != '\0'; p++)
      if (*p == '.') *p = '/';
    if (doc_sysctl(path, &v[i]) != 0) {
      doc_set(r, DOC_SKIP, "cannot read %s", names[i]);
      return;
    }
    doc_evidence(r, "%s = %ld", names[i], v[i]);
  }
  /* The doctor asks about one group (and at most one source) per socket. */
  for (int i = 0; i < n; i++) {
    if (v[i] < 1) {
      doc_set(r, DOC_WARN, "%s is %ld: a socket cannot join even one %s", names[i], v[i],
              strstr(names[i], "msf") != NULL ? "source" : "group");
      doc_fix(r, "sysctl -w %s=20", names[i]);
      return;
    }
  }
  doc_set(r, DOC_PASS, "kernel limits allow this join (more groups per socket fail with ENOBUFS)");
  doc_fix(r, "many groups on one socket: raise %s", names[0]);
}

static int forced_version(const doc_diagnosis *d, const char *what, long *value)
{
  char path[128];
  long all = 0, dev = 0;
  const char *dir = doc_is_v6(d) ? "ipv6" : "ipv4";
  snprintf(path, sizeof path, "/proc/sys/net/%s/conf/all/%s", dir, what);
  if (doc_sysctl(path, &all) != 0) return UV_ENOENT;
  if (d->facts.have_link) {
    snprintf(path, sizeof path, "/proc/sys/net/%s/conf/%s/%s", dir, d->facts.ifname, what);
    (void)doc_sysctl(path, &dev);
  }
  *value = dev != 0 ? dev : all;
  return 0;
}

void doc_check_igmp_version(doc_diagnosis *d, doc_result *r)
{
  const char *what = doc_is_v6(d) ? "force_mld_version" : "force_igmp_version";
  const char *proto = doc_is_v6(d) ? "MLD" : "IGMP";
  long forced = 0;
  int querier = 0;
  if (forced_version(d, what, &forced) != 0) {
    doc_set(r, DOC_SKIP, "cannot read %s", what);
    return;
  }
  doc_evidence(r, "%s = %ld%s", what, forced, forced == 0 ? " (not forced)" : "");
  const char *text = doc_is_v6(d) || !d->facts.have_link ? NULL : doc_proc(d, "/proc/net/igmp");
  if (text != NULL) {
    doc_igmp ig;
    doc_proc_igmp(text, d->facts.ifindex, group_be(d), &ig);
    querier = ig.querier_version;
    if (querier > 0) doc_evidence(r, "/proc/net/igmp: %s speaks IGMPv%d", d->facts.ifname, querier);
  }
  long v = forced != 0 ? forced : querier;
  bool old = doc_is_v6(d) ? v == 1 : (v == 1 || v == 2);
  if (old && d->req.has_source) {
    doc_set(r, DOC_WARN, "%sv%ld on %s cannot carry the source of a source-specific join", proto, v,
            d->facts.have_link ? d->facts.ifname : "the interface");
    doc_fix(r, "sysctl -w net.%s.conf.all.%s=0; ask for an %sv%d querier on the LAN",
            doc_is_v6(d) ? "ipv6" : "ipv4", what, proto, doc_is_v6(d) ? 2 : 3);
  } else if (old) {
    doc_set(r, DOC_INFO, "%sv%ld on %s: fine for any-source joins", proto, v,
            d->facts.have_link ? d->facts.ifname : "the interface");
  } else {
    doc_set(r, DOC_PASS, "%s version allows %s joins", proto,
            d->req.has_source ? "source-specific" : "any");
  }
}

/* The link-layer address a group maps to (01:00:5e + 23 bits, 33:33 + 32 bits), as
 * /proc/net/dev_mcast prints it. */
static void group_mac(const doc_diagnosis *d, char out[13])
{
  const uint8_t *a = doc_is_v6(d) ? d->req.group.u.in6.sin6_addr.s6_addr + 12
                                  : (const uint8_t *)&d->req.group.u.in4.sin_addr;
  if (doc_is_v6(d))
    snprintf(out, 13, "3333%02x%02x%02x%02x", a[0], a[1], a[2], a[3]);
  else
    snprintf(out, 13, "01005e%02x%02x%02x", a[1] & 0x7f, a[2], a[3]);
}

/* Whether the NIC's own filter lets the group's frames in (evidence only). */
static void nic_filter(doc_diagnosis *d, doc_result *r)
{
  char mac[13], line[128];
  const char *text = doc_proc(d, "/proc/net/dev_mcast");
  bool found = false;
  if (text == NULL) return;
  group_mac(d, mac);
  while (*text != '\0' && !found) {
    size_t n = strcspn(text, "\n");
    unsigned idx;
    char dev[IF_NAMESIZE], hex[40];
    snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), text);
    if (sscanf(line, "%u %15s %*d %*d %39s", &idx, dev, hex) == 3 && idx == d->facts.ifindex &&
        strcmp(hex, mac) == 0)
      found = true;
    text += n + (text[n] == '\n');
  }
  doc_evidence(r, "/proc/net/dev_mcast: %s %s the NIC filter of %s", mac,
               found ? "is in" : "is not in", d->facts.ifname);
}

static void membership_v6(doc_diagnosis *d, doc_result *r, const char *g)
{
  doc_igmp ig;
  const char *text = doc_proc(d, "/proc/net/igmp6");
  if (text == NULL) {
    doc_set(r, DOC_SKIP, "cannot read /proc/net/igmp6");
    return;
  }
  doc_proc_igmp6(text, d->facts.ifindex, &d->req.group.u.in6.sin6_addr, &ig);
  if (!ig.joined) {
    doc_set(r, DOC_WARN, "nobody has joined %s on %s", g, d->facts.ifname);
    doc_evidence(r, "/proc/net/igmp6 has no entry for %s on %s", g, d->facts.ifname);
    doc_fix(r, "join it on that interface (join NAME %s on %s), or run the doctor with --probe", g,
            d->facts.ifname);
    return;
  }
  doc_evidence(r, "/proc/net/igmp6: %s joined %u time(s) on %s", g, ig.users, ig.device);
  doc_set(r, DOC_PASS, "%s is joined on %s", g, d->facts.ifname);
  nic_filter(d, r);
}

static void membership_sources(doc_diagnosis *d, doc_result *r, const char *g)
{
  doc_mcfilter mf;
  char s[MCB_ADDRSTRLEN];
  const char *text = doc_proc(d, "/proc/net/mcfilter");
  if (text == NULL) return;
  doc_proc_mcfilter(text, d->facts.ifindex, group_be(d),
                    d->req.has_source ? d->req.source.u.in4.sin_addr.s_addr : 0, &mf);
  if (mf.include + mf.exclude > 0)
    doc_evidence(r, "/proc/net/mcfilter: %u included and %u excluded source(s) for %s", mf.include,
                 mf.exclude, g);
  if (!d->req.has_source || mf.include == 0) return;
  doc_host(&d->req.source, s, sizeof s);
  if (!mf.source_included) {
    doc_set(r, DOC_WARN, "%s is joined on %s for other sources, not %s", g, d->facts.ifname, s);
    doc_fix(r, "join NAME %s on %s source %s", g, d->facts.ifname, s);
  }
}

void doc_check_membership(doc_diagnosis *d, doc_result *r)
{
  char g[MCB_ADDRSTRLEN];
  doc_igmp here, any;
  doc_host(&d->req.group, g, sizeof g);
  if (!d->facts.have_link) {
    doc_set(r, DOC_SKIP, "needs the interface (see iface)");
    return;
  }
  if (doc_is_v6(d)) {
    membership_v6(d, r, g);
    return;
  }
  const char *text = doc_proc(d, "/proc/net/igmp");
  if (text == NULL) {
    doc_set(r, DOC_SKIP, "cannot read /proc/net/igmp");
    return;
  }
  doc_proc_igmp(text, d->facts.ifindex, group_be(d), &here);
  doc_proc_igmp(text, 0, group_be(d), &any);
  if (!here.joined && any.joined) {
    doc_set(r, DOC_WARN, "%s is joined on %s, not on %s", g, any.device, d->facts.ifname);
    doc_evidence(r, "/proc/net/igmp: %s on %s, %u user(s)", g, any.device, any.users);
    doc_fix(r, "join on the interface the traffic comes in by: join NAME %s on %s", g,
            d->facts.ifname);
    return;
  }
  if (!here.joined) {
    doc_set(r, DOC_WARN, "nobody has joined %s on %s", g, d->facts.ifname);
    doc_evidence(r, "/proc/net/igmp has no entry for %s on %s", g, d->facts.ifname);
    doc_fix(r, "join it (join NAME %s on %s), or run the doctor with --probe", g, d->facts.ifname);
    return;
  }
  doc_evidence(r, "/proc/net/igmp: %s on %s, %u user(s)", g, here.device, here.users);
  doc_set(r, DOC_PASS, "%s is joined on %s", g, d->facts.ifname);
  nic_filter(d, r);
  membership_sources(d, r, g);
}

static bool file_has(doc_diagnosis *d, const char *path, const char *needle)
{
  const char *text = doc_proc(d, path);
  return text != NULL && strstr(text, needle) != NULL;
}

/* The default route tells two common stories: VirtualBox's NAT (gateway 10.0.2.2 out of
 * a NIC that is no veth: a lab's or a container's veth to 10.0.2.2 is not VirtualBox),
 * and a container whose only way out is a veth. */
static void default_route(doc_diagnosis *d, doc_result *r)
{
  mcb_addr any;
  mcb_route_info rt;
  mcb_link_info l;
  bool veth;
  mcb_addr_parse_host(doc_is_v6(d) ? "2001:db8::1" : "192.0.2.1",
                      &any); /* a documentation address */
  if (mcb_route_query(&any.u.sa, NULL, 0, &rt) != 0 || rt.prefix_len != 0) return;
  veth = mcb_link_query(NULL, rt.oif, &l) == 0 && strcmp(l.kind, "veth") == 0;
  if (!veth && rt.gateway.ss_family == AF_INET &&
      ((struct sockaddr_in *)&rt.gateway)->sin_addr.s_addr == htonl(0x0a000202)) {
    doc_set(r, DOC_INFO,
            "VirtualBox NAT (default gateway 10.0.2.2): it passes no multicast to or "
            "from the LAN");
    doc_fix(r, "use a bridged adapter or a host-only network");
  }
  if (veth) {
    doc_evidence(r, "the default route leaves by %s, a veth: the usual sign of a container",
                 l.name);
    if (r->status == DOC_PASS)
      doc_set(r, DOC_INFO, "the default route leaves by a veth: probably a container's network");
  }
}

void doc_check_environment(doc_diagnosis *d, doc_result *r)
{
  char vendor[128] = "";
  long nf = 0;
  doc_set(r, DOC_PASS, "no container, WSL or hypervisor markers that limit multicast");
  static const char *const markers[] = {"/.dockerenv", "/run/.containerenv"};
  char found[160] = "";
  for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
    if (access(markers[i], F_OK) == 0)
      snprintf(found + strlen(found), sizeof found - strlen(found), " %s", markers[i]);
  if (file_has(d, "/proc/1/cgroup", "docker") || file_has(d, "/proc/1/cgroup", "kubepods"))
    snprintf(found + strlen(found), sizeof found - strlen(found), " /proc/1/cgroup");
  if (getenv("KUBERNETES_SERVICE_HOST") != NULL)
    snprintf(found + strlen(found), sizeof found - strlen(found), " KUBERNETES_SERVICE_HOST");
  if (found[0] != '\0') {
    doc_set(r, DOC_INFO,
            "inside a container: multicast reaches it only through a network that "
            "forwards it (host network, macvlan, or a CNI that supports it)");
    doc_evidence(r, "container markers:%s", found);
  }
  if (file_has(d, "/proc/sys/kernel/osrelease", "microsoft")) {
    doc_set(r, DOC_INFO, "WSL2: its NAT network does not pass multicast from the LAN");
    doc_fix(r, "use networkingMode=mirrored in .wslconfig");
  }
  default_route(d, r);
  if (doc_sysctl("/proc/sys/net/bridge/bridge-nf-call-iptables", &nf) == 0 && nf == 1) {
    doc_evidence(r, "net.bridge.bridge-nf-call-iptables = 1: bridged traffic passes the firewall");
    if (r->status == DOC_PASS)
      doc_set(r, DOC_INFO, "br_netfilter is on: bridged multicast meets iptables");
  }
  if (doc_read_file("/sys/class/dmi/id/sys_vendor", vendor, sizeof vendor) == 0 &&
      vendor[0] != '\0') {
    vendor[strcspn(vendor, "\n")] = '\0';
    char safe[128];
    size_t n = 0;
    for (const char *p = vendor; *p != '\0' && n + 1 < sizeof safe; p++)
      safe[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
    safe[n] = '\0';
    doc_evidence(r, "DMI vendor: %s", safe);
    if (strstr(vendor, "Amazon") != NULL || strstr(vendor, "Google") != NULL ||
        strstr(vendor, "Microsoft") != NULL)
      doc_set(r, DOC_INFO,
              "a cloud VM: most cloud networks drop multicast (AWS needs a Transit "
              "Gateway multicast domain)");
  }
}
