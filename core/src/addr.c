/* addr.c - parsing, formatting and comparing socket addresses of every family.
 *
 * Parsing never looks names up: numeric hosts only, so it cannot block. Host names in
 * send destinations are split off and resolved asynchronously by send.c.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const family_names[] = {
    [MCB_UDP4] = "udp4", [MCB_UDP6] = "udp6", [MCB_UNIX] = "unix"};

const char *mcb_family_name(mcb_family family)
{
  if (family < MCB_UDP4 || family > MCB_UNIX) return "?";
  return family_names[family];
}

int mcb_family_parse(const char *text, mcb_family *out)
{
  if (text == NULL) return UV_EINVAL;
  if (strcmp(text, "udp4") == 0)
    *out = MCB_UDP4;
  else if (strcmp(text, "udp6") == 0)
    *out = MCB_UDP6;
  else if (strcmp(text, "unix") == 0 || strcmp(text, "unix_dgram") == 0)
    *out = MCB_UNIX;
  else
    return UV_EINVAL;
  return 0;
}

socklen_t mcb__addr_len(const struct sockaddr *sa)
{
  switch (sa->sa_family) {
  case AF_INET:
    return sizeof(struct sockaddr_in);
  case AF_INET6:
    return sizeof(struct sockaddr_in6);
  default:
    return sizeof(struct sockaddr_un);
  }
}

static int fail_split(const char **why, const char *text)
{
  if (why != NULL) *why = text;
  return UV_EINVAL;
}

int mcb_addr_split(const char *text, mcb_hostport *out, const char **why)
{
  const char *hs = text, *he, *colon;
  char *end;
  long v;

  memset(out, 0, sizeof *out);
  if (text == NULL || *text == '\0') return fail_split(why, "expected ADDRESS:PORT");
  if (text[0] == '[') {
    hs = text + 1;
    he = strchr(hs, ']');
    if (he == NULL) return fail_split(why, "missing ']' after the IPv6 address");
    if (he[1] != ':') return fail_split(why, "expected [IPV6]:PORT");
    colon = he + 1;
    out->bracketed = true;
  } else {
    colon = strrchr(text, ':');
    if (colon == NULL)
      return fail_split(why, "expected ADDRESS:PORT (e.g. 239.1.1.1:5000) or a unix path");
    he = colon;
    if (memchr(text, ':', (size_t)(he - text)) != NULL)
      return fail_split(why, "write IPv6 addresses in brackets: [ff02::1%mcb0]:5000");
  }
  if ((size_t)(he - hs) >= sizeof out->host) return fail_split(why, "address too long");
  if (colon[1] < '0' || colon[1] > '9') return fail_split(why, "expected a port number after ':'");
  errno = 0;
  v = strtol(colon + 1, &end, 10);
  if (errno != 0 || *end != '\0' || v < 0 || v > 65535)
    return fail_split(why, "port must be 0..65535");
  memcpy(out->host, hs, (size_t)(he - hs));
  out->host[he - hs] = '\0';
  out->port = (int)v;
  return 0;
}

bool mcb_addr_is_hostname(const char *h)
{
  if (*h == '\0' || strlen(h) > 253) return false;
  for (; *h; h++)
    if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') ||
          *h == '-' || *h == '.' || *h == '_'))
      return false;
  return true;
}

static int parse_scope(const char *s, uint32_t *scope)
{
  char *end;
  unsigned long v;
  if (*s == '\0') return UV_EINVAL;
  if (*s >= '0' && *s <= '9') {
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v > UINT32_MAX) return UV_EINVAL;
    *scope = (uint32_t)v;
    return 0;
  }
  if (strlen(s) >= IF_NAMESIZE) return UV_ENODEV;
  *scope = if_nametoindex(s);
  return *scope == 0 ? UV_ENODEV : 0;
}

int mcb_addr_parse_host(const char *text, mcb_addr *out)
{
  char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
  char *pct;
  memset(out, 0, sizeof *out);
  if (text == NULL || *text == '\0' || strlen(text) >= sizeof buf) return UV_EINVAL;
  if (inet_pton(AF_INET, text, &out->u.in4.sin_addr) == 1) {
    out->u.in4.sin_family = AF_INET;
    out->len = sizeof out->u.in4;
    return 0;
  }
  strcpy(buf, text);
  pct = strchr(buf, '%');
  if (pct != NULL) *pct++ = '\0';
  if (inet_pton(AF_INET6, buf, &out->u.in6.sin6_addr) != 1) return UV_EINVAL;
  out->u.in6.sin6_family = AF_INET6;
  out->len = sizeof out->u.in6;
  if (pct != NULL) return parse_scope(pct, &out->u.in6.sin6_scope_id);
  return 0;
}

int mcb__addr_unix(const char *text, mcb_addr *out)
{
  size_t n = strlen(text);
  memset(out, 0, sizeof *out);
  out->u.un.sun_family = AF_UNIX;
  if (n >= sizeof out->u.un.sun_path) return UV_ENAMETOOLONG;
  if (text[0] == '@') { /* Linux abstract namespace: no file, nothing to unlink */
    memcpy(out->u.un.sun_path + 1, text + 1, n - 1);
    out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    return 0;
  }
  memcpy(out->u.un.sun_path, text, n + 1);
  out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
  return 0;
}

