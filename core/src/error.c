/* error.c - error codes and the message renderer.
 *
 * Codes are libuv's (negative errno plus UV_EAI_*), so one table names and describes
 * them. mcb__fail() keeps the last failure of a bench as "what: why (ENAME)"; mcb_msgf()
 * formats every message and marks a cut one with "...".
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

const char *mcb_err_name(int code)
{
  if (code == 0) return "OK";
  return uv_err_name(code);
}

const char *mcb_strerror(int code)
{
  if (code == 0) return "success";
  return uv_strerror(code);
}

bool mcb_vmsgf(char *buf, size_t size, const char *fmt, va_list ap)
{
  static const char mark[] = "...";
  size_t end, m;
  int n;
  if (size == 0) return true;
  n = vsnprintf(buf, size, fmt, ap);
  if (n < 0) {
    buf[0] = '\0';
    return true;
  }
  if ((size_t)n < size) return false;
  /* Where the mark starts, keeping whole UTF-8 sequences; a buffer too small for the
   * whole mark (the tail of a longer one) gets as many dots as fit. */
  end = size < sizeof mark ? 0 : size - sizeof mark;
  while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80) end--;
  m = size - 1 - end < sizeof mark - 1 ? size - 1 - end : sizeof mark - 1;
  memcpy(buf + end, mark, m);
  buf[end + m] = '\0';
  return true;
}

bool mcb_msgf(char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  bool cut;
  va_start(ap, fmt);
  cut = mcb_vmsgf(buf, size, fmt, ap);
  va_end(ap);
  return cut;
}

void mcb__render(char *buf, size_t size, int code, const char *why, const char *what)
{
  if (why == NULL) why = mcb_strerror(code);
  if (what != NULL && *what != '\0')
    mcb_msgf(buf, size, "%s: %s (%s)", what, why, mcb_err_name(code));
  else
    mcb_msgf(buf, size, "%s (%s)", why, mcb_err_name(code));
}

int mcb__fail(mcb_bench *b, int code, const char *why, const char *what_fmt, ...)
{
  char what[MCB_MSG_MAX];
  va_list ap;
  va_start(ap, what_fmt);
  mcb_vmsgf(what, sizeof what, what_fmt, ap);
  va_end(ap);
  if (b != NULL) {
    b->last_code = code;
    mcb__render(b->last_error, sizeof b->last_error, code, why, what);
  }
  return code;
}

const char *mcb_last_error(const mcb_bench *bench)
{
  return bench->last_error;
}

int mcb_last_error_code(const mcb_bench *bench)
{
  return bench->last_code;
}
