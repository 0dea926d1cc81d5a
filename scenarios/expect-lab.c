/* expect-lab.c - `expect lab PROTO ACTION [GROUP] [from NODE] [version N]` and `expect
 * lab no-route|wrong-if [GROUP] [at NODE]` (a router's events, of either family, or of
 * GROUP's): passes when the lab's watcher logged a matching event
 * after the one the previous passing `expect lab` matched, so a join, a leave and a join
 * again are asserted in order. */
#include "expect-lab.h"
#include "values.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const char *scn_expect_lab_actions(void)
{
  static char words[64];
  if (!words[0])
    for (int a = MCB_LAB_EV_JOIN; a <= MCB_LAB_EV_LAST_MEMBERSHIP; a++) {
      size_t o = strlen(words);
      snprintf(words + o, sizeof words - o, "%s%s", o ? "|" : "", mcb_lab_action_name(a));
    }
  return words;
}

typedef struct want {
  int family, version;
  bool route; /* no-route, wrong-if: a router's event (family 0: either), not IGMP/MLD */
  const char *action, *node;
  bool group_given;
  uint8_t group[16];
} want;

static bool same_group(const want *w, const mcb_lab_event *ev)
{
  uint8_t g[16];
  if (!w->group_given) return true;
  return ev->group[0] && inet_pton(w->family, ev->group, g) == 1 &&
         memcmp(g, w->group, w->family == AF_INET ? 4 : 16) == 0;
}

static bool matches(const want *w, const mcb_lab_event *ev)
{
  return (w->family == 0 || ev->family == w->family) &&
         strcmp(mcb_lab_action_name(ev->action), w->action) == 0 && same_group(w, ev) &&
         (w->node == NULL || strcmp(ev->node, w->node) == 0) &&
         (w->version == 0 || ev->version == w->version);
}

/* "IGMP join 239.1.1.1 from h2 v2", "no route for 239.1.1.1 at r1" */
static void describe(const scn_command *cmd, const want *w, char *expected, size_t size)
{
  const scn_token *g = scn_arg(cmd, "GROUP");
  size_t o = w->route ? (size_t)snprintf(expected, size, "%s%s",
                                         strcmp(w->action, "no-route") == 0 ? "no route"
                                                                            : "wrong interface",
                                         g ? " for" : "")
                      : (size_t)snprintf(expected, size, "%s %s",
                                         w->family == AF_INET ? "IGMP" : "MLD", w->action);
  if (g != NULL && o < size) o += (size_t)snprintf(expected + o, size - o, " %s", g->text);
  if (w->node != NULL && o < size)
    o += (size_t)snprintf(expected + o, size - o, " %s %s", w->route ? "at" : "from", w->node);
  if (w->version != 0 && o < size) snprintf(expected + o, size - o, " v%d", w->version);
}

bool scn_expect_lab(scn_session *s, const scn_command *cmd, char *expected, char *actual,
                    size_t size)
{
  mcb_lab *lab = scn_session_lab_events(s);
  const scn_token *g = scn_arg(cmd, "GROUP"), *v = scn_arg(cmd, "version");
  const char *route = scn_arg_word(cmd, "no-route|wrong-if");
  const scn_token *from = scn_arg(cmd, route ? "at" : "from");
  uint64_t *cursor = scn_session_lab_cursor(s), next, last = 0;
  want w = {0};
  mcb_lab_event ev;
  int64_t version = 0;
  const char *why;
  w.route = route != NULL;
  if (w.route)
    w.family = g == NULL ? 0 : strchr(g->text, ':') ? AF_INET6 : AF_INET;
  else
    w.family = strcmp(scn_arg_word(cmd, "igmp|mld"), "igmp") == 0 ? AF_INET : AF_INET6;
  w.action = w.route ? route : scn_arg_word(cmd, scn_expect_lab_actions());
  w.node = from ? from->text : NULL;
  if (v != NULL) scn_parse_int(v->text, 1, 3, &version, &why);
  w.version = (int)version;
  w.group_given = g != NULL;
  if (g != NULL && inet_pton(w.family, g->text, w.group) != 1) { /* refused at check time */
    snprintf(expected, size, "a group of the protocol's family");
    snprintf(actual, size, "%s", g->text);
    return false;
  }
  describe(cmd, &w, expected, size);
  if (lab == NULL) {
    snprintf(actual, size, "no lab");
    return false;
  }
  next = mcb_lab_event_next(lab);
  /* from the event after the cursor, or the oldest the log still holds */
  for (uint64_t seq = *cursor >= mcb_lab_events_dropped(lab) ? *cursor + 1
                                                             : mcb_lab_events_dropped(lab) + 1;
       seq < next; seq++) {
    if (mcb_lab_event_get(lab, seq, &ev) != 0) continue;
    bool routed = ev.action == MCB_LAB_EV_NOROUTE || ev.action == MCB_LAB_EV_WRONGIF;
    if ((w.family == 0 || ev.family == w.family) && !mcb_lab_action_of_switch(ev.action) &&
        routed == w.route)
      last = seq;
    if (!matches(&w, &ev)) continue;
    *cursor = seq;
    mcb_lab_event_format(&ev, actual, size);
    return true;
  }
  if (last == 0 || mcb_lab_event_get(lab, last, &ev) != 0) {
    snprintf(actual, size, "no %s event%s",
             w.route               ? "router"
             : w.family == AF_INET ? "IGMP"
                                   : "MLD",
             *cursor ? " since the last one matched" : "");
    return false;
  }
  {
    char text[256];
    snprintf(actual, size, "not seen; the latest: %s",
             mcb_lab_event_format(&ev, text, sizeof text));
  }
  return false;
}
