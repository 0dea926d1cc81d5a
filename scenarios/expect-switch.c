/* expect-switch.c - `expect lab NODE adds|removes [GROUP] [on OTHER]` and `expect
 * lab NODE querier self|other|none`: a switch's group table change or querier
 * change in the lab's event log, after the switch event the previous passing one
 * matched. Switch events have a cursor of their own: a host's report (the watcher's
 * packet socket) and the table change it causes (the switch's rtnetlink socket) reach
 * the log in no fixed order. */
#include "expect-lab.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

typedef struct want {
  const char *node;
  mcb_lab_action action;
  const char *state;      /* querier: "self", "other" or "none" */
  const char *group;      /* NULL: any */
  char port[IF_NAMESIZE]; /* the switch's port towards OTHER; "" any */
} want;

static bool same_group(const char *want_text, const char *have)
{
  uint8_t a[16], b[16];
  int family = strchr(want_text, ':') ? AF_INET6 : AF_INET;
  return inet_pton(family, want_text, a) == 1 && inet_pton(family, have, b) == 1 &&
         memcmp(a, b, family == AF_INET ? 4 : 16) == 0;
}

static bool matches(const want *w, const mcb_lab_event *ev)
{
  if (ev->action != w->action || strcmp(ev->node, w->node) != 0) return false;
  if (w->state != NULL) return strcmp(ev->filter, w->state) == 0;
  return (w->group == NULL || same_group(w->group, ev->group)) &&
         (!w->port[0] || strcmp(ev->link, w->port) == 0);
}

/* "s1 adds 239.1.1.1 on port s1-h2", "s1 querier self" */
static void describe(const want *w, char *expected, size_t size)
{
  if (w->state != NULL) {
    snprintf(expected, size, "%s querier %s", w->node, w->state);
    return;
  }
  snprintf(expected, size, "%s %s%s%s%s%s", w->node, mcb_lab_action_name(w->action),
           w->group ? " " : "", w->group ? w->group : "", w->port[0] ? " on port " : "", w->port);
}

/* Fills w from the command; false (with why in actual) when OTHER is not linked to NODE. */
static bool wanted(mcb_lab *lab, const scn_command *cmd, want *w, char *actual, size_t size)
{
  const scn_token *node = scn_arg(cmd, "NODE"), *g = scn_arg(cmd, "GROUP");
  const scn_token *other = scn_arg(cmd, "on");
  const char *what = scn_arg_word(cmd, "adds|removes|querier");
  char owner[MCB_LAB_NAME_MAX];
  memset(w, 0, sizeof *w);
  w->node = node->text;
  w->group = g ? g->text : NULL;
  if (strcmp(what, "querier") == 0) {
    w->action = MCB_LAB_EV_QUERIER;
    w->state = scn_arg_word(cmd, "self|other|none");
  } else {
    w->action = strcmp(what, "adds") == 0 ? MCB_LAB_EV_ADD : MCB_LAB_EV_REMOVE;
  }
  if (other != NULL && lab != NULL &&
      mcb_lab_link_end(lab, node->text, other->text, owner, w->port) != 0) {
    snprintf(actual, size, "no link %s %s", node->text, other->text);
    return false;
  }
  return true;
}

bool scn_expect_switch(scn_session *s, const scn_command *cmd, char *expected, char *actual,
                       size_t size)
{
  mcb_lab *lab = scn_session_lab_events(s);
  uint64_t *cursor = scn_session_switch_cursor(s), next, last = 0, dropped;
  mcb_lab_event ev;
  want w;
  bool ok = wanted(lab, cmd, &w, actual, size);
  describe(&w, expected, size);
  if (!ok) return false;
  if (lab == NULL) {
    snprintf(actual, size, "no lab");
    return false;
  }
  next = mcb_lab_event_next(lab);
  dropped = mcb_lab_events_dropped(lab);
  for (uint64_t seq = *cursor >= dropped ? *cursor + 1 : dropped + 1; seq < next; seq++) {
    if (mcb_lab_event_get(lab, seq, &ev) != 0) continue;
    if (mcb_lab_action_of_switch(ev.action) && strcmp(ev.node, w.node) == 0) last = seq;
    if (!matches(&w, &ev)) continue;
    *cursor = seq;
    mcb_lab_event_format(&ev, actual, size);
    return true;
  }
  if (last == 0 || mcb_lab_event_get(lab, last, &ev) != 0) {
    snprintf(actual, size, "no event of switch %s%s", w.node,
             *cursor ? " since the last one matched" : "");
  } else {
    char text[256];
    snprintf(actual, size, "not seen; the latest: %s",
             mcb_lab_event_format(&ev, text, sizeof text));
  }
  return false;
}
