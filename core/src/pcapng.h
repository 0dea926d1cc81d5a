/* pcapng.h - the few pcapng blocks a capture file needs (internal; pcapng.c).
 *
 * pcapng (draft-ietf-opsawg-pcapng) is a sequence of blocks, each framed by its type, its
 * total length (a multiple of 4) and the same length again at its end; options are
 * (code, length, value padded to 4) and end with code 0. A file is one Section Header
 * Block, one Interface Description Block per interface, then one Enhanced Packet Block
 * per packet. Blocks are written in host byte order: the section's byte-order magic
 * tells readers (Wireshark, tshark) which one it is.
 *
 * Each function encodes one block into buf and returns its length, or 0 when it does
 * not fit in `size` bytes (nothing useful is written then). No I/O, no allocation.
 */
#ifndef MCB_PCAPNG_H
#define MCB_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

#define MCB__PCAPNG_SHB 0x0A0D0D0Au
#define MCB__PCAPNG_IDB 0x00000001u
#define MCB__PCAPNG_EPB 0x00000006u
#define MCB__PCAPNG_ISB 0x00000005u

#define MCB__LINKTYPE_ETHERNET 1

/* EPB flags (epb_flags): the direction of the packet. */
#define MCB__PCAPNG_INBOUND  1u
#define MCB__PCAPNG_OUTBOUND 2u

/* Section Header Block: version 1.0, section length unknown (-1), shb_userappl `appl`
 * (NULL: none). */
size_t mcb__pcapng_shb(uint8_t *buf, size_t size, const char *appl);
/* Interface Description Block: link type, snap length, if_name (NULL: none) and
 * if_tsresol 9 (timestamps in nanoseconds). */
size_t mcb__pcapng_idb(uint8_t *buf, size_t size, uint16_t linktype, uint32_t snaplen,
                       const char *ifname);
/* Enhanced Packet Block for interface `ifid`: `caplen` bytes of `data` (of a packet of
 * `origlen` bytes) at `ts_ns` nanoseconds since the epoch, with epb_flags `flags` when
 * not 0. */
size_t mcb__pcapng_epb(uint8_t *buf, size_t size, uint32_t ifid, uint64_t ts_ns, const void *data,
                       uint32_t caplen, uint32_t origlen, uint32_t flags);
/* Interface Statistics Block for `ifid` at `ts_ns`: isb_ifrecv `received` and
 * isb_ifdrop `dropped` (packets the kernel could not hand to the capture). */
size_t mcb__pcapng_isb(uint8_t *buf, size_t size, uint32_t ifid, uint64_t ts_ns, uint64_t received,
                       uint64_t dropped);

#endif
