/* values.c - parsing of the scenario language's typed values (see values.h). */
#include "values.h"

#include "mcb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

int scn_parse_duration(const char *text, uint64_t *ns, const char **why)
{
  static const struct {
    const char *unit;
    double ns;
  } units[] = {{"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}};
  char *end;
  double v;

  *why = "expected a duration such as 500us, 100ms, 1.5s or 2m";
  if (text[0] < '0' || text[0] > '9') return -EINVAL;
  errno = 0;
  v = strtod(text, &end);
  if (errno != 0 || end == text || !isfinite(v)) return -EINVAL;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strcmp(end, units[i].unit) != 0) continue;
    v *= units[i].ns;
    if (v > 86400e9) {
      *why = "duration longer than 24 hours";
      return -ERANGE;
    }
    *ns = (uint64_t)llround(v);
    return 0;
  }
  if (*end == '\0') *why = "a duration needs a unit: us, ms, s or m (e.g. 100ms)";
  return -EINVAL;
}

void scn_format_delay(double ns, char *buf, size_t size)
{
  if (ns < 0)
    snprintf(buf, size, "-%.0fus", -ns / 1e3);
  else if (ns < 1e6)
    snprintf(buf, size, "%.0fus", ns / 1e3);
  else if (ns < 1e9)
    snprintf(buf, size, "%.2fms", ns / 1e6);
  else
    snprintf(buf, size, "%.2fs", ns / 1e9);
}

void scn_format_duration(uint64_t ns, char *buf, size_t size)
{
  if (ns >= 60000000000ull && ns % 60000000000ull == 0)
    snprintf(buf, size, "%llum", (unsigned long long)(ns / 60000000000ull));
  else if (ns >= 1000000000ull)
    snprintf(buf, size, "%gs", (double)ns / 1e9);
  else if (ns >= 1000000ull)
    snprintf(buf, size, "%gms", (double)ns / 1e6);
  else
    snprintf(buf, size, "%gus", (double)ns / 1e3);
}

uint64_t scn_ms_ceil(uint64_t ns)
{
  return ns / 1000000u + (ns % 1000000u != 0);
}

int scn_parse_int(const char *text, int64_t min, int64_t max, int64_t *out, const char **why)
{
  char *end;
  long long v;
  *why = "expected a whole number";
  if (!((text[0] >= '0' && text[0] <= '9') || (text[0] == '-' && text[1] >= '0' && text[1] <= '9')))
    return -EINVAL;
  errno = 0;
  v = strtoll(text, &end, 10);
  if (*end != '\0') return -EINVAL;
  if (errno != 0 || v < min || v > max) {
    *why = "number out of range";
    return -ERANGE;
  }
  *out = v;
  return 0;
}

static const struct {
  const char *text;
  scn_op op;
} ops[] = {{"==", SCN_OP_EQ}, {"!=", SCN_OP_NE}, {"<=", SCN_OP_LE},
           {">=", SCN_OP_GE}, {"<", SCN_OP_LT},  {">", SCN_OP_GT}};

int scn_parse_op(const char *text, scn_op *op)
{
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (strcmp(text, ops[i].text) == 0) {
      *op = ops[i].op;
      return 0;
    }
  return -EINVAL;
}

const char *scn_op_text(scn_op op)
{
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (ops[i].op == op) return ops[i].text;
  return "?";
}

bool scn_op_holds(scn_op op, int64_t a, int64_t e)
{
  switch (op) {
  case SCN_OP_EQ:
    return a == e;
  case SCN_OP_NE:
    return a != e;
  case SCN_OP_LT:
    return a < e;
  case SCN_OP_LE:
    return a <= e;
  case SCN_OP_GT:
    return a > e;
  case SCN_OP_GE:
    return a >= e;
  }
  return false;
}

void scn_fill_pattern(uint8_t *buf, size_t len)
{
  for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)('a' + i % 26);
}

