/* forms.c - grammar forms as data: "NAME DEST PAYLOAD [count N] [every DUR]" split
 * into items, shared by matching (grammar.c) and completion (complete.c). */
#include "grammar-internal.h"

#include <stdio.h>
#include <string.h>

bool scn__is_placeholder(const char *w)
{
  if (*w == '\0') return false;
  for (; *w; w++)
    if (!((*w >= 'A' && *w <= 'Z') || *w == '_')) return false;
  return true;
}

/* Splits a form into items. Forms are compile-time constants; they are trusted. */
size_t scn__parse_form(const char *form, item *items)
{
  char buf[256], *save = NULL;
  size_t n = 0;
  bool optional_seen = false;
  snprintf(buf, sizeof buf, "%s", form);
  for (char *w = strtok_r(buf, " ", &save); w && n < MAX_ITEMS; w = strtok_r(NULL, " ", &save)) {
    item *it = &items[n++];
    memset(it, 0, sizeof *it);
    if (w[0] != '[' && optional_seen && !scn__is_placeholder(w)) {
      char *arg = strtok_r(NULL, " ", &save);
      it->kind = REQ_CLAUSE;
      snprintf(it->word, sizeof it->word, "%s", w);
      snprintf(it->arg, sizeof it->arg, "%s", arg ? arg : "");
    } else if (w[0] != '[') {
      it->kind = scn__is_placeholder(w) ? POS_PH : POS_LIT;
      snprintf(it->word, sizeof it->word, "%s", w);
    } else if (w[strlen(w) - 1] == ']') {
      optional_seen = true;
      w[strlen(w) - 1] = '\0';
      it->kind = scn__is_placeholder(w + 1) ? OPT_PH : FLAG;
      snprintf(it->word, sizeof it->word, "%s", w + 1);
    } else {
      char *arg = strtok_r(NULL, " ", &save);
      optional_seen = true;
      it->kind = CLAUSE;
      snprintf(it->word, sizeof it->word, "%s", w + 1);
      if (arg && arg[strlen(arg) - 1] != ']') { /* "[rate N pps|kbps|Mbps]" */
        char *unit = strtok_r(NULL, " ", &save);
        snprintf(it->arg, sizeof it->arg, "%s", arg);
        if (unit) {
          unit[strlen(unit) - 1] = '\0';
          snprintf(it->unit, sizeof it->unit, "%s", unit);
        }
      } else if (arg) {
        arg[strlen(arg) - 1] = '\0';
        snprintf(it->arg, sizeof it->arg, "%s", arg);
      }
    }
  }
  return n;
}

bool scn__is_rest(const char *arg)
{
  size_t n = strlen(arg);
  return n > 3 && strcmp(arg + n - 3, "...") == 0;
}

bool scn__lit_matches(const char *alts, const char *word)
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
void scn__add_alts(char *list, size_t size, const char *alts)
{
  char buf[80], *save = NULL;
  snprintf(buf, sizeof buf, "%s", alts);
  for (char *a = strtok_r(buf, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
    char quoted[72];
    snprintf(quoted, sizeof quoted, "'%s'", a);
    if (strstr(list, quoted)) continue;
    size_t l = strlen(list);
    if (l + strlen(quoted) + 8 >= size) { /* never a cut word: say there are more */
      if (l + 6 <= size && !strstr(list, ", ...")) snprintf(list + l, size - l, ", ...");
      return;
    }
    snprintf(list + l, size - l, "%s%s", l ? ", " : "", quoted);
  }
}
