/* grammar.c - grammar forms: matching, placeholder checks and completion (grammar.h).
 *
 * Check time validates what the text alone shows (shapes of numbers, durations,
 * addresses, known socket names). Whether the system accepts a value (a TTL of 256, a
 * unicast "group", a busy port) is decided at run time by the core, so `expect error`
 * can test it.
 */
#include "grammar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "values.h"

/* ---- variables and names ---- */

int scn_vars_set(scn_vars *vars, const char *name, const char *value, bool fixed)
{
  size_t i;
  if (!scn_is_identifier(name) || strchr(name, '-') || strchr(name, '.')) return -22;
  if (strlen(value) >= SCN_VAR_VALUE_MAX) return -22;
  for (i = 0; i < vars->n; i++)
    if (strcmp(vars->v[i].name, name) == 0) break;
  if (i == vars->n) {
    if (vars->n == SCN_MAX_VARS) return -105; /* ENOBUFS */
    vars->n++;
    snprintf(vars->v[i].name, sizeof vars->v[i].name, "%s", name);
  } else if (vars->v[i].fixed && !fixed) {
    return 0;
  }
  snprintf(vars->v[i].value, sizeof vars->v[i].value, "%s", value);
  vars->v[i].fixed = fixed;
  return 0;
}

const char *scn_vars_get(const scn_vars *vars, const char *name)
{
  for (size_t i = 0; i < vars->n; i++)
    if (strcmp(vars->v[i].name, name) == 0) return vars->v[i].value;
  return NULL;
}

bool scn_vars_lookup(void *vars, const char *name, const char **value)
{
  *value = scn_vars_get(vars, name);
  return *value != NULL;
}

bool scn_checker_has_name(const scn_checker *ck, const char *name)
{
  for (size_t i = 0; i < ck->nnames; i++)
    if (strcmp(ck->names[i], name) == 0) return true;
  return false;
}

void scn_checker_add_name(scn_checker *ck, const char *name)
{
  if (scn_checker_has_name(ck, name) || ck->nnames == SCN_MAX_NAMES) return;
  snprintf(ck->names[ck->nnames++], SCN_NAME_MAX, "%s", name);
}

/* ---- placeholders ---- */

typedef struct ph_ctx {
  const scn_checker *ck;
  const scn_command *cmd;
  bool declares; /* this NAME introduces a socket */
} ph_ctx;

/* A check writes its reason to why[] and returns false. */
typedef bool (*ph_check)(const ph_ctx *c, const scn_token *t, char *why, size_t n);

static bool ph_name(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (!scn_is_identifier(t->text)) {
    snprintf(why, n, "'%s' is not a valid socket name (letters, digits, _ - ., up to 31)", t->text);
    return false;
  }
  if (c->declares || scn_checker_has_name(c->ck, t->text)) return true;
  snprintf(why, n, "unknown socket '%s' (no 'open %s' before this line)", t->text, t->text);
  return false;
}

#define WHY_OR(fn, msg)                                                                            \
  do {                                                                                             \
    const char *w_ = NULL;                                                                         \
    if (fn) return true;                                                                           \
    snprintf(why, n, "%s", w_ ? w_ : (msg));                                                       \
    return false;                                                                                  \
  } while (0)

static bool ph_endpoint(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w = "expected [ADDRESS]:PORT or a unix path";
  if (scn_is_endpoint(t->text, &w)) return true;
  snprintf(why, n, "bad bind address '%s': %s", t->text, w);
  return false;
}

static bool ph_dest(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w = "expected ADDRESS:PORT, [IPV6%IF]:PORT, HOST:PORT or a unix path";
  if (scn_is_destination(t->text, &w)) return true;
  snprintf(why, n, "bad destination '%s': %s", t->text, w);
  return false;
}

static bool ph_payload(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  uint8_t *data;
  size_t len;
  const char *w = "bad payload";
  int rc = scn_parse_payload(t->text, t->len, t->quoted, &data, &len, &w);
  free(data);
  if (rc == 0) return true;
  snprintf(why, n, "%s", w);
  return false;
}

static bool ph_group(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (scn_is_numeric_host(t->text)) return true;
  snprintf(why, n, "'%s' is not a numeric IP address (e.g. 239.1.1.1 or ff02::1)", t->text);
  return false;
}

static bool ph_iface(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (t->len > 0 && (t->len < 16 || scn_is_numeric_host(t->text)) && !strchr(t->text, '/'))
    return true;
  snprintf(why, n, "'%s' is not an interface name, index or IPv4 address", t->text);
  return false;
}

