/* placeholders.c - what each UPPERCASE word of a grammar form accepts at check time.
 *
 * Check time validates what the text alone shows (shapes of numbers, durations,
 * addresses, known socket names). Whether the system accepts a value (a TTL of 256, a
 * unicast "group", a busy port) is decided at run time by the core, so `expect error`
 * can test it.
 */
#include "grammar-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sockopt.h"
#include "values.h"

/* A check writes its reason to why[] and returns false. */
typedef bool (*ph_check)(const ph_ctx *c, const scn_token *t, char *why, size_t n);

static bool ph_name(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (!scn_is_identifier(t->text)) {
    mcb_msgf(why, n, "'%s' is not a valid socket name (letters, digits, _ - ., up to 31)", t->text);
    return false;
  }
  if (c->declares || scn_checker_has_name(c->ck, t->text)) return true;
  mcb_msgf(why, n, "unknown socket '%s' (no 'open %s' before this line)", t->text, t->text);
  return false;
}

#define WHY_OR(fn, msg)                                                                            \
  do {                                                                                             \
    const char *w_ = NULL;                                                                         \
    if (fn) return true;                                                                           \
    mcb_msgf(why, n, "%s", w_ ? w_ : (msg));                                                       \
    return false;                                                                                  \
  } while (0)

static bool ph_endpoint(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w = "expected [ADDRESS]:PORT or a unix path";
  if (scn_is_endpoint(t->text, &w)) return true;
  mcb_msgf(why, n, "bad bind address '%s': %s", t->text, w);
  return false;
}

static bool ph_dest(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w = "expected ADDRESS:PORT, [IPV6%IF]:PORT, HOST:PORT or a unix path";
  if (scn_is_destination(t->text, &w)) return true;
  mcb_msgf(why, n, "bad destination '%s': %s", t->text, w);
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
  mcb_msgf(why, n, "%s", w);
  return false;
}

static bool ph_group(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (scn_is_numeric_host(t->text)) return true;
  mcb_msgf(why, n, "'%s' is not a numeric IP address (e.g. 239.1.1.1 or ff02::1)", t->text);
  return false;
}

static bool ph_iface(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (t->len > 0 && (t->len < 16 || scn_is_numeric_host(t->text)) && !strchr(t->text, '/'))
    return true;
  mcb_msgf(why, n, "'%s' is not an interface name, index or IPv4 address", t->text);
  return false;
}

static bool ph_sources(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  char buf[SCN_VAR_VALUE_MAX * 4];
  size_t count = 0;
  if (t->len >= sizeof buf) {
    mcb_msgf(why, n, "source list too long");
    return false;
  }
  memcpy(buf, t->text, t->len + 1);
  for (char *save = NULL, *s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
    if (!scn_is_numeric_host(s)) {
      mcb_msgf(why, n, "source '%s' is not a numeric IP address", s);
      return false;
    }
    count++;
  }
  if (count == 0 || t->text[0] == ',' || t->text[t->len - 1] == ',' || strstr(t->text, ",,")) {
    mcb_msgf(why, n, "expected SOURCE[,SOURCE...]");
    return false;
  }
  if (count > 16) {
    mcb_msgf(why, n, "at most 16 sources");
    return false;
  }
  return true;
}

static bool ph_addr(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w = "bad address";
  if (scn_is_peer_filter(t->text, &w)) return true;
  mcb_msgf(why, n, "bad address '%s': %s", t->text, w);
  return false;
}

static bool ph_count(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  int64_t v;
  const char *w;
  if (scn_parse_int(t->text, 0, INT32_MAX, &v, &w) == 0) return true;
  mcb_msgf(why, n, "'%s': %s (expected 0..%d)", t->text, w, INT32_MAX);
  return false;
}

static bool ph_pct(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  double v;
  const char *w;
  if (scn_parse_percent(t->text, &v, &w) == 0) return true;
  snprintf(why, n, "'%s': %s", t->text, w);
  return false;
}

