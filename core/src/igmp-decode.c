/* igmp-decode.c - IGMPv1/v2/v3 and MLDv1/v2 messages decoded from an IP packet as the
 * lab's watcher reads it (mcb_igmp_decode). The bytes come from the wire: every length,
 * header length and count is checked against the packet before it is used, and a
 * packet that does not hold together is refused whole (UV_EINVAL, nothing kept). */
#include "bigendian.h"
#include "mcb.h"

#include <string.h>

enum {
  IGMP_QUERY = 0x11,
  IGMP_V1_REPORT = 0x12,
  IGMP_V2_REPORT = 0x16,
  IGMP_V2_LEAVE = 0x17,
  IGMP_V3_REPORT = 0x22,
  MLD_QUERY = 130,
  MLD_V1_REPORT = 131,
  MLD_V1_DONE = 132,
  MLD_V2_REPORT = 143,
};

/* A read-only window on the packet. */
typedef struct span {
  const uint8_t *p;
  size_t len;
} span;

/* IGMPv3 / MLDv2 codes >= 128 are a floating point value (RFC 3376 4.1.1, 3810 5.1.3). */
static unsigned igmp_code(unsigned code)
{
  return code < 128 ? code : ((code & 0x0fu) | 0x10u) << (((code >> 4) & 7u) + 3);
}

static unsigned mld_code(unsigned code)
{
  return code < 32768 ? code : ((code & 0x0fffu) | 0x1000u) << (((code >> 12) & 7u) + 3);
}

/* Sources (alen bytes each) of a record or query: n of them must fit in `s` from off. */
static int sources(span s, size_t off, unsigned n, size_t alen, mcb_igmp_record *r)
{
  if (off > s.len || (s.len - off) / alen < n) return UV_EINVAL;
  r->nsources = (uint16_t)n;
  for (unsigned i = 0; i < n && i < MCB_IGMP_MAX_SOURCES; i++)
    memcpy(r->sources[i], s.p + off + i * alen, alen);
  return 0;
}

/* The group records of an IGMPv3 or MLDv2 report, from offset 8. */
static int records(span s, size_t alen, mcb_igmp_msg *m)
{
  size_t off = 8;
  m->nrecords = (uint16_t)mcb__get16(s.p + 6);
  for (unsigned i = 0; i < m->nrecords; i++) {
    mcb_igmp_record scratch, *r = i < MCB_IGMP_MAX_RECORDS ? &m->records[i] : &scratch;
    unsigned type, aux, n;
    size_t need;
    if (s.len - off < 4 + alen) return UV_EINVAL;
    type = s.p[off];
    aux = s.p[off + 1];
    n = mcb__get16(s.p + off + 2);
    if (type < MCB_IGMP_IS_IN || type > MCB_IGMP_BLOCK) return UV_EINVAL;
    memset(r, 0, sizeof *r);
    r->type = (uint8_t)type;
    memcpy(r->group, s.p + off + 4, alen);
    if (sources(s, off + 4 + alen, n, alen, r) != 0) return UV_EINVAL;
    need = 4 + alen + (size_t)n * alen + (size_t)aux * 4;
    if (s.len - off < need) return UV_EINVAL;
    off += need;
  }
  return 0;
}

/* An IGMP message (s: from its type byte to the end of the IP datagram). */
static int igmp(span s, mcb_igmp_msg *m)
{
  if (s.len < 8) return UV_EINVAL;
  m->nrecords = 1;
  switch (s.p[0]) {
  case IGMP_QUERY:
    m->type = MCB_IGMP_QUERY;
    memcpy(m->records[0].group, s.p + 4, 4);
    if (s.len == 8) { /* RFC 3376 7.1: the length tells the version */
      m->version = s.p[1] == 0 ? 1 : 2;
      m->max_resp_ms = s.p[1] == 0 ? 10000 : s.p[1] * 100u;
      return 0;
    }
    if (s.len < 12) return UV_EINVAL;
    m->version = 3;
    m->max_resp_ms = igmp_code(s.p[1]) * 100u;
    return sources(s, 12, mcb__get16(s.p + 10), 4, &m->records[0]);
  case IGMP_V1_REPORT:
  case IGMP_V2_REPORT:
  case IGMP_V2_LEAVE:
    m->version = s.p[0] == IGMP_V1_REPORT ? 1 : 2;
    m->type = s.p[0] == IGMP_V2_LEAVE ? MCB_IGMP_LEAVE : MCB_IGMP_REPORT;
    memcpy(m->records[0].group, s.p + 4, 4);
    return 0;
  case IGMP_V3_REPORT:
    m->version = 3;
    m->type = MCB_IGMP_REPORT;
    return records(s, 4, m);
  }
  return UV_EINVAL;
}