static bool ph_sources(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  char buf[SCN_VAR_VALUE_MAX * 4];
  size_t count = 0;
  if (t->len >= sizeof buf) {
    snprintf(why, n, "source list too long");
    return false;
  }
  memcpy(buf, t->text, t->len + 1);
  for (char *save = NULL, *s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
    if (!scn_is_numeric_host(s)) {
      snprintf(why, n, "source '%s' is not a numeric IP address", s);
      return false;
    }
    count++;
  }
  if (count == 0 || t->text[0] == ',' || t->text[t->len - 1] == ',' || strstr(t->text, ",,")) {
    snprintf(why, n, "expected SOURCE[,SOURCE...]");
    return false;
  }
  if (count > 16) {
    snprintf(why, n, "at most 16 sources");
    return false;
  }
  return true;
}

static bool ph_addr(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w = "bad address";
  if (scn_is_peer_filter(t->text, &w)) return true;
  snprintf(why, n, "bad address '%s': %s", t->text, w);
  return false;
}

static bool ph_count(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  int64_t v;
  const char *w;
  if (scn_parse_int(t->text, 0, INT32_MAX, &v, &w) == 0) return true;
  snprintf(why, n, "'%s': %s (expected 0..%d)", t->text, w, INT32_MAX);
  return false;
}

static bool ph_int(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  int64_t v;
  const char *w;
  /* Any integer: the range belongs to the option and is checked where it is applied. */
  if (scn_parse_int(t->text, INT32_MIN, INT32_MAX, &v, &w) == 0) return true;
  snprintf(why, n, "'%s': %s", t->text, w);
  return false;
}

static bool ph_dur(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  uint64_t ns;
  const char *w;
  if (scn_parse_duration(t->text, &ns, &w) == 0) return true;
  snprintf(why, n, "'%s': %s", t->text, w);
  return false;
}

static bool ph_op(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  scn_op op;
  if (scn_parse_op(t->text, &op) == 0) return true;
  snprintf(why, n, "'%s' is not a comparison: use == != < <= > >=", t->text);
  return false;
}

static bool ph_code(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  int code;
  const char *near;
  if (scn_parse_errcode(t->text, &code) == 0) return true;
  near = scn_suggest_errcode(t->text);
  if (near)
    snprintf(why, n, "unknown error code '%s'; did you mean '%s'?", t->text, near);
  else
    snprintf(why, n, "unknown error code '%s' (e.g. EACCES, EINVAL, ENODEV)", t->text);
  return false;
}

static bool ph_any(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  return true;
}

static bool ph_var(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (scn_is_identifier(t->text) && !strchr(t->text, '-') && !strchr(t->text, '.')) return true;
  snprintf(why, n, "'%s' is not a variable name (letters, digits and _)", t->text);
  return false;
}

static bool ph_verb(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  return scn_table_find(t->text, why, n) != NULL;
}

static bool ph_nonempty(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (t->len > 0) return true;
  snprintf(why, n, "empty file name");
  return false;
}

static const struct placeholder {
  const char *name;
  ph_check check;
  const char *help;
} placeholders[] = {
    {"NAME", ph_name, "a socket name: letters, digits, _ - . (up to 31)"},
    {"ENDPOINT", ph_endpoint,
     ":PORT, ADDRESS:PORT or [IPV6]:PORT (port 0 picks a free one), or a unix path"},
    {"DEST", ph_dest,
     "ADDRESS:PORT, [IPV6%IFACE]:PORT, HOST:PORT (resolved without blocking) or a unix path"},
    {"PAYLOAD", ph_payload,
     "\"text\" with C escapes, hex:48656c6c6f, or size:N (N bytes of a-z pattern)"},
    {"GROUP", ph_group, "a numeric IPv4 or IPv6 group address: 239.1.1.1, ff02::1234"},
    {"IFACE", ph_iface, "an interface name (mcb0), index (3) or, for IPv4, address"},
    {"SOURCES", ph_sources, "one or more numeric source addresses, comma-separated"},
    {"ADDR", ph_addr, "ADDRESS or ADDRESS:PORT ([IPV6]:PORT), or a unix path"},
    {"N", ph_count, "a whole number"},
    {"TTL", ph_int, "a whole number (ttl: 1..255, mcast-ttl: 0..255)"},
    {"BYTES", ph_int, "a byte count (1..1073741824)"},
    {"DUR", ph_dur, "a duration: 500us, 100ms, 1.5s, 2m"},
    {"OP", ph_op, "a comparison: == != < <= > >="},
    {"CODE", ph_code, "an error name: EACCES, EINVAL, ENODEV, EADDRINUSE, EBADF, EAI_NONAME..."},
    {"TEXT", ph_any, "text, quoted when it has spaces"},
    {"VAR", ph_var, "a variable name: letters, digits and _"},
    {"VALUE", ph_any, "any text"},
    {"FILE", ph_nonempty, "a file path"},
    {"VERB", ph_verb, "a command name"},
};

