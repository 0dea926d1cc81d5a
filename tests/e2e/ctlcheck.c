/* ctlcheck.c - reads files (or stdin) and fails when a terminal control reaches them:
 * any C0 control byte but newline and tab, DEL, a C1 control written as UTF-8
 * (U+0080..U+009F) or a lone byte 0x80..0x9f outside a valid UTF-8 sequence. Used by
 * injection.sh to prove that hostile scenario text never reaches a terminal raw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-ctl.h" /* the same independent UTF-8 decoder as the fuzz targets */

static void context(const char *name, const unsigned char *p, size_t n, size_t at, const char *why)
{
  size_t from = at > 40 ? at - 40 : 0, to = at + 40 < n ? at + 40 : n;
  fprintf(stderr, "%s: byte %zu: %s, near: ", name, at, why);
  for (size_t i = from; i < to; i++)
    fprintf(stderr, p[i] >= 0x20 && p[i] < 0x7f ? "%c" : "\\x%02x", p[i]);
  fputc('\n', stderr);
}

/* Returns the number of controls found. */
static int check(const char *name, const unsigned char *p, size_t n)
{
  int bad = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp = p[i];
    size_t len = p[i] >= 0x80 ? fuzz_utf8(p + i, n - i, &cp) : 1;
    const char *why = NULL;
    if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t')
      why = "C0 control";
    else if (p[i] == 0x7f)
      why = "DEL";
    else if (len > 1 && cp >= 0x80 && cp <= 0x9f)
      why = "C1 control as UTF-8";
    else if (len == 0 && p[i] >= 0x80 && p[i] <= 0x9f)
      why = "lone C1 byte";
    if (why != NULL && bad++ < 5) context(name, p, n, i, why);
    i += len > 0 ? len : 1;
  }
  return bad;
}

static int check_file(const char *name, FILE *f)
{
  unsigned char *data = NULL;
  size_t n = 0, cap = 0, r;
  int bad;
  do {
    if (n == cap && (data = realloc(data, cap = cap ? cap * 2 : 65536)) == NULL) {
      perror("ctlcheck");
      exit(2);
    }
    r = fread(data + n, 1, cap - n, f);
    n += r;
  } while (r > 0);
  bad = check(name, data, n);
  free(data);
  return bad;
}

int main(int argc, char **argv)
{
  int bad = 0;
  if (argc < 2) return check_file("stdin", stdin) ? 1 : 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (f == NULL) {
      perror(argv[i]);
      return 2;
    }
    bad += check_file(argv[i], f);
    fclose(f);
  }
  return bad ? 1 : 0;
}
