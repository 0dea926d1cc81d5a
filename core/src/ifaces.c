/* ifaces.c - the interfaces of the caller's network namespace as the kernel sees them:
 * index, flags and addresses (getifaddrs), and the multicast groups the host joined on
 * each (/proc/net/igmp, /proc/net/igmp6). Read on demand for a view; nothing is kept. */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_MAX (64 * 1024) /* /proc/net/igmp of a busy host fits; the rest is ignored */

static mcb_iface *find(mcb_iface *ifs, size_t n, unsigned index)
{
  for (size_t i = 0; i < n; i++)
    if (ifs[i].index == index) return &ifs[i];
  return NULL;
}

static void add_group(mcb_iface *f, const mcb_addr *g)
{
  for (size_t i = 0; i < f->ngroups; i++)
    if (mcb_addr_equal(&f->groups[i], g)) return;
  if (f->ngroups < MCB_IFACE_MAX_GROUPS) f->groups[f->ngroups++] = *g;
}

/* The next line of text into line (cut to size); NULL at the end. */
static const char *next_line(const char *text, char *line, size_t size)
{
  size_t len;
  if (text == NULL || *text == '\0') return NULL;
  len = strcspn(text, "\n");
  snprintf(line, size, "%.*s", (int)(len < size ? len : size - 1), text);
  return text + len + (text[len] == '\n');
}

int mcb_iface_parse_igmp(const char *text, mcb_iface *ifs, size_t n)
{
  char line[256];
  mcb_iface *cur = NULL;
  text = next_line(text, line, sizeof line); /* header */
  while ((text = next_line(text, line, sizeof line)) != NULL) {
    unsigned idx;
    unsigned long word;
    if (line[0] != '\t') { /* "1\tlo        :     1      V3" */
      cur = sscanf(line, "%u", &idx) == 1 ? find(ifs, n, idx) : NULL;
    } else if (cur && sscanf(line, " %lx", &word) == 1) {
      /* printed as the host reads the network-order word: store it back as it was */
      mcb_addr g;
      memset(&g, 0, sizeof g);
      g.u.in4.sin_family = AF_INET;
      g.u.in4.sin_addr.s_addr = (uint32_t)word;
      g.len = sizeof g.u.in4;
      add_group(cur, &g);
    }
  }
  return 0;
}

int mcb_iface_parse_igmp6(const char *text, mcb_iface *ifs, size_t n)
{
  char line[256], dev[IF_NAMESIZE + 1], hex[40];
  unsigned idx;
  while ((text = next_line(text, line, sizeof line)) != NULL) {
    mcb_iface *f;
    mcb_addr g;
    bool ok = true;
    if (sscanf(line, "%u %16s %39s", &idx, dev, hex) != 3 || strlen(hex) != 32) continue;
    if ((f = find(ifs, n, idx)) == NULL) continue;
    memset(&g, 0, sizeof g);
    g.u.in6.sin6_family = AF_INET6;
    g.len = sizeof g.u.in6;
    for (int i = 0; i < 16 && ok; i++) {
      unsigned v;
      ok = sscanf(hex + 2 * i, "%2x", &v) == 1;
      g.u.in6.sin6_addr.s6_addr[i] = (uint8_t)v;
    }
    if (ok) add_group(f, &g);
  }
  return 0;
}

/* A /proc file's text, at most PROC_MAX bytes; NULL when it cannot be read. */
static char *slurp(const char *path)
{
  FILE *f = fopen(path, "r");
  char *buf;
  size_t len;
  if (f == NULL) return NULL;
  if ((buf = malloc(PROC_MAX + 1)) != NULL) {
    len = fread(buf, 1, PROC_MAX, f);
    buf[len] = '\0';
  }
  fclose(f);
  return buf;
}

static void add_address(mcb_iface *f, const struct sockaddr *sa)
{
  mcb_addr *a;
  if (f->naddrs == MCB_IFACE_MAX_ADDRS) return;
  a = &f->addrs[f->naddrs++];
  memset(a, 0, sizeof *a);
  a->len = sa->sa_family == AF_INET ? sizeof a->u.in4 : sizeof a->u.in6;
  memcpy(&a->u.ss, sa, a->len);
}

int mcb_iface_list(mcb_iface *out, size_t max, size_t *count)
{
  struct ifaddrs *all, *ia;
  char *text;
  size_t n = 0;
  *count = 0;
  if (getifaddrs(&all) != 0) return -errno; /* libuv codes are negated errno values on Unix */
  for (ia = all; ia; ia = ia->ifa_next) {
    unsigned index = if_nametoindex(ia->ifa_name);
    mcb_iface *f = find(out, n, index);
    if (index == 0) continue;
    if (f == NULL) {
      if (n == max) continue;
      f = &out[n++];
      memset(f, 0, sizeof *f);
      f->index = index;
      snprintf(f->name, sizeof f->name, "%s", ia->ifa_name);
    }
    f->flags = ia->ifa_flags;
    if (ia->ifa_addr && (ia->ifa_addr->sa_family == AF_INET || ia->ifa_addr->sa_family == AF_INET6))
      add_address(f, ia->ifa_addr);
  }
  freeifaddrs(all);
  if ((text = slurp("/proc/thread-self/net/igmp")) != NULL) mcb_iface_parse_igmp(text, out, n);
  free(text);
  if ((text = slurp("/proc/thread-self/net/igmp6")) != NULL) mcb_iface_parse_igmp6(text, out, n);
  free(text);
  *count = n;
  return 0;
}
