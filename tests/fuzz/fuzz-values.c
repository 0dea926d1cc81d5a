/* fuzz-values.c - libFuzzer target for the parsers of the language's typed values
 * (scenarios/values.c: durations, numbers, operators, payload literals with hex: and
 * size:, error names, identifiers and address syntax) and the core's address and
 * option-value parsers they lean on (mcb_addr_split, mcb_addr_parse,
 * mcb_option_check_text).
 *
 * The input, up to its first NUL, is the text each parser gets (the payload parser
 * gets every byte, as a quoted string may hold NULs). Beyond memory safety, it checks
 * what each parser promises: a refusal always says why; a duration stays within 24
 * hours and survives scn_format_duration and parsing again (to %g's precision); a
 * number stays in its range and prints back to itself; hex: and size: payloads decode
 * to what they say; an address that parses formats to terminal-safe text that parses
 * to the same address. Scoped IPv6 addresses ("%mcb0") are skipped for mcb_addr_parse:
 * looking an interface name up opens a socket, and fuzzing stays off the network.
 */
#include "fuzz-ctl.h"
#include "values.h"

#include <mcb.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_duration(const char *text)
{
  uint64_t ns, again;
  const char *why = NULL;
  char buf[64];
  if (scn_parse_duration(text, &ns, &why) != 0) {
    if (why == NULL) abort();
    return;
  }
  if (ns > 86400000000000ull) abort();
  scn_format_duration(ns, buf, sizeof buf);
  if (scn_parse_duration(buf, &again, &why) != 0) abort();
  /* %g keeps 6 significant digits */
  if (fabs((double)again - (double)ns) > (double)ns * 1e-5 + 1) abort();
}

static void check_int(const char *text)
{
  static const int64_t ranges[][2] = {
      {0, 255}, {-1, 65535}, {0, INT32_MAX}, {INT64_MIN, INT64_MAX}};
  for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
    int64_t v;
    const char *why = NULL;
    char buf[32];
    if (scn_parse_int(text, ranges[r][0], ranges[r][1], &v, &why) != 0) {
      if (why == NULL) abort();
      continue;
    }
    if (v < ranges[r][0] || v > ranges[r][1]) abort();
    snprintf(buf, sizeof buf, "%" PRId64, v);
    int64_t again;
    if (scn_parse_int(buf, INT64_MIN, INT64_MAX, &again, &why) != 0 || again != v) abort();
  }
}

static void check_payload(const char *text, const uint8_t *raw, size_t size)
{
  for (int quoted = 0; quoted <= 1; quoted++) {
    uint8_t *p;
    size_t n;
    const char *why = NULL;
    if (scn_parse_payload(text, quoted ? size : strlen(text), quoted, &p, &n, &why) != 0) {
      if (why == NULL || p != NULL || n != 0) abort();
      continue;
    }
    if (n > SCN_MAX_PAYLOAD || (n > 0 && p == NULL)) abort();
    if (!quoted && strncmp(text, "hex:", 4) == 0) {
      if (n != strlen(text + 4) / 2) abort();
      for (size_t i = 0; i < n; i++)
        if (p[i] != scn_hexdigit(text[4 + 2 * i]) * 16 + scn_hexdigit(text[5 + 2 * i])) abort();
    } else if (!quoted && strncmp(text, "size:", 5) == 0) {
      if ((int64_t)n != strtoll(text + 5, NULL, 10)) abort();
      for (size_t i = 0; i < n; i++)
        if (p[i] != 'a' + i % 26) abort();
    } else if (n != (quoted ? size : strlen(text)) || (n > 0 && memcmp(p, raw, n) != 0)) {
      abort();
    }
    free(p);
  }
}

static void check_words(const char *text)
{
  scn_op op;
  int code;
  const char *s;
  if (scn_parse_op(text, &op) == 0 && strcmp(scn_op_text(op), text) != 0) abort();
  if (scn_parse_errcode(text, &code) == 0 && code >= 0) abort();
  if ((s = scn_suggest_errcode(text)) != NULL && scn_parse_errcode(s, &code) != 0) abort();
  if (scn_is_identifier(text) && (strlen(text) >= 32 || strpbrk(text, " \t\n$\"#;") != NULL))
    abort();
  if (scn_edit_distance(text, "count") > 99) abort();
  mcb_family fam;
  if (mcb_family_parse(text, &fam) == 0 && (fam < MCB_UDP4 || fam > MCB_UNIX)) abort();
  for (const mcb_option *const *o = mcb_options(); *o != NULL; o++) {
    const char *why = NULL;
    if (mcb_option_check_text(*o, text, &why) != 0 && why == NULL) abort();
  }
}

/* parse -> format -> parse gives the same address, and the text is terminal-safe. */
static void check_addr(const char *text)
{
  static const mcb_family fams[] = {MCB_UDP4, MCB_UDP6, 0};
  if (strchr(text, '%') != NULL) return; /* scope names are looked up: see above */
  for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
    mcb_addr a, b;
    char buf[MCB_ADDRSTRLEN];
    if (mcb_addr_parse(text, fams[f], &a) != 0) continue;
    mcb_addr_format(&a, buf, sizeof buf);
    if (fuzz_ctl_find(buf, strlen(buf), "") != strlen(buf)) abort();
    if (a.u.sa.sa_family == AF_UNIX) continue; /* escaped for show, not for parsing */
    if (mcb_addr_parse(buf, fams[f], &b) != 0 || !mcb_addr_equal(&a, &b)) abort();
  }
}

static void check_syntax(const char *text)
{
  mcb_hostport hp;
  const char *why = NULL;
  if (mcb_addr_split(text, &hp, &why) == 0) {
    if (hp.port < 0 || hp.port > 65535 || strlen(hp.host) >= sizeof hp.host) abort();
  } else if (why == NULL) {
    abort();
  }
  why = NULL;
  if (!scn_is_endpoint(text, &why) && why == NULL) abort();
  why = NULL;
  if (!scn_is_destination(text, &why) && why == NULL) abort();
  why = NULL;
  if (!scn_is_peer_filter(text, &why) && why == NULL) abort();
  (void)scn_is_numeric_host(text);
  (void)mcb_addr_is_hostname(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* an exact-size copy (reads one past the end are caught) with a NUL after it */
  char *text = malloc(size + 1);
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  check_duration(text);
  check_int(text);
  check_payload(text, data, size);
  check_words(text);
  check_syntax(text);
  check_addr(text);
  free(text);
  return 0;
}
