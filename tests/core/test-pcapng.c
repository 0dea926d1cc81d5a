/* test-pcapng.c - the pcapng writer of `lab capture` (core/src/pcapng.c): every block
 * is framed by equal lengths, a multiple of 4, with options padded and ended; the fields
 * sit where the format puts them; a packet of every length from 0 to 9 is padded right;
 * a buffer one byte too small is refused whole; and a file of several blocks walks from
 * block to block as a reader walks it. */
#include "testlib.h"

#include "pcapng.h"

#include <string.h>

static uint32_t u32(const uint8_t *p)
{
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static uint16_t u16(const uint8_t *p)
{
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}

/* The frame of every block: type, total length at both ends, a multiple of 4. */
static void assert_framed(const uint8_t *b, size_t n, uint32_t type)
{
  assert_true(n >= 12);
  assert_int_equal(n % 4, 0);
  assert_int_equal(u32(b), type);
  assert_int_equal(u32(b + 4), n);
  assert_int_equal(u32(b + n - 4), n);
}

/* Walks the options from `at` to the block's trailer: each padded to 4, the last one
 * opt_endofopt. Returns the offset of option `code`'s value, or 0 when absent. */
static size_t find_opt(const uint8_t *b, size_t n, size_t at, uint16_t code, uint16_t *len)
{
  size_t found = 0;
  bool ended = false;
  while (at + 4 <= n - 4) {
    uint16_t c = u16(b + at), l = u16(b + at + 2);
    assert_false(ended); /* nothing after opt_endofopt */
    if (c == 0) {
      assert_int_equal(l, 0);
      ended = true;
    }
    if (c == code && code != 0) {
      found = at + 4;
      *len = l;
    }
    at += 4 + ((l + 3u) & ~3u);
  }
  assert_int_equal(at, n - 4); /* the options fill the block exactly */
  assert_true(ended);
  return found;
}

static void section_header(void **state)
{
  uint8_t b[256];
  size_t n = mcb__pcapng_shb(b, sizeof b, "mcbench 1.2.3"), v;
  uint16_t len;
  int64_t section;
  (void)state;
  assert_framed(b, n, MCB__PCAPNG_SHB);
  assert_int_equal(u32(b + 8), 0x1A2B3C4D);
  assert_int_equal(u16(b + 12), 1);
  assert_int_equal(u16(b + 14), 0);
  memcpy(&section, b + 16, 8);
  assert_true(section == -1);
  v = find_opt(b, n, 24, 4, &len);
  assert_int_equal(len, 13);
  assert_memory_equal(b + v, "mcbench 1.2.3", 13);
  assert_int_equal(b[v + 13], 0); /* padding is zeros */
  /* Without options: no opt_endofopt either (28 bytes, as the format's minimum). */
  assert_int_equal(mcb__pcapng_shb(b, sizeof b, NULL), 28);
}

static void interface_description(void **state)
{
  uint8_t b[256];
  size_t n = mcb__pcapng_idb(b, sizeof b, MCB__LINKTYPE_ETHERNET, 65535, "h1-r1"), v;
  uint16_t len;
  (void)state;
  assert_framed(b, n, MCB__PCAPNG_IDB);
  assert_int_equal(u16(b + 8), 1);
  assert_int_equal(u16(b + 10), 0);
  assert_int_equal(u32(b + 12), 65535);
  v = find_opt(b, n, 16, 2, &len);
  assert_int_equal(len, 5);
  assert_memory_equal(b + v, "h1-r1", 5);
  v = find_opt(b, n, 16, 9, &len);
  assert_int_equal(len, 1);
  assert_int_equal(b[v], 9); /* nanoseconds */
}

/* Every length pads the data to 4 and keeps the flags option aligned after it. */
static void packets_of_every_length(void **state)
{
  uint8_t b[256], data[9];
  uint64_t ts = 0x0123456789abcdefull;
  (void)state;
  for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(0xa0 + i);
  for (uint32_t cap = 0; cap <= sizeof data; cap++) {
    size_t n = mcb__pcapng_epb(b, sizeof b, 0, ts, data, cap, cap + 100, MCB__PCAPNG_OUTBOUND), v;
    uint32_t padded = (cap + 3u) & ~3u, flags;
    uint16_t len;
    assert_framed(b, n, MCB__PCAPNG_EPB);
    assert_int_equal(n, 32 + padded + 12); /* header, data, flags option, endofopt */
    assert_int_equal(u32(b + 8), 0);
    assert_int_equal(u32(b + 12), 0x01234567);
    assert_int_equal(u32(b + 16), 0x89abcdef);
    assert_int_equal(u32(b + 20), cap);
    assert_int_equal(u32(b + 24), cap + 100);
    if (cap > 0) assert_memory_equal(b + 28, data, cap);
    for (uint32_t k = cap; k < padded; k++) assert_int_equal(b[28 + k], 0);
    v = find_opt(b, n, 28 + padded, 2, &len);
    assert_int_equal(len, 4);
    memcpy(&flags, b + v, 4);
    assert_int_equal(flags, MCB__PCAPNG_OUTBOUND);
  }
  /* No flags: no options at all. */
  assert_int_equal(mcb__pcapng_epb(b, sizeof b, 0, ts, data, 3, 3, 0), 32 + 4);
}

static void statistics(void **state)
{
  uint8_t b[256];
  size_t n = mcb__pcapng_isb(b, sizeof b, 0, 5, 1000, 7), v;
  uint16_t len;
  uint64_t x;
  (void)state;
  assert_framed(b, n, MCB__PCAPNG_ISB);
  v = find_opt(b, n, 20, 4, &len);
  assert_int_equal(len, 8);
  memcpy(&x, b + v, 8);
  assert_true(x == 1000);
  v = find_opt(b, n, 20, 5, &len);
  memcpy(&x, b + v, 8);
  assert_true(x == 7);
}

/* One byte short of a block is refused, never half written as a valid block. */
static void short_buffers_are_refused(void **state)
{
  uint8_t b[256], data[5] = {1, 2, 3, 4, 5};
  size_t need[4];
  (void)state;
  need[0] = mcb__pcapng_shb(b, sizeof b, "x");
  need[1] = mcb__pcapng_idb(b, sizeof b, 1, 100, "h1-r1");
  need[2] = mcb__pcapng_epb(b, sizeof b, 0, 1, data, 5, 5, 1);
  need[3] = mcb__pcapng_isb(b, sizeof b, 0, 1, 2, 3);
  for (size_t size = 0; size < need[0]; size++) assert_int_equal(mcb__pcapng_shb(b, size, "x"), 0);
  for (size_t size = 0; size < need[1]; size++)
    assert_int_equal(mcb__pcapng_idb(b, size, 1, 100, "h1-r1"), 0);
  for (size_t size = 0; size < need[2]; size++)
    assert_int_equal(mcb__pcapng_epb(b, size, 0, 1, data, 5, 5, 1), 0);
  for (size_t size = 0; size < need[3]; size++)
    assert_int_equal(mcb__pcapng_isb(b, size, 0, 1, 2, 3), 0);
  assert_int_equal(mcb__pcapng_shb(b, need[0], "x"), need[0]);
}

/* A file as lab capture writes it: a reader hops from block to block by the lengths. */
static void a_file_walks_block_by_block(void **state)
{
  uint8_t f[1024], data[61];
  size_t n = 0, blocks = 0;
  static const uint32_t types[] = {MCB__PCAPNG_SHB, MCB__PCAPNG_IDB, MCB__PCAPNG_EPB,
                                   MCB__PCAPNG_EPB, MCB__PCAPNG_EPB, MCB__PCAPNG_ISB};
  (void)state;
  memset(data, 0x55, sizeof data);
  n += mcb__pcapng_shb(f + n, sizeof f - n, "mcbench");
  n += mcb__pcapng_idb(f + n, sizeof f - n, 1, 65535, "mcb0");
  for (uint32_t len = 59; len <= 61; len++)
    n += mcb__pcapng_epb(f + n, sizeof f - n, 0, len, data, len, len, MCB__PCAPNG_INBOUND);
  n += mcb__pcapng_isb(f + n, sizeof f - n, 0, 9, 3, 0);
  for (size_t at = 0; at < n; blocks++) {
    uint32_t len = u32(f + at + 4);
    assert_true(blocks < 6);
    assert_framed(f + at, len, types[blocks]);
    at += len;
    assert_true(at <= n);
  }
  assert_int_equal(blocks, 6);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(section_header),
      cmocka_unit_test(interface_description),
      cmocka_unit_test(packets_of_every_length),
      cmocka_unit_test(statistics),
      cmocka_unit_test(short_buffers_are_refused),
      cmocka_unit_test(a_file_walks_block_by_block),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
