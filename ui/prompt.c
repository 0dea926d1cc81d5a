/* prompt.c - the ':' command line (see prompt.h). */
#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "cmd.h"
#include "escape.h"
#include "keys.h"
#include "outfile.h"

/* ---- history ---- */

static void push(ui_history *h, const char *line)
{
  char *copy = strdup(line);
  if (copy == NULL) return;
  if (h->n == UI_HISTORY_MAX) {
    free(h->lines[0]);
    memmove(h->lines, h->lines + 1, (UI_HISTORY_MAX - 1) * sizeof h->lines[0]);
    h->n--;
  }
  h->lines[h->n++] = copy;
}

static void compact(ui_history *h)
{
  scn_outfile o;
  if (scn_outfile_open(&o, h->path, NULL, 0) != 0) return;
  (void)fchmod(fileno(o.f), 0600); /* the operator's own commands */
  for (size_t i = 0; i < h->n; i++) scn_outfile_printf(&o, "%s\n", h->lines[i]);
  if (o.error != 0)
    scn_outfile_abort(&o);
  else
    (void)scn_outfile_commit(&o, NULL, 0);
}

void ui_history_init(ui_history *h, const char *path)
{
  char line[UI_PROMPT_MAX + 2];
  FILE *f;
  memset(h, 0, sizeof *h);
  snprintf(h->path, sizeof h->path, "%s", path ? path : "");
  if (h->path[0] && (f = fopen(h->path, "r")) != NULL) {
    size_t read = 0;
    while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\n")] = '\0';
      if (line[0]) push(h, line);
      read++;
    }
    fclose(f);
    /* The file is appended to; replace it with the kept lines when it has grown past
     * twice the limit, so it stays bounded too (atomically: a failure keeps the old). */
    if (read > 2 * UI_HISTORY_MAX) compact(h);
  }
  h->pos = h->n;
}

void ui_history_free(ui_history *h)
{
  for (size_t i = 0; i < h->n; i++) free(h->lines[i]);
  h->n = 0;
}

static void mkdirs(char *path)
{
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    (void)mkdir(path, 0700);
    *p = '/';
  }
}

/* Appends one line: never through a symbolic link, every byte and the close checked. */
static int append(ui_history *h, const char *line)
{
  char dir[sizeof h->path];
  size_t len = strlen(line);
  int fd, rc = 0;
  snprintf(dir, sizeof dir, "%s", h->path);
  mkdirs(dir);
  fd = open(h->path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
  if (fd < 0) return -errno;
  if (write(fd, line, len) != (ssize_t)len || write(fd, "\n", 1) != 1) rc = errno ? -errno : UV_EIO;
  if (close(fd) != 0 && rc == 0) rc = -errno;
  return rc;
}

int ui_history_add(ui_history *h, const char *line)
{
  int rc = 0;
  if (line[0] == '\0' || strchr(line, '\n')) return 0;
  if (h->n == 0 || strcmp(h->lines[h->n - 1], line) != 0) {
    push(h, line);
    if (h->path[0] && (rc = append(h, line)) != 0)
      mcb_msgf(h->why, sizeof h->why, "history %s: %s", h->path, uv_strerror(rc));
  }
  h->pos = h->n;
  return rc;
}

void ui_history_default_path(char *buf, size_t size)
{
  const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
  if (state && state[0] == '/')
    snprintf(buf, size, "%s/mcbench/history", state);
  else if (home && home[0] == '/')
    snprintf(buf, size, "%s/.local/state/mcbench/history", home);
  else
    buf[0] = '\0';
}

/* ---- editing ---- */

static void set_line(ui_state *st, const char *text)
{
  snprintf(st->prompt, sizeof st->prompt, "%s", text);
  st->cursor = strlen(st->prompt);
}

void ui_prompt_open(ui_state *st, ui_history *h, const char *text, const scn_checker *ck)
{
  st->prompt_active = true;
  set_line(st, text ? text : "");
  h->pos = h->n;
  ui_prompt_update_hint(st, ck);
}

static void insert(ui_state *st, const char *s, size_t n)
{
  size_t len = strlen(st->prompt);
  if (len + n >= sizeof st->prompt) return;
  memmove(st->prompt + st->cursor + n, st->prompt + st->cursor, len - st->cursor + 1);
  memcpy(st->prompt + st->cursor, s, n);
  st->cursor += n;
}

static void erase(ui_state *st, size_t from, size_t to)
{
  size_t len = strlen(st->prompt);
  memmove(st->prompt + from, st->prompt + to, len - to + 1);
  st->cursor = from;
}

/* Start of the UTF-8 character before `at`. */
static size_t char_before(const char *s, size_t at)
{
  if (at == 0) return 0;
  do at--;
  while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80);
  return at;
}