/* An MLD message (s: the ICMPv6 message to the end of the IPv6 payload). */
static int mld(span s, mcb_igmp_msg *m)
{
  if (s.len < 8) return UV_EINVAL;
  m->nrecords = 1;
  switch (s.p[0]) {
  case MLD_QUERY:
    if (s.len < 24) return UV_EINVAL;
    m->type = MCB_IGMP_QUERY;
    memcpy(m->records[0].group, s.p + 8, 16);
    if (s.len == 24) {
      m->version = 1;
      m->max_resp_ms = mcb__get16(s.p + 4);
      return 0;
    }
    if (s.len < 28) return UV_EINVAL;
    m->version = 2;
    m->max_resp_ms = mld_code(mcb__get16(s.p + 4));
    return sources(s, 28, mcb__get16(s.p + 26), 16, &m->records[0]);
  case MLD_V1_REPORT:
  case MLD_V1_DONE:
    if (s.len < 24) return UV_EINVAL;
    m->version = 1;
    m->type = s.p[0] == MLD_V1_DONE ? MCB_IGMP_LEAVE : MCB_IGMP_REPORT;
    memcpy(m->records[0].group, s.p + 8, 16);
    return 0;
  case MLD_V2_REPORT:
    m->version = 2;
    m->type = MCB_IGMP_REPORT;
    return records(s, 16, m);
  }
  return UV_EINVAL;
}

static int ipv4(span s, mcb_igmp_msg *m)
{
  size_t hl, total;
  if (s.len < 20) return UV_EINVAL;
  hl = (size_t)(s.p[0] & 0x0f) * 4;
  total = mcb__get16(s.p + 2);
  /* a fragment is not decoded: IGMP messages are never fragmented */
  if (hl < 20 || total < hl || total > s.len || s.p[9] != 2 || (mcb__get16(s.p + 6) & 0x3fff) != 0)
    return UV_EINVAL;
  m->family = AF_INET;
  memcpy(m->src, s.p + 12, 4);
  memcpy(m->dst, s.p + 16, 4);
  return igmp((span){s.p + hl, total - hl}, m);
}

/* IPv6: MLD sits behind a hop-by-hop header (router alert); destination options are
 * skipped too, a bounded number of times. */
static int ipv6(span s, mcb_igmp_msg *m)
{
  size_t off = 40, end;
  unsigned next;
  if (s.len < 40) return UV_EINVAL;
  end = 40 + (size_t)mcb__get16(s.p + 4);
  if (end > s.len) return UV_EINVAL;
  next = s.p[6];
  for (int i = 0; i < 4 && (next == 0 || next == 60); i++) {
    size_t hlen;
    if (end - off < 8) return UV_EINVAL;
    hlen = ((size_t)s.p[off + 1] + 1) * 8;
    if (end - off < hlen) return UV_EINVAL;
    next = s.p[off];
    off += hlen;
  }
  if (next != 58) return UV_EINVAL;
  m->family = AF_INET6;
  memcpy(m->src, s.p + 8, 16);
  memcpy(m->dst, s.p + 24, 16);
  return mld((span){s.p + off, end - off}, m);
}

int mcb_igmp_decode(const uint8_t *pkt, size_t len, mcb_igmp_msg *out)
{
  int rc = UV_EINVAL;
  memset(out, 0, sizeof *out);
  if (pkt != NULL && len > 0) {
    if (pkt[0] >> 4 == 4)
      rc = ipv4((span){pkt, len}, out);
    else if (pkt[0] >> 4 == 6)
      rc = ipv6((span){pkt, len}, out);
  }
  if (rc != 0) memset(out, 0, sizeof *out);
  return rc;
}