int mcb_addr_parse(const char *text, mcb_family family, mcb_addr *out)
{
  mcb_hostport hp;
  int rc;

  memset(out, 0, sizeof *out);
  if (text == NULL || *text == '\0') return UV_EINVAL;
  if (strchr(text, '/') != NULL || text[0] == '@') return mcb__addr_unix(text, out);
  if ((rc = mcb_addr_split(text, &hp, NULL)) != 0) return rc;
  if (hp.host[0] == '\0') {
    if (hp.bracketed || family == MCB_UDP6) {
      out->u.in6.sin6_family = AF_INET6;
      out->u.in6.sin6_addr = in6addr_any;
      out->len = sizeof out->u.in6;
    } else if (family == MCB_UDP4) {
      out->u.in4.sin_family = AF_INET;
      out->u.in4.sin_addr.s_addr = htonl(INADDR_ANY);
      out->len = sizeof out->u.in4;
    } else {
      return UV_EINVAL;
    }
  } else {
    if ((rc = mcb_addr_parse_host(hp.host, out)) != 0) return rc;
    if (hp.bracketed && out->u.sa.sa_family != AF_INET6) return UV_EINVAL;
  }
  if (out->u.sa.sa_family == AF_INET)
    out->u.in4.sin_port = htons((uint16_t)hp.port);
  else
    out->u.in6.sin6_port = htons((uint16_t)hp.port);
  return 0;
}

const char *mcb_ifname(unsigned ifindex, char buf[IF_NAMESIZE + 8])
{
  if (ifindex == 0 || if_indextoname(ifindex, buf) == NULL)
    snprintf(buf, IF_NAMESIZE + 8, "%u", ifindex);
  return buf;
}

/* Writes n bytes as printable ASCII: a backslash as \\, NUL as \0, any other byte
 * outside 0x20..0x7e as \xNN, so that no two names look alike and no terminal control
 * gets through. out may be p itself (escaping then works on a copy). */
static void escape_bytes(const char *p, size_t n, char *out, size_t size)
{
  char copy[128];
  size_t o = 0;
  if (size == 0) return;
  if (p == out) {
    n = n < sizeof copy ? n : sizeof copy;
    memcpy(copy, p, n);
    p = copy;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)p[i];
    char piece[5];
    size_t len;
    if (ch == '\\')
      len = (size_t)snprintf(piece, sizeof piece, "\\\\");
    else if (ch == '\0')
      len = (size_t)snprintf(piece, sizeof piece, "\\0");
    else if (ch < 0x20 || ch >= 0x7f)
      len = (size_t)snprintf(piece, sizeof piece, "\\x%02x", ch);
    else
      piece[0] = (char)ch, len = 1;
    if (o + len >= size) break; /* truncated on a whole escape */
    memcpy(out + o, piece, len);
    o += len;
  }
  out[o] = '\0';
}

/* Abstract names as "@name", its NULs (leading one aside) as \0; a path that itself
 * starts with '@' (necessarily relative) as "./@...", so the two never look alike. */
static void format_unix(const mcb_addr *a, char *buf, size_t size)
{
  const char *path = a->u.un.sun_path;
  size_t plen, o = 0;
  if (a->len <= offsetof(struct sockaddr_un, sun_path)) {
    snprintf(buf, size, "(unnamed)");
    return;
  }
  plen = a->len - offsetof(struct sockaddr_un, sun_path);
  if (plen > sizeof a->u.un.sun_path) plen = sizeof a->u.un.sun_path;
  if (path[0] == '\0') { /* abstract: every byte counts, none terminates it */
    o = (size_t)snprintf(buf, size, "@");
    path++;
    plen--;
  } else {
    plen = strnlen(path, plen);
    if (path[0] == '@') o = (size_t)snprintf(buf, size, "./");
  }
  if (o < size) escape_bytes(path, plen, buf + o, size - o);
}

