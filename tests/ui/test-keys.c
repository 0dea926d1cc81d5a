/* test-keys.c - every default key binding is a valid command of the language (so keys
 * and the ':' line cannot drift apart), and the sockets/peers scopes resolve j and l. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "keys.h"

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

static void scopes(void **state)
{
  assert_string_equal(ui_binding_for('j', false)->command, "prompt \"join ${SOCKET} \"");
  assert_string_equal(ui_binding_for('j', true)->command, "move down");
  assert_string_equal(ui_binding_for('l', false)->command, "set ${SOCKET} loopback toggle");
  assert_string_equal(ui_binding_for('l', true)->command, "move right");
  assert_string_equal(ui_binding_for('k', true)->command, "move up");
  assert_string_equal(ui_binding_for('q', true)->command, "quit");
  assert_null(ui_binding_for('Z', false));
}

static void required_keys_exist(void **state)
{
  static const int keys[] = {
      ':', '?', UI_KEY_TAB, UI_KEY_BTAB, UI_KEY_UP,    UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
      'h', 'j', 'k',        'l',         UI_KEY_ENTER, 'o',         'b',         's',
      'd', 't', 'T',        'B',         'x',          'v',         'f',         'c',
      'q', 'n', '+',        '-',         ' '};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char name[16];
    if (ui_binding_for(keys[i], false) == NULL && ui_binding_for(keys[i], true) == NULL)
      fail_msg("no binding for %s", ui_key_name(keys[i], name, sizeof name));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_binding_compiles),
      cmocka_unit_test(scopes),
      cmocka_unit_test(required_keys_exist),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
