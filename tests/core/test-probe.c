/* test-probe.c - the probe payload codec: the documented byte layout, round trips at
 * every size, every truncation length, and hostile values (wrong magic, versions,
 * reserved flags, a corrupted fill at every position, extreme field values). */
#include "testlib.h"

#include <string.h>

static const mcb_probe sample = {
    .flags = MCB_PROBE_ECHO,
    .stream = 0x0102,
    .sender = 0x03040506,
    .nonce = 0x0708090a,
    .seq = 0x0b0c0d0e0f101112,
    .send_ns = 0x1314151617181920,
};

/* The exact bytes docs/probe-format.md describes for `sample` at 36 bytes. */
static const uint8_t sample_bytes[36] = {
    0x8d, 0x4d, 0x43, 0x42, 0x01, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
    0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12,
    0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x20, 0x20, 0x21, 0x22, 0x23,
};

static void assert_probe_equal(const mcb_probe *a, const mcb_probe *b)
{
  assert_int_equal(a->flags, b->flags);
  assert_int_equal(a->stream, b->stream);
  assert_int_equal(a->sender, b->sender);
  assert_int_equal(a->nonce, b->nonce);
  assert_true(a->seq == b->seq);
  assert_true(a->send_ns == b->send_ns);
}

static void layout_is_documented(void **state)
{
  uint8_t buf[64];
  mcb_probe out;
  assert_int_equal(mcb_probe_encode(&sample, buf, sizeof buf, 36), 36);
  assert_memory_equal(buf, sample_bytes, sizeof sample_bytes);
  assert_int_equal(mcb_probe_decode(sample_bytes, 36, MCB_PROBE_CHECK_FILL, &out), 0);
  assert_int_equal(out.version, MCB_PROBE_VERSION);
  assert_probe_equal(&out, &sample);
}

static void round_trip_every_size(void **state)
{
  static uint8_t buf[3000];
  mcb_probe out;
  for (size_t len = MCB_PROBE_HDR_LEN; len <= sizeof buf; len += len < 600 ? 1 : 97) {
    mcb_probe p = sample;
    p.seq = len * 0x9e3779b97f4a7c15u;
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(mcb_probe_encode(&p, buf, sizeof buf, len), (int)len);
    if (len < sizeof buf) assert_int_equal(buf[len], 0xee); /* nothing written beyond */
    for (size_t k = MCB_PROBE_HDR_LEN; k < len; k++) assert_int_equal(buf[k], k & 0xff);
    assert_int_equal(mcb_probe_decode(buf, len, MCB_PROBE_CHECK_FILL, &out), 0);
    assert_probe_equal(&out, &p);
  }
}

static void every_truncation_length(void **state)
{
  uint8_t buf[200];
  mcb_probe out;
  assert_int_equal(mcb_probe_encode(&sample, buf, sizeof buf, sizeof buf), (int)sizeof buf);
  for (size_t len = 0; len < MCB_PROBE_HDR_LEN; len++) {
    out.seq = 1;
    assert_int_equal(mcb_probe_decode(buf, len, MCB_PROBE_CHECK_FILL, &out), UV_EMSGSIZE);
    assert_true(out.seq == 0 && out.nonce == 0); /* zeroed: nothing to trust */
  }
  /* Cut anywhere after the header, it is still a valid (shorter) probe. */
  for (size_t len = MCB_PROBE_HDR_LEN; len <= sizeof buf; len++) {
    assert_int_equal(mcb_probe_decode(buf, len, MCB_PROBE_CHECK_FILL, &out), 0);
    assert_probe_equal(&out, &sample);
  }
}

static void hostile_headers(void **state)
{
  uint8_t buf[64], bad[64];
  mcb_probe out;
  mcb_probe_encode(&sample, buf, sizeof buf, sizeof buf);
  for (int i = 0; i < 4; i++) { /* any wrong magic byte: not a probe */
    memcpy(bad, buf, sizeof bad);
    bad[i] ^= 0x20;
    assert_int_equal(mcb_probe_decode(bad, sizeof bad, 0, &out), UV_EINVAL);
  }
  const uint8_t versions[] = {0, 2, 0x7f, 0xff};
  for (size_t i = 0; i < sizeof versions; i++) {
    memcpy(bad, buf, sizeof bad);
    bad[4] = versions[i];
    assert_int_equal(mcb_probe_decode(bad, sizeof bad, 0, &out), UV_EPROTONOSUPPORT);
  }
  for (int bit = 1; bit < 8; bit++) { /* reserved flag bits */
    memcpy(bad, buf, sizeof bad);
    bad[5] |= (uint8_t)(1u << bit);
    assert_int_equal(mcb_probe_decode(bad, sizeof bad, 0, &out), UV_ENOTSUP);
    assert_true(out.seq == 0);
  }
  assert_int_equal(mcb_probe_decode("\x8dMC", 3, 0, &out), UV_EMSGSIZE);
  assert_int_equal(mcb_probe_decode("hello, world, this is text only....", 35, 0, &out), UV_EINVAL);
}

static void corrupted_fill_at_every_position(void **state)
{
  uint8_t buf[700];
  mcb_probe out;
  mcb_probe_encode(&sample, buf, sizeof buf, sizeof buf);
  for (size_t k = MCB_PROBE_HDR_LEN; k < sizeof buf; k++) {
    buf[k] ^= 0x01;
    assert_int_equal(mcb_probe_decode(buf, sizeof buf, MCB_PROBE_CHECK_FILL, &out), UV_EPROTO);
    assert_int_equal(mcb_probe_decode(buf, sizeof buf, 0, &out), 0); /* unchecked: fine */
    buf[k] ^= 0x01;
  }
}

static void extreme_values_and_encoder_errors(void **state)
{
  uint8_t buf[40];
  mcb_probe p = {.stream = 0xffff,
                 .sender = UINT32_MAX,
                 .nonce = UINT32_MAX,
                 .seq = UINT64_MAX,
                 .send_ns = UINT64_MAX},
            out;
  assert_int_equal(mcb_probe_encode(&p, buf, sizeof buf, MCB_PROBE_HDR_LEN), MCB_PROBE_HDR_LEN);
  assert_int_equal(mcb_probe_decode(buf, MCB_PROBE_HDR_LEN, MCB_PROBE_CHECK_FILL, &out), 0);
  assert_probe_equal(&out, &p);
  assert_int_equal(mcb_probe_encode(&p, buf, sizeof buf, MCB_PROBE_HDR_LEN - 1), UV_EMSGSIZE);
  assert_int_equal(mcb_probe_encode(&p, buf, sizeof buf, sizeof buf + 1), UV_EMSGSIZE);
  p.flags = 0x80;
  assert_int_equal(mcb_probe_encode(&p, buf, sizeof buf, sizeof buf), UV_EINVAL);
  assert_int_equal(mcb_probe_encode_header(&p, buf, sizeof buf), UV_EINVAL);
  /* Rewriting only the header keeps the fill. */
  p = sample;
  mcb_probe_encode(&p, buf, sizeof buf, sizeof buf);
  p.seq = 42;
  assert_int_equal(mcb_probe_encode_header(&p, buf, sizeof buf), (int)sizeof buf);
  assert_int_equal(mcb_probe_decode(buf, sizeof buf, MCB_PROBE_CHECK_FILL, &out), 0);
  assert_true(out.seq == 42);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(layout_is_documented),
      cmocka_unit_test(round_trip_every_size),
      cmocka_unit_test(every_truncation_length),
      cmocka_unit_test(hostile_headers),
      cmocka_unit_test(corrupted_fill_at_every_position),
      cmocka_unit_test(extreme_values_and_encoder_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
