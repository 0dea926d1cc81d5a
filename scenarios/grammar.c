/* grammar.c - matches a command's arguments against its verb's grammar forms and, when
 * none fits, reports the most helpful error: the form that got furthest, keyword lists
 * pooled across forms, "did you mean" for near misses. */
#include "grammar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "grammar-internal.h"
#include "values.h"

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
  char why[MCB_MSG_MAX];
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

/* The unit after a clause's value ("rate 1000 pps"): one of the literal alternatives,
 * its own slot (scn_arg_word(cmd, "pps|kbps|Mbps")). */
static bool clause_unit(const scn_command *cmd, const item *it, size_t *i, attempt *a)
{
  char alts[96] = "";
  scn__add_alts(alts, sizeof alts, it->unit);
  if (*i >= cmd->argc) {
    a->progress = *i;
    mcb_msgf(a->why, sizeof a->why, "'%s %s' needs a unit: expected %s", it->word,
             cmd->argv[*i - 1].text, alts);
    return false;
  }
  if (!scn__lit_matches(it->unit, cmd->argv[*i].text)) {
    a->progress = *i;
    a->bad_tok = (int)*i;
    mcb_msgf(a->why, sizeof a->why, "unknown unit '%s' after '%s %s': expected %s",
             cmd->argv[*i].text, it->word, cmd->argv[*i - 1].text, alts);
    return false;
  }
  slot(a, cmd->argv[*i].text, *i);
  (*i)++;
  return true;
}

/* One form being matched against argv[1..]. */
typedef struct matcher {
  const scn_command *cmd;
  const item *items;
  size_t nitems;
  size_t k; /* the form's first optional item */
  size_t i; /* the next token */
  bool used[MAX_ITEMS];
  ph_ctx ctx;
  attempt *a;
} matcher;

/* The attempt stops at token `at`: that token is wrong, or (bad false) something is
 * missing before it. */
static void stop_at(attempt *a, size_t at, bool bad)
{
  a->progress = at;
  a->bad_tok = bad ? (int)at : -1;
}

/* A positional keyword or placeholder, item it, at token i. */
static bool match_position(matcher *m, const item *it, bool *declared)
{
  const scn_token *t = &m->cmd->argv[m->i];
  attempt *a = m->a;
  if (it->kind == POS_LIT) {
    if (!scn__lit_matches(it->word, t->text)) {
      stop_at(a, m->i, true);
      a->lit_mismatch = true;
      scn__add_alts(a->expected, sizeof a->expected, it->word);
      return false;
    }
    slot(a, t->text, m->i); /* a keyword is its own slot: scn_arg(cmd, "bytes") */
    return true;
  }
  m->ctx.declares =
      (m->cmd->entry->flags & SCN_F_DECLARES) && !*declared && strcmp(it->word, "NAME") == 0;
  *declared = *declared || m->ctx.declares;
  if (!scn__placeholder_check(&m->ctx, it->word, t, a->why, sizeof a->why)) {
    stop_at(a, m->i, true);
    return false;
  }
  slot(a, it->word, m->i);
  return true;
}

/* The positional parts, in order; sets k to the first optional item. */
static bool match_positionals(matcher *m)
{
  attempt *a = m->a;
  bool declared = false;
  for (m->k = 0; m->k < m->nitems; m->k++) {
    const item *it = &m->items[m->k];
    if (it->kind != POS_LIT && it->kind != POS_PH) break;
    if (m->i >= m->cmd->argc) {
      stop_at(a, m->i, false);
      if (it->kind == POS_LIT) {
        a->lit_mismatch = true;
        scn__add_alts(a->expected, sizeof a->expected, it->word);
        mcb_msgf(a->why, sizeof a->why, "missing keyword: expected %s", a->expected);
      } else {
        mcb_msgf(a->why, sizeof a->why, "missing %s", it->word);
      }
      return false;
    }
    if (!match_position(m, it, &declared)) return false;
    m->ctx.prev_ph = it->kind == POS_PH ? it->word : NULL;
    m->ctx.prev = &m->cmd->argv[m->i];
    m->i++;
  }
  return true;
}