static bool ph_option(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const mcb_option *o = scn_option_find(t->text);
  const char *near = o ? NULL : scn_option_suggest(t->text);
  if (o != NULL && !(o->flags & MCB_OPT_READONLY)) return true;
  if (o != NULL)
    mcb_msgf(why, n, "'%s' is read-only: the sockets pane and the reports show it", t->text);
  else if (near != NULL)
    mcb_msgf(why, n, "unknown socket option '%s'; did you mean '%s'?", t->text, near);
  else
    mcb_msgf(why, n, "unknown socket option '%s' (mcbench help set lists them)", t->text);
  return false;
}

/* Any text, except after OPTION: what that option takes (the range is checked when it
 * is applied, so `expect error EINVAL` can test it). */
static bool ph_value(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const mcb_option *o;
  const char *w = NULL;
  if (c->prev_ph == NULL || strcmp(c->prev_ph, "OPTION") != 0) return true;
  if ((o = scn_option_find(c->prev->text)) == NULL) return true;
  if (mcb_option_check_text(o, t->text, &w) == 0) return true;
  mcb_msgf(why, n, "'%s': %s", t->text, w);
  return false;
}

static bool ph_dur(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  uint64_t ns;
  const char *w;
  if (scn_parse_duration(t->text, &ns, &w) == 0) return true;
  mcb_msgf(why, n, "'%s': %s", t->text, w);
  return false;
}

static bool ph_op(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  scn_op op;
  if (scn_parse_op(t->text, &op) == 0) return true;
  mcb_msgf(why, n, "'%s' is not a comparison: use == != < <= > >=", t->text);
  return false;
}

static bool ph_code(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  int code;
  const char *near;
  if (scn_parse_errcode(t->text, &code) == 0) return true;
  near = scn_suggest_errcode(t->text);
  if (near)
    mcb_msgf(why, n, "unknown error code '%s'; did you mean '%s'?", t->text, near);
  else
    mcb_msgf(why, n, "unknown error code '%s' (e.g. EACCES, EINVAL, ENODEV)", t->text);
  return false;
}

static bool ph_groups(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  mcb_addr first;
  uint64_t count;
  const char *w;
  if (!scn_is_range(t->text)) return ph_group(c, t, why, n);
  if (scn_parse_range(t->text, false, &first, &count, &w) == 0) return true;
  snprintf(why, n, "bad range '%s': %s", t->text, w);
  return false;
}

static bool ph_rate(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  double pps;
  const char *w;
  if (scn_parse_rate(t->text, "pps", 1, &pps, &w) == 0) return true;
  snprintf(why, n, "'%s': %s", t->text, w);
  return false;
}

static bool ph_size(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  size_t lo, hi;
  const char *w;
  if (scn_parse_size_range(t->text, 65507, &lo, &hi, &w) == 0) return true;
  snprintf(why, n, "'%s': %s (at most 65507 bytes)", t->text, w);
  return false;
}

static bool ph_stream(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  int64_t v;
  const char *w;
  if (scn_parse_int(t->text, 1, 65535, &v, &w) == 0) return true;
  snprintf(why, n, "'%s' is not a stream number (1, 2, ... as 'send' numbered it)", t->text);
  return false;
}

static bool ph_any(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  return true;
}

static bool ph_var(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (scn_is_identifier(t->text) && !strchr(t->text, '-') && !strchr(t->text, '.')) return true;
  mcb_msgf(why, n, "'%s' is not a variable name (letters, digits and _)", t->text);
  return false;
}

static bool ph_verb(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  return scn_table_find(t->text, why, n) != NULL;
}

/* NODE: a lab node. Right after `lab host|router|switch` it declares one: the name must
 * be new; everywhere else it must have been declared on an earlier line. */
