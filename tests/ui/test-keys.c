/* test-keys.c - every default key binding is a valid command of the language (so keys
 * and the ':' line cannot drift apart), and the bindings follow the key plan of
 * docs/architecture.md: movement keys only move, in every pane; each key's kind (move,
 * prompt, now) is the planned one; reserved letters stay free. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "grammar.h"
#include "keys.h"
#include "ui-words.h"

static void every_binding_compiles(void **state)
{
  scn_vars vars = {0};
  for (const ui_binding *b = ui_bindings(); b->command; b++) {
    scn_checker ck = {0};
    scn_diags diags = {0};
    scn_commands cmds;
    scn_source *src;
    ck.vars = &vars;
    ck.diags = &diags;
    scn_checker_add_name(&ck, "rx");
    scn_vars_set(&vars, "SOCKET", "rx", false);
    assert_int_equal(scn_source_new("<key>", b->command, strlen(b->command), &src), 0);
    scn_compile(src, &ck, &cmds);
    if (diags.n) fail_msg("key %s: '%s': %s", b->name, b->command, diags.items[0].message);
    assert_int_equal(cmds.n, 1);
    assert_non_null(b->help);
    scn_commands_free(&cmds);
    scn_source_free(src);
  }
}

/* ---- the key plan of docs/architecture.md ---- */

typedef struct plan_row {
  char key[16], kind[16], status[16];
} plan_row;

/* Reads the "| `key` | kind | status | ... |" rows of the "## Key plan" section. */
static size_t read_plan(plan_row *rows, size_t max)
{
  const char *dir = getenv("MCB_DOCS_DIR");
  char path[1024], line[512];
  bool in = false;
  size_t n = 0;
  FILE *f;
  assert_non_null(dir);
  snprintf(path, sizeof path, "%s/architecture.md", dir);
  f = fopen(path, "r");
  assert_non_null(f);
  while (fgets(line, sizeof line, f) && n < max) {
    if (strncmp(line, "## ", 3) == 0) in = strcmp(line, "## Key plan\n") == 0;
    if (!in || strncmp(line, "| `", 3) != 0) continue;
    if (sscanf(line, "| `%15[^`]` | %15[a-z] | %15[a-z] |", rows[n].key, rows[n].kind,
               rows[n].status) == 3)
      n++;
  }
  fclose(f);
  return n;
}

/* The kind a binding is, from its command: move, prompt (opens the ':' line) or now. */
static const char *kind_of(const ui_binding *b)
{
  char verb[32], why[128];
  const scn_entry *e;
  sscanf(b->command, "%31s", verb);
  e = scn_table_find(verb, why, sizeof why);
  assert_non_null(e);
  return e == &scn_ui_move ? "move" : e == &scn_ui_prompt ? "prompt" : "now";
}

static const plan_row *plan_find(const plan_row *rows, size_t n, const char *key)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(rows[i].key, key) == 0) return &rows[i];
  return NULL;
}

static void bindings_follow_the_plan(void **state)
{
  plan_row rows[128];
  size_t n = read_plan(rows, 128);
  assert_true(n > 10);
  /* every binding is in the plan, bound, with its kind */
  for (const ui_binding *b = ui_bindings(); b->command; b++) {
    const plan_row *r = plan_find(rows, n, b->name);
    if (r == NULL) fail_msg("key %s is not in the key plan of docs/architecture.md", b->name);
    if (strcmp(r->status, "bound") != 0)
      fail_msg("key %s is bound but planned %s", b->name, r->status);
    if (strcmp(r->kind, kind_of(b)) != 0)
      fail_msg("key %s ('%s') is %s, planned %s", b->name, b->command, kind_of(b), r->kind);
  }
  /* every planned key is bound, every reserved one free */
  for (size_t i = 0; i < n; i++) {
    bool bound = false;
    for (const ui_binding *b = ui_bindings(); b->command; b++)
      bound |= strcmp(b->name, rows[i].key) == 0;
    if (strcmp(rows[i].status, "bound") == 0 && !bound)
      fail_msg("planned key %s is not bound", rows[i].key);
    if (strcmp(rows[i].status, "reserved") == 0 && bound)
      fail_msg("reserved key %s is bound", rows[i].key);
    if (strcmp(rows[i].status, "bound") != 0 && strcmp(rows[i].status, "reserved") != 0)
      fail_msg("key %s: status '%s'", rows[i].key, rows[i].status);
  }
}

/* Movement keys move in every pane and do nothing else; nothing else moves. */
static void movement_keys_only_move(void **state)
{
  static const int moves[] = {UI_KEY_UP, UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
                              'h',       'j',         'k',         'l'};
  for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
    for (int peers = 0; peers < 2; peers++) {
      const ui_binding *b = ui_binding_for(moves[i], peers);
      char name[16];
      if (b == NULL || strncmp(b->command, "move ", 5) != 0)
        fail_msg("%s in the %s pane: '%s'", ui_key_name(moves[i], name, sizeof name),
                 peers ? "peers" : "sockets", b ? b->command : "unbound");
    }
  for (const ui_binding *b = ui_bindings(); b->command; b++) {
    bool is_move = false;
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) is_move |= b->key == moves[i];
    if (!is_move && strncmp(b->command, "move ", 5) == 0) fail_msg("%s moves", b->name);
  }
  /* the letters that used to act in the sockets pane moved to upper case */
  assert_string_equal(ui_binding_for('J', false)->command, "prompt \"join ${SOCKET} \"");
  assert_string_equal(ui_binding_for('L', false)->command, "set ${SOCKET} loopback toggle");
}

/* Keys that act on the selected socket are never movement letters, in either pane. */
static void socket_keys_have_one_meaning(void **state)
{
  for (const ui_binding *b = ui_bindings(); b->command; b++) {
    const ui_binding *s = ui_binding_for(b->key, false), *p = ui_binding_for(b->key, true);
    assert_non_null(s);
    assert_non_null(p);
    if (strcmp(s->command, p->command) != 0)
      fail_msg("key %s means '%s' or '%s' depending on the pane", b->name, s->command, p->command);
  }
  assert_null(ui_binding_for('Z', false));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_binding_compiles),
      cmocka_unit_test(bindings_follow_the_plan),
      cmocka_unit_test(movement_keys_only_move),
      cmocka_unit_test(socket_keys_have_one_meaning),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
