/* options.c - the machinery behind the option table (options-table.c): reading a value's
 * text, checking its range, setting it through the row's kernel options or its own
 * setter, caching what the kernel reports, formatting it, and the seed's setters as thin
 * wrappers.
 *
 * Values are validated before any system call, so a bad value changes nothing. After a
 * change the kernel's value is read back into the cache that mcb_option_get() and
 * mcb_socket_info_get() show. A dual-stack udp6 socket also gets the IPv4 companion, for
 * its IPv4-mapped traffic.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mcb_option_index(const mcb_option *opt)
{
  const mcb_option *const *t = mcb_options();
  for (int i = 0; t[i] != NULL; i++)
    if (t[i] == opt) return i;
  return -1;
}

size_t mcb_option_count(void)
{
  size_t n = 0;
  for (const mcb_option *const *t = mcb_options(); *t; t++) n++;
  return n;
}

const mcb_option *mcb_option_find(const char *name)
{
  for (const mcb_option *const *t = mcb_options(); *t; t++)
    if (strcmp((*t)->name, name) == 0) return *t;
  return NULL;
}

bool mcb_option_applies(const mcb_option *opt, mcb_family family)
{
  return family >= MCB_UDP4 && family <= MCB_UNIX && (opt->families & MCB_FAM(family)) != 0;
}

const mcb_sockopt *mcb__opt_kernel(const mcb_option *o, mcb_family f)
{
  const mcb_sockopt *k = o->any.name ? &o->any : f == MCB_UDP4 ? &o->udp4 : &o->udp6;
  return (f != MCB_UNIX || o->any.name) && k->name != 0 ? k : NULL;
}

static bool dual_stack(const mcb_socket *s)
{
  return s->family == MCB_UDP6 && !(s->flags & MCB_V6ONLY);
}

int mcb__opt_kernel_set(mcb_socket *s, const mcb_option *o, int value)
{
  const mcb_sockopt *k = mcb__opt_kernel(o, s->family);
  if (k == NULL) return UV_ENOTSUP;
  if (setsockopt(s->fd, k->level, k->name, &value, sizeof value) != 0) return -errno;
  if (dual_stack(s) && o->dual.name != 0)
    (void)setsockopt(s->fd, o->dual.level, o->dual.name, &value, sizeof value);
  return 0;
}

/* Reads row i into the cache: its own getter, the kernel's option, or (MCB_OPT_CACHED)
 * the value already there. */
static void refresh(mcb_socket *s, size_t i)
{
  const mcb_option *o = mcb_options()[i];
  const mcb_sockopt *k = mcb__opt_kernel(o, s->family);
  mcb_optval *v = &s->opts[i];

  if (!mcb_option_applies(o, s->family)) {
    v->valid = false;
    return;
  }
  if (!v->valid) v->num = o->fallback;
  v->valid = true;
  if (o->get != NULL) {
    mcb_optval got;
    if (o->get(s, o, &got) == 0) *v = got;
  } else if (k != NULL && !(o->flags & MCB_OPT_CACHED)) {
    v->num = mcb__getint(s->fd, k->level, k->name, o->fallback);
    if (o->type == MCB_OPT_BOOL) v->num = v->num != 0;
  }
}

/* A core row's cached value, without recording anything. */
static int cached_num(const mcb_socket *s, const char *name, int fallback)
{
  int i = mcb_option_index(mcb_option_find(name));
  return i >= 0 && i < MCB_MAX_OPTIONS && s->opts[i].valid ? s->opts[i].num : fallback;
}

/* The fields of the first version, which send.c and front ends still read. */
static void sync_legacy(mcb_socket *s)
{
  s->broadcast = cached_num(s, "broadcast", 0) != 0;
}

void mcb__opt_read_all(mcb_socket *s)
{
  size_t n = mcb_option_count();
  for (size_t i = 0; i < n && i < MCB_MAX_OPTIONS; i++) refresh(s, i);
  sync_legacy(s);
}

void mcb__opt_info(const mcb_socket *s, mcb_socket_info *out)
{
  size_t n = mcb_option_count();
  for (size_t i = 0; i < n && i < MCB_MAX_OPTIONS; i++) out->options[i] = s->opts[i];
  out->broadcast = cached_num(s, "broadcast", 0) != 0;
  out->mcast_loop = cached_num(s, "loopback", 0) != 0;
  out->ttl = cached_num(s, "ttl", 0);
  out->mcast_ttl = cached_num(s, "mcast-ttl", 0);
  out->rcvbuf = cached_num(s, "rcvbuf", 0);
  out->mcast_ifindex = (unsigned)cached_num(s, "mcast-if", 0);
  if (out->mcast_ifindex != 0) mcb_ifname(out->mcast_ifindex, out->mcast_if);
}

