/* firewall.c - [firewall]: does an nftables rule drop the group's datagrams?
 *
 * Reads the ruleset the way `nft -j list ruleset` does (libnftables, JSON parsed with
 * jansson, which libnftables itself uses) and walks the base chains on the path of the
 * traffic: input and prerouting for a receiver, output and postrouting for a sender. A
 * rule that drops or rejects, and whose every match fits the traffic (udp, the port,
 * the group, the source, the interface) or cannot be judged, is reported with its
 * handle; one whose match clearly excludes the traffic is not. Reading needs
 * CAP_NET_ADMIN; iptables-legacy rules are not visible here.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

enum { NO = 0, YES = 1, MAYBE = -1 };

static const char *jstr(json_t *o, const char *key)
{
  const char *s = json_string_value(json_object_get(o, key));
  return s != NULL ? s : "";
}

/* Does an nft address value (string "239.1.1.1" or {"prefix": {"addr", "len"}}) hold a? */
static int addr_in(json_t *v, const mcb_addr *a)
{
  const char *text = json_string_value(v);
  json_t *prefix = json_object_get(v, "prefix");
  mcb_addr net;
  int len = a->u.sa.sa_family == AF_INET ? 32 : 128;
  if (prefix != NULL) {
    text = json_string_value(json_object_get(prefix, "addr"));
    len = (int)json_integer_value(json_object_get(prefix, "len"));
  }
  if (text == NULL || mcb_addr_parse_host(text, &net) != 0) return MAYBE;
  if (net.u.sa.sa_family != a->u.sa.sa_family) return NO;
  const uint8_t *x = a->u.sa.sa_family == AF_INET ? (const uint8_t *)&a->u.in4.sin_addr
                                                  : a->u.in6.sin6_addr.s6_addr;
  const uint8_t *y = net.u.sa.sa_family == AF_INET ? (const uint8_t *)&net.u.in4.sin_addr
                                                   : net.u.in6.sin6_addr.s6_addr;
  for (int bit = 0; bit < len; bit++)
    if (((x[bit / 8] ^ y[bit / 8]) >> (7 - bit % 8)) & 1) return NO;
  return YES;
}

/* A port value: a number, {"range": [a, b]} or {"set": [...]}. */
static int port_in(json_t *v, int port)
{
  json_t *range = json_object_get(v, "range"), *set = json_object_get(v, "set"), *e;
  size_t i;
  if (port == 0) return MAYBE;
  if (json_is_integer(v)) return json_integer_value(v) == port ? YES : NO;
  if (range != NULL)
    return json_integer_value(json_array_get(range, 0)) <= port &&
                   port <= json_integer_value(json_array_get(range, 1))
               ? YES
               : NO;
  if (set != NULL) {
    int r = NO;
    json_array_foreach(set, i, e)
    {
      int m = port_in(e, port);
      if (m == YES) return YES;
      if (m == MAYBE) r = MAYBE;
    }
    return r;
  }
  return MAYBE;
}

/* What a protocol name in a match means for udp traffic: udp is ours; igmp and
 * ipv6-icmp carry the joins and queries (ours too, for membership); others are not. */
static int proto_is_ours(const char *p)
{
  if (strcmp(p, "udp") == 0 || strcmp(p, "igmp") == 0 || strcmp(p, "ipv6-icmp") == 0 ||
      strcmp(p, "icmpv6") == 0)
    return YES;
  return NO;
}

static int match_payload(doc_diagnosis *d, json_t *pl, json_t *right)
{
  const char *proto = jstr(pl, "protocol"), *field = jstr(pl, "field");
  if (strcmp(proto, "udp") == 0 && strcmp(field, "dport") == 0) return port_in(right, d->req.port);
  if (strcmp(proto, "udp") == 0) return MAYBE; /* sport, length, ...: the sender's business */
  if ((strcmp(proto, "ip") == 0 && strcmp(field, "protocol") == 0) ||
      (strcmp(proto, "ip6") == 0 && strcmp(field, "nexthdr") == 0))
    return json_is_string(right) ? proto_is_ours(json_string_value(right)) : MAYBE;
  if (strcmp(field, "daddr") == 0 && (strcmp(proto, "ip") == 0 || strcmp(proto, "ip6") == 0))
    return addr_in(right, &d->req.group);
  if (strcmp(field, "saddr") == 0 && d->req.has_source) return addr_in(right, &d->req.source);
  if (strcmp(proto, "tcp") == 0 || strcmp(proto, "icmp") == 0) return NO;
  return MAYBE;
}

static int match_meta(doc_diagnosis *d, json_t *meta, json_t *right)
{
  const char *key = jstr(meta, "key"), *v = json_string_value(right);
  if (strcmp(key, "l4proto") == 0 && v != NULL) return proto_is_ours(v);
  if ((strcmp(key, "iifname") == 0 || strcmp(key, "oifname") == 0) && v != NULL &&
      d->facts.have_link)
    return strcmp(v, d->facts.ifname) == 0 ? YES : NO;
  if (strcmp(key, "pkttype") == 0 && v != NULL)
    return strcmp(v, "multicast") == 0 ? YES : strcmp(v, "host") == 0 ? NO : MAYBE;
  if (strcmp(key, "nfproto") == 0 && v != NULL)
    return strcmp(v, doc_is_v6(d) ? "ipv6" : "ipv4") == 0 ? YES : NO;
  return MAYBE;
}

/* One {"match": {...}} expression against the traffic. */
static int match(doc_diagnosis *d, json_t *m)
{
  const char *op = jstr(m, "op");
  json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
  int r = MAYBE;
  if (json_object_get(left, "payload") != NULL)
    r = match_payload(d, json_object_get(left, "payload"), right);
  else if (json_object_get(left, "meta") != NULL)
    r = match_meta(d, json_object_get(left, "meta"), right);
  if (strcmp(op, "!=") == 0 && r != MAYBE)
    r = !r;
  else if (strcmp(op, "==") != 0 && strcmp(op, "in") != 0)
    r = MAYBE; /* <, >, & ... */
  return r;
}

