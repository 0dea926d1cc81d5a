/* fuzz-escape.c - libFuzzer target for the terminal escaper (scenarios/escape.c), the
 * one gate between untrusted bytes (payloads, addresses, scenario text) and a terminal.
 *
 * Input: byte 0 holds flags (bit 0: UTF-8 mode), byte 1 the column limit (0: none),
 * bytes 2-3 the output buffer size (0..4095); the rest is the text to escape. Runs in
 * the C.UTF-8 locale, so wide and non-ASCII characters are reached. It checks:
 * - no C0 control (the escaper lets none through, not even a newline), no DEL, no C1
 *   (U+0080..U+009F or a lone 0x80..0x9f byte) and no invalid UTF-8 ever comes out;
 *   without UTF-8 mode, only printable ASCII; with it, no character of width other than
 *   1 or 2, and no bidi or zero-width format character;
 * - the columns returned are the columns written, never more than the limit, and the
 *   output (with its NUL) fits its buffer;
 * - it stops early only when the next escape (at most 10 bytes, "\u{10ffff}") might not
 *   fit, and what it wrote is what the consumed prefix escapes to without limits;
 * - escapes are reversible: unescaping the output gives back the consumed bytes, so
 *   two different inputs never look the same;
 * - scn_utf8_decode and scn_utf8_encode agree on every valid character.
 */
#include "escape.h"
#include "fuzz-ctl.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  if (setlocale(LC_ALL, "C.UTF-8") == NULL) abort();
  return 0;
}

/* Bidi controls and invisible format characters, listed here apart from escape.c. */
static bool format_char(uint32_t cp)
{
  return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff || cp == 0x00ad || cp == 0x061c;
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* The inverse of the escaper. Returns the bytes written to out, or -1 when malformed. */
static long unescape(const char *s, uint8_t *out)
{
  size_t o = 0;
  while (*s) {
    if (*s != '\\') {
      out[o++] = (uint8_t)*s++;
      continue;
    }
    s++;
    if (*s == 'n' || *s == 't' || *s == 'r' || *s == '\\') {
      out[o++] = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : '\\';
      s++;
    } else if (*s == 'x' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
      out[o++] = (uint8_t)(hexval(s[1]) * 16 + hexval(s[2]));
      s += 3;
    } else if (s[0] == 'u' && s[1] == '{') {
      uint32_t cp = 0;
      s += 2;
      for (int d = 0; hexval(*s) >= 0 && d < 7; d++) cp = cp << 4 | (uint32_t)hexval(*s++);
      if (*s++ != '}' || cp > 0x10ffff) return -1;
      o += scn_utf8_encode(cp, (char *)out + o);
    } else {
      return -1;
    }
  }
  return (long)o;
}

static void check_utf8(const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    uint32_t cp, cp2;
    char enc[4];
    size_t len = scn_utf8_decode(p + i, n - i, &cp);
    if (len != fuzz_utf8(p + i, n - i, &cp2)) abort();
    if (len == 0) continue;
    if (cp != cp2 || scn_utf8_encode(cp, enc) != len || memcmp(enc, p + i, len) != 0) abort();
    int w = scn_char_width(cp);
    if (w < 0 || w > 2 || (w > 0 && (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)))) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char out[4096], again[4096 * 10 + 1];
  static uint8_t back[4096 * 10];
  if (size < 4) return 0;
  bool utf8 = data[0] & 1;
  int max_cols = data[1];
  size_t outsize = ((size_t)data[2] << 8 | data[3]) % sizeof out;
  size_t n = size - 4, used = 0;
  /* an exact-size copy, so that reading one byte too far is caught */
  uint8_t *p = malloc(n ? n : 1);
  if (p == NULL) return 0;
  memcpy(p, data + 4, n);

  check_utf8(p, n);
  memset(out, 0x55, sizeof out);
  int cols = scn_escape(p, n, utf8, out, outsize, max_cols, &used);
  if (outsize == 0) {
    if (cols != 0 || out[0] != 0x55) abort();
    free(p);
    return 0;
  }
  size_t len = strnlen(out, outsize);
  if (len >= outsize || used > n || cols < 0) abort();
  if (max_cols > 0 && cols > max_cols) abort();

  /* terminal-safe, and the columns add up */
  if (fuzz_ctl_find(out, len, "") != len) abort();
  int width = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t l = fuzz_utf8((const uint8_t *)out + i, len - i, &cp);
    if (cp >= 0x80) {
      int w = wcwidth((wchar_t)cp);
      if (!utf8 || (w != 1 && w != 2) || format_char(cp)) abort();
      width += w;
    } else {
      width++;
    }
    i += l;
  }
  if (width != cols) abort();

  /* stops early only when full; the output is the prefix's whole escape, reversibly */
  if (used < n && len + 10 + 1 <= outsize && (max_cols == 0 || cols + 10 <= max_cols)) abort();
  size_t used2 = 0;
  int cols2 = scn_escape(p, used, utf8, again, sizeof again, 0, &used2);
  if (used2 != used || cols2 != cols || strcmp(again, out) != 0) abort();
  long b = unescape(out, back);
  if (b != (long)used || memcmp(back, p, used) != 0) abort();
  free(p);
  return 0;
}
