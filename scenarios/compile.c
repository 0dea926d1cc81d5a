/* compile.c - compiles a source: lexes it, resolves each verb in the table and matches
 * its arguments, reporting every error (not just the first), like a compiler. */
#include "cmd.h"
#include "grammar.h"
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

int scn_compile(const scn_source *src, scn_checker *ck, scn_commands *out)
{
  scn_lexer lx;
  scn_command cmd;
  size_t cap = 0;

  out->v = NULL;
  out->n = 0;
  scn_lexer_init(&lx, src, scn_vars_lookup, ck->vars, ck->diags);
  while (scn_lexer_next(&lx, &cmd)) {
    char why[MCB_MSG_MAX];
    size_t errors = ck->diags->n;
    cmd.entry = scn_table_find(cmd.argv[0].text, why, sizeof why);
    if (cmd.entry == NULL) {
      scn_diags_at(ck->diags, &cmd, &cmd.argv[0], "%s", why);
      scn_command_free(&cmd);
      continue;
    }
    if (!scn_grammar_match(ck, &cmd)) {
      scn_command_free(&cmd);
      continue;
    }
    if (cmd.entry->check) cmd.entry->check(ck, &cmd);
    if (ck->diags->n != errors) {
      scn_command_free(&cmd);
      continue;
    }
    if (cmd.entry->flags & SCN_F_DECLARES) scn_checker_add_name(ck, scn_arg(&cmd, "NAME")->text);
    if (out->n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      scn_command *v = realloc(out->v, ncap * sizeof *v);
      if (v == NULL) {
        scn_command_free(&cmd);
        scn_diags_add(ck->diags, src, cmd.line, 0, 0, "out of memory");
        break;
      }
      out->v = v;
      cap = ncap;
    }
    out->v[out->n++] = cmd;
  }
  return 0;
}

void scn_commands_free(scn_commands *cmds)
{
  for (size_t i = 0; i < cmds->n; i++) scn_command_free(&cmds->v[i]);
  free(cmds->v);
  cmds->v = NULL;
  cmds->n = 0;
}
