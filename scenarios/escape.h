/* escape.h - makes untrusted bytes safe to show on a terminal.
 *
 * Payloads come from the network: an attacker's datagram must not move the cursor,
 * change colours or set the window title. Printable ASCII passes; with utf8 on, valid
 * UTF-8 of width 1 or 2 passes too. Everything else (control bytes, C1 controls, bidi
 * and zero-width format characters, combining marks, invalid or overlong UTF-8) becomes
 * a visible escape: \n \t \r \\ \xNN or \u{NNNN}.
 */
#ifndef SCN_ESCAPE_H
#define SCN_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Escapes n bytes into out (NUL-terminated UTF-8, truncated on a character boundary at
 * outsize or after max_cols display columns; max_cols 0: no limit). Returns the number
 * of columns written. *consumed (may be NULL) gets the input bytes used. */
int scn_escape(const uint8_t *p, size_t n, bool utf8, char *out, size_t outsize, int max_cols,
               size_t *consumed);

/* As scn_escape, except that a backslash stays one: for text whose escapes are already
 * done, such as messages that quote addresses from mcb_addr_format ("@a\x1b") or
 * commands from scn_command_text, mixed with raw bytes that still need escaping.
 * Escaping such text with scn_escape would show "\\x1b". */
int scn_escape_text(const char *p, size_t n, bool utf8, char *out, size_t outsize, int max_cols);

/* Display width of a codepoint that scn_escape lets through (1 or 2), 0 otherwise. */
int scn_char_width(uint32_t cp);

/* Decodes one UTF-8 character; returns its length (1..4), or 0 when invalid (overlong,
 * surrogate, out of range or truncated). */
size_t scn_utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);
/* Encodes cp; returns the length (1..4). buf needs 4 bytes. */
size_t scn_utf8_encode(uint32_t cp, char *buf);

#endif