/* YES: the rule drops our traffic; MAYBE: it may; NO: it does not (or does not drop). */
static int rule_drops(doc_diagnosis *d, json_t *expr, json_int_t *packets)
{
  bool drops = false, unsure = false;
  size_t i;
  json_t *e;
  *packets = -1;
  json_array_foreach(expr, i, e)
  {
    json_t *m = json_object_get(e, "match"), *c = json_object_get(e, "counter");
    if (c != NULL) *packets = json_integer_value(json_object_get(c, "packets"));
    if (json_object_get(e, "drop") != NULL || json_object_get(e, "reject") != NULL) drops = true;
    if (m == NULL) continue;
    int r = match(d, m);
    if (r == NO) return NO;
    if (r == MAYBE) unsure = true;
  }
  return !drops ? NO : unsure ? MAYBE : YES;
}

static bool on_path(doc_diagnosis *d, json_t *chain)
{
  const char *hook = jstr(chain, "hook"), *family = jstr(chain, "family");
  bool fam = strcmp(family, "inet") == 0 || strcmp(family, "netdev") == 0 ||
             strcmp(family, doc_is_v6(d) ? "ip6" : "ip") == 0;
  if (!fam) return false;
  if (d->req.send) return strcmp(hook, "output") == 0 || strcmp(hook, "postrouting") == 0;
  return strcmp(hook, "input") == 0 || strcmp(hook, "prerouting") == 0 ||
         strcmp(hook, "ingress") == 0;
}

/* The base chain a rule belongs to, when it is on the traffic's path. */
static json_t *path_chain(doc_diagnosis *d, json_t *all, json_t *rule)
{
  size_t i;
  json_t *item;
  json_array_foreach(all, i, item)
  {
    json_t *c = json_object_get(item, "chain");
    if (c != NULL && strcmp(jstr(c, "family"), jstr(rule, "family")) == 0 &&
        strcmp(jstr(c, "table"), jstr(rule, "table")) == 0 &&
        strcmp(jstr(c, "name"), jstr(rule, "chain")) == 0)
      return on_path(d, c) ? c : NULL;
  }
  return NULL;
}

static void report_rule(doc_result *r, json_t *rule, int verdict, json_int_t packets, bool first)
{
  char where[160];
  snprintf(where, sizeof where, "%s %s %s handle %lld", jstr(rule, "family"), jstr(rule, "table"),
           jstr(rule, "chain"), (long long)json_integer_value(json_object_get(rule, "handle")));
  if (packets >= 0)
    doc_evidence(r, "rule %s %s drop our traffic (counter: %lld packets)", where,
                 verdict == YES ? "does" : "may", (long long)packets);
  else
    doc_evidence(r, "rule %s %s drop our traffic", where, verdict == YES ? "does" : "may");
  if (first) doc_fix(r, "nft delete rule %s   (or accept the traffic before it)", where);
}

static void judge(doc_diagnosis *d, doc_result *r, json_t *all)
{
  size_t i;
  json_t *item;
  unsigned found = 0, chains = 0, sure = 0;
  json_array_foreach(all, i, item)
  {
    json_t *c = json_object_get(item, "chain"), *rule = json_object_get(item, "rule");
    if (c != NULL && on_path(d, c)) {
      chains++;
      if (strcmp(jstr(c, "policy"), "drop") == 0)
        doc_evidence(r, "chain %s %s %s (hook %s) has policy drop: what no rule accepts is dropped",
                     jstr(c, "family"), jstr(c, "table"), jstr(c, "name"), jstr(c, "hook"));
    }
    if (rule == NULL || path_chain(d, all, rule) == NULL) continue;
    json_int_t packets;
    int v = rule_drops(d, json_object_get(rule, "expr"), &packets);
    if (v == NO) continue;
    report_rule(r, rule, v, packets, found == 0);
    found++;
    sure += v == YES;
  }
  if (found > 0)
    doc_set(r, DOC_WARN, "%u nftables rule(s) on the %s path %s drop it", found,
            d->req.send ? "output" : "input", sure > 0 ? "do" : "may");
  else
    doc_set(r, DOC_PASS, "no nftables rule on the %s path drops it (%u base chain(s) there)",
            d->req.send ? "output" : "input", chains);
  doc_evidence(r, "read with libnftables (iptables-legacy rules are not visible to it)");
}

void doc_check_firewall(doc_diagnosis *d, doc_result *r)
{
  struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
  json_error_t jerr;
  json_t *root;
  if (nft == NULL) {
    doc_set(r, DOC_SKIP, "libnftables could not start");
    return;
  }
  nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
  nft_ctx_buffer_output(nft);
  nft_ctx_buffer_error(nft);
  if (nft_run_cmd_from_buffer(nft, "list ruleset") != 0) {
    const char *why = nft_ctx_get_error_buffer(nft);
    doc_set(r, DOC_SKIP, "reading the nftables ruleset needs CAP_NET_ADMIN (root)");
    doc_evidence(r, "libnftables: %.*s", (int)strcspn(why, "\n"), why);
    nft_ctx_free(nft);
    return;
  }
  root = json_loads(nft_ctx_get_output_buffer(nft), 0, &jerr);
  nft_ctx_free(nft);
  if (root == NULL) {
    doc_set(r, DOC_SKIP, "the ruleset's JSON did not parse (line %d)", jerr.line);
    return;
  }
  judge(d, r, json_object_get(root, "nftables"));
  json_decref(root);
}
