/* proc.c - readers of /proc/net and sysctl files, as pure parsers on their text.
 *
 * /proc/net follows the network namespace of the reader, so these read the namespace
 * the doctor runs in. Formats differ in byte order: /proc/net/igmp and udp print an
 * address as the raw network-order word with %08X, mcfilter prints it after ntohl.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int doc_read_file(const char *path, char *buf, size_t size)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  size_t used = 0;
  if (fd < 0) return -errno;
  while (used + 1 < size) {
    ssize_t n = read(fd, buf + used, size - 1 - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int rc = -errno;
      close(fd);
      return rc;
    }
    if (n == 0) break;
    used += (size_t)n;
  }
  close(fd);
  buf[used] = '\0';
  return 0;
}

const char *doc_proc(doc_diagnosis *d, const char *path)
{
  if (d->proc == NULL && (d->proc = malloc(DOC_PROC_MAX)) == NULL) return NULL;
  d->procsize = DOC_PROC_MAX;
  return doc_read_file(path, d->proc, d->procsize) == 0 ? d->proc : NULL;
}

int doc_sysctl(const char *path, long *value)
{
  char buf[64], *end;
  int rc = doc_read_file(path, buf, sizeof buf);
  if (rc != 0) return rc;
  *value = strtol(buf, &end, 10);
  return end == buf ? UV_EINVAL : 0;
}

/* The next line of text (without its newline) into line; returns the rest, or NULL. */
static const char *next_line(const char *text, char *line, size_t size)
{
  size_t n;
  if (text == NULL || *text == '\0') return NULL;
  n = strcspn(text, "\n");
  if (n >= size) n = size - 1;
  memcpy(line, text, n);
  line[n] = '\0';
  text += strcspn(text, "\n");
  return *text == '\n' ? text + 1 : text;
}

/* Which position `name` has among the words of a header line, counting the section. */
static int word_index(const char *header, const char *name)
{
  size_t len = strlen(name);
  int i = 0;
  for (const char *p = header; *p != '\0'; i++) {
    p += strspn(p, " \t");
    size_t n = strcspn(p, " \t");
    if (n == len && strncmp(p, name, len) == 0) return i;
    p += n;
    if (n == 0) break;
  }
  return -1;
}

static int nth_number(const char *line, int index, uint64_t *value)
{
  const char *p = line;
  for (int i = 0; i < index && *p != '\0'; i++) {
    p += strspn(p, " \t");
    p += strcspn(p, " \t");
  }
  p += strspn(p, " \t");
  if (*p == '\0') return UV_ENOENT;
  *value = strtoull(p, NULL, 10);
  return 0;
}

int doc_proc_counter(const char *text, const char *section, const char *name, uint64_t *value)
{
  char header[4096], values[4096];
  size_t slen = strlen(section);
  while ((text = next_line(text, header, sizeof header)) != NULL) {
    if (strncmp(header, section, slen) != 0) continue;
    if ((text = next_line(text, values, sizeof values)) == NULL) break;
    int i = word_index(header, name);
    if (i > 0) return nth_number(values, i, value);
  }
  return UV_ENOENT;
}

int doc_proc_counter6(const char *text, const char *name, uint64_t *value)
{
  char line[256];
  size_t len = strlen(name);
  while ((text = next_line(text, line, sizeof line)) != NULL)
    if (strncmp(line, name, len) == 0 && (line[len] == ' ' || line[len] == '\t'))
      return nth_number(line, 1, value);
  return UV_ENOENT;
}

int doc_proc_igmp(const char *text, unsigned ifindex, uint32_t group_be, doc_igmp *out)
{
  char line[256], dev[IF_NAMESIZE] = "", q[8];
  unsigned idx = 0, users;
  bool in_device = false;
  memset(out, 0, sizeof *out);
  text = next_line(text, line, sizeof line); /* header */
  while ((text = next_line(text, line, sizeof line)) != NULL) {
    unsigned long word;
    if (line[0] != '\t') {
      int count;
      q[0] = '\0';
      if (sscanf(line, "%u %15[^: \t] : %d %7s", &idx, dev, &count, q) < 3) continue;
      in_device = ifindex == 0 || idx == ifindex;
      if (in_device && ifindex != 0) {
        out->querier_version = q[0] == 'V' ? q[1] - '0' : 0;
        snprintf(out->device, sizeof out->device, "%s", dev);
      }
    } else if (in_device && sscanf(line, " %lx %u", &word, &users) == 2 &&
               (uint32_t)word == group_be) {
      out->joined = true;
      out->users += users;
      if (ifindex == 0) snprintf(out->device, sizeof out->device, "%s", dev);
    }
  }
  return 0;
}