static bool ph_node(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *w;
  bool declaring = c->prev_ph == NULL && c->prev != NULL &&
                   scn__lit_matches("host|router|switch", c->prev->text);
  bool known = scn_checker_has_node(c->ck, t->text);
  if (mcb_lab_check_name(t->text, &w) != 0) {
    snprintf(why, n, "'%s' is not a node name: %s", t->text, w);
    return false;
  }
  if (declaring && known) snprintf(why, n, "duplicate node name '%s' (declared before)", t->text);
  if (!declaring && !known)
    snprintf(why, n, "unknown node '%s' (no 'lab host|router|switch %s' before this line)", t->text,
             t->text);
  return declaring != known;
}

/* OTHER: a second node; after NODE (`lab link A B`) it must differ from it. */
static bool ph_other(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  ph_ctx plain = *c;
  plain.prev = NULL;
  if (!ph_node(&plain, t, why, n)) return false;
  if (c->prev_ph != NULL && strcmp(c->prev_ph, "NODE") == 0 &&
      strcmp(c->prev->text, t->text) == 0) {
    snprintf(why, n, "link to itself: '%s' cannot link to '%s'", t->text, t->text);
    return false;
  }
  return true;
}

/* NODES: known nodes, comma-separated. */
static bool ph_nodes(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  ph_ctx plain = *c;
  char one[SCN_NAME_MAX];
  size_t count = 0;
  plain.prev = NULL;
  for (const char *p = t->text;; count++) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    scn_token part = *t;
    snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
    part.text = one;
    part.len = strlen(one);
    if (!ph_node(&plain, &part, why, n)) return false;
    if (count + 1 > MCB_LAB_MAX_OUT) {
      snprintf(why, n, "at most %d nodes", MCB_LAB_MAX_OUT);
      return false;
    }
    if (comma == NULL) return true;
    p = comma + 1;
  }
}

/* LINK: a link named by one of its interfaces, as `lab show` prints them: h1-r1 (h1's
 * end of the link to r1), mcb0. A bare node name is a mistake (`lab capture h1 r1` names
 * a link by its two nodes); a NODE-OTHER name must use declared nodes. */
