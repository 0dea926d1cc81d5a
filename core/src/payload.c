/* payload.c - which format a peer's payload has: an mcbench probe, an iperf 2 UDP
 * datagram, mcjoin's text, or plain bytes; and the sequence number, send time and run
 * nonce it carries. The rules are in docs/probe-format.md ("Peer payloads"); they are
 * strict so that text is never taken for a binary format.
 */
#include "bigendian.h"

#include <mcb.h>
#include <string.h>

/* iperf 2 (include/payloads.h): struct UDP_datagram { id, tv_sec, tv_usec, id2 } then
 * client_hdr_v1 whose flags word is at offset 16; HEADER_SEQNO64B says id2 holds the
 * upper 32 bits of a signed 64-bit id. Its smallest UDP payload is 18 bytes. */
#define IPERF2_MIN_LEN    18
#define IPERF2_SEQNO64B   0x08000000u
#define IPERF2_MAX_ID_BIT 47 /* |id| < 2^47: id2 is a sign extension of a sane count */

/* mcjoin (src/sender.c): "Sender PID %u, MC group %s ... count: %zu, freq: %d", NUL
 * padded or cut to the payload size. */
#define MCJOIN_MAGIC    "Sender PID "
#define MCJOIN_SEQ_KEY  "count: "
#define MCJOIN_MAX_SCAN 512 /* the text is short: never scan further */

const char *mcb_payload_kind_name(mcb_payload_kind kind)
{
  switch (kind) {
  case MCB_PAYLOAD_PROBE:
    return "probe";
  case MCB_PAYLOAD_IPERF2:
    return "iperf2";
  case MCB_PAYLOAD_MCJOIN:
    return "mcjoin";
  case MCB_PAYLOAD_PLAIN:
    break;
  }
  return "plain";
}

static bool printable(const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (p[i] < 0x20 || p[i] > 0x7e) return false;
  return true;
}

/* True (and fills out) when the payload passes every iperf 2 rule. */
static bool try_iperf2(const uint8_t *p, size_t len, mcb_payload_info *out)
{
  if (len < IPERF2_MIN_LEN) return false;
  uint32_t id = mcb__get32(p), sec = mcb__get32(p + 4), usec = mcb__get32(p + 8);
  uint32_t id2 = mcb__get32(p + 12);
  if (usec >= 1000000u || id == 0 || sec == 0 || printable(p, 8)) return false;
  int64_t packet;
  if (len >= 20 && (mcb__get32(p + 16) & IPERF2_SEQNO64B) != 0) {
    /* |id| < 2^47: the upper word is 0..0x7fff or 0xffff8000.. (its sign extension). */
    if (id2 >= (1u << (IPERF2_MAX_ID_BIT - 32)) && id2 < 0u - (1u << (IPERF2_MAX_ID_BIT - 32)))
      return false;
    packet = (int64_t)((uint64_t)id2 << 32 | id);
  } else {
    packet = (int32_t)id;
  }
  out->kind = MCB_PAYLOAD_IPERF2;
  out->send_ns = (uint64_t)sec * 1000000000u + (uint64_t)usec * 1000u;
  out->has_time = true;
  if (packet < 0) {
    out->end_of_run = true; /* the client's closing datagrams carry -(next id) */
    out->seq = (uint64_t)0 - (uint64_t)packet;
  } else {
    out->has_seq = true;
    out->seq = (uint64_t)packet;
  }
  return true;
}

/* Reads 1..max_digits decimal digits at p[*i] into *v without overflow. The number must
 * end before len: digits running into the end of a cut payload may be cut themselves. */
static bool read_number(const uint8_t *p, size_t len, size_t *i, size_t max_digits, uint64_t limit,
                        uint64_t *v)
{
  size_t start = *i;
  uint64_t n = 0;
  while (*i < len && p[*i] >= '0' && p[*i] <= '9' && *i - start < max_digits) {
    unsigned d = p[*i] - '0';
    if (n > (limit - d) / 10) return false;
    n = n * 10 + d;
    (*i)++;
  }
  if (*i == start || *i >= len || (p[*i] >= '0' && p[*i] <= '9')) return false;
  *v = n;
  return true;
}

static const uint8_t *find(const uint8_t *p, size_t len, const char *key)
{
  size_t n = strlen(key);
  for (size_t i = 0; i + n <= len; i++)
    if (p[i] == (uint8_t)key[0] && memcmp(p + i, key, n) == 0) return p + i + n;
  return NULL;
}

/* mcjoin: the PID after the magic is the run nonce; "count: N" is the sequence number
 * (from 0). A payload with the magic but no readable count is malformed. */
static bool try_mcjoin(const uint8_t *p, size_t len, mcb_payload_info *out)
{
  size_t m = sizeof MCJOIN_MAGIC - 1, i = m;
  uint64_t pid, seq;
  if (len < m || memcmp(p, MCJOIN_MAGIC, m) != 0) return false;
  out->kind = MCB_PAYLOAD_MCJOIN;
  if (len > MCJOIN_MAX_SCAN) len = MCJOIN_MAX_SCAN;
  if (!read_number(p, len, &i, 10, UINT32_MAX, &pid)) {
    out->error = UV_EPROTO;
    return true;
  }
  const uint8_t *c = find(p + i, len - i, MCJOIN_SEQ_KEY);
  size_t j = c != NULL ? (size_t)(c - p) : len;
  if (c == NULL || !read_number(p, len, &j, 20, UINT64_MAX, &seq)) {
    out->error = UV_EPROTO;
    return true;
  }
  out->has_nonce = out->has_seq = true;
  out->nonce = (uint32_t)pid;
  out->seq = seq;
  return true;
}

int mcb_payload_detect(const void *buf, size_t len, unsigned check, mcb_payload_info *out)
{
  const uint8_t *p = buf;
  if (len >= 4 && mcb__get32(p) == MCB_PROBE_MAGIC) return mcb__probe_detect(p, len, check, out);
  memset(out, 0, sizeof *out);
  if (try_mcjoin(p, len, out)) return out->error;
  if (try_iperf2(p, len, out)) return 0;
  memset(out, 0, sizeof *out);
  return 0;
}
