/* lexer.h - turns scenario text into commands: argument vectors with positions.
 *
 * Line based; '#' starts a comment; ';' separates commands; "strings" take C escapes;
 * ${VAR} is substituted in words and strings. It knows no verbs: the command table
 * (cmd-table.c) gives meaning to argv[0].
 */
#ifndef SCN_LEXER_H
#define SCN_LEXER_H

#include "source.h"

#define SCN_MAX_TOKEN 4096 /* bytes of one token after substitution */

/* Finds a variable's value; false when it is not defined. */
typedef bool (*scn_var_lookup)(void *arg, const char *name, const char **value);

typedef struct scn_lexer {
  const scn_source *src;
  unsigned line; /* 1-based line being read */
  size_t pos;    /* byte offset within that line */
  scn_var_lookup lookup;
  void *lookup_arg;
  scn_diags *diags;
} scn_lexer;

void scn_lexer_init(scn_lexer *lx, const scn_source *src, scn_var_lookup lookup, void *arg,
                    scn_diags *diags);
/* Reads the next command. Returns 1 and fills *cmd (free with scn_command_free), or 0 at
 * the end. A command with a lexical error is reported to diags and skipped, so the
 * caller never sees half a command. Variables are looked up when the command is read,
 * so a `default` takes effect for every command after it. */
int scn_lexer_next(scn_lexer *lx, scn_command *cmd);

#endif