/* A flag, or a "keyword VALUE" clause, item j, at token i. */
static bool match_clause(matcher *m, size_t j)
{
  const scn_token *t = &m->cmd->argv[m->i];
  const item *it = &m->items[j];
  attempt *a = m->a;
  if (m->used[j]) {
    stop_at(a, m->i, true);
    mcb_msgf(a->why, sizeof a->why, "'%s' given twice", t->text);
    return false;
  }
  m->used[j] = true;
  if (it->kind == FLAG) {
    slot(a, it->word, m->i++);
    return true;
  }
  if (m->i + 1 >= m->cmd->argc) {
    stop_at(a, m->i + 1, false);
    mcb_msgf(a->why, sizeof a->why, "missing %s after '%s'", it->arg, t->text);
    return false;
  }
  if (!scn__placeholder_check(&m->ctx, it->arg, &m->cmd->argv[m->i + 1], a->why, sizeof a->why)) {
    stop_at(a, m->i + 1, true);
    return false;
  }
  slot(a, it->word, m->i + 1);
  if (scn__is_rest(it->arg)) { /* "-- CMD...": every word to the end is its value */
    m->i = m->cmd->argc;
    return true;
  }
  m->i += 2;
  return it->unit[0] == '\0' || clause_unit(m->cmd, it, &m->i, a);
}

/* A token that is no keyword: the form's next unused optional argument, if it has one. */
static bool match_optional_arg(matcher *m)
{
  const scn_token *t = &m->cmd->argv[m->i];
  attempt *a = m->a;
  size_t j;
  for (j = m->k; j < m->nitems; j++)
    if (m->items[j].kind == OPT_PH && !m->used[j]) break;
  if (j == m->nitems) { /* nothing fits: list the keywords still possible */
    stop_at(a, m->i, true);
    for (j = m->k; j < m->nitems; j++)
      if (m->items[j].kind >= FLAG && !m->used[j])
        scn__add_alts(a->expected, sizeof a->expected, m->items[j].word);
    return false;
  }
  if (!scn__placeholder_check(&m->ctx, m->items[j].word, t, a->why, sizeof a->why)) {
    stop_at(a, m->i, true);
    return false;
  }
  m->used[j] = true;
  slot(a, m->items[j].word, m->i++);
  return true;
}

/* Optional parts: clauses and flags in any order, then an optional argument. */
static bool match_optionals(matcher *m)
{
  m->ctx.declares = false;
  m->ctx.prev_ph = NULL;
  while (m->i < m->cmd->argc) {
    const char *text = m->cmd->argv[m->i].text;
    size_t j;
    for (j = m->k; j < m->nitems; j++)
      if (m->items[j].kind >= FLAG && strcmp(m->items[j].word, text) == 0) break;
    if (!(j < m->nitems ? match_clause(m, j) : match_optional_arg(m))) return false;
  }
  return true;
}

/* Matches argv[1..] against one form, checking each placeholder. */
static void try_form(const scn_checker *ck, const scn_command *cmd, const item *items,
                     size_t nitems, attempt *a)
{
  matcher m = {.cmd = cmd, .items = items, .nitems = nitems, .i = 1, .a = a};
  m.ctx.ck = ck;
  memset(a, 0, sizeof *a);
  a->bad_tok = -1;
  if (!match_positionals(&m) || !match_optionals(&m)) return;
  for (size_t j = m.k; j < nitems; j++)
    if (items[j].kind == REQ_CLAUSE && !m.used[j]) {
      stop_at(a, m.i, false);
      mcb_msgf(a->why, sizeof a->why, "missing '%s %s'", items[j].word, items[j].arg);
      return;
    }
  a->ok = true;
  a->progress = m.i;
}

/* Merges the ", "-separated alternatives of `more` into `list`. */
static void merge_alts(char *list, size_t size, const char *more)
{
  char tmp[256], *save = NULL;
  snprintf(tmp, sizeof tmp, "%s", more);
  for (char *a = strtok_r(tmp, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
    size_t l = strlen(list);
    if (strstr(list, a)) continue;
    if (strcmp(a, "...") == 0 || l + strlen(a) + 8 >= size) { /* never a cut word */
      if (l + 6 <= size && !strstr(list, ", ...")) snprintf(list + l, size - l, ", ...");
      return;
    }
    snprintf(list + l, size - l, "%s%s", l ? ", " : "", a);
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
    try_form(ck, cmd, items, scn__parse_form(e->forms[f], items), &cur);
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
