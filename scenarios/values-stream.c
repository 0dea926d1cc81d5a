/* values-stream.c - the values of send streams and group ranges: the `probe` payload
 * keyword, percentages as parts per million, lengths and length ranges, rates with their
 * units, and address ranges FIRST..LAST (values.h declares them). */
#include "values.h"
#include "mcb.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

bool scn_is_probe_payload(const char *text, bool quoted)
{
  return !quoted && strcmp(text, "probe") == 0;
}

int scn_parse_ppm(const char *text, uint32_t *ppm, const char **why)
{
  double v;
  int rc = scn_parse_percent(text, &v, why);
  if (rc == 0) *ppm = (uint32_t)llround(v * 10000.0);
  return rc;
}

int scn_parse_size_range(const char *text, size_t max, size_t *lo, size_t *hi, const char **why)
{
  const char *dots = strstr(text, "..");
  char a[24];
  int64_t x, y;
  *why = "expected a length (1200) or a range of lengths (64..1400)";
  if (dots == NULL) {
    if (scn_parse_int(text, 0, (int64_t)max, &x, why) != 0) return -EINVAL;
    *lo = *hi = (size_t)x;
    return 0;
  }
  if ((size_t)(dots - text) >= sizeof a) return -EINVAL;
  memcpy(a, text, (size_t)(dots - text));
  a[dots - text] = '\0';
  if (scn_parse_int(a, 0, (int64_t)max, &x, why) != 0 ||
      scn_parse_int(dots + 2, 0, (int64_t)max, &y, why) != 0)
    return -EINVAL;
  if (x > y) {
    *why = "a range of lengths goes from the smaller to the larger (64..1400)";
    return -EINVAL;
  }
  *lo = (size_t)x;
  *hi = (size_t)y;
  return 0;
}

int scn_parse_rate(const char *num, const char *unit, double avg_bytes, double *pps,
                   const char **why)
{
  char *end;
  double v;
  *why = "expected a positive rate such as 1000 or 2.5";
  if (num[0] >= '0' && num[0] <= '9' && isalpha((unsigned char)num[strspn(num, "0123456789.")]))
    *why = "expected a number, its unit a word apart (2 Mbps, not 2Mbps)"; /* as lab show prints */
  if (num[0] < '0' || num[0] > '9' || num[strspn(num, "0123456789.")] != '\0') return -EINVAL;
  errno = 0;
  v = strtod(num, &end);
  if (errno != 0 || *end != '\0' || !(v > 0) || v > 1e10) return -EINVAL;
  if (strcmp(unit, "pps") == 0) {
    *pps = v;
  } else {
    double bits = strcmp(unit, "kbps") == 0 ? v * 1e3 : v * 1e6;
    if (avg_bytes < 1) {
      *why = "a rate in bit/s needs datagrams of at least one byte";
      return -EINVAL;
    }
    *pps = bits / (8.0 * avg_bytes);
  }
  if (*pps > 1e8) {
    *why = "rate above 100 million datagrams a second";
    return -ERANGE;
  }
  return 0;
}

bool scn_is_range(const char *text)
{
  return strstr(text, "..") != NULL;
}

/* The low 64 bits of an address (IPv4: all of it), and whether two agree above them. */
static uint64_t low_bits(const mcb_addr *a)
{
  uint64_t v = 0;
  if (a->u.sa.sa_family == AF_INET) return ntohl(a->u.in4.sin_addr.s_addr);
  for (int i = 8; i < 16; i++) v = v << 8 | a->u.in6.sin6_addr.s6_addr[i];
  return v;
}

static bool same_prefix(const mcb_addr *a, const mcb_addr *b)
{
  if (a->u.sa.sa_family != b->u.sa.sa_family) return false;
  if (a->u.sa.sa_family == AF_INET) return true;
  return memcmp(a->u.in6.sin6_addr.s6_addr, b->u.in6.sin6_addr.s6_addr, 8) == 0 &&
         a->u.in6.sin6_scope_id == b->u.in6.sin6_scope_id;
}

/* Parses one end of a range: "1.2.3.4", "ff05::1", "[ff05::1]". */
static int range_end(const char *text, size_t n, mcb_addr *out)
{
  char buf[INET6_ADDRSTRLEN + 20];
  if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
    text++;
    n -= 2;
  }
  if (n == 0 || n >= sizeof buf) return -EINVAL;
  memcpy(buf, text, n);
  buf[n] = '\0';
  return mcb_addr_parse_host(buf, out) == 0 ? 0 : -EINVAL;
}

int scn_parse_range(const char *text, bool with_port, mcb_addr *first, uint64_t *count,
                    const char **why)
{
  const char *dots = strstr(text, "..");
  mcb_hostport hp;
  mcb_addr last;
  uint64_t lo, hi;
  int port = 0;

  *why = with_port ? "expected FIRST..LAST:PORT (239.1.1.1..239.1.1.200:5000 or "
                     "[ff05::1]..[ff05::20]:5000)"
                   : "expected FIRST..LAST (239.1.1.1..239.1.1.200 or ff05::1..ff05::20)";
  memset(first, 0, sizeof *first);
  *count = 1;
  if (dots == NULL) {
    if (with_port) return mcb_addr_parse(text, 0, first) == 0 ? 0 : -EINVAL;
    return mcb_addr_parse_host(text, first) == 0 ? 0 : -EINVAL;
  }
  if (range_end(text, (size_t)(dots - text), first) != 0) return -EINVAL;
  if (with_port) {
    if (mcb_addr_split(dots + 2, &hp, NULL) != 0 || hp.port == 0) return -EINVAL;
    if (range_end(hp.host, strlen(hp.host), &last) != 0) return -EINVAL;
    port = hp.port;
  } else if (range_end(dots + 2, strlen(dots + 2), &last) != 0) {
    return -EINVAL;
  }
  if (!same_prefix(first, &last)) {
    *why = "both ends of a range need the same family (and, for IPv6, the same upper 64 bits "
           "and scope)";
    return -EINVAL;
  }
  lo = low_bits(first);
  hi = low_bits(&last);
  if (lo > hi) {
    *why = "a range goes from the lower address to the higher";
    return -EINVAL;
  }
  if (hi - lo >= SCN_MAX_RANGE) {
    *why = "a range holds at most 65536 addresses";
    return -ERANGE;
  }
  *count = hi - lo + 1;
  if (first->u.sa.sa_family == AF_INET)
    first->u.in4.sin_port = htons((uint16_t)port);
  else
    first->u.in6.sin6_port = htons((uint16_t)port);
  return 0;
}

void scn_range_at(const mcb_addr *first, uint64_t i, mcb_addr *out)
{
  uint64_t v;
  *out = *first;
  if (i == 0) return;
  v = low_bits(first) + i;
  if (out->u.sa.sa_family == AF_INET) {
    out->u.in4.sin_addr.s_addr = htonl((uint32_t)v);
    return;
  }
  if (out->u.sa.sa_family != AF_INET6) return;
  for (int k = 15; k >= 8; k--, v >>= 8) out->u.in6.sin6_addr.s6_addr[k] = (uint8_t)v;
}
