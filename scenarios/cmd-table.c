/* cmd-table.c - the list of verbs and their lookup: exact name, alias, unique prefix;
 * otherwise "did you mean" or the list of ambiguous candidates. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "ui-words.h"
#include "values.h"

extern const scn_entry scn_cmd_open, scn_cmd_bind, scn_cmd_send, scn_cmd_close, scn_cmd_join,
    scn_cmd_drop, scn_cmd_set, scn_cmd_wait, scn_cmd_expect, scn_cmd_reset, scn_cmd_say,
    scn_cmd_pause, scn_cmd_default, scn_cmd_help, scn_cmd_report, scn_cmd_stop, scn_cmd_lab;

/* The scenario verbs, then the front end's (cmd-ui.c), in the order help lists them. */
/* verbs added in parallel append a line each, so they merge */
/* clang-format off */
static const scn_entry *const table[] = {
    &scn_cmd_open,  &scn_cmd_bind,   &scn_cmd_send,  &scn_cmd_stop,  &scn_cmd_close,
    &scn_cmd_join,  &scn_cmd_drop,   &scn_cmd_set,   &scn_cmd_wait,  &scn_cmd_expect,
    &scn_cmd_reset, &scn_cmd_report, &scn_cmd_say,   &scn_cmd_pause, &scn_cmd_default,
    &scn_cmd_lab,   &scn_cmd_help,   &scn_ui_select, &scn_ui_move,   &scn_ui_focus,
    &scn_ui_view,   &scn_ui_freeze,  &scn_ui_clear,  &scn_ui_scroll, &scn_ui_sort,
    &scn_ui_prompt, &scn_ui_record,  &scn_ui_speed,  &scn_ui_step,   &scn_ui_resume,
    &scn_ui_quit,   &scn_ui_watch,   &scn_ui_log,    &scn_ui_ifaces, &scn_ui_doctor,
    &scn_ui_topology,
    NULL,
};
/* clang-format on */

const scn_entry *const *scn_table(void)
{
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
    mcb_msgf(why, size, "ambiguous command '%s': could be %s", verb, list);
  else if (near)
    mcb_msgf(why, size, "unknown command '%s'; did you mean '%s'?", verb, near->name);
  else
    mcb_msgf(why, size, "unknown command '%s' (try 'help')", verb);
  return NULL;
}

void scn_entry_usage(const scn_entry *e, size_t form, char *buf, size_t size)
{
  snprintf(buf, size, "%s%s%s", e->name, e->forms[form][0] ? " " : "", e->forms[form]);
}
