/* cmd-table.c - the list of verbs and their lookup: exact name, alias, unique prefix;
 * otherwise "did you mean" or the list of ambiguous candidates. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "values.h"

extern const scn_entry scn_cmd_open, scn_cmd_bind, scn_cmd_send, scn_cmd_close, scn_cmd_join,
    scn_cmd_drop, scn_cmd_set, scn_cmd_wait, scn_cmd_expect, scn_cmd_reset, scn_cmd_say,
    scn_cmd_pause, scn_cmd_default, scn_cmd_help;
extern const scn_entry *const scn_ui_entries[];

static const scn_entry *const core_entries[] = {
    &scn_cmd_open, &scn_cmd_bind,  &scn_cmd_send,    &scn_cmd_close,  &scn_cmd_join,
    &scn_cmd_drop, &scn_cmd_set,   &scn_cmd_wait,    &scn_cmd_expect, &scn_cmd_reset,
    &scn_cmd_say,  &scn_cmd_pause, &scn_cmd_default, &scn_cmd_help,
};

#define NCORE       (sizeof core_entries / sizeof core_entries[0])
#define MAX_ENTRIES 48

/* The scenario verbs, then the front end's (cmd-ui.c); built once from const lists. */
const scn_entry *const *scn_table(void)
{
  static const scn_entry *table[MAX_ENTRIES + 1];
  if (table[0] == NULL) {
    size_t n = 0;
    for (size_t i = 0; i < NCORE; i++) table[n++] = core_entries[i];
    for (size_t i = 0; scn_ui_entries[i] && n < MAX_ENTRIES; i++) table[n++] = scn_ui_entries[i];
    table[n] = NULL;
  }
  return table;
}

const scn_entry *scn_table_find(const char *verb, char *why, size_t size)
{
  const scn_entry *const *t = scn_table(), *found = NULL, *near = NULL;
  size_t vlen = strlen(verb), matches = 0;
  unsigned best = 3;
  char list[256] = "";

  for (size_t i = 0; t[i]; i++)
    if (strcmp(t[i]->name, verb) == 0 || (t[i]->alias && strcmp(t[i]->alias, verb) == 0))
      return t[i];
  for (size_t i = 0; t[i]; i++) {
    if (vlen > 0 && strncmp(t[i]->name, verb, vlen) == 0) {
      size_t l = strlen(list);
      snprintf(list + l, sizeof list - l, "%s%s", matches ? ", " : "", t[i]->name);
      found = t[i];
      matches++;
    }
    unsigned d = scn_edit_distance(verb, t[i]->name);
    if (d < best) {
      best = d;
      near = t[i];
    }
  }
  if (matches == 1) return found;
  if (matches > 1)
    snprintf(why, size, "ambiguous command '%s': could be %s", verb, list);
  else if (near)
    snprintf(why, size, "unknown command '%s'; did you mean '%s'?", verb, near->name);
  else
    snprintf(why, size, "unknown command '%s' (try 'help')", verb);
  return NULL;
}

void scn_entry_usage(const scn_entry *e, size_t form, char *buf, size_t size)
{
  snprintf(buf, size, "%s%s%s", e->name, e->forms[form][0] ? " " : "", e->forms[form]);
}
