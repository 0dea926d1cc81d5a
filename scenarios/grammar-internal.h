/* grammar-internal.h - grammar forms as items, and placeholder checks; shared by the
 * matcher, the completer and the placeholder table. Not used outside scenarios/. */
#ifndef SCN_GRAMMAR_INTERNAL_H
#define SCN_GRAMMAR_INTERNAL_H

#include "grammar.h"

/* REQ_CLAUSE: "kw X" written after the optional parts ("... [to GROUP] for DUR"): a
 * clause like the others, in any order, but required. */
enum item_kind { POS_LIT, POS_PH, OPT_PH, FLAG, CLAUSE, REQ_CLAUSE };

typedef struct item {
  enum item_kind kind;
  char word[SCN_WORD_MAX]; /* literal alternatives "a|b", placeholder or keyword */
  char arg[16];            /* CLAUSE: its placeholder */
  char unit[32];           /* CLAUSE written "[kw X a|b|c]": the unit word after X, or "" */
} item;

#define MAX_ITEMS 24

bool scn__is_placeholder(const char *w);
/* Splits a form into items. Forms are compile-time constants; they are trusted. */
size_t scn__parse_form(const char *form, item *items);
bool scn__lit_matches(const char *alts, const char *word);
/* A clause value written "CMD...": it takes every word after its keyword ("-- CMD..."). */
bool scn__is_rest(const char *arg);
/* Appends each alternative of `alts` to a "'a', 'b'" list without duplicates. */
void scn__add_alts(char *list, size_t size, const char *alts);

typedef struct ph_ctx {
  const scn_checker *ck;
  bool declares;         /* this NAME introduces a socket */
  const char *prev_ph;   /* the placeholder just before this one ("OPTION"), or NULL */
  const scn_token *prev; /* and its token: a value may depend on it */
} ph_ctx;

/* Checks token t against placeholder ph (unknown placeholders accept anything). */
bool scn__placeholder_check(const ph_ctx *c, const char *ph, const scn_token *t, char *why,
                            size_t n);

#endif