static size_t char_after(const char *s, size_t at)
{
  size_t len = strlen(s);
  if (at >= len) return len;
  do at++;
  while (at < len && ((unsigned char)s[at] & 0xc0) == 0x80);
  return at;
}

static void browse(ui_state *st, ui_history *h, int dir)
{
  if (h->n == 0) return;
  if (h->pos == h->n) snprintf(h->draft, sizeof h->draft, "%s", st->prompt);
  if (dir < 0 && h->pos > 0)
    h->pos--;
  else if (dir > 0 && h->pos < h->n)
    h->pos++;
  set_line(st, h->pos == h->n ? h->draft : h->lines[h->pos]);
}

ui_prompt_result ui_prompt_key(ui_state *st, ui_history *h, int key, const scn_checker *ck)
{
  size_t w;
  switch (key) {
  case UI_KEY_ENTER:
    return UI_PROMPT_SUBMIT;
  case UI_KEY_ESC:
  case UI_KEY_CTRL_C:
    return UI_PROMPT_CANCEL;
  case UI_KEY_BACKSPACE:
    if (st->cursor == 0 && st->prompt[0] == '\0') return UI_PROMPT_CANCEL;
    erase(st, char_before(st->prompt, st->cursor), st->cursor);
    break;
  case UI_KEY_DELETE:
    erase(st, st->cursor, char_after(st->prompt, st->cursor));
    break;
  case UI_KEY_LEFT:
    st->cursor = char_before(st->prompt, st->cursor);
    break;
  case UI_KEY_RIGHT:
    st->cursor = char_after(st->prompt, st->cursor);
    break;
  case UI_KEY_HOME:
  case UI_KEY_CTRL_A:
    st->cursor = 0;
    break;
  case UI_KEY_END:
  case UI_KEY_CTRL_E:
    st->cursor = strlen(st->prompt);
    break;
  case UI_KEY_CTRL_U:
    erase(st, 0, st->cursor);
    break;
  case UI_KEY_CTRL_K:
    st->prompt[st->cursor] = '\0';
    break;
  case UI_KEY_CTRL_W:
    w = st->cursor;
    while (w > 0 && st->prompt[w - 1] == ' ') w--;
    while (w > 0 && st->prompt[w - 1] != ' ') w--;
    erase(st, w, st->cursor);
    break;
  case UI_KEY_UP:
    browse(st, h, -1);
    break;
  case UI_KEY_DOWN:
    browse(st, h, 1);
    break;
  case UI_KEY_TAB:
    ui_prompt_complete(st, ck);
    return UI_PROMPT_EDITING; /* keep its hint */
  default:
    if (key >= 0x20 && key != 0x7f && key < 0x110000 && !(key >= 0xd800 && key <= 0xdfff)) {
      char buf[4];
      insert(st, buf, scn_utf8_encode((uint32_t)key, buf));
    }
    break;
  }
  ui_prompt_update_hint(st, ck);
  return UI_PROMPT_EDITING;
}

/* ---- words before the cursor (of the last command on the line) ---- */

#define MAX_WORDS 32

typedef struct words {
  char buf[UI_PROMPT_MAX];
  const char *w[MAX_WORDS];
  size_t n;
  bool partial;      /* the cursor is inside the last word */
  size_t last_start; /* byte offset of the last word in the prompt */
} words;

