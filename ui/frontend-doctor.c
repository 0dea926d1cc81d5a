/* frontend-doctor.c - `doctor ADDR [on IFACE] [from ADDR] [wait DUR] [probe]` in the TUI:
 * the same diagnosis as `mcbench doctor`, run on the TUI's loop (its waiting phases are
 * timers, so the screen stays live), then shown in an overlay as the same text. One
 * diagnosis at a time; `doctor off` or closing the TUI cancels it. */
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "values.h"

typedef struct ui_doctor {
  ui *u;
  doc_diagnosis *d;
  bool running;
  char *text; /* the last result, shown by the overlay */
} ui_doctor;

static void on_done(doc_diagnosis *d, void *arg)
{
  ui_doctor *doc = arg;
  ui *u = doc->u;
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  bool stopped = d->cancelled;
  doc->running = false;
  if (f != NULL) {
    doc_write_text(d, f);
    fclose(f);
  }
  doc_free(d);
  free(d);
  doc->d = NULL;
  if (u->closing) { /* cancelled by the TUI closing: nobody to show it to */
    free(text);
    free(doc->text);
    free(doc);
    u->doctor = NULL;
    return;
  }
  free(doc->text);
  doc->text = text;
  u->st.doctor_text = text;
  u->st.doctor_visible = text != NULL;
  u->st.doctor_scroll = 0;
  ui_state_set_status(&u->st, false, "doctor: %s (Esc closes the results)",
                      stopped ? "stopped" : "done");
  u->dirty = true;
}

/* The request from the command's words, as `mcbench doctor` takes them. */
static int request(const scn_command *cmd, doc_request *req, char *why, size_t size)
{
  const scn_token *on = scn_arg(cmd, "on"), *from = scn_arg(cmd, "from"),
                  *wait = scn_arg(cmd, "wait");
  char *argv[5];
  int argc = 0;
  uint64_t ns = 0;
  const char *w;
  argv[argc++] = scn_arg(cmd, "ADDR")->text;
  if (on != NULL) argv[argc++] = "on", argv[argc++] = on->text;
  if (from != NULL) argv[argc++] = "from", argv[argc++] = from->text;
  if (doc_request_parse(req, argc, argv, why, size) != 0) return UV_EINVAL;
  if (wait != NULL) scn_parse_duration(wait->text, &ns, &w); /* checked by the grammar */
  req->wait_ms = scn_ms_ceil(ns);
  req->probe = scn_arg(cmd, "probe") != NULL;
  return 0;
}

int ui_verb_doctor(ui *u, const scn_command *cmd, const char *arg, char *why, size_t size)
{
  ui_doctor *doc = u->doctor;
  if (strcmp(arg, "off") == 0) {
    if (doc == NULL || !doc->running) return 0;
    doc_cancel(doc->d); /* on_done still comes, from the loop */
    return 0;
  }
  if (doc != NULL && doc->running) {
    snprintf(why, size, "a diagnosis is running (doctor off stops it)");
    return UV_EBUSY;
  }
  if (doc == NULL && (doc = u->doctor = calloc(1, sizeof *doc)) == NULL) return UV_ENOMEM;
  doc->u = u;
  if ((doc->d = calloc(1, sizeof *doc->d)) == NULL) return UV_ENOMEM;
  if (request(cmd, &doc->d->req, why, size) != 0 || doc_start(doc->d, u->loop, on_done, doc) != 0) {
    doc_free(doc->d);
    free(doc->d);
    doc->d = NULL;
    return UV_EINVAL;
  }
  doc->running = true;
  ui_state_set_status(&u->st, false, "doctor: checking%s...",
                      doc->d->req.wait_ms ? " and watching the counters" : "");
  return 0;
}

void ui_doctor_close(ui *u)
{
  ui_doctor *doc = u->doctor;
  if (doc == NULL) return;
  u->st.doctor_text = NULL;
  if (doc->running) { /* on_done frees it, from the loop the TUI drains as it closes */
    doc_cancel(doc->d);
    return;
  }
  free(doc->text);
  free(doc);
  u->doctor = NULL;
}
