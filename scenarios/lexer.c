/* lexer.c - the scenario tokenizer (see lexer.h). Bounded: lines, tokens and argument
 * counts have fixed maxima, and every violation is a diagnostic, never a crash. */
#include "lexer.h"

#include "values.h"

#include <stdlib.h>
#include <string.h>

typedef struct buf {
  char data[SCN_MAX_TOKEN + 1];
  size_t len;
  bool overflow;
} buf;

static void put(buf *b, const char *p, size_t n)
{
  if (b->len + n > SCN_MAX_TOKEN) {
    b->overflow = true;
    return;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static bool is_var_start(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_var_char(char c)
{
  return is_var_start(c) || (c >= '0' && c <= '9');
}

void scn_lexer_init(scn_lexer *lx, const scn_source *src, scn_var_lookup lookup, void *arg,
                    scn_diags *diags)
{
  memset(lx, 0, sizeof *lx);
  lx->src = src;
  lx->line = 1;
  lx->lookup = lookup;
  lx->lookup_arg = arg;
  lx->diags = diags;
}

typedef struct cursor {
  scn_lexer *lx;
  const char *text; /* current line */
  size_t i;
  bool error; /* the command being read has an error */
} cursor;

static void error_at(cursor *c, size_t col0, size_t width, const char *fmt, const char *arg)
{
  char msg[MCB_MSG_MAX];
  mcb_msgf(msg, sizeof msg, fmt, arg);
  scn_diags_add(c->lx->diags, c->lx->src, c->lx->line, (unsigned)col0 + 1, (unsigned)width, "%s",
                msg);
  c->error = true;
}

/* ${NAME} at c->i (pointing at '$'). */
static void expand_var(cursor *c, buf *b)
{
  size_t start = c->i, j = c->i + 2;
  char name[64];
  const char *value;

  while (is_var_char(c->text[j])) j++;
  if (c->text[j] != '}' || j == start + 2 || !is_var_start(c->text[start + 2])) {
    error_at(c, start, 2, "%s", "expected ${NAME} with NAME made of letters, digits and _");
    while (c->text[j] != '\0' && c->text[j] != '}' && c->text[j] != ' ') j++;
    c->i = c->text[j] == '}' ? j + 1 : j;
    return;
  }
  c->i = j + 1;
  if (j - start - 2 >= sizeof name) {
    error_at(c, start, j + 1 - start, "%s", "variable name too long");
    return;
  }
  memcpy(name, c->text + start + 2, j - start - 2);
  name[j - start - 2] = '\0';
  if (c->lx->lookup == NULL || !c->lx->lookup(c->lx->lookup_arg, name, &value)) {
    error_at(c, start, j + 1 - start,
             "undefined variable '%s' (set it with -D NAME=VALUE or 'default NAME VALUE')", name);
    return;
  }
  put(b, value, strlen(value));
}

/* The escapes that stand for one byte, as in C: "\n" is a newline. */
static const char byte_escapes[][2] = {
    {'n', '\n'}, {'t', '\t'}, {'r', '\r'}, {'0', '\0'},  {'a', '\a'}, {'b', '\b'},
    {'e', 0x1b}, {'f', '\f'}, {'v', '\v'}, {'\\', '\\'}, {'"', '"'},  {'$', '$'},
};

/* A backslash escape at c->i inside a string; appends the byte it stands for. */
static void read_escape(cursor *c, buf *b)
{
  char e = c->text[c->i + 1], out;
  size_t at = c->i;
  c->i += 2;
  if (e == '\0') { /* the text ends: reported as an unterminated string */
    c->i--;
    return;
  }
  for (size_t k = 0; k < sizeof byte_escapes / sizeof byte_escapes[0]; k++)
    if (e == byte_escapes[k][0]) {
      put(b, &byte_escapes[k][1], 1);
      return;
    }
  if (e == 'x') {
    int hi = scn_hexdigit(c->text[c->i]), lo = hi < 0 ? -1 : scn_hexdigit(c->text[c->i + 1]);
    if (hi < 0 || lo < 0) {
      error_at(c, at, 2, "%s", "\\x needs two hex digits");
      return;
    }
    out = (char)(hi * 16 + lo);
    c->i += 2;
    put(b, &out, 1);
    return;
  }
  char esc[3] = {'\\', e, '\0'};
  error_at(c, at, 2, "unknown escape '%s' in string", esc);
}

/* A "string" starting at c->i; appends its bytes. */
static void read_string(cursor *c, buf *b)
{
  size_t open = c->i++;
  for (;;) {
    char ch = c->text[c->i];
    if (ch == '\0') {
      error_at(c, open, 1, "%s", "unterminated string (missing closing \")");
      return;
    }
    if (ch == '"') {
      c->i++;
      return;
    }
    if (ch == '$' && c->text[c->i + 1] == '{') {
      expand_var(c, b);
    } else if (ch == '\\') {
      read_escape(c, b);
    } else {
      put(b, &ch, 1);
      c->i++;
    }
  }
}

static bool ends_word(char ch)
{
  return ch == '\0' || ch == ' ' || ch == '\t' || ch == '\r' || ch == ';';
}

/* One token at c->i (not at a separator). */
static bool read_token(cursor *c, scn_token *tok)
{
  buf *b = malloc(sizeof *b);
  size_t start = c->i;
  bool quoted = false;
  if (b == NULL) return false;
  b->len = 0;
  b->overflow = false;
  while (!ends_word(c->text[c->i])) {
    char ch = c->text[c->i];
    if (ch == '"') {
      quoted = true;
      read_string(c, b);
    } else if (ch == '$' && c->text[c->i + 1] == '{') {
      expand_var(c, b);
    } else {
      put(b, &ch, 1);
      c->i++;
    }
  }
  if (b->overflow) error_at(c, start, c->i - start, "%s", "token too long after substitution");
  tok->text = malloc(b->len + 1);
  if (tok->text == NULL) {
    free(b);
    return false;
  }
  memcpy(tok->text, b->data, b->len);
  tok->text[b->len] = '\0';
  tok->len = b->len;
  tok->line = c->lx->line;
  tok->col = (unsigned)start + 1;
  tok->width = (unsigned)(c->i - start);
  tok->quoted = quoted;
  free(b);
  return true;
}

/* A NUL byte would end the line early and hide the rest of it: an error at its column. */
static bool has_nul(cursor *c)
{
  size_t at = strlen(c->text);
  if (at == scn_source_line_len(c->lx->src, c->lx->line)) return false;
  error_at(c, at, 1, "%s", "NUL byte in the line (a scenario is text; write \\0 in a string)");
  return true;
}

int scn_lexer_next(scn_lexer *lx, scn_command *cmd)
{
  scn_token toks[SCN_MAX_ARGS];
  size_t n;

  while (lx->line <= lx->src->nlines) {
    cursor c = {.lx = lx, .text = scn_source_line(lx->src, lx->line), .i = lx->pos};
    bool too_many = false;
    n = 0;
    if (lx->pos == 0 && has_nul(&c)) { /* the whole line is refused, not half of it */
      lx->line++;
      continue;
    }
    for (;;) {
      char ch = c.text[c.i];
      if (ch == ' ' || ch == '\t' || ch == '\r') {
        c.i++;
      } else if (ch == '\0' || ch == '#' || ch == ';') {
        break;
      } else if (n == SCN_MAX_ARGS) {
        if (!too_many) error_at(&c, c.i, 1, "more than %s arguments in one command", "32");
        too_many = true;
        scn_token junk;
        if (read_token(&c, &junk)) free(junk.text);
      } else if (read_token(&c, &toks[n])) {
        n++;
      } else {
        error_at(&c, c.i, 1, "%s", "out of memory");
        break;
      }
    }
    /* Where the next command starts: after ';', or on the next line. */
    if (c.text[c.i] == ';') {
      lx->pos = c.i + 1;
    } else {
      lx->line++;
      lx->pos = 0;
    }
    if (c.error || n == 0) {
      for (size_t k = 0; k < n; k++) free(toks[k].text);
      continue;
    }
    memset(cmd, 0, sizeof *cmd);
    cmd->src = lx->src;
    cmd->line = toks[0].line;
    cmd->argv = malloc(n * sizeof *cmd->argv);
    if (cmd->argv == NULL) {
      for (size_t k = 0; k < n; k++) free(toks[k].text);
      return 0;
    }
    memcpy(cmd->argv, toks, n * sizeof *cmd->argv);
    cmd->argc = n;
    cmd->form = -1;
    return 1;
  }
  return 0;
}
