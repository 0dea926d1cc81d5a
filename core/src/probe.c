/* probe.c - the probe payload codec (docs/probe-format.md).
 *
 * A probe is a 32-byte big-endian header (magic, version, flags, stream, sender, run
 * nonce, sequence number, send time) followed by a fill pattern: byte k of the datagram
 * is k & 0xff, so a receiver can check every byte without knowing the sender's state.
 * The decoder trusts nothing: it checks the length before every read, and a datagram
 * that fails any check yields a zeroed result and a code saying why.
 */
#include "bigendian.h"

#include <limits.h>
#include <mcb.h>
#include <string.h>

/* Offsets in the header. */
enum {
  OFF_MAGIC = 0,
  OFF_VERSION = 4,
  OFF_FLAGS = 5,
  OFF_STREAM = 6,
  OFF_SENDER = 8,
  OFF_NONCE = 12,
  OFF_SEQ = 16,
  OFF_TIME = 24,
};

/* 0, 1, ..., 255 twice: fill bytes from offset k are pattern + (k & 0xff). */
static const uint8_t pattern[512] = {
#define ROW(h)                                                                                     \
  h + 0, h + 1, h + 2, h + 3, h + 4, h + 5, h + 6, h + 7, h + 8, h + 9, h + 10, h + 11, h + 12,    \
      h + 13, h + 14, h + 15
#define BLOCK                                                                                      \
  ROW(0), ROW(16), ROW(32), ROW(48), ROW(64), ROW(80), ROW(96), ROW(112), ROW(128), ROW(144),      \
      ROW(160), ROW(176), ROW(192), ROW(208), ROW(224), ROW(240)
    BLOCK, BLOCK
#undef BLOCK
#undef ROW
};

static int check_args(const mcb_probe *probe, size_t len)
{
  if (len < MCB_PROBE_HDR_LEN || len > INT_MAX) return UV_EMSGSIZE;
  if ((probe->flags & ~MCB_PROBE_FLAGS) != 0) return UV_EINVAL;
  return 0;
}

static void write_header(const mcb_probe *probe, uint8_t *p)
{
  mcb__put32(p + OFF_MAGIC, MCB_PROBE_MAGIC);
  p[OFF_VERSION] = MCB_PROBE_VERSION;
  p[OFF_FLAGS] = probe->flags;
  mcb__put16(p + OFF_STREAM, probe->stream);
  mcb__put32(p + OFF_SENDER, probe->sender);
  mcb__put32(p + OFF_NONCE, probe->nonce);
  mcb__put64(p + OFF_SEQ, probe->seq);
  mcb__put64(p + OFF_TIME, probe->send_ns);
}

int mcb_probe_encode_header(const mcb_probe *probe, void *buf, size_t len)
{
  int rc = check_args(probe, len);
  if (rc != 0) return rc;
  write_header(probe, buf);
  return (int)len;
}

int mcb_probe_encode(const mcb_probe *probe, void *buf, size_t size, size_t len)
{
  uint8_t *p = buf;
  int rc = check_args(probe, len);
  if (rc != 0) return rc;
  if (len > size) return UV_EMSGSIZE;
  write_header(probe, p);
  for (size_t k = MCB_PROBE_HDR_LEN; k < len;) {
    size_t n = len - k < 256 ? len - k : 256;
    memcpy(p + k, pattern + (k & 0xff), n);
    k += n;
  }
  return (int)len;
}

static int fill_ok(const uint8_t *p, size_t len)
{
  for (size_t k = MCB_PROBE_HDR_LEN; k < len;) {
    size_t n = len - k < 256 ? len - k : 256;
    if (memcmp(p + k, pattern + (k & 0xff), n) != 0) return 0;
    k += n;
  }
  return 1;
}

/* The checks of mcb_probe_decode, without touching any output. */
static int validate(const uint8_t *p, size_t len, unsigned check)
{
  if (len < 4 || mcb__get32(p + OFF_MAGIC) != MCB_PROBE_MAGIC)
    return len < 4 && (len == 0 || memcmp(p, "\x8dMCB", len) == 0) ? UV_EMSGSIZE : UV_EINVAL;
  if (len < MCB_PROBE_HDR_LEN) return UV_EMSGSIZE;
  if (p[OFF_VERSION] != MCB_PROBE_VERSION) return UV_EPROTONOSUPPORT;
  if ((p[OFF_FLAGS] & ~MCB_PROBE_FLAGS) != 0) return UV_ENOTSUP;
  if ((check & MCB_PROBE_CHECK_FILL) != 0 && !fill_ok(p, len)) return UV_EPROTO;
  return 0;
}

int mcb_probe_decode(const void *buf, size_t len, unsigned check, mcb_probe *out)
{
  const uint8_t *p = buf;
  int rc = validate(p, len, check);
  if (rc != 0) {
    memset(out, 0, sizeof *out);
    return rc;
  }
  out->version = p[OFF_VERSION];
  out->flags = p[OFF_FLAGS];
  out->stream = mcb__get16(p + OFF_STREAM);
  out->sender = mcb__get32(p + OFF_SENDER);
  out->nonce = mcb__get32(p + OFF_NONCE);
  out->seq = mcb__get64(p + OFF_SEQ);
  out->send_ns = mcb__get64(p + OFF_TIME);
  return 0;
}

/* For payload.c: validates and decodes straight into a payload description, writing
 * every field (no memset first: this runs for every datagram). */
int mcb__probe_detect(const uint8_t *p, size_t len, unsigned check, mcb_payload_info *out)
{
  int rc = validate(p, len, check);
  bool ok = rc == 0;
  out->kind = MCB_PAYLOAD_PROBE;
  out->error = rc;
  out->has_seq = out->has_time = out->has_nonce = ok;
  out->end_of_run = false;
  out->echo = ok && (p[OFF_FLAGS] & MCB_PROBE_ECHO) != 0;
  out->stream = ok ? mcb__get16(p + OFF_STREAM) : 0;
  out->sender = ok ? mcb__get32(p + OFF_SENDER) : 0;
  out->nonce = ok ? mcb__get32(p + OFF_NONCE) : 0;
  out->seq = ok ? mcb__get64(p + OFF_SEQ) : 0;
  out->send_ns = ok ? mcb__get64(p + OFF_TIME) : 0;
  return rc;
}
