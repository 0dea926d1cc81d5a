/* error.c - error codes and the message renderer.
 *
 * Codes are libuv's (negative errno plus UV_EAI_*), so one table names and describes
 * them. mcb__fail() keeps the last failure of a bench as "what: why (ENAME)".
 */
#include "internal.h"

#include <stdio.h>

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

void mcb__render(char *buf, size_t size, int code, const char *why, const char *what)
{
  if (why == NULL) why = mcb_strerror(code);
  if (what != NULL && *what != '\0')
    snprintf(buf, size, "%s: %s (%s)", what, why, mcb_err_name(code));
  else
    snprintf(buf, size, "%s (%s)", why, mcb_err_name(code));
}

int mcb__fail(mcb_bench *b, int code, const char *why, const char *what_fmt, ...)
{
  char what[160];
  va_list ap;
  va_start(ap, what_fmt);
  vsnprintf(what, sizeof what, what_fmt, ap);
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