static const struct placeholder *placeholder(const char *name)
{
  for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
    if (strcmp(placeholders[i].name, name) == 0) return &placeholders[i];
  return NULL;
}

const char *scn_placeholder_help(const char *name)
{
  const struct placeholder *p = placeholder(name);
  return p ? p->help : "";
}

const char *const *scn_placeholders(void)
{
  static const char *const names[] = {
      "NAME",  "ENDPOINT", "DEST", "PAYLOAD", "GROUP", "IFACE", "SOURCES", "ADDR", "N",    "TTL",
      "BYTES", "DUR",      "OP",   "CODE",    "TEXT",  "VAR",   "VALUE",   "FILE", "VERB", NULL};
  return names;
}

/* ---- forms ---- */

/* REQ_CLAUSE: "kw X" written after the optional parts ("... [to GROUP] for DUR"): a
 * clause like the others, in any order, but required. */
enum item_kind { POS_LIT, POS_PH, OPT_PH, FLAG, CLAUSE, REQ_CLAUSE };

typedef struct item {
  enum item_kind kind;
  char word[48]; /* literal alternatives "a|b", placeholder or keyword */
  char arg[16];  /* CLAUSE: its placeholder */
} item;

#define MAX_ITEMS 16

static bool is_placeholder(const char *w)
{
  if (*w == '\0') return false;
  for (; *w; w++)
    if (!((*w >= 'A' && *w <= 'Z') || *w == '_')) return false;
  return true;
}

/* Splits a form into items. Forms are compile-time constants; they are trusted. */
static size_t parse_form(const char *form, item *items)
{
  char buf[256], *save = NULL;
  size_t n = 0;
  bool optional_seen = false;
  snprintf(buf, sizeof buf, "%s", form);
  for (char *w = strtok_r(buf, " ", &save); w && n < MAX_ITEMS; w = strtok_r(NULL, " ", &save)) {
    item *it = &items[n++];
    memset(it, 0, sizeof *it);
    if (w[0] != '[' && optional_seen && !is_placeholder(w)) {
      char *arg = strtok_r(NULL, " ", &save);
      it->kind = REQ_CLAUSE;
      snprintf(it->word, sizeof it->word, "%s", w);
      snprintf(it->arg, sizeof it->arg, "%s", arg ? arg : "");
    } else if (w[0] != '[') {
      it->kind = is_placeholder(w) ? POS_PH : POS_LIT;
      snprintf(it->word, sizeof it->word, "%s", w);
    } else if (w[strlen(w) - 1] == ']') {
      optional_seen = true;
      w[strlen(w) - 1] = '\0';
      it->kind = is_placeholder(w + 1) ? OPT_PH : FLAG;
      snprintf(it->word, sizeof it->word, "%s", w + 1);
    } else {
      char *arg = strtok_r(NULL, " ", &save);
      optional_seen = true;
      it->kind = CLAUSE;
      snprintf(it->word, sizeof it->word, "%s", w + 1);
      if (arg) {
        arg[strlen(arg) - 1] = '\0';
        snprintf(it->arg, sizeof it->arg, "%s", arg);
      }
    }
  }
  return n;
}

static bool lit_matches(const char *alts, const char *word)
{
  size_t wl = strlen(word);
  for (const char *p = alts; *p;) {
    const char *bar = strchr(p, '|');
    size_t l = bar ? (size_t)(bar - p) : strlen(p);
    if (l == wl && strncmp(p, word, l) == 0) return true;
    p += l + (bar ? 1 : 0);
  }
  return false;
}

