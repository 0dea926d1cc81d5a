/* source.c - scenario sources, command helpers and diagnostics with carets. Every
 * diagnostic is escaped on its way out (scn_escape), since its text quotes the file. */
#include "source.h"

#include "escape.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

int scn_source_new(const char *name, const char *text, size_t len, scn_source **out)
{
  scn_source *s;
  size_t n = 1, i, line = 0, start = 0;

  *out = NULL;
  if (len > SCN_MAX_SOURCE) return UV_EFBIG;
  s = calloc(1, sizeof *s);
  if (s == NULL) return UV_ENOMEM;
  for (i = 0; i < len; i++)
    if (text[i] == '\n') n++;
  s->name = strdup(name);
  s->text = malloc(len + 1);
  s->lines = calloc(n + 1, sizeof *s->lines); /* NULL-terminated */
  s->lens = calloc(n + 1, sizeof *s->lens);
  if (!s->name || !s->text || !s->lines || !s->lens) {
    scn_source_free(s);
    return UV_ENOMEM;
  }
  memcpy(s->text, text, len);
  s->text[len] = '\0';
  for (i = 0; i <= len; i++) {
    if (i < len && text[i] != '\n') continue;
    size_t l = i - start;
    /* A NUL byte stays in the copy; lens[] knows the real length, so the lexer can
     * report it instead of silently ending the line there. */
    s->lines[line] = malloc(l + 1);
    if (s->lines[line] == NULL) {
      scn_source_free(s);
      return UV_ENOMEM;
    }
    memcpy(s->lines[line], text + start, l);
    s->lines[line][l] = '\0';
    s->lens[line] = l;
    line++;
    start = i + 1;
  }
  /* A final newline does not start another line. */
  s->nlines = (len > 0 && text[len - 1] == '\n') ? line - 1 : line;
  *out = s;
  return 0;
}

int scn_source_load(const char *path, scn_source **out, char *errbuf, size_t size)
{
  FILE *f = fopen(path, "rb");
  char *data, name[1024];
  size_t n;
  int rc;

  *out = NULL;
  /* the message quotes the path: a file name can hold terminal escapes too */
  scn_escape((const uint8_t *)path, strlen(path), true, name, sizeof name, 0, NULL);
  if (f == NULL) {
    rc = -errno;
    mcb_msgf(errbuf, size, "%s: %s", name, uv_strerror(rc));
    return rc;
  }
  data = malloc(SCN_MAX_SOURCE + 1);
  if (data == NULL) {
    fclose(f);
    return UV_ENOMEM;
  }
  n = fread(data, 1, SCN_MAX_SOURCE + 1, f);
  rc = ferror(f) ? UV_EIO : 0;
  fclose(f);
  if (rc == 0 && n > SCN_MAX_SOURCE) rc = UV_EFBIG;
  if (rc == 0) rc = scn_source_new(path, data, n, out);
  free(data);
  if (rc == UV_EFBIG)
    mcb_msgf(errbuf, size, "%s: larger than %u bytes", name, SCN_MAX_SOURCE);
  else if (rc != 0)
    mcb_msgf(errbuf, size, "%s: %s", name, uv_strerror(rc));
  return rc;
}

void scn_source_free(scn_source *s)
{
  if (s == NULL) return;
  for (size_t i = 0; s->lines && s->lines[i]; i++) free(s->lines[i]);
  free(s->lines);
  free(s->lens);
  free(s->text);
  free(s->name);
  free(s);
}

const char *scn_source_line(const scn_source *s, unsigned line)
{
  if (s == NULL || line == 0 || line > s->nlines) return "";
  return s->lines[line - 1];
}

size_t scn_source_line_len(const scn_source *s, unsigned line)
{
  if (s == NULL || line == 0 || line > s->nlines) return 0;
  return s->lens[line - 1];
}

void scn_command_free(scn_command *cmd)
{
  for (size_t i = 0; i < cmd->argc; i++) free(cmd->argv[i].text);
  free(cmd->argv);
  cmd->argv = NULL;
  cmd->argc = 0;
}

const scn_token *scn_arg(const scn_command *cmd, const char *key)
{
  for (size_t i = 0; i < cmd->nslots; i++)
    if (strcmp(cmd->slots[i].key, key) == 0) return &cmd->argv[cmd->slots[i].tok];
  return NULL;
}

static bool needs_quotes(const scn_token *t)
{
  if (t->len == 0) return true;
  for (size_t i = 0; i < t->len; i++) {
    unsigned char ch = (unsigned char)t->text[i];
    if (ch <= ' ' || ch >= 0x7f || ch == '"' || ch == '\\' || ch == '#' || ch == ';' || ch == '$')
      return true;
  }
  return t->quoted;
}

