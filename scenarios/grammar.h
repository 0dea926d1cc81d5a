/* grammar.h - matches a command's arguments against its verb's grammar forms.
 *
 * A form is the text users see in the usage line, e.g. "NAME DEST PAYLOAD [count N]
 * [every DUR]": UPPERCASE words are typed placeholders, lowercase words are keywords,
 * "a|b" offers alternatives, "[kw X]" is an optional clause (any order, at most once),
 * "[kw]" an optional flag and a final "[X]" an optional argument. The same forms drive
 * checking, help and completion, so they cannot disagree.
 */
#ifndef SCN_GRAMMAR_H
#define SCN_GRAMMAR_H

#include "source.h"

#define SCN_MAX_NAMES     256
#define SCN_NAME_MAX      32
#define SCN_MAX_VARS      64
#define SCN_VAR_VALUE_MAX 256
#define SCN_MAX_NODES     32 /* lab nodes: MCB_LAB_MAX_NODES */

typedef struct scn_vars {
  struct {
    char name[SCN_NAME_MAX];
    char value[SCN_VAR_VALUE_MAX];
    bool fixed; /* from -D: `default` does not override it */
  } v[SCN_MAX_VARS];
  size_t n;
} scn_vars;

/* Sets a variable; fixed ones win over later non-fixed sets. UV_ENAMETOOLONG for a name
 * too long, UV_EINVAL for a bad name, UV_E2BIG for a value too long, UV_ENOBUFS when full. */
int scn_vars_set(scn_vars *vars, const char *name, const char *value, bool fixed);
/* Which rule or limit scn_vars_set's code `rc` means, e.g. "too many variables (at most 64)". */
void scn_vars_explain(int rc, char *buf, size_t size);
const char *scn_vars_get(const scn_vars *vars, const char *name);
/* A scn_var_lookup (lexer.h) over a scn_vars. */
bool scn_vars_lookup(void *vars, const char *name, const char **value);

/* What check time knows: the variables and the socket names opened so far. */
typedef struct scn_checker {
  scn_diags *diags;
  scn_vars *vars;
  char names[SCN_MAX_NAMES][SCN_NAME_MAX];
  size_t nnames;
  char nodes[SCN_MAX_NODES][SCN_NAME_MAX]; /* lab nodes declared so far */
  size_t nnodes;
} scn_checker;

bool scn_checker_has_name(const scn_checker *ck, const char *name);
void scn_checker_add_name(scn_checker *ck, const char *name);
bool scn_checker_has_node(const scn_checker *ck, const char *name);
void scn_checker_add_node(scn_checker *ck, const char *name);
/* Declares the hosts every lab starts with (local and peer, of `--private`). */
void scn_checker_default_nodes(scn_checker *ck);

/* Matches cmd (argv[0] already resolved to cmd->entry) against the entry's forms; fills
 * cmd->form and cmd->slots. On failure reports one diagnostic and returns false. */
bool scn_grammar_match(scn_checker *ck, scn_command *cmd);

/* Completion: the words that may come at position `argc` after argv (argv[0] is the
 * verb), filtered by `prefix`. Writes up to `max` words and returns how many. When the
 * next word is free-form (a duration, a destination...), *placeholder names it ("DUR")
 * so a front end can show its help; otherwise it is set to NULL. */
size_t scn_grammar_complete(const scn_checker *ck, const struct scn_entry *entry,
                            const char *const *argv, size_t argc, const char *prefix,
                            char (*out)[SCN_NAME_MAX], size_t max, const char **placeholder);

/* Describes what a placeholder accepts, for help text: "DUR" -> "a duration: ...". */
const char *scn_placeholder_help(const char *name);
/* Every placeholder, in the order help lists them; NULL-terminated. */
const char *const *scn_placeholders(void);

#endif
