/* complete.c - Tab completion from the grammar forms: the words that may come next
 * (keywords, socket names, comparisons, error names), or the free-form placeholder. */
#include "grammar-internal.h"

#include <string.h>

#include "cmd.h"
#include "sockopt.h"

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

/* The interface names the kernel has (IFACE, and the value of mcast-if). */
static void cand_ifaces(cands *c)
{
  mcb_iface ifs[32];
  size_t n = 0;
  if (mcb_iface_list(ifs, sizeof ifs / sizeof ifs[0], &n) != 0) return;
  for (size_t i = 0; i < n; i++) cand(c, ifs[i].name, strlen(ifs[i].name));
}

/* OPTION: the rows that can be set; VALUE after an option: what it takes. */
static const char *cand_option(cands *c, const char *ph, const char *prev_ph, const char *prev)
{
  const mcb_option *o;
  if (strcmp(ph, "OPTION") == 0) {
    for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++)
      if (!(o->flags & MCB_OPT_READONLY)) cand(c, o->name, strlen(o->name));
    return NULL;
  }
  if (prev_ph == NULL || strcmp(prev_ph, "OPTION") != 0 || (o = scn_option_find(prev)) == NULL)
    return ph;
  if (strcmp(o->name, "mcast-if") == 0) {
    cand(c, "default", strlen("default"));
    cand_ifaces(c);
    return NULL;
  }
  if (o->type != MCB_OPT_BOOL) return o->name; /* free-form: its help names the option */
  cand_alts(c, "on|off|toggle");
  return NULL;
}

/* Candidates for a placeholder; returns the placeholder when it is free-form. `prev_ph`
 * and `prev` are the placeholder and word before it, when positional. */
static const char *cand_placeholder(cands *c, const scn_checker *ck, const char *ph,
                                    const char *prev_ph, const char *prev)
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
  if (strcmp(ph, "NODE") == 0 || strcmp(ph, "OTHER") == 0 || strcmp(ph, "NODES") == 0) {
    for (size_t i = 0; i < ck->nnodes; i++) cand(c, ck->nodes[i], strlen(ck->nodes[i]));
    return NULL;
  }
  if (strcmp(ph, "IFACE") == 0) {
    cand_ifaces(c);
    return c->n ? NULL : ph;
  }
  if (strcmp(ph, "CODE") == 0)
    list = codes;
  else if (strcmp(ph, "OP") == 0)
    list = opsl;
  else if (strcmp(ph, "VERB") == 0) {
    for (const scn_entry *const *e = scn_table(); *e; e++) cand(c, (*e)->name, strlen((*e)->name));
    return NULL;
  }
  if (list == NULL) return cand_option(c, ph, prev_ph, prev);
  for (; *list; list++) cand(c, *list, strlen(*list));
  return NULL;
}

/* The placeholder's name from the table: the forms' items live on this function's stack,
 * and the caller reads the name after it returns. Option names are static already. */
static const char *stable(const char *ph)
{
  if (ph == NULL) return NULL;
  for (const char *const *p = scn_placeholders(); *p; p++)
    if (strcmp(*p, ph) == 0) return *p;
  return scn_option_find(ph) ? scn_option_find(ph)->name : NULL;
}

size_t scn_grammar_complete(const scn_checker *ck, const scn_entry *entry, const char *const *argv,
                            size_t argc, const char *prefix, char (*out)[SCN_NAME_MAX], size_t max,
                            const char **placeholder)
{
  cands c = {out, 0, max, prefix ? prefix : ""};
  item items[MAX_ITEMS];
  *placeholder = NULL;

  for (size_t f = 0; entry->forms[f] != NULL; f++) {
    size_t n = scn__parse_form(entry->forms[f], items), i = 1, k;
    bool used[MAX_ITEMS] = {false}, fits = true;
    const char *pending = NULL; /* a clause keyword waiting for its value */
    const char *unit = NULL;    /* and then for its unit ("rate N pps|kbps|Mbps") */
    bool want_unit = false;

    for (k = 0; k < n && (items[k].kind == POS_LIT || items[k].kind == POS_PH) && i < argc;
         k++, i++)
      if (items[k].kind == POS_LIT && !scn__lit_matches(items[k].word, argv[i])) fits = false;
    if (!fits) continue;
    if (i == argc && k < n && (items[k].kind == POS_LIT || items[k].kind == POS_PH)) {
      if (items[k].kind == POS_LIT)
        cand_alts(&c, items[k].word);
      else if (*placeholder == NULL)
        *placeholder = cand_placeholder(
            &c, ck, items[k].word, k > 0 && items[k - 1].kind == POS_PH ? items[k - 1].word : NULL,
            argv[argc - 1]);
      continue;
    }
    for (; i < argc; i++) {
      size_t j;
      if (pending != NULL) {
        pending = NULL;
        want_unit = unit != NULL;
        continue;
      }
      if (want_unit) {
        want_unit = false;
        unit = NULL;
        continue;
      }
      for (j = k; j < n; j++)
        if (items[j].kind >= FLAG && strcmp(items[j].word, argv[i]) == 0) break;
      if (j < n) {
        used[j] = true;
        if (items[j].kind != FLAG) pending = items[j].arg;
        unit = items[j].unit[0] ? items[j].unit : NULL;
      } else {
        for (j = k; j < n; j++)
          if (items[j].kind == OPT_PH && !used[j]) break;
        if (j < n) used[j] = true;
      }
    }
    if (pending != NULL) {
      if (*placeholder == NULL) *placeholder = cand_placeholder(&c, ck, pending, NULL, NULL);
      continue;
    }
    if (want_unit) {
      cand_alts(&c, unit);
      continue;
    }
    for (size_t j = k; j < n; j++) {
      if (used[j]) continue;
      if (items[j].kind >= FLAG)
        cand(&c, items[j].word, strlen(items[j].word));
      else if (items[j].kind == OPT_PH && *placeholder == NULL)
        *placeholder = cand_placeholder(&c, ck, items[j].word, NULL, NULL);
    }
  }
  *placeholder = stable(*placeholder);
  return c.n;
}