void scn_command_text(const scn_command *cmd, char *buf, size_t size)
{
  size_t n = 0;
  bool cut = size == 0; /* a command too long for buf ends with "..." */
#define OUT(...)                                                                                   \
  do {                                                                                             \
    if (!cut) cut = mcb_msgf(buf + n, size - n, __VA_ARGS__);                                      \
    if (!cut) n += strlen(buf + n);                                                                \
  } while (0)
  if (size > 0) buf[0] = '\0';
  for (size_t i = 0; i < cmd->argc; i++) {
    const scn_token *t = &cmd->argv[i];
    if (i > 0) OUT(" ");
    if (!needs_quotes(t)) {
      OUT("%s", t->text);
      continue;
    }
    OUT("\"");
    for (size_t k = 0; k < t->len; k++) {
      unsigned char ch = (unsigned char)t->text[k];
      if (ch == '"' || ch == '\\' || ch == '$')
        OUT("\\%c", ch);
      else if (ch == '\n')
        OUT("\\n");
      else if (ch == '\t')
        OUT("\\t");
      else if (ch < ' ' || ch >= 0x7f)
        OUT("\\x%02x", ch);
      else
        OUT("%c", ch);
    }
    OUT("\"");
  }
#undef OUT
}

void scn_diags_add(scn_diags *d, const scn_source *src, unsigned line, unsigned col, unsigned width,
                   const char *fmt, ...)
{
  va_list ap;
  scn_diag *x;
  if (d->n >= SCN_MAX_DIAGS) {
    d->dropped++;
    return;
  }
  x = &d->items[d->n++];
  x->src = src;
  x->line = line;
  x->col = col;
  x->width = width;
  va_start(ap, fmt);
  mcb_vmsgf(x->message, sizeof x->message, fmt, ap);
  va_end(ap);
}

void scn_diags_at(scn_diags *d, const scn_command *cmd, const scn_token *tok, const char *fmt, ...)
{
  char msg[MCB_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  mcb_vmsgf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (tok != NULL) {
    scn_diags_add(d, cmd->src, tok->line, tok->col, tok->width ? tok->width : 1, "%s", msg);
  } else { /* something is missing: point just past the command's last token */
    const scn_token *last = &cmd->argv[cmd->argc - 1];
    scn_diags_add(d, cmd->src, last->line, last->col + last->width, 1, "%s", msg);
  }
}

/* Escapes n bytes for a terminal into out, as payloads are, except that a backslash
 * stays one (diagnostics quote scenario text, which is full of them) and, when
 * `tabs_as_spaces`, a tab is one space. Returns the display columns written. */
static int escape(const char *p, size_t n, bool tabs_as_spaces, char *out, size_t size)
{
  size_t o = 0, i = 0;
  int cols = 0;
  out[0] = '\0';
  while (i < n) {
    size_t run = 0, used = 0;
    while (i + run < n && p[i + run] != '\\' && !(tabs_as_spaces && p[i + run] == '\t')) run++;
    cols += scn_escape((const uint8_t *)p + i, run, true, out + o, size - o, 0, &used);
    o += strlen(out + o);
    i += used;
    if (used < run || i == n || o + 2 > size) break; /* done, or out is full */
    out[o++] = p[i++] == '\t' ? ' ' : '\\';
    out[o] = '\0';
    cols++;
  }
  return cols;
}

void scn_diag_format(const scn_diag *d, char *buf, size_t size)
{
  const char *name = d->src ? d->src->name : "?";
  char ename[1024], emsg[4 * sizeof d->message + 16];
  escape(name, strlen(name), false, ename, sizeof ename);
  escape(d->message, strnlen(d->message, sizeof d->message), false, emsg, sizeof emsg);
  /* a cut line ends with "...", never in half a UTF-8 character */
  if (d->col > 0)
    mcb_msgf(buf, size, "%s:%u:%u: error: %s", ename, d->line, d->col, emsg);
  else
    mcb_msgf(buf, size, "%s:%u: error: %s", ename, d->line, emsg);
}

void scn_diag_print(FILE *out, const scn_diag *d)
{
  char head[2048];
  const char *line = scn_source_line(d->src, d->line);
  size_t len = scn_source_line_len(d->src, d->line), size = 4 * len + 16;
  size_t at = d->col > 0 ? d->col - 1 : 0, width = d->width > 0 ? d->width : 1;
  char *esc = malloc(size);
  int before, under;

  scn_diag_format(d, head, sizeof head);
  fprintf(out, "%s\n", head);
  if (d->col == 0 || esc == NULL) {
    free(esc);
    return;
  }
  /* The line escaped as payloads are (tabs as spaces); the caret sits under the
   * escaped culprit, however many columns its escapes take. */
  if (at > len) at = len;
  if (width > len - at) width = len - at;
  before = escape(line, at, true, esc, size);
  under = escape(line + at, width, true, esc, size);
  escape(line, len, true, esc, size);
  fprintf(out, "    %s\n    %*s^", esc, before, "");
  for (int i = 1; i < under; i++) fputc('~', out);
  fputc('\n', out);
  free(esc);
}
