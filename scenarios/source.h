/* source.h - scenario text, tokens, commands and diagnostics: what the parser produces.
 *
 * The parser knows no verbs (as in tmux): it turns text into commands, each an argument
 * vector whose tokens remember where they came from, so every later error can point at
 * file:line:col with the line and a caret.
 */
#ifndef SCN_SOURCE_H
#define SCN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mcb.h" /* MCB_MSG_MAX, mcb_msgf */

#define SCN_MAX_SOURCE (1u << 20) /* bytes in one scenario file */
#define SCN_MAX_LINE   4096       /* bytes in one line */
#define SCN_MAX_ARGS   32         /* tokens in one command */
#define SCN_MAX_DIAGS  100        /* errors reported before giving up */

/* A scenario's text, split into lines for diagnostics. */
typedef struct scn_source {
  char *name; /* file name, or "-e" / "<prompt>" */
  char *text;
  char **lines; /* NUL-terminated copies, without the newline */
  size_t *lens; /* bytes in each line: more than strlen() when the line holds a NUL */
  size_t nlines;
} scn_source;

/* Copies `text`. Returns 0, UV_EFBIG when too large, UV_ENOMEM. */
int scn_source_new(const char *name, const char *text, size_t len, scn_source **out);
/* Reads a file; on failure writes "file: why" to errbuf. */
int scn_source_load(const char *path, scn_source **out, char *errbuf, size_t size);
void scn_source_free(scn_source *src);
const char *scn_source_line(const scn_source *src, unsigned line); /* 1-based; "" if none */
/* Bytes in that line (a NUL byte inside it counts); 0 if none. */
size_t scn_source_line_len(const scn_source *src, unsigned line);

typedef struct scn_token {
  char *text;     /* unescaped and substituted; NUL-terminated */
  size_t len;     /* bytes in text (quoted strings may hold "\0") */
  unsigned line;  /* 1-based */
  unsigned col;   /* 1-based byte column of the token's first character */
  unsigned width; /* source bytes the token spans, for the caret underline */
  bool quoted;    /* written as a "string" */
} scn_token;

struct scn_entry;

/* The arguments a grammar form bound: placeholder or keyword -> token index. */
#define SCN_MAX_SLOTS 24
#define SCN_WORD_MAX  64 /* a form's word: keyword, placeholder or "a|b" alternatives */
typedef struct scn_slot {
  char key[SCN_WORD_MAX]; /* "NAME", "DEST", "count", "reuse", ... */
  int tok;                /* index in argv */
} scn_slot;

typedef struct scn_command {
  const scn_source *src;
  unsigned line;
  scn_token *argv;
  size_t argc;
  const struct scn_entry *entry; /* resolved verb (NULL until checked) */
  int form;                      /* index of the matched grammar form */
  scn_slot slots[SCN_MAX_SLOTS];
  size_t nslots;
} scn_command;

void scn_command_free(scn_command *cmd);
/* The token bound to `key`, or NULL when the optional part was absent. */
const scn_token *scn_arg(const scn_command *cmd, const char *key);
/* The command as one line of text (re-quoted where needed), for logs and recording. */
void scn_command_text(const scn_command *cmd, char *buf, size_t size);

/* ---- Diagnostics ---------------------------------------------------------------- */

typedef struct scn_diag {
  const scn_source *src;
  unsigned line, col, width; /* col 0: no position on the line */
  int code;                  /* run-time errors: the command's error code; 0 otherwise */
  char message[MCB_MSG_MAX];
} scn_diag;

typedef struct scn_diags {
  scn_diag items[SCN_MAX_DIAGS];
  size_t n;
  size_t dropped; /* errors beyond SCN_MAX_DIAGS */
} scn_diags;

void scn_diags_add(scn_diags *d, const scn_source *src, unsigned line, unsigned col, unsigned width,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void scn_diags_at(scn_diags *d, const scn_command *cmd, const scn_token *tok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "file:line:col: error: message", then the line and a caret under the culprit. The
 * file name, the message and the line are escaped as payloads are (scn_escape): a
 * hostile scenario cannot reach the terminal with control bytes. */
void scn_diag_print(FILE *out, const scn_diag *d);
/* The first line only, for a status bar; escaped the same way. */
void scn_diag_format(const scn_diag *d, char *buf, size_t size);

#endif
