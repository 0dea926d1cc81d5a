/* fuzz-ctl.h - the terminal-safety property the fuzz targets assert on text meant for a
 * terminal (escaped payloads, diagnostics, formatted addresses): the bytes are valid
 * UTF-8 and hold no C0 control (except those the caller allows, e.g. a diagnostic's
 * newlines), no DEL and no C1 control (U+0080..U+009F). A lone byte 0x80..0x9f is
 * invalid UTF-8, so it is refused too. The decoder is written here again, on purpose,
 * rather than taken from scenarios/escape.c: the property must not trust the code it
 * tests. Header-only: each target is one translation unit.
 */
#ifndef MCB_FUZZ_CTL_H
#define MCB_FUZZ_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Length (1..4) of the valid UTF-8 character at p, with its codepoint; 0 when invalid. */
static inline size_t fuzz_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
  size_t len;
  uint32_t c;
  if (n == 0) return 0;
  if (p[0] < 0x80) {
    *cp = p[0];
    return 1;
  }
  if ((p[0] & 0xe0) == 0xc0)
    len = 2, c = p[0] & 0x1f;
  else if ((p[0] & 0xf0) == 0xe0)
    len = 3, c = p[0] & 0x0f;
  else if ((p[0] & 0xf8) == 0xf0)
    len = 4, c = p[0] & 0x07;
  else
    return 0;
  if (len > n) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    c = (c << 6) | (p[i] & 0x3f);
  }
  if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
      (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
    return 0;
  *cp = c;
  return len;
}

/* Offset of the first byte that breaks the property in p[0..n), or n when none does.
 * `allowed` lists the C0 controls that may appear (e.g. "\n"; "" for none). */
static inline size_t fuzz_ctl_find(const char *text, size_t n, const char *allowed)
{
  const unsigned char *p = (const unsigned char *)text;
  for (size_t i = 0; i < n;) {
    uint32_t cp = 0;
    size_t len = fuzz_utf8(p + i, n - i, &cp);
    if (len == 0) return i; /* invalid, or lone C1 */
    if (cp < 0x20 && (cp == 0 || strchr(allowed, (int)cp) == NULL)) return i; /* C0 */
    if (cp >= 0x7f && cp <= 0x9f) return i;                                   /* DEL, C1 */
    i += len;
  }
  return n;
}

#endif
