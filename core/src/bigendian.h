/* bigendian.h - loads and stores of big-endian integers at any alignment, for the wire
 * formats (probe.c, payload.c); compilers turn each into one load and a byte swap. Also
 * the one internal function those two files share. */
#ifndef MCB_BIGENDIAN_H
#define MCB_BIGENDIAN_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t mcb__get16(const uint8_t *p)
{
  return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t mcb__get32(const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t mcb__get64(const uint8_t *p)
{
  return (uint64_t)mcb__get32(p) << 32 | mcb__get32(p + 4);
}

static inline void mcb__put16(uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static inline void mcb__put32(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static inline void mcb__put64(uint8_t *p, uint64_t v)
{
  mcb__put32(p, (uint32_t)(v >> 32));
  mcb__put32(p + 4, (uint32_t)v);
}

/* probe.c's decoder for payload.c: fills every field of `out` from a probe. */
struct mcb_payload_info;
int mcb__probe_detect(const uint8_t *p, size_t len, unsigned check, struct mcb_payload_info *out);

#endif /* MCB_BIGENDIAN_H */
