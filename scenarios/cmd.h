/* cmd.h - the command table: one entry per verb, the only place verbs are defined.
 *
 * Scenario files, `mcbench run -e`, the TUI's ':' line and its key bindings all resolve
 * verbs here (exact name, alias or unique prefix), check arguments with the entry's
 * grammar forms and run its exec function. Help, the reference documentation and shell
 * completion are generated from the same entries.
 */
#ifndef SCN_CMD_H
#define SCN_CMD_H

#include "source.h"

struct scn_checker; /* grammar.h: cmd.h must not include it, grammar.c includes cmd.h */
struct scn_session;

typedef enum scn_status {
  SCN_DONE, /* finished; the next command may run */
  SCN_WAIT, /* will finish later, through its waiter or scn_session_resume() */
  SCN_ERROR /* failed; the error is recorded with scn_fail() */
} scn_status;

enum scn_entry_flags {
  SCN_F_DECLARES = 1 << 0,    /* its NAME opens a new socket name */
  SCN_F_INTERACTIVE = 1 << 1, /* meaningful in the TUI only (headless ignores it) */
  SCN_F_IMMEDIATE = 1 << 2,   /* typed alone, runs at once, even while a queue waits */
};

/* What the entry's NAME argument names, resolved by the session before exec (the exec
 * function reads it with scn_target): an unknown name fails with UV_ENOENT, and for
 * SCN_TARGET_OPEN_SOCKET a closed socket fails with UV_EBADF. */
typedef enum scn_target_kind {
  SCN_TARGET_NONE,        /* exec resolves its own arguments */
  SCN_TARGET_SOCKET,      /* an existing socket, possibly closed (counters stay readable) */
  SCN_TARGET_OPEN_SOCKET, /* an existing socket that is not closed */
} scn_target_kind;

typedef struct scn_entry {
  const char *name;
  const char *alias;        /* or NULL */
  const char *const *forms; /* grammar forms after the verb; NULL-terminated */
  const char *summary;      /* one line */
  const char *help;         /* a paragraph */
  const char *example;      /* lines of example usage, '\n'-separated */
  unsigned flags;
  scn_target_kind target; /* resolves NAME before exec */
  /* Optional check-time work beyond the grammar (`default` sets its variable). */
  void (*check)(struct scn_checker *ck, scn_command *cmd);
  scn_status (*exec)(struct scn_session *s, scn_command *cmd);
} scn_entry;

/* The table, NULL-terminated, in the order help lists it. */
const scn_entry *const *scn_table(void);

/* Resolves a verb: exact name or alias, else a unique prefix. On failure writes a
 * message ("unknown command 'sned'; did you mean 'send'?" or "ambiguous command 'se':
 * could be send, set") and returns NULL. */
const scn_entry *scn_table_find(const char *verb, char *why, size_t size);

/* "send NAME DEST PAYLOAD [count N] [every DUR]" for form i. */
void scn_entry_usage(const scn_entry *e, size_t form, char *buf, size_t size);

/* Lexes and checks a whole source: every command is resolved and matched; errors go
 * to ck->diags (all of them, not just the first). Returns the checked commands (free
 * with scn_commands_free) in *out; when diags were added, nothing should run. */
typedef struct scn_commands {
  scn_command *v;
  size_t n;
} scn_commands;
int scn_compile(const scn_source *src, struct scn_checker *ck, scn_commands *out);
void scn_commands_free(scn_commands *cmds);

#endif
