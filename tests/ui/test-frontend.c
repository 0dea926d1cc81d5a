/* test-frontend.c - the front-end verbs: every front-end verb of the command table has a
 * handler in the ui's verb -> handler table, and each word of the vocabulary
 * (ui-words.h) reaches the state it names, read from the same name tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keys.h"
#include "ui-internal.h"

static void every_frontend_verb_has_a_handler(void **state)
{
  const scn_entry *const *t = scn_table();
  size_t n = 0;
  for (size_t i = 0; t[i]; i++) {
    if (t[i]->flags & SCN_F_INTERACTIVE) {
      if (ui_verb_handler(t[i]) == NULL) fail_msg("front-end verb %s has no handler", t[i]->name);
      n++;
    } else if (t[i] != &scn_cmd_help && ui_verb_handler(t[i]) != NULL) {
      fail_msg("scenario verb %s is handled by the front end", t[i]->name);
    }
  }
  assert_true(n > 5);
  assert_non_null(ui_verb_handler(&scn_cmd_help)); /* help shows the overlay */
}

/* Runs one command line through ui_frontend, as the session would. */
static int run(ui *u, const char *line, char *why, size_t size)
{
  scn_vars vars = {0};
  scn_checker ck = {.vars = &vars};
  scn_diags diags = {0};
  scn_commands cmds;
  scn_source *src;
  int rc;
  ck.diags = &diags;
  assert_int_equal(scn_source_new("<test>", line, strlen(line), &src), 0);
  scn_compile(src, &ck, &cmds);
  if (diags.n) fail_msg("'%s': %s", line, diags.items[0].message);
  assert_int_equal(cmds.n, 1);
  rc = ui_frontend(u, &cmds.v[0], why, size);
  scn_commands_free(&cmds);
  scn_source_free(src);
  return rc;
}

static ui *new_ui(void)
{
  ui *u = calloc(1, sizeof *u);
  assert_non_null(u);
  u->lay = calloc(1, sizeof *u->lay);
  assert_non_null(u->lay);
  ui_state_init(&u->st);
  return u;
}

static void free_ui(ui *u)
{
  free(u->lay);
  free(u);
}

static void vocabulary_reaches_the_state(void **state)
{
  ui *u = new_ui();
  char line[64], why[256];
  for (int i = 0; i < SCN_UI_N_SORT; i++) {
    snprintf(line, sizeof line, "sort %s", scn_ui_sort_words[i]);
    assert_int_equal(run(u, line, why, sizeof why), 0);
    assert_int_equal(u->st.sort, i);
    assert_non_null(strstr(u->st.status, scn_ui_sort_labels[i]));
  }
  assert_int_equal(run(u, "sort next", why, sizeof why), 0); /* wraps to the first key */
  assert_int_equal(u->st.sort, 0);
  for (int i = 0; i < SCN_UI_N_VIEW; i++) {
    snprintf(line, sizeof line, "view %s", scn_ui_view_words[i]);
    assert_int_equal(run(u, line, why, sizeof why), 0);
    assert_int_equal(u->st.view, i);
  }
  for (int i = 0; i < SCN_UI_N_FOCUS; i++) {
    snprintf(line, sizeof line, "focus %s", scn_ui_focus_words[i]);
    assert_int_equal(run(u, line, why, sizeof why), 0);
    assert_int_equal(u->st.focus, i);
  }
  assert_int_equal(run(u, "focus next", why, sizeof why), 0);
  assert_int_not_equal(u->st.focus, SCN_UI_N_FOCUS - 1);
  assert_int_equal(run(u, "help send", why, sizeof why), 0);
  assert_true(u->st.help_visible);
  assert_string_equal(u->st.help_verb, "send");
  free_ui(u);
}

static void pane_verbs_need_a_peer(void **state)
{
  ui *u = new_ui();
  char why[256];
  assert_int_equal(run(u, "freeze toggle", why, sizeof why), UV_ENOENT);
  assert_string_equal(why, "no peer pane selected");
  assert_int_equal(run(u, "record stop", why, sizeof why), UV_EINVAL);
  assert_string_equal(why, "not recording");
  assert_int_equal(run(u, "record off", why, sizeof why), UV_EINVAL); /* off is stop */
  free_ui(u);
}

/* topology on/off/toggle (the m key) show and hide the topology pane, each asking for a
 * fresh snapshot; the expected state of each word comes from the switch word table. */
static void topology_switches_the_pane(void **state)
{
  ui *u = new_ui();
  char line[64], why[256];
  for (int i = 0; i < SCN_UI_N_SWITCH; i++) {
    bool before = u->st.topo_visible;
    u->topo_stale = false;
    snprintf(line, sizeof line, "topology %s", scn_ui_switch_words[i]);
    assert_int_equal(run(u, line, why, sizeof why), 0);
    assert_int_equal(u->st.topo_visible, i == SCN_UI_SWITCH_ON    ? true
                                         : i == SCN_UI_SWITCH_OFF ? false
                                                                  : !before);
    assert_true(u->topo_stale);
  }
  assert_non_null(ui_binding_of("topology toggle")); /* a key runs it (m) */
  free_ui(u);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_frontend_verb_has_a_handler),
      cmocka_unit_test(vocabulary_reaches_the_state),
      cmocka_unit_test(pane_verbs_need_a_peer),
      cmocka_unit_test(topology_switches_the_pane),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
