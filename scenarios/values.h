/* values.h - the typed values of the scenario language: durations, numbers, payloads,
 * comparison operators, error-code names and address syntax. Each parser returns 0 or
 * a negative code and, on error, a short reason for the diagnostic. */
#ifndef SCN_VALUES_H
#define SCN_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mcb.h"

#define SCN_MAX_PAYLOAD (1u << 20) /* size:N and hex: payloads */

/* "500us", "100ms", "1.5s", "2m" -> nanoseconds (at most 24 hours). */
int scn_parse_duration(const char *text, uint64_t *ns, const char **why);
/* Formats nanoseconds the way a user would write them: "1.5s", "100ms", "2m". */
void scn_format_duration(uint64_t ns, char *buf, size_t size);
/* A measured delay as people read it, signed: 85us, 1.25ms, 2.50s, -3us (clocks apart). */
void scn_format_delay(double ns, char *buf, size_t size);
/* Nanoseconds as whole milliseconds, rounded up: the one rounding of durations, so a
 * libuv timer started with it never fires before the duration has passed. */
uint64_t scn_ms_ceil(uint64_t ns);

int scn_parse_int(const char *text, int64_t min, int64_t max, int64_t *out, const char **why);

typedef enum scn_op { SCN_OP_EQ, SCN_OP_NE, SCN_OP_LT, SCN_OP_LE, SCN_OP_GT, SCN_OP_GE } scn_op;
int scn_parse_op(const char *text, scn_op *op);
const char *scn_op_text(scn_op op);
bool scn_op_holds(scn_op op, int64_t actual, int64_t expected);

/* Payload: a quoted "text" (or a bare word) as is, hex:48656c6c6f, or size:N (a fill
 * pattern). *data is malloc'ed (free it); may be NULL when *len is 0. */
int scn_parse_payload(const char *text, size_t len, bool quoted, uint8_t **data, size_t *out_len,
                      const char **why);
/* The pattern of size:N: byte i is 'a' + i % 26. */
void scn_fill_pattern(uint8_t *buf, size_t len);

/* "EACCES" -> UV_EACCES (any libuv error name, "E" optional for EAI_*). */
int scn_parse_errcode(const char *text, int *code);
/* The nearest known error name to a misspelt one, or NULL. */
const char *scn_suggest_errcode(const char *text);

/* Syntax only (no lookups): true when the text has the shape of the value. */
bool scn_is_identifier(const char *text);   /* [A-Za-z_][A-Za-z0-9_.-]* up to 31 chars */
bool scn_is_numeric_host(const char *text); /* IPv4 or IPv6 literal, IPv6 may carry %scope */
bool scn_is_endpoint(const char *text, const char **why);    /* bind: [ADDR]:PORT or a path */
bool scn_is_destination(const char *text, const char **why); /* send: HOST:PORT or a path */
bool scn_is_peer_filter(const char *text, const char **why); /* from: ADDR[:PORT] or a path */

/* The payload keyword `probe` (unquoted): mcbench's probe header and fill, written per
 * datagram (docs/probe-format.md). */
bool scn_is_probe_payload(const char *text, bool quoted);

/* A percentage as scn_parse_percent reads it -> parts per million, 0..1000000. */
int scn_parse_ppm(const char *text, uint32_t *ppm, const char **why);
/* "1200" or "64..1400" -> a length or a range of lengths, lo <= hi <= max. */
int scn_parse_size_range(const char *text, size_t max, size_t *lo, size_t *hi, const char **why);
/* A positive rate ("1000", "2.5") in `unit` (pps, kbps, Mbps: bits of payload per second
 * over datagrams of avg_bytes) -> datagrams per second. */
int scn_parse_rate(const char *num, const char *unit, double avg_bytes, double *pps,
                   const char **why);

/* Address ranges: "239.1.1.1..239.1.1.200", "ff05::1..ff05::20" (IPv6 ranges vary in
 * the low 64 bits), and with a port for send "239.1.1.1..239.1.1.200:5000",
 * "[ff05::1]..[ff05::20]:5000"; a single address is a range of one. At most
 * SCN_MAX_RANGE addresses. */
#define SCN_MAX_RANGE 65536
bool scn_is_range(const char *text);
int scn_parse_range(const char *text, bool with_port, mcb_addr *first, uint64_t *count,
                    const char **why);
/* The i-th address of a range (the port of the first). */
void scn_range_at(const mcb_addr *first, uint64_t i, mcb_addr *out);

/* 0..15 for a hex digit, -1 otherwise. */
int scn_hexdigit(char c);

/* "5%", "0.5%", "12.5" -> a percentage 0..100 (the % sign is optional). */
int scn_parse_percent(const char *text, double *out, const char **why);
/* Compares doubles as scn_op_holds compares integers. */
bool scn_op_holds_double(scn_op op, double actual, double expected);

/* Edit distance, for "did you mean". */
unsigned scn_edit_distance(const char *a, const char *b);

#endif