/* Appends each alternative of `alts` to a "a, b, c" list without duplicates. */
static void add_alts(char *list, size_t size, const char *alts)
{
  char buf[64], *save = NULL;
  snprintf(buf, sizeof buf, "%s", alts);
  for (char *a = strtok_r(buf, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
    char quoted[72];
    snprintf(quoted, sizeof quoted, "'%s'", a);
    if (strstr(list, quoted)) continue;
    size_t l = strlen(list);
    snprintf(list + l, size - l, "%s%s", l ? ", " : "", quoted);
  }
}

/* The closest alternative to `word` among a ", "-separated quoted list, or "". */
static void suggest(const char *list, const char *word, char *out, size_t size)
{
  unsigned best = 3;
  out[0] = '\0';
  for (const char *p = strchr(list, '\''); p; p = strchr(p, '\'')) {
    const char *e = strchr(p + 1, '\'');
    char cand[64];
    if (!e) break;
    snprintf(cand, sizeof cand, "%.*s", (int)(e - p - 1), p + 1);
    unsigned d = scn_edit_distance(word, cand);
    if (d < best || (d == best && best < 3 && strncmp(cand, word, strlen(word)) == 0)) {
      best = d;
      snprintf(out, size, "%s", cand);
    }
    p = e + 1;
  }
}

typedef struct attempt {
  bool ok;
  size_t progress;   /* tokens accepted before the error */
  int bad_tok;       /* -1: something is missing at the end */
  bool lit_mismatch; /* failed on a keyword: literal alternatives are in `expected` */
  char expected[256];
  char why[320];
  scn_slot slots[SCN_MAX_SLOTS];
  size_t nslots;
} attempt;

static void slot(attempt *a, const char *key, size_t tok)
{
  if (a->nslots == SCN_MAX_SLOTS) return; /* forms have fewer parts than slots */
  snprintf(a->slots[a->nslots].key, sizeof a->slots[a->nslots].key, "%s", key);
  a->slots[a->nslots].tok = (int)tok;
  a->nslots++;
}

static bool check_ph(const ph_ctx *c, const char *ph, const scn_token *t, char *why, size_t n)
{
  const struct placeholder *p = placeholder(ph);
  return p == NULL || p->check(c, t, why, n);
}

/* Matches argv[1..] against one form, checking each placeholder. */
static void try_form(const scn_checker *ck, const scn_command *cmd, const item *items,
                     size_t nitems, attempt *a)
{
  ph_ctx ctx = {.ck = ck, .cmd = cmd, .declares = false};
  size_t i = 1, k;
  bool used[MAX_ITEMS] = {false};
  bool declared = false;

  memset(a, 0, sizeof *a);
  a->bad_tok = -1;
  for (k = 0; k < nitems && (items[k].kind == POS_LIT || items[k].kind == POS_PH); k++) {
    const item *it = &items[k];
    if (i >= cmd->argc) {
      a->progress = i;
      if (it->kind == POS_LIT) {
        a->lit_mismatch = true;
        add_alts(a->expected, sizeof a->expected, it->word);
        snprintf(a->why, sizeof a->why, "missing keyword: expected %s", a->expected);
      } else {
        snprintf(a->why, sizeof a->why, "missing %s", it->word);
      }
      return;
    }
    if (it->kind == POS_LIT) {
      if (!lit_matches(it->word, cmd->argv[i].text)) {
        a->progress = i;
        a->bad_tok = (int)i;
        a->lit_mismatch = true;
        add_alts(a->expected, sizeof a->expected, it->word);
        return;
      }
    } else {
      ctx.declares =
          (cmd->entry->flags & SCN_F_DECLARES) && !declared && strcmp(it->word, "NAME") == 0;
      declared = declared || ctx.declares;
      if (!check_ph(&ctx, it->word, &cmd->argv[i], a->why, sizeof a->why)) {
        a->progress = i;
        a->bad_tok = (int)i;
        return;
      }
      slot(a, it->word, i);
    }
    i++;
  }
  /* Optional parts: clauses and flags in any order, then an optional argument. */
  ctx.declares = false;
  while (i < cmd->argc) {
    const scn_token *t = &cmd->argv[i];
    size_t j;
    for (j = k; j < nitems; j++)
      if (items[j].kind >= FLAG && strcmp(items[j].word, t->text) == 0) break;
    if (j < nitems) {
      if (used[j]) {
        a->progress = i;
        a->bad_tok = (int)i;
        snprintf(a->why, sizeof a->why, "'%s' given twice", t->text);
        return;
      }
      used[j] = true;
      if (items[j].kind == FLAG) {
        slot(a, items[j].word, i);
        i++;
        continue;
      }
      if (i + 1 >= cmd->argc) {
        a->progress = i + 1;
        snprintf(a->why, sizeof a->why, "missing %s after '%s'", items[j].arg, t->text);
        return;
      }
      if (!check_ph(&ctx, items[j].arg, &cmd->argv[i + 1], a->why, sizeof a->why)) {
        a->progress = i + 1;
        a->bad_tok = (int)i + 1;
        return;
      }
      slot(a, items[j].word, i + 1);
      i += 2;
      continue;
    }
    /* Not a keyword: the optional argument, if the form has one left. */
    for (j = k; j < nitems; j++)
      if (items[j].kind == OPT_PH && !used[j]) break;
    if (j < nitems) {
      if (!check_ph(&ctx, items[j].word, t, a->why, sizeof a->why)) {
        a->progress = i;
        a->bad_tok = (int)i;
        return;
      }
      used[j] = true;
      slot(a, items[j].word, i);
      i++;
      continue;
    }
    a->progress = i;
    a->bad_tok = (int)i;
    for (j = k; j < nitems; j++)
      if (items[j].kind >= FLAG && !used[j])
        add_alts(a->expected, sizeof a->expected, items[j].word);
    return;
  }
  for (size_t j = k; j < nitems; j++)
    if (items[j].kind == REQ_CLAUSE && !used[j]) {
      a->progress = i;
      snprintf(a->why, sizeof a->why, "missing '%s %s'", items[j].word, items[j].arg);
      return;
    }
  a->ok = true;
  a->progress = i;
}

/* Merges the ", "-separated alternatives of `more` into `list`. */
static void merge_alts(char *list, size_t size, const char *more)
{
  char tmp[256], *save = NULL;
  snprintf(tmp, sizeof tmp, "%s", more);
  for (char *a = strtok_r(tmp, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
    size_t l = strlen(list);
    if (!strstr(list, a)) snprintf(list + l, size - l, "%s%s", l ? ", " : "", a);
  }
}

bool scn_grammar_match(scn_checker *ck, scn_command *cmd)
{
  const scn_entry *e = cmd->entry;
  attempt best, cur;
  item items[MAX_ITEMS];
  char usage[256], expected[256] = "", near[64];
  size_t f, best_form = 0;
  const scn_token *bad;

  memset(&best, 0, sizeof best);
  for (f = 0; e->forms[f] != NULL; f++) {
    try_form(ck, cmd, items, parse_form(e->forms[f], items), &cur);
    if (cur.ok) {
      cmd->form = (int)f;
      cmd->nslots = cur.nslots;
      memcpy(cmd->slots, cur.slots, sizeof cur.slots);
      return true;
    }
    /* Report the form that got furthest; forms failing on the same keyword pool their
     * alternatives ("expected broadcast, loopback, ttl, ..."). */
    /* At equal progress a specific reason ("unknown socket 'rx'") beats a keyword list. */
    if (f == 0 || cur.progress > best.progress ||
        (cur.progress == best.progress && best.lit_mismatch && !cur.lit_mismatch && cur.why[0])) {
      best = cur;
      best_form = f;
      snprintf(expected, sizeof expected, "%s", cur.expected);
    } else if (cur.progress == best.progress && cur.lit_mismatch && best.lit_mismatch) {
      merge_alts(expected, sizeof expected, cur.expected);
    }
  }
  scn_entry_usage(e, best_form, usage, sizeof usage);
  bad = best.bad_tok >= 0 ? &cmd->argv[best.bad_tok] : NULL;
  if (best.why[0] != '\0' && !(bad == NULL && best.lit_mismatch)) {
    if (bad == NULL)
      scn_diags_at(ck->diags, cmd, NULL, "%s; usage: %s", best.why, usage);
    else
      scn_diags_at(ck->diags, cmd, bad, "%s", best.why);
  } else if (bad == NULL) {
    scn_diags_at(ck->diags, cmd, NULL, "missing keyword: expected %s; usage: %s", expected, usage);
  } else if (expected[0] != '\0') {
    suggest(expected, bad->text, near, sizeof near);
    if (near[0])
      scn_diags_at(ck->diags, cmd, bad, "unexpected '%s'; did you mean '%s'? (expected %s)",
                   bad->text, near, expected);
    else
      scn_diags_at(ck->diags, cmd, bad, "unexpected '%s'; expected %s", bad->text, expected);
  } else {
    scn_diags_at(ck->diags, cmd, bad, "unexpected '%s'; usage: %s", bad->text, usage);
  }
  return false;
}

/* ---- completion ---- */

typedef struct cands {
  char (*out)[SCN_NAME_MAX];
  size_t n, max;
  const char *prefix;
} cands;

static void cand(cands *c, const char *word, size_t len)
{
  if (len >= SCN_NAME_MAX || c->n == c->max) return;
  if (strncmp(word, c->prefix, strlen(c->prefix)) != 0 || len < strlen(c->prefix)) return;
  for (size_t i = 0; i < c->n; i++)
    if (strlen(c->out[i]) == len && strncmp(c->out[i], word, len) == 0) return;
  memcpy(c->out[c->n], word, len);
  c->out[c->n][len] = '\0';
  c->n++;
}

static void cand_alts(cands *c, const char *alts)
{
  for (const char *p = alts; *p;) {
    const char *bar = strchr(p, '|');
    size_t l = bar ? (size_t)(bar - p) : strlen(p);
    cand(c, p, l);
    p += l + (bar ? 1 : 0);
  }
}

/* Candidates for a placeholder; returns the placeholder when it is free-form. */
static const char *cand_placeholder(cands *c, const scn_checker *ck, const char *ph)
{
  static const char *const codes[] = {
      "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EBADF",   "EINVAL", "EMSGSIZE",
      "ENODEV", "ENOTSUP",    "EAI_NONAME",    "ECANCELED",    "ENOBUFS", "ENOENT", NULL};
  static const char *const opsl[] = {"==", "!=", "<", "<=", ">", ">=", NULL};
  const char *const *list = NULL;
  if (strcmp(ph, "NAME") == 0) {
    for (size_t i = 0; i < ck->nnames; i++) cand(c, ck->names[i], strlen(ck->names[i]));
    return NULL;
  }
  if (strcmp(ph, "CODE") == 0)
    list = codes;
  else if (strcmp(ph, "OP") == 0)
    list = opsl;
  else if (strcmp(ph, "VERB") == 0) {
    for (const scn_entry *const *e = scn_table(); *e; e++) cand(c, (*e)->name, strlen((*e)->name));
    return NULL;
  }
  if (list == NULL) return ph;
  for (; *list; list++) cand(c, *list, strlen(*list));
  return NULL;
}

size_t scn_grammar_complete(const scn_checker *ck, const scn_entry *entry, const char *const *argv,
                            size_t argc, const char *prefix, char (*out)[SCN_NAME_MAX], size_t max,
                            const char **placeholder)
{
  cands c = {out, 0, max, prefix ? prefix : ""};
  item items[MAX_ITEMS];
  *placeholder = NULL;

  for (size_t f = 0; entry->forms[f] != NULL; f++) {
    size_t n = parse_form(entry->forms[f], items), i = 1, k;
    bool used[MAX_ITEMS] = {false}, fits = true;
    const char *pending = NULL; /* a clause keyword waiting for its value */

    for (k = 0; k < n && (items[k].kind == POS_LIT || items[k].kind == POS_PH) && i < argc;
         k++, i++)
      if (items[k].kind == POS_LIT && !lit_matches(items[k].word, argv[i])) fits = false;
    if (!fits) continue;
    if (i == argc && k < n && (items[k].kind == POS_LIT || items[k].kind == POS_PH)) {
      if (items[k].kind == POS_LIT)
        cand_alts(&c, items[k].word);
      else if (*placeholder == NULL)
        *placeholder = cand_placeholder(&c, ck, items[k].word);
      continue;
    }
    for (; i < argc; i++) {
      size_t j;
      if (pending != NULL) {
        pending = NULL;
        continue;
      }
      for (j = k; j < n; j++)
        if (items[j].kind >= FLAG && strcmp(items[j].word, argv[i]) == 0) break;
      if (j < n) {
        used[j] = true;
        if (items[j].kind != FLAG) pending = items[j].arg;
      } else {
        for (j = k; j < n; j++)
          if (items[j].kind == OPT_PH && !used[j]) break;
        if (j < n) used[j] = true;
      }
    }
    if (pending != NULL) {
      if (*placeholder == NULL) *placeholder = cand_placeholder(&c, ck, pending);
      continue;
    }
    for (size_t j = k; j < n; j++) {
      if (used[j]) continue;
      if (items[j].kind >= FLAG)
        cand(&c, items[j].word, strlen(items[j].word));
      else if (items[j].kind == OPT_PH && *placeholder == NULL)
        *placeholder = cand_placeholder(&c, ck, items[j].word);
    }
  }
  return c.n;
}