static bool hex_in6(const char *hex, struct in6_addr *a)
{
  if (strlen(hex) != 32) return false;
  for (int i = 0; i < 16; i++) {
    unsigned v;
    if (sscanf(hex + 2 * i, "%2x", &v) != 1) return false;
    a->s6_addr[i] = (uint8_t)v;
  }
  return true;
}

int doc_proc_igmp6(const char *text, unsigned ifindex, const struct in6_addr *group, doc_igmp *out)
{
  char line[256], dev[IF_NAMESIZE], hex[40];
  unsigned idx, users;
  memset(out, 0, sizeof *out);
  while ((text = next_line(text, line, sizeof line)) != NULL) {
    struct in6_addr a;
    if (sscanf(line, "%u %15s %39s %u", &idx, dev, hex, &users) != 4) continue;
    if ((ifindex != 0 && idx != ifindex) || !hex_in6(hex, &a)) continue;
    if (memcmp(&a, group, sizeof a) != 0) continue;
    out->joined = true;
    out->users += users;
    snprintf(out->device, sizeof out->device, "%s", dev);
  }
  return 0;
}

int doc_proc_mcfilter(const char *text, unsigned ifindex, uint32_t group_be, uint32_t source_be,
                      doc_mcfilter *out)
{
  char line[256], dev[IF_NAMESIZE];
  unsigned idx;
  unsigned long mca, src, inc, exc;
  memset(out, 0, sizeof *out);
  text = next_line(text, line, sizeof line); /* header */
  while ((text = next_line(text, line, sizeof line)) != NULL) {
    if (sscanf(line, "%u %15s %lx %lx %lu %lu", &idx, dev, &mca, &src, &inc, &exc) != 6) continue;
    if ((ifindex != 0 && idx != ifindex) || htonl((uint32_t)mca) != group_be) continue;
    if (inc > 0) out->include++;
    if (exc > 0) out->exclude++;
    if (source_be != 0 && htonl((uint32_t)src) == source_be) {
      out->source_included |= inc > 0;
      out->source_excluded |= exc > 0;
    }
  }
  return 0;
}

/* "0100007F:1388" (udp) or 32 hex digits and a port (udp6) into a sockaddr. */
static bool udp_local(const char *tok, int family, struct sockaddr_storage *ss)
{
  const char *colon = strchr(tok, ':');
  unsigned long port;
  memset(ss, 0, sizeof *ss);
  if (colon == NULL) return false;
  port = strtoul(colon + 1, NULL, 16);
  if (family == AF_INET && colon - tok == 8) {
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = (uint32_t)strtoul(tok, NULL, 16); /* the raw word */
    in->sin_port = htons((uint16_t)port);
    return true;
  }
  if (family == AF_INET6 && colon - tok == 32) {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    in6->sin6_family = AF_INET6;
    for (int w = 0; w < 4; w++) {
      char word[9];
      memcpy(word, tok + 8 * w, 8);
      word[8] = '\0';
      uint32_t v = (uint32_t)strtoul(word, NULL, 16);
      memcpy(&in6->sin6_addr.s6_addr[4 * w], &v, 4);
    }
    in6->sin6_port = htons((uint16_t)port);
    return true;
  }
  return false;
}

int doc_proc_udp(const char *text, int family, int port, doc_udp_sock *out, int max)
{
  char line[512];
  int found = 0;
  text = next_line(text, line, sizeof line); /* header */
  while ((text = next_line(text, line, sizeof line)) != NULL) {
    char local[64], queues[40];
    unsigned long inode, drops;
    doc_udp_sock s;
    if (sscanf(line, " %*d: %63s %*s %*x %39s %*s %*s %*s %*s %lu %*s %*s %lu", local, queues,
               &inode, &drops) != 4 ||
        !udp_local(local, family, &s.local))
      continue;
    int p = ntohs(family == AF_INET ? ((struct sockaddr_in *)&s.local)->sin_port
                                    : ((struct sockaddr_in6 *)&s.local)->sin6_port);
    if (p != port) continue;
    const char *rx = strchr(queues, ':');
    s.rx_queue = rx != NULL ? strtoull(rx + 1, NULL, 16) : 0;
    s.inode = inode;
    s.drops = drops;
    if (found < max) out[found] = s;
    found++;
  }
  return found;
}
