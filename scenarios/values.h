/* values.h - the typed values of the scenario language: durations, numbers, payloads,
 * comparison operators, error-code names and address syntax. Each parser returns 0 or
 * a negative code and, on error, a short reason for the diagnostic. */
#ifndef SCN_VALUES_H
#define SCN_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_MAX_PAYLOAD (1u << 20) /* size:N and hex: payloads */

/* "500us", "100ms", "1.5s", "2m" -> nanoseconds (at most 24 hours). */
int scn_parse_duration(const char *text, uint64_t *ns, const char **why);
/* Formats nanoseconds the way a user would write them: "1.5s", "100ms", "2m". */
void scn_format_duration(uint64_t ns, char *buf, size_t size);

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

/* 0..15 for a hex digit, -1 otherwise. */
int scn_hexdigit(char c);

/* Edit distance, for "did you mean". */
unsigned scn_edit_distance(const char *a, const char *b);

/* "5%", "0.5%", "100%": a share in parts per million (0..1000000), at most 4 decimals.
 * UV_EINVAL with the reason in *why. */
int scn_parse_percent(const char *text, unsigned *ppm, const char **why);

#endif