/* Decimal, or hex after 0x (never octal: "010" is ten). */
static bool parse_int(const char *text, int *out)
{
  const char *p = text + (*text == '-' || *text == '+');
  bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
  char *end;
  long v;
  if (*p < '0' || *p > '9') return false;
  errno = 0;
  v = strtol(hex ? p + 2 : p, &end, hex ? 16 : 10);
  if (end == (hex ? p + 2 : p) || *end != '\0' || errno != 0 || v > INT32_MAX) return false;
  *out = *text == '-' ? -(int)v : (int)v;
  return true;
}

int mcb_option_check_text(const mcb_option *o, const char *text, const char **why)
{
  int v;
  if (o->type == MCB_OPT_BOOL) {
    if (strcmp(text, "on") == 0 || strcmp(text, "off") == 0 || strcmp(text, "toggle") == 0)
      return 0;
    *why = "expected on, off or toggle";
    return UV_EINVAL;
  }
  if (o->type == MCB_OPT_INT) {
    if (parse_int(text, &v)) return 0;
    *why = "expected a whole number (decimal, or hex as 0x10)";
    return UV_EINVAL;
  }
  if (*text != '\0' && strlen(text) < INET6_ADDRSTRLEN + IF_NAMESIZE && !strchr(text, '/'))
    return 0;
  *why = "expected an interface name, index or local address, or default";
  return UV_EINVAL;
}

/* Turns text into a value for socket s; on failure records the error. */
static int parse(mcb_socket *s, const mcb_option *o, const char *text, mcb_optval *out)
{
  const char *why = NULL;
  unsigned idx;
  int rc;

  out->valid = true;
  if ((rc = mcb_option_check_text(o, text, &why)) != 0)
    return mcb__fail(s->bench, rc, why, "set %s %s", o->name, text);
  if (o->type == MCB_OPT_BOOL) {
    mcb_optval cur;
    if (strcmp(text, "toggle") != 0) {
      out->num = strcmp(text, "on") == 0;
    } else if (mcb_option_applies(o, s->family) && (rc = mcb_option_get(s, o, &cur)) == 0) {
      out->num = !cur.num;
    } else {
      return mcb__fail(s->bench, rc, NULL, "set %s %s", o->name, text);
    }
  } else if (o->type == MCB_OPT_INT) {
    (void)parse_int(text, &out->num);
  } else {
    rc = mcb__iface_index(text, s->family, &idx);
    if (rc != 0)
      return mcb__fail(s->bench, rc, mcb__iface_why(rc, s->family), "set %s %s", o->name, text);
    out->num = (int)idx;
  }
  return 0;
}

/* Why a row cannot be set on s at all; NULL when it can. */
static const char *refusal(const mcb_socket *s, const mcb_option *o, int *code)
{
  *code = UV_ENOTSUP;
  if (!mcb_option_applies(o, s->family))
    return s->family == MCB_UNIX ? "not an IP socket" : "does not apply to this family";
  if (o->flags & MCB_OPT_READONLY) {
    *code = UV_EPERM;
    return "read-only option";
  }
  return NULL;
}

static int set_checked(mcb_socket *s, const mcb_option *o, const mcb_optval *v, const char *text)
{
  char why[MCB_MSG_MAX];
  int i = mcb_option_index(o), rc;

  if (o->type == MCB_OPT_INT && (v->num < o->min || v->num > o->max)) {
    mcb_msgf(why, sizeof why, "%s must be %d..%d%s%s", o->noun, o->min, o->max, o->unit ? " " : "",
             o->unit ? o->unit : "");
    return mcb__fail(s->bench, UV_EINVAL, why, "set %s %s", o->name, text);
  }
  rc = o->set ? o->set(s, o, v) : mcb__opt_kernel_set(s, o, v->num);
  if (rc != 0) return mcb__fail(s->bench, rc, NULL, "set %s %s", o->name, text);
  if (i >= 0 && i < MCB_MAX_OPTIONS) {
    s->opts[i] = *v;
    refresh(s, (size_t)i);
    sync_legacy(s);
  }
  mcb__emit_simple(s, MCB_EV_CHANGED);
  return 0;
}

