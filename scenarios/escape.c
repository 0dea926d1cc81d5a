/* escape.c - terminal-safe rendering of untrusted bytes (see escape.h); shared by the
 * TUI, diagnostics and reports, so every path to a terminal escapes the same way. */
#include "escape.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

size_t scn_utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
  uint32_t c;
  size_t len;
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
  /* overlong forms, surrogates and values past Unicode are invalid */
  if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
      (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
    return 0;
  *cp = c;
  return len;
}

size_t scn_utf8_encode(uint32_t cp, char *b)
{
  if (cp < 0x80) {
    b[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    b[0] = (char)(0xc0 | (cp >> 6));
    b[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    b[0] = (char)(0xe0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    b[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  b[0] = (char)(0xf0 | (cp >> 18));
  b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
  b[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Characters that are printable by wcwidth() yet reorder or hide text. */
static bool deceptive(uint32_t cp)
{
  return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || cp == 0x00ad ||
         (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

int scn_char_width(uint32_t cp)
{
  int w;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || deceptive(cp)) return 0;
  if (cp < 0x7f) return 1;
  w = wcwidth((wchar_t)cp);
  return (w == 1 || w == 2) ? w : 0;
}

int scn_escape(const uint8_t *p, size_t n, bool utf8, char *out, size_t outsize, int max_cols,
               size_t *consumed)
{
  size_t i = 0, o = 0;
  int cols = 0;
  if (outsize == 0) return 0;
  while (i < n) {
    char piece[16];
    size_t plen, used = 1;
    int w;
    uint32_t cp = p[i];
    size_t clen = (utf8 && p[i] >= 0x80) ? scn_utf8_decode(p + i, n - i, &cp) : 1;

    if (clen > 0 && cp != '\\' && (w = scn_char_width(cp)) > 0 && (utf8 || cp < 0x80)) {
      plen = scn_utf8_encode(cp, piece);
      used = clen;
    } else if (clen > 1) { /* valid but unsafe to show: name it */
      plen = (size_t)snprintf(piece, sizeof piece, "\\u{%x}", cp);
      w = (int)plen;
      used = clen;
    } else {
      switch (p[i]) {
      case '\n':
        plen = (size_t)snprintf(piece, sizeof piece, "\\n");
        break;
      case '\t':
        plen = (size_t)snprintf(piece, sizeof piece, "\\t");
        break;
      case '\r':
        plen = (size_t)snprintf(piece, sizeof piece, "\\r");
        break;
      case '\\':
        plen = (size_t)snprintf(piece, sizeof piece, "\\\\");
        break;
      default:
        plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", p[i]);
        break;
      }
      w = (int)plen;
    }
    if (o + plen + 1 > outsize || (max_cols > 0 && cols + w > max_cols)) break;
    memcpy(out + o, piece, plen);
    o += plen;
    cols += w;
    i += used;
  }
  out[o] = '\0';
  if (consumed) *consumed = i;
  return cols;
}

int scn_escape_text(const char *p, size_t n, bool utf8, char *out, size_t outsize, int max_cols)
{
  size_t o = 0, i = 0;
  int cols = 0;
  if (outsize == 0) return 0;
  out[0] = '\0';
  while (i < n && (max_cols <= 0 || cols < max_cols)) {
    size_t run = 0, used = 0;
    while (i + run < n && p[i + run] != '\\') run++;
    cols += scn_escape((const uint8_t *)p + i, run, utf8, out + o, outsize - o,
                       max_cols > 0 ? max_cols - cols : 0, &used);
    o += strlen(out + o);
    i += used;
    if (used < run || i == n || o + 2 > outsize || (max_cols > 0 && cols >= max_cols)) break;
    out[o++] = '\\'; /* the backslash that starts an escape made earlier */
    out[o] = '\0';
    cols++;
    i++;
  }
  return cols;
}
