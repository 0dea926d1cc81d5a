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

/* The unit after a clause's value ("rate 1000 pps"): one of the literal alternatives,
 * its own slot (scn_arg_word(cmd, "pps|kbps|Mbps")). */
static bool clause_unit(const scn_command *cmd, const item *it, size_t *i, attempt *a)
{
  char alts[96] = "";
  scn__add_alts(alts, sizeof alts, it->unit);
  if (*i >= cmd->argc) {
    a->progress = *i;
    snprintf(a->why, sizeof a->why, "'%s %s' needs a unit: expected %s", it->word,
             cmd->argv[*i - 1].text, alts);
    return false;
  }
  if (!scn__lit_matches(it->unit, cmd->argv[*i].text)) {
    a->progress = *i;
    a->bad_tok = (int)*i;
    snprintf(a->why, sizeof a->why, "unknown unit '%s' after '%s %s': expected %s",
             cmd->argv[*i].text, it->word, cmd->argv[*i - 1].text, alts);
    return false;
  }
  slot(a, cmd->argv[*i].text, *i);
  (*i)++;
  return true;
}

/* Matches argv[1..] against one form, checking each placeholder. */
static void try_form(const scn_checker *ck, const scn_command *cmd, const item *items,
                     size_t nitems, attempt *a)
{
  ph_ctx ctx = {.ck = ck, .declares = false};
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
        scn__add_alts(a->expected, sizeof a->expected, it->word);
        snprintf(a->why, sizeof a->why, "missing keyword: expected %s", a->expected);
      } else {
        snprintf(a->why, sizeof a->why, "missing %s", it->word);
      }
      return;
    }
    if (it->kind == POS_LIT) {
      if (!scn__lit_matches(it->word, cmd->argv[i].text)) {
        a->progress = i;
        a->bad_tok = (int)i;
        a->lit_mismatch = true;
        scn__add_alts(a->expected, sizeof a->expected, it->word);
        return;
      }
      slot(a, cmd->argv[i].text, i); /* a keyword is its own slot: scn_arg(cmd, "bytes") */
    } else {
      ctx.declares =
          (cmd->entry->flags & SCN_F_DECLARES) && !declared && strcmp(it->word, "NAME") == 0;
      declared = declared || ctx.declares;
      if (!scn__placeholder_check(&ctx, it->word, &cmd->argv[i], a->why, sizeof a->why)) {
        a->progress = i;
        a->bad_tok = (int)i;
        return;
      }
      slot(a, it->word, i);
    }
    ctx.prev_ph = it->kind == POS_PH ? it->word : NULL;
    ctx.prev = &cmd->argv[i];
    i++;
  }
  /* Optional parts: clauses and flags in any order, then an optional argument. */
  ctx.declares = false;
  ctx.prev_ph = NULL;
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
      if (!scn__placeholder_check(&ctx, items[j].arg, &cmd->argv[i + 1], a->why, sizeof a->why)) {
        a->progress = i + 1;
        a->bad_tok = (int)i + 1;
        return;
      }
      slot(a, items[j].word, i + 1);
      i += 2;
      if (items[j].unit[0] != '\0' && !clause_unit(cmd, &items[j], &i, a)) return;
      continue;
    }
    /* Not a keyword: the optional argument, if the form has one left. */
    for (j = k; j < nitems; j++)
      if (items[j].kind == OPT_PH && !used[j]) break;
    if (j < nitems) {
      if (!scn__placeholder_check(&ctx, items[j].word, t, a->why, sizeof a->why)) {
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
        scn__add_alts(a->expected, sizeof a->expected, items[j].word);
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
