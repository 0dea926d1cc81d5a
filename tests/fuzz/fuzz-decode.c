/* fuzz-decode.c - libFuzzer target for what reads untrusted datagrams: the probe decoder
 * (mcb_probe_decode) and the peer-payload detector (mcb_payload_detect), plus the sequence
 * and delay statistics fed with numbers taken from the input.
 *
 * It checks, beyond memory safety (ASan/UBSan): a rejected payload exposes nothing (the
 * decoded probe is all zero, the description says no sequence, time or nonce); a probe
 * that decodes with its fill checked re-encodes to the very same bytes; a plain payload
 * carries no error; and the sequence accounting keeps
 * received == expected - lost + duplicates + late with lost <= expected; percentiles stay
 * within [min, max] and never decrease.
 *
 * Built by the fuzz infrastructure (CMake option MCB_FUZZ, `make fuzz`); by hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icore/include \
 *     $(pkg-config --cflags libuv) tests/fuzz/fuzz-decode.c core/src/probe.c \
 *     core/src/payload.c core/src/seqstats.c core/src/delaystats.c -o fuzz-decode
 *   ./fuzz-decode -max_total_time=60 tests/fuzz/corpus/decode
 * (only uv.h's error macros are used: no libuv library is needed at link time). Seeds in
 * tests/fuzz/corpus/decode are iperf 2.1.8 datagrams captured on loopback, a probe, an
 * mcjoin payload and plain text.
 */
#include <mcb.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_probe(const uint8_t *buf, size_t size)
{
  static uint8_t again[1 << 16];
  mcb_probe p;
  int rc = mcb_probe_decode(buf, size, MCB_PROBE_CHECK_FILL, &p);
  if (rc != 0) {
    static const mcb_probe zero;
    if (memcmp(&p, &zero, sizeof p) != 0) abort();
    return;
  }
  if (size > sizeof again) return;
  if (mcb_probe_encode(&p, again, sizeof again, size) != (int)size) abort();
  if (memcmp(again, buf, size) != 0) abort();
}

static void check_detect(const uint8_t *buf, size_t size, unsigned check)
{
  mcb_payload_info info;
  int rc = mcb_payload_detect(buf, size, check, &info);
  if (rc != info.error || rc > 0) abort();
  if (rc != 0 && (info.has_seq || info.has_time || info.has_nonce)) abort();
  if (info.kind == MCB_PAYLOAD_PLAIN && (rc != 0 || info.has_seq || info.has_time)) abort();
  if (info.end_of_run && info.has_seq) abort();
  if (strcmp(mcb_payload_kind_name(info.kind), "plain") == 0 && info.kind != MCB_PAYLOAD_PLAIN)
    abort();
}

/* The input as 9-byte records: a nonce byte and an 8-byte sequence number. */
static void check_seqstats(const uint8_t *buf, size_t size)
{
  mcb_seqstats st;
  mcb_seqstats_init(&st);
  for (size_t i = 0; i + 9 <= size; i += 9) {
    uint64_t seq = 0;
    for (int k = 1; k < 9; k++) seq = seq << 8 | buf[i + k];
    /* Small steps are the interesting ones: fold big numbers near the previous one. */
    if (buf[i] & 0x80) seq = st.run_highest + (uint64_t)(int8_t)buf[i + 8];
    if ((buf[i] & 0x7f) == 0x7f) mcb_seqstats_end_run(&st);
    int c = (int)mcb_seqstats_add(&st, seq, (buf[i] & 0x40) != 0, buf[i] & 0x03);
    if (c < MCB_SEQ_FIRST || c > MCB_SEQ_RESTART) abort();
    if (st.received != st.expected - st.lost + st.duplicates + st.late) abort();
    if (st.lost > st.expected || st.run_lost > st.run_expected) abort();
  }
}

/* The input as 8-byte delays: percentiles stay within [min, max] and never decrease. */
static void check_delays(const uint8_t *buf, size_t size)
{
  mcb_delaystats d;
  mcb_delaystats_init(&d);
  for (size_t i = 0; i + 8 <= size; i += 8) {
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v = v << 8 | buf[i + k];
    mcb_delaystats_add(&d, (int64_t)v);
  }
  if (d.count == 0) return;
  int64_t prev = INT64_MIN;
  for (unsigned q = 0; q <= 1000; q += 10) {
    int64_t x = mcb_delaystats_quantile_ns(&d, q);
    if (x < d.min_ns || x > d.max_ns || x < prev) abort();
    prev = x;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* An exact-size copy, so that reading one byte too far is caught. */
  uint8_t *buf = malloc(size ? size : 1);
  if (buf == NULL) return 0;
  memcpy(buf, data, size);
  check_probe(buf, size);
  check_detect(buf, size, 0);
  check_detect(buf, size, MCB_PROBE_CHECK_FILL);
  check_seqstats(buf, size);
  check_delays(buf, size);
  free(buf);
  return 0;
}
