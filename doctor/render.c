/* render.c - the doctor's output: text for a terminal, JSON for machines.
 *
 * Interface names, addresses and counters come from the kernel and the user; every
 * string goes through the escaper (text) or the JSON writer (JSON) before it is written.
 */
#include "internal.h"

#include "escape.h"
#include "json.h"

#include <string.h>

static void put_escaped(FILE *out, const char *s)
{
  char buf[DOC_TEXT_MAX * 4 + 1];
  scn_escape((const uint8_t *)s, strlen(s), false, buf, sizeof buf, 0, NULL);
  fputs(buf, out);
}

static void counts(const doc_diagnosis *d, FILE *out)
{
  unsigned n[DOC_FAIL + 1] = {0};
  for (unsigned i = 0; i < d->count; i++) n[d->results[i].status]++;
  fprintf(out, "%u fail, %u warn, %u pass, %u info, %u skip", n[DOC_FAIL], n[DOC_WARN], n[DOC_PASS],
          n[DOC_INFO], n[DOC_SKIP]);
}

void doc_write_text(const doc_diagnosis *d, FILE *out)
{
  const doc_result *v = doc_verdict(d);
  for (unsigned i = 0; i < d->count; i++) {
    const doc_result *r = &d->results[i];
    fprintf(out, "%-4s %-12s ", doc_status_name(r->status), r->id);
    put_escaped(out, r->summary);
    fputc('\n', out);
    for (unsigned e = 0; e < r->nevidence; e++) {
      fputs("     evidence: ", out);
      put_escaped(out, r->evidence[e]);
      fputc('\n', out);
    }
    if (r->fix[0] != '\0' && r->status >= DOC_WARN) {
      fputs("     fix: ", out);
      put_escaped(out, r->fix);
      fputc('\n', out);
    }
  }
  fputs("verdict: ", out);
  if (v != NULL) {
    fprintf(out, "%s [%s] ", doc_status_name(v->status), v->id);
    put_escaped(out, v->summary);
  } else if (doc_exit_status(d) == DOC_EXIT_INCONCLUSIVE) {
    fputs("inconclusive: nothing wrong found on this host, yet no multicast arrived", out);
  } else {
    fputs("nothing wrong found", out);
  }
  fputs(" (", out);
  counts(d, out);
  fputs(")\n", out);
}

static void json_result(const doc_result *r, FILE *out)
{
  fputs("{\"check\": ", out);
  scn_json_str(out, r->id);
  fputs(", \"status\": ", out);
  scn_json_str(out, doc_status_name(r->status));
  fputs(", \"summary\": ", out);
  scn_json_str(out, r->summary);
  fputs(", \"evidence\": [", out);
  for (unsigned e = 0; e < r->nevidence; e++) {
    if (e > 0) fputs(", ", out);
    scn_json_str(out, r->evidence[e]);
  }
  fputs("], \"fix\": ", out);
  scn_json_str(out, r->fix);
  fputc('}', out);
}

void doc_write_json(const doc_diagnosis *d, FILE *out)
{
  const doc_result *v = doc_verdict(d);
  fputs("{\"checks\": [", out);
  for (unsigned i = 0; i < d->count; i++) {
    fputs(i > 0 ? ",\n  " : "\n  ", out);
    json_result(&d->results[i], out);
  }
  fputs("],\n \"verdict\": ", out);
  scn_json_str(out, v != NULL ? v->id : "");
  fprintf(out, ", \"exit\": %d}\n", doc_exit_status(d));
}