static const char *format(const mcb_addr *a, char *buf, size_t size, bool with_port)
{
  char host[INET6_ADDRSTRLEN], ifn[4 * IF_NAMESIZE + 8];

  if (a == NULL || a->len == 0) {
    snprintf(buf, size, "(none)");
    return buf;
  }
  switch (a->u.sa.sa_family) {
  case AF_INET:
    inet_ntop(AF_INET, &a->u.in4.sin_addr, host, sizeof host);
    if (with_port)
      snprintf(buf, size, "%s:%d", host, ntohs(a->u.in4.sin_port));
    else
      snprintf(buf, size, "%s", host);
    break;
  case AF_INET6:
    inet_ntop(AF_INET6, &a->u.in6.sin6_addr, host, sizeof host);
    if (a->u.in6.sin6_scope_id != 0) {
      mcb_ifname(a->u.in6.sin6_scope_id, ifn); /* a name may hold any byte */
      escape_bytes(ifn, strlen(ifn), ifn, sizeof ifn);
      if (with_port)
        snprintf(buf, size, "[%s%%%s]:%d", host, ifn, ntohs(a->u.in6.sin6_port));
      else
        snprintf(buf, size, "%s%%%s", host, ifn);
    } else {
      if (with_port)
        snprintf(buf, size, "[%s]:%d", host, ntohs(a->u.in6.sin6_port));
      else
        snprintf(buf, size, "%s", host);
    }
    break;
  case AF_UNIX:
    format_unix(a, buf, size);
    break;
  default:
    snprintf(buf, size, "(family %d)", a->u.sa.sa_family);
    break;
  }
  return buf;
}

const char *mcb_addr_format(const mcb_addr *addr, char *buf, size_t size)
{
  return format(addr, buf, size, true);
}

const char *mcb_addr_format_host(const mcb_addr *addr, char *buf, size_t size)
{
  return format(addr, buf, size, false);
}

int mcb_addr_port(const mcb_addr *addr)
{
  if (addr->u.sa.sa_family == AF_INET) return ntohs(addr->u.in4.sin_port);
  if (addr->u.sa.sa_family == AF_INET6) return ntohs(addr->u.in6.sin6_port);
  return 0;
}

bool mcb_addr_is_multicast(const mcb_addr *addr)
{
  if (addr->u.sa.sa_family == AF_INET) return IN_MULTICAST(ntohl(addr->u.in4.sin_addr.s_addr));
  if (addr->u.sa.sa_family == AF_INET6) return IN6_IS_ADDR_MULTICAST(&addr->u.in6.sin6_addr);
  return false;
}

mcb_family mcb_addr_family(const mcb_addr *addr)
{
  switch (addr->u.sa.sa_family) {
  case AF_INET:
    return MCB_UDP4;
  case AF_INET6:
    return MCB_UDP6;
  case AF_UNIX:
    return MCB_UNIX;
  default:
    return 0;
  }
}

size_t mcb__addr_key(const mcb_addr *a, uint8_t *buf, size_t size)
{
  size_t n = 0;
#define PUT(p, l)                                                                                  \
  do {                                                                                             \
    size_t l_ = (l);                                                                               \
    if (n + l_ > size) l_ = size - n;                                                              \
    memcpy(buf + n, (p), l_);                                                                      \
    n += l_;                                                                                       \
  } while (0)
  uint8_t fam = (uint8_t)a->u.sa.sa_family;
  PUT(&fam, 1);
  switch (a->u.sa.sa_family) {
  case AF_INET:
    PUT(&a->u.in4.sin_port, 2);
    PUT(&a->u.in4.sin_addr, 4);
    break;
  case AF_INET6:
    PUT(&a->u.in6.sin6_port, 2);
    PUT(&a->u.in6.sin6_addr, 16);
    PUT(&a->u.in6.sin6_scope_id, 4);
    break;
  case AF_UNIX:
    if (a->len > offsetof(struct sockaddr_un, sun_path)) {
      size_t plen = a->len - offsetof(struct sockaddr_un, sun_path);
      if (a->u.un.sun_path[0] != '\0') plen = strnlen(a->u.un.sun_path, plen); /* drop NUL */
      PUT(a->u.un.sun_path, plen);
    }
    break;
  default:
    break;
  }
#undef PUT
  return n;
}

bool mcb_addr_equal(const mcb_addr *a, const mcb_addr *b)
{
  uint8_t ka[sizeof(mcb_addr)], kb[sizeof(mcb_addr)];
  size_t na = mcb__addr_key(a, ka, sizeof ka), nb = mcb__addr_key(b, kb, sizeof kb);
  return na == nb && memcmp(ka, kb, na) == 0;
}
