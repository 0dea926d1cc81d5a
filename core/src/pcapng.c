/* pcapng.c - encodes the pcapng blocks of a capture file (see pcapng.h). A block is
 * built in place: header, body, options, then both length fields once the size is
 * known; every write is checked against the caller's buffer first. */
#include "pcapng.h"

#include <string.h>

/* A block being built: `len` bytes written so far into buf[0..size). */
typedef struct block {
  uint8_t *buf;
  size_t size, len;
  int full; /* something did not fit: the block is not valid */
} block;

static size_t pad4(size_t n)
{
  return (n + 3) & ~(size_t)3;
}

static void put(block *b, const void *data, size_t n)
{
  if (b->full || n > b->size - b->len) {
    b->full = 1;
    return;
  }
  if (n > 0) memcpy(b->buf + b->len, data, n);
  b->len += n;
}

static void put_u16(block *b, uint16_t v)
{
  put(b, &v, sizeof v);
}

static void put_u32(block *b, uint32_t v)
{
  put(b, &v, sizeof v);
}

/* Zero bytes up to the next multiple of 4. */
static void put_pad(block *b)
{
  static const uint8_t zero[4];
  put(b, zero, pad4(b->len) - b->len);
}

/* An option: code, length, value, padding. Values longer than an option can say are
 * cut (names are short: interface names, the program's name). */
static void put_opt(block *b, uint16_t code, const void *value, size_t n)
{
  if (n > 0xfff0) n = 0xfff0;
  put_u16(b, code);
  put_u16(b, (uint16_t)n);
  put(b, value, n);
  put_pad(b);
}

static void start(block *b, uint8_t *buf, size_t size, uint32_t type)
{
  b->buf = buf;
  b->size = size;
  b->len = 0;
  b->full = 0;
  put_u32(b, type);
  put_u32(b, 0); /* total length, set by finish() */
}

/* Ends the options and writes the total length at both ends. */
static size_t finish(block *b, int options)
{
  uint32_t total;
  if (options) put_opt(b, 0, NULL, 0); /* opt_endofopt */
  put_u32(b, 0);                       /* trailing total length */
  if (b->full || b->len > UINT32_MAX) return 0;
  total = (uint32_t)b->len;
  memcpy(b->buf + 4, &total, 4);
  memcpy(b->buf + b->len - 4, &total, 4);
  return b->len;
}

size_t mcb__pcapng_shb(uint8_t *buf, size_t size, const char *appl)
{
  block b;
  int64_t unknown = -1;
  start(&b, buf, size, MCB__PCAPNG_SHB);
  put_u32(&b, 0x1A2B3C4Du); /* byte-order magic, in our order */
  put_u16(&b, 1);           /* major version */
  put_u16(&b, 0);           /* minor version */
  put(&b, &unknown, sizeof unknown);
  if (appl != NULL) put_opt(&b, 4, appl, strlen(appl)); /* shb_userappl */
  return finish(&b, appl != NULL);
}

size_t mcb__pcapng_idb(uint8_t *buf, size_t size, uint16_t linktype, uint32_t snaplen,
                       const char *ifname)
{
  block b;
  uint8_t tsresol = 9; /* 10^-9 s */
  start(&b, buf, size, MCB__PCAPNG_IDB);
  put_u16(&b, linktype);
  put_u16(&b, 0); /* reserved */
  put_u32(&b, snaplen);
  if (ifname != NULL) put_opt(&b, 2, ifname, strlen(ifname)); /* if_name */
  put_opt(&b, 9, &tsresol, 1);                                /* if_tsresol */
  return finish(&b, 1);
}

size_t mcb__pcapng_epb(uint8_t *buf, size_t size, uint32_t ifid, uint64_t ts_ns, const void *data,
                       uint32_t caplen, uint32_t origlen, uint32_t flags)
{
  block b;
  start(&b, buf, size, MCB__PCAPNG_EPB);
  put_u32(&b, ifid);
  put_u32(&b, (uint32_t)(ts_ns >> 32));
  put_u32(&b, (uint32_t)ts_ns);
  put_u32(&b, caplen);
  put_u32(&b, origlen);
  put(&b, data, caplen);
  put_pad(&b);
  if (flags != 0) put_opt(&b, 2, &flags, sizeof flags); /* epb_flags */
  return finish(&b, flags != 0);
}

size_t mcb__pcapng_isb(uint8_t *buf, size_t size, uint32_t ifid, uint64_t ts_ns, uint64_t received,
                       uint64_t dropped)
{
  block b;
  start(&b, buf, size, MCB__PCAPNG_ISB);
  put_u32(&b, ifid);
  put_u32(&b, (uint32_t)(ts_ns >> 32));
  put_u32(&b, (uint32_t)ts_ns);
  put_opt(&b, 4, &received, sizeof received); /* isb_ifrecv */
  put_opt(&b, 5, &dropped, sizeof dropped);   /* isb_ifdrop */
  return finish(&b, 1);
}
