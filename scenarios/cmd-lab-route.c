/* cmd-lab-route.c - the rules of `lab route` that the text alone shows, and the notes a
 * route earns (a note beginning "warning: " is shown even without -v): a link-scope
 * group (224.0.0.0/24, ff02::/16 and any IPv6 scope up to 2) is never routed, a source
 * is of its group's family, and an IPv6 route that leaves by a link with a
 * ttl-threshold is told that thresholds are IPv4's (the kernel's IPv6 multicast routing
 * has none: any hop limit above 1 crosses). */
#include "cmd-lab.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void scn__lab_check_route(scn_checker *ck, scn_command *cmd)
{
  const scn_token *g = scn_arg(cmd, "GROUP"), *src = scn_arg(cmd, "source");
  struct in6_addr a6;
  struct in_addr a4;
  bool v6;
  if (g == NULL) return;
  v6 = strchr(g->text, ':') != NULL;
  if (v6 && inet_pton(AF_INET6, g->text, &a6) == 1) {
    if (a6.s6_addr[0] != 0xff)
      scn_diags_at(ck->diags, cmd, g, "'%s' is not an IPv6 multicast group (ff00::/8)", g->text);
    else if ((a6.s6_addr[1] & 0x0f) <= 2)
      scn_diags_at(ck->diags, cmd, g,
                   "'%s' is link-scoped (scope %u): routers never forward it; route a group "
                   "of scope 3 or more, e.g. ff05::1:3",
                   g->text, a6.s6_addr[1] & 0x0fu);
  } else if (!v6 && inet_pton(AF_INET, g->text, &a4) == 1 &&
             (ntohl(a4.s_addr) & 0xffffff00u) == 0xe0000000u) {
    scn_diags_at(ck->diags, cmd, g, "'%s' is link-local (224.0.0.0/24): routers never forward it",
                 g->text);
  }
  if (src != NULL && (strchr(src->text, ':') != NULL) != v6)
    scn_diags_at(ck->diags, cmd, src, "source '%s' is not of the group's family (%s)", src->text,
                 v6 ? "IPv6" : "IPv4");
  else if (src != NULL && v6 && inet_pton(AF_INET6, src->text, &a6) == 1 && a6.s6_addr[0] == 0xfe &&
           (a6.s6_addr[1] & 0xc0) == 0x80)
    scn_diags_at(ck->diags, cmd, src,
                 "source '%s' is link-local (fe80::/10): routers never forward what it sends; "
                 "name the host's address on its link, e.g. fd00:0:0:1::1",
                 src->text);
}

/* True when `a` and `b` are the two ends of link info `li`. */
static bool joins(const mcb_lab_link_info *li, const char *a, const char *b)
{
  return (strcmp(li->a, a) == 0 && strcmp(li->b, b) == 0) ||
         (strcmp(li->a, b) == 0 && strcmp(li->b, a) == 0);
}

void scn__lab_route_notes(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const char *router = scn_arg(cmd, "NODE")->text, *group = scn_arg(cmd, "GROUP")->text;
  char to[256], *save = NULL;
  if (strchr(group, ':') == NULL) return;
  snprintf(to, sizeof to, "%s", scn_arg(cmd, "to")->text);
  for (char *n = strtok_r(to, ",", &save); n != NULL; n = strtok_r(NULL, ",", &save))
    for (size_t i = 0; i < mcb_lab_link_count(lab); i++) {
      mcb_lab_link_info li;
      if (mcb_lab_link_at(lab, i, &li) != 0 || !joins(&li, router, n) || li.ttl_threshold <= 1)
        continue;
      scn_note(s, cmd,
               "warning: the ttl-threshold %d of link %s %s is IPv4's: IPv6 multicast "
               "routing has no thresholds, so %s crosses it with any hop limit above 1",
               li.ttl_threshold, li.a, li.b, group);
    }
}