static bool settable(mcb_socket *s, const mcb_option *o)
{
  char what[MCB_MSG_MAX];
  const char *why;
  int code;
  mcb_msgf(what, sizeof what, "set %s", o->name);
  if (!mcb__usable(s, what)) return false;
  if ((why = refusal(s, o, &code)) == NULL) return true;
  mcb__fail(s->bench, code, why, "%s", what);
  return false;
}

int mcb_option_set(mcb_socket *s, const mcb_option *o, const char *value)
{
  mcb_optval v;
  int rc;
  if (o == NULL) return mcb__fail(s->bench, UV_EINVAL, "unknown option", "set");
  if (value == NULL) value = "";
  if (!settable(s, o)) return s->bench->last_code;
  if ((rc = parse(s, o, value, &v)) != 0) return rc;
  return set_checked(s, o, &v, value);
}

int mcb_option_set_value(mcb_socket *s, const mcb_option *o, const mcb_optval *value)
{
  char text[24];
  if (o == NULL) return mcb__fail(s->bench, UV_EINVAL, "unknown option", "set");
  if (!settable(s, o)) return s->bench->last_code;
  mcb_option_format(o, value, text, sizeof text);
  return set_checked(s, o, value, text);
}

int mcb_option_get(const mcb_socket *s, const mcb_option *o, mcb_optval *out)
{
  int i = o ? mcb_option_index(o) : -1, rc = UV_ENOTSUP;
  out->valid = false;
  out->num = 0;
  if (o == NULL) return mcb__fail(s->bench, UV_EINVAL, "unknown option", "get");
  if (!mcb_option_applies(o, s->family)) {
    return mcb__fail(s->bench, rc, s->family == MCB_UNIX ? "not an IP socket" : "does not apply",
                     "get %s", o->name);
  }
  if (i >= 0 && i < MCB_MAX_OPTIONS) {
    *out = s->opts[i];
    rc = out->valid ? 0 : UV_ENOTSUP;
  } else if (o->get != NULL) {
    rc = o->get(s, o, out);
  }
  return rc == 0 ? 0 : mcb__fail(s->bench, rc, NULL, "get %s", o->name);
}

const char *mcb_option_format(const mcb_option *o, const mcb_optval *v, char *buf, size_t size)
{
  char name[IF_NAMESIZE + 8];
  if (v == NULL || !v->valid)
    snprintf(buf, size, "-");
  else if (o->type == MCB_OPT_BOOL)
    snprintf(buf, size, "%s", v->num ? "on" : "off");
  else if (o->type == MCB_OPT_IFACE)
    snprintf(buf, size, "%s", v->num ? mcb_ifname((unsigned)v->num, name) : "default");
  else
    snprintf(buf, size, (o->flags & MCB_OPT_HEX) ? "0x%02x" : "%d", v->num);
  return buf;
}

const char *mcb_option_syntax(const mcb_option *o, char *buf, size_t size)
{
  if (o->flags & MCB_OPT_READONLY)
    snprintf(buf, size, "read-only");
  else if (o->type == MCB_OPT_BOOL)
    snprintf(buf, size, "on|off|toggle");
  else if (o->type == MCB_OPT_IFACE)
    snprintf(buf, size, "IFACE|default");
  else
    snprintf(buf, size, "%d..%d%s%s", o->min, o->max, o->unit ? " " : "", o->unit ? o->unit : "");
  return buf;
}

/* ---- the seed's setters ---- */

static int set_num(mcb_socket *s, const char *name, int num)
{
  mcb_optval v = {.valid = true, .num = num};
  return mcb_option_set_value(s, mcb_option_find(name), &v);
}

int mcb_set_broadcast(mcb_socket *s, bool on)
{
  return set_num(s, "broadcast", on);
}

int mcb_set_ttl(mcb_socket *s, int ttl)
{
  return set_num(s, "ttl", ttl);
}

int mcb_set_multicast_ttl(mcb_socket *s, int ttl)
{
  return set_num(s, "mcast-ttl", ttl);
}

int mcb_set_multicast_loopback(mcb_socket *s, bool on)
{
  return set_num(s, "loopback", on);
}

int mcb_set_multicast_interface(mcb_socket *s, const char *iface)
{
  return mcb_option_set(s, mcb_option_find("mcast-if"), iface && *iface ? iface : "default");
}

int mcb_set_rcvbuf(mcb_socket *s, int bytes)
{
  return set_num(s, "rcvbuf", bytes);
}