int scn_hexdigit(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int scn_parse_payload(const char *text, size_t len, bool quoted, uint8_t **data, size_t *out_len,
                      const char **why)
{
  *data = NULL;
  *out_len = 0;
  if (!quoted && strncmp(text, "hex:", 4) == 0) {
    const char *h = text + 4;
    size_t n = strlen(h);
    if (n % 2 != 0 || n / 2 > SCN_MAX_PAYLOAD) {
      *why = n % 2 ? "hex: needs an even number of hex digits" : "payload too large";
      return -EINVAL;
    }
    for (size_t i = 0; i < n; i++)
      if (scn_hexdigit(h[i]) < 0) {
        *why = "hex: takes only hex digits 0-9a-f";
        return -EINVAL;
      }
    if (n > 0 && (*data = malloc(n / 2)) == NULL) return -ENOMEM;
    for (size_t i = 0; i < n / 2; i++)
      (*data)[i] = (uint8_t)(scn_hexdigit(h[2 * i]) * 16 + scn_hexdigit(h[2 * i + 1]));
    *out_len = n / 2;
    return 0;
  }
  if (!quoted && strncmp(text, "size:", 5) == 0) {
    int64_t n;
    if (scn_parse_int(text + 5, 0, SCN_MAX_PAYLOAD, &n, why) != 0) {
      *why = "size: takes a byte count, 0..1048576";
      return -EINVAL;
    }
    if (n > 0 && (*data = malloc((size_t)n)) == NULL) return -ENOMEM;
    scn_fill_pattern(*data, (size_t)n);
    *out_len = (size_t)n;
    return 0;
  }
  if (len > SCN_MAX_PAYLOAD) {
    *why = "payload too large";
    return -EINVAL;
  }
  if (len > 0) {
    if ((*data = malloc(len)) == NULL) return -ENOMEM;
    memcpy(*data, text, len);
  }
  *out_len = len;
  return 0;
}

/* libuv's own table of error names: one source for names and messages. */
static const struct {
  const char *name;
  int code;
} errcodes[] = {
#define XX(code, _) {#code, UV_##code},
    UV_ERRNO_MAP(XX)
#undef XX
};

int scn_parse_errcode(const char *text, int *code)
{
  for (size_t i = 0; i < sizeof errcodes / sizeof errcodes[0]; i++) {
    const char *n = errcodes[i].name;
    if (strcmp(text, n) == 0 || (strncmp(n, "EAI_", 4) == 0 && strcmp(text, n + 1) == 0)) {
      *code = errcodes[i].code;
      return 0;
    }
  }
  return -EINVAL;
}

const char *scn_suggest_errcode(const char *text)
{
  const char *best = NULL;
  unsigned best_d = 3;
  for (size_t i = 0; i < sizeof errcodes / sizeof errcodes[0]; i++) {
    unsigned d = scn_edit_distance(text, errcodes[i].name);
    if (d < best_d) {
      best_d = d;
      best = errcodes[i].name;
    }
  }
  return best;
}

bool scn_is_identifier(const char *t)
{
  size_t n = 0;
  if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || *t == '_')) return false;
  for (; t[n]; n++)
    if (!((t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z') ||
          (t[n] >= '0' && t[n] <= '9') || t[n] == '_' || t[n] == '-' || t[n] == '.'))
      return false;
  return n < 32;
}

bool scn_is_numeric_host(const char *text)
{
  char buf[INET6_ADDRSTRLEN + 20];
  unsigned char a[16];
  char *pct;
  if (strlen(text) >= sizeof buf) return false;
  if (inet_pton(AF_INET, text, a) == 1) return true;
  strcpy(buf, text);
  pct = strchr(buf, '%');
  if (pct != NULL) {
    if (pct[1] == '\0' || strlen(pct + 1) >= 16) return false;
    *pct = '\0';
  }
  return inet_pton(AF_INET6, buf, a) == 1;
}

static bool is_path(const char *t)
{
  return strchr(t, '/') != NULL || t[0] == '@';
}

bool scn_is_endpoint(const char *text, const char **why)
{
  mcb_hostport hp;
  if (is_path(text)) return strlen(text) < 108 || (*why = "unix path too long", false);
  if (mcb_addr_split(text, &hp, why) != 0) return false;
  if (hp.host[0] == '\0' || scn_is_numeric_host(hp.host)) return true;
  if (!hp.bracketed && mcb_addr_is_hostname(hp.host)) return true;
  *why = hp.bracketed ? "not an IPv6 address" : "not an address or host name";
  return false;
}

bool scn_is_destination(const char *text, const char **why)
{
  mcb_hostport hp;
  if (scn_is_range(text) && !is_path(text)) {
    mcb_addr first;
    uint64_t n;
    return scn_parse_range(text, true, &first, &n, why) == 0;
  }
  if (is_path(text)) return strlen(text) < 108 || (*why = "unix path too long", false);
  if (mcb_addr_split(text, &hp, why) != 0) return false;
  if (hp.port == 0) {
    *why = "destination port must be 1..65535";
    return false;
  }
  if (scn_is_numeric_host(hp.host)) return true;
  if (!hp.bracketed && mcb_addr_is_hostname(hp.host)) return true;
  *why = hp.bracketed ? "not an IPv6 address" : "not an address or host name";
  return false;
}

bool scn_is_peer_filter(const char *text, const char **why)
{
  mcb_hostport hp;
  if (is_path(text) || scn_is_numeric_host(text)) return true;
  if (mcb_addr_split(text, &hp, why) != 0) {
    *why = "expected ADDRESS, ADDRESS:PORT, [IPV6]:PORT or a unix path";
    return false;
  }
  if (scn_is_numeric_host(hp.host)) return true;
  *why = "from takes a numeric address";
  return false;
}

unsigned scn_edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  unsigned row[64];
  if (la >= 63 || lb >= 63) return 99;
  for (size_t j = 0; j <= lb; j++) row[j] = (unsigned)j;
  for (size_t i = 1; i <= la; i++) {
    unsigned diag = row[0];
    row[0] = (unsigned)i;
    for (size_t j = 1; j <= lb; j++) {
      unsigned up = row[j];
      unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
      unsigned best = diag + cost;
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

int scn_parse_percent(const char *text, double *out, const char **why)
{
  char *end;
  double v;
  *why = "expected a percentage such as 5%, 0.5% or 100%";
  if (!(text[0] >= '0' && text[0] <= '9')) return -EINVAL;
  errno = 0;
  v = strtod(text, &end);
  if (*end == '%') end++;
  if (*end != '\0' || errno != 0 || v != v) return -EINVAL;
  if (v > 100) {
    *why = "a percentage is 0..100";
    return -ERANGE;
  }
  *out = v;
  return 0;
}

bool scn_op_holds_double(scn_op op, double a, double b)
{
  switch (op) {
  case SCN_OP_EQ:
    return a == b;
  case SCN_OP_NE:
    return a != b;
  case SCN_OP_LT:
    return a < b;
  case SCN_OP_LE:
    return a <= b;
  case SCN_OP_GT:
    return a > b;
  case SCN_OP_GE:
    return a >= b;
  }
  return false;
}