static void split(const ui_state *st, words *ws)
{
  size_t i = 0, start = 0;
  bool quoted = false;
  memcpy(ws->buf, st->prompt, st->cursor);
  ws->buf[st->cursor] = '\0';
  ws->n = 0;
  ws->partial = false;
  /* Only the command under the cursor: after the last ';' outside quotes. */
  for (size_t k = 0; k < st->cursor; k++) {
    if (ws->buf[k] == '"') quoted = !quoted;
    if (ws->buf[k] == ';' && !quoted) start = k + 1;
  }
  i = start;
  while (ws->buf[i] != '\0' && ws->n < MAX_WORDS) {
    while (ws->buf[i] == ' ') i++;
    if (ws->buf[i] == '\0') break;
    ws->last_start = i;
    ws->w[ws->n++] = &ws->buf[i];
    quoted = false;
    while (ws->buf[i] != '\0' && (quoted || ws->buf[i] != ' ')) {
      if (ws->buf[i] == '"') quoted = !quoted;
      i++;
    }
    if (ws->buf[i] == '\0') {
      ws->partial = true;
      break;
    }
    ws->buf[i++] = '\0';
  }
  if (!ws->partial) ws->last_start = st->cursor;
}

void ui_prompt_update_hint(ui_state *st, const scn_checker *ck)
{
  words ws;
  char why[MCB_MSG_MAX], usage[256];
  const scn_entry *e;
  split(st, &ws);
  st->hint[0] = '\0';
  if (ws.n == 0 || (ws.n == 1 && ws.partial)) {
    snprintf(st->hint, sizeof st->hint,
             "Tab completes a command; Enter runs; Esc cancels; help lists them");
    return;
  }
  if ((e = scn_table_find(ws.w[0], why, sizeof why)) == NULL) {
    mcb_msgf(st->hint, sizeof st->hint, "%s", why);
    return;
  }
  scn_entry_usage(e, 0, usage, sizeof usage);
  mcb_msgf(st->hint, sizeof st->hint, "%s%s -- %s", usage, e->forms[1] ? " ..." : "", e->summary);
  (void)ck;
}

/* The longest prefix shared by the candidates. */
static size_t common(char (*c)[SCN_NAME_MAX], size_t n)
{
  size_t len = strlen(c[0]);
  for (size_t i = 1; i < n; i++) {
    size_t k = 0;
    while (k < len && c[i][k] == c[0][k]) k++;
    len = k;
  }
  return len;
}

void ui_prompt_complete(ui_state *st, const scn_checker *ck)
{
  char cands[48][SCN_NAME_MAX], why[256];
  const char *argv[MAX_WORDS], *prefix = "", *ph = NULL;
  size_t argc, n = 0, plen;
  const scn_entry *e;
  words ws;

  split(st, &ws);
  argc = ws.partial ? ws.n - 1 : ws.n;
  if (ws.partial) prefix = ws.w[ws.n - 1];
  plen = strlen(prefix);
  if (argc == 0) {
    for (const scn_entry *const *t = scn_table(); *t && n < 48; t++)
      if (strncmp((*t)->name, prefix, plen) == 0)
        snprintf(cands[n++], SCN_NAME_MAX, "%s", (*t)->name);
  } else {
    if ((e = scn_table_find(ws.w[0], why, sizeof why)) == NULL) {
      mcb_msgf(st->hint, sizeof st->hint, "%s", why);
      return;
    }
    for (size_t i = 0; i < argc; i++) argv[i] = ws.w[i];
    n = scn_grammar_complete(ck, e, argv, argc, prefix, cands, 48, &ph);
  }
  if (n == 0) {
    if (ph)
      snprintf(st->hint, sizeof st->hint, "%s: %s", ph, scn_placeholder_help(ph));
    else
      snprintf(st->hint, sizeof st->hint, "nothing to complete here");
    return;
  }
  if (n == 1) {
    insert(st, cands[0] + plen, strlen(cands[0]) - plen);
    insert(st, " ", 1);
    ui_prompt_update_hint(st, ck);
    return;
  }
  size_t c = common(cands, n);
  if (c > plen) insert(st, cands[0] + plen, c - plen);
  size_t o = 0;
  for (size_t i = 0; i < n && o + 2 < sizeof st->hint; i++)
    o += (size_t)snprintf(st->hint + o, sizeof st->hint - o, "%s%s", i ? " " : "", cands[i]);
}