static bool ph_link(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  const char *dash = strchr(t->text, '-');
  char a[SCN_NAME_MAX];
  if (t->len == 0 || t->len >= 16 ||
      strspn(t->text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
          t->len) {
    snprintf(why, n, "'%s' is not an interface name (a lab link: h1-r1)", t->text);
    return false;
  }
  if (scn_checker_has_node(c->ck, t->text)) {
    snprintf(why, n, "'%s' is a node: name a link by an interface (%s-OTHER) or by its two nodes",
             t->text, t->text);
    return false;
  }
  if (dash == NULL) return true; /* mcb0, mcb1: the default link */
  snprintf(a, sizeof a, "%.*s", (int)(dash - t->text), t->text);
  if (mcb_lab_check_name(a, NULL) == 0 && mcb_lab_check_name(dash + 1, NULL) == 0 &&
      (!scn_checker_has_node(c->ck, a) || !scn_checker_has_node(c->ck, dash + 1))) {
    snprintf(why, n, "unknown node '%s' in link '%s'",
             scn_checker_has_node(c->ck, a) ? dash + 1 : a, t->text);
    return false;
  }
  return true;
}

static bool ph_nonempty(const ph_ctx *c, const scn_token *t, char *why, size_t n)
{
  if (t->len > 0) return true;
  mcb_msgf(why, n, "empty file name");
  return false;
}

static const struct placeholder {
  const char *name;
  ph_check check;
  const char *help;
} placeholders[] = {
    {"NAME", ph_name, "a socket name: letters, digits, _ - . (up to 31)"},
    {"ENDPOINT", ph_endpoint,
     ":PORT, ADDRESS:PORT, HOST:PORT or [IPV6]:PORT (port 0 picks a free one), or a unix path"},
    {"DEST", ph_dest,
     "ADDRESS:PORT, [IPV6%IFACE]:PORT, HOST:PORT (resolved without blocking), a unix path, or "
     "a range FIRST..LAST:PORT ([FIRST]..[LAST]:PORT for IPv6) sent to round robin"},
    {"PAYLOAD", ph_payload,
     "\"text\" with C escapes, hex:48656c6c6f, size:N (N bytes of a-z pattern), or probe "
     "(mcbench's probe header and fill: docs/probe-format.md)"},
    {"GROUP", ph_group, "a numeric IPv4 or IPv6 group address: 239.1.1.1, ff02::1234"},
    {"IFACE", ph_iface,
     "an interface name (mcb0), index (3) or local address; default, 0.0.0.0 and :: mean the "
     "default"},
    {"SOURCES", ph_sources, "one or more numeric source addresses, comma-separated"},
    {"ADDR", ph_addr, "ADDRESS or ADDRESS:PORT ([IPV6]:PORT), or a unix path"},
    {"N", ph_count, "a whole number"},
    {"PCT", ph_pct, "a percentage: 5%, 0.5%, 100%"},
    {"OPTION", ph_option, "a socket option that can be set: `mcbench help set` lists them"},
    {"DUR", ph_dur, "a duration: 500us, 100ms, 1.5s, 2m"},
    {"OP", ph_op, "a comparison: == != < <= > >="},
    {"CODE", ph_code, "an error name: EACCES, EINVAL, ENODEV, EADDRINUSE, EBADF, EAI_NONAME..."},
    {"TEXT", ph_any, "text, quoted when it has spaces"},
    {"VAR", ph_var, "a variable name: letters, digits and _"},
    {"VALUE", ph_value,
     "any text; after OPTION, what that option takes: on, off or toggle, a number (decimal or "
     "0x hex), or an interface"},
    {"FILE", ph_nonempty, "a file path"},
    {"NODE", ph_node,
     "a lab node: 1 to 7 letters, digits or _, declared by lab host, lab router or lab switch"},
    {"OTHER", ph_other, "another lab node"},
    {"NODES", ph_nodes, "lab nodes, comma-separated: r2 or h2,h3"},
    {"LINK", ph_link,
     "a lab link, by the interface at the end meant: h1-r1 (h1's end of the link to r1), mcb0"},
    {"VERB", ph_verb, "a command name"},
    {"GROUPS", ph_groups,
     "a numeric group address, or a range FIRST..LAST: 239.1.1.1..239.1.1.200, ff05::1..ff05::20"},
    {"RATE", ph_rate, "a positive number (1000, 2.5), followed by its unit"},
    {"SIZE", ph_size, "a datagram length in bytes (1200) or a range for random lengths (64..1400)"},
    {"STREAM", ph_stream,
     "a stream number of the socket: 1, 2, ... in the order 'send' started them"},
    {"CMD...", ph_any,
     "a program and its arguments, every word to the end of the command (quote ; and #)"},
};

static const struct placeholder *placeholder(const char *name)
{
  for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
    if (strcmp(placeholders[i].name, name) == 0) return &placeholders[i];
  return NULL;
}

/* A placeholder's help; completion names an option's value by the option ("ttl"). */
const char *scn_placeholder_help(const char *name)
{
  const struct placeholder *p = placeholder(name);
  const mcb_option *o = p ? NULL : scn_option_find(name);
  return p ? p->help : o ? o->help : "";
}

const char *const *scn_placeholders(void)
{
  static const char *const names[] = {"NAME",    "ENDPOINT", "DEST", "PAYLOAD", "GROUP",  "IFACE",
                                      "SOURCES", "ADDR",     "N",    "PCT",     "OPTION", "DUR",
                                      "OP",      "CODE",     "TEXT", "VAR",     "VALUE",  "FILE",
                                      "VERB",    "GROUPS",   "RATE", "SIZE",    "STREAM", "NODE",
                                      "OTHER",   "NODES",    "LINK", "CMD...",  NULL};
  return names;
}

bool scn__placeholder_check(const ph_ctx *c, const char *ph, const scn_token *t, char *why,
                            size_t n)
{
  const struct placeholder *p = placeholder(ph);
  return p == NULL || p->check(c, t, why, n);
}
