/* ui.c - the front end's wiring: the session, the terminal, the input and signal
 * handles and the throttled redraw. Socket events and command results only change state
 * and mark it dirty; a timer paints at most 30 times a second. */
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "model-session.h"

#define FRAME_MS        33
#define IDLE_REFRESH_NS 1000000000ull /* rates and "last seen" age even without events */
#define KEYS_PER_WAKEUP 256

/* ---- what the session reports ---- */

static bool from_operator(const scn_command *cmd)
{
  return cmd->src != NULL && cmd->src->name[0] == '<';
}

static void on_command(void *arg, const scn_command *cmd)
{
  ui *u = arg;
  char text[512];
  scn_command_text(cmd, text, sizeof text);
  if (from_operator(cmd)) {
    if (!(cmd->entry->flags & SCN_F_IMMEDIATE)) ui_record_command(&u->rec, text, uv_hrtime());
  } else {
    ui_state_set_status(&u->st, false, "line %u: %s", cmd->line, text);
  }
  u->dirty = true;
}

static void on_error(void *arg, const scn_diag *d)
{
  ui *u = arg;
  char text[512];
  if (d->src == NULL || d->src->name[0] == '<') {
    ui_state_set_status(&u->st, true, "error: %s", d->message);
    ui_record_error(&u->rec, d->code);
  } else {
    scn_diag_format(d, text, sizeof text);
    ui_state_set_status(&u->st, true, "%s", text);
  }
  u->dirty = true;
}

static void on_result(void *arg, const scn_result *r)
{
  ui *u = arg;
  ui_state_add_result(&u->st, r->text, r->passed);
  if (!r->passed && !u->st.first_failure[0]) {
    const char *base = strrchr(r->file, '/');
    snprintf(u->st.first_failure, sizeof u->st.first_failure, "%s:%u: %s: expected %s, got %s",
             base ? base + 1 : r->file, r->line, r->text, r->expected, r->actual);
  }
  if (r->passed)
    ui_state_set_status(&u->st, false, "PASS %s", r->text);
  else
    ui_state_set_status(&u->st, true, "FAIL %s: expected %s, got %s", r->text, r->expected,
                        r->actual);
  u->dirty = true;
}

static void on_note(void *arg, const scn_command *cmd, const char *text)
{
  ui *u = arg;
  if (from_operator(cmd) || !u->st.playing) ui_state_set_status(&u->st, false, "%s", text);
  u->dirty = true;
}

static void on_say(void *arg, const scn_command *cmd, const char *text)
{
  ui *u = arg;
  snprintf(u->st.narration, sizeof u->st.narration, "%s", text);
  u->dirty = true;
}

static void on_pause(void *arg, const scn_command *cmd, const char *text)
{
  ui *u = arg;
  u->st.play_paused = true;
  ui_state_set_status(&u->st, false, "paused%s%s (Space or Enter continues)", text[0] ? ": " : "",
                      text);
  u->dirty = true;
}

static void on_done(void *arg, const scn_summary *sum)
{
  ui *u = arg;
  if (!u->st.playing) return;
  u->play_done = true;
  u->play_sum = *sum;
  u->st.play_ended = true;
  u->st.play_paused = false;
  ui_state_set_status(&u->st, sum->failed || sum->errors,
                      "scenario %s: %zu passed, %zu failed, %zu errors%s%s (q quits)",
                      sum->stopped ? "stopped" : "finished", sum->passed, sum->failed, sum->errors,
                      u->st.first_failure[0] ? "; first failure: " : "", u->st.first_failure);
  u->dirty = true;
}

static void on_bench_event(const mcb_event *ev, void *arg)
{
  ((ui *)arg)->dirty = true; /* never draw from a socket callback */
}

/* ---- painting ---- */

/* Lays the screen out again, so key handlers act on what the next frame will show
 * (not on a frame painted before the last command). */
void ui_relayout(ui *u)
{
  int w, h;
  tui_size(u->term, &w, &h);
  if (w != u->canvas.w || h != u->canvas.h) {
    ui_canvas_free(&u->canvas);
    if (ui_canvas_init(&u->canvas, w, h) != 0) return;
  }
  {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    u->st.now_real_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  }
  ui_render(&u->st, &u->src, &u->canvas, u->lay);
}

static void paint(ui *u)
{
  ui_relayout(u);
  tui_draw(u->term, &u->canvas, u->st.prompt_active ? u->lay->prompt.x : -1,
           u->st.prompt_active ? u->lay->prompt.y : -1);
  u->dirty = false;
  u->last_paint = uv_hrtime();
}

static void on_frame(uv_timer_t *t)
{
  ui *u = t->data;
  if (u->closing) return;
  /* Without events only rates and ages change, and only where peers are shown. */
  if (u->dirty || (u->lay->npeers > 0 && uv_hrtime() - u->last_paint > IDLE_REFRESH_NS)) paint(u);
}

/* ---- input and signals ---- */

static void on_input(uv_poll_t *p, int status, int events)
{
  ui *u = p->data;
  for (int i = 0; i < KEYS_PER_WAKEUP && !u->closing; i++) {
    int key = tui_key(u->term);
    if (key < 0) break;
    ui_handle_key(u, key);
  }
}

static void on_signal(uv_signal_t *s, int signum)
{
  ui *u = s->data;
  if (signum == SIGWINCH) {
    tui_resize(u->term);
    u->dirty = true;
  } else {
    ui_quit(u); /* SIGINT, SIGTERM, SIGHUP: leave cleanly, terminal restored */
  }
}

/* ---- lifetime ---- */

static void session_closed(void *arg)
{
  ui *u = arg;
  u->session = NULL;
}

void ui_quit(ui *u)
{
  if (u->closing) return;
  u->closing = true;
  ui_record_stop(&u->rec);
  uv_close((uv_handle_t *)&u->input, NULL);
  uv_close((uv_handle_t *)&u->sig_winch, NULL);
  uv_close((uv_handle_t *)&u->sig_int, NULL);
  uv_close((uv_handle_t *)&u->sig_term, NULL);
  uv_close((uv_handle_t *)&u->sig_hup, NULL);
  uv_close((uv_handle_t *)&u->redraw, NULL);
}

static int load_play(ui *u, const char *path)
{
  scn_source *src;
  scn_diags *d = calloc(1, sizeof *d);
  char err[512];
  size_t errors;
  if (d == NULL) return -1;
  if (scn_source_load(path, &src, err, sizeof err) != 0) {
    fprintf(stderr, "mcbench: %s\n", err);
    free(d);
    return -1;
  }
  errors = scn_session_load(u->session, src, d);
  for (size_t i = 0; i < d->n; i++) scn_diag_print(stderr, &d->items[i]);
  if (errors) fprintf(stderr, "%zu error%s; nothing was run\n", errors, errors == 1 ? "" : "s");
  free(d);
  return errors ? -1 : 0;
}

/* The first comment line of a scenario names it: "# loopback: does a host hear..." */
static void play_title(ui *u, const char *path)
{
  FILE *f = fopen(path, "r");
  char line[200];
  const char *base = strrchr(path, '/');
  snprintf(u->st.title, sizeof u->st.title, "%s", base ? base + 1 : path);
  if (f == NULL) return;
  if (fgets(line, sizeof line, f) && line[0] == '#') {
    line[strcspn(line, "\n")] = '\0';
    snprintf(u->st.title, sizeof u->st.title, "%s", line + 1 + (line[1] == ' '));
  }
  fclose(f);
}

int ui_main(uv_loop_t *loop, const ui_options *o)
{
  scn_reporter rep = {.command = on_command,
                      .error = on_error,
                      .result = on_result,
                      .note = on_note,
                      .say = on_say,
                      .pause = on_pause,
                      .done = on_done,
                      .frontend = ui_frontend};
  scn_session_opts so = {0};
  mcb_limits lim;
  tui_caps caps;
  char hist[512];
  int code = 0;
  ui *u = calloc(1, sizeof *u);

  if (u == NULL || (u->lay = calloc(1, sizeof *u->lay)) == NULL) {
    free(u);
    return 2;
  }
  u->loop = loop;
  u->o = o;
  rep.arg = u;
  ui_state_init(&u->st);
  mcb_limits_default(&lim);
  lim.history = 100;     /* each pane's scrollback */
  lim.payload_cap = 512; /* enough for a screen line or a hex dump */
  so.limits = &lim;
  if (scn_session_new(loop, &so, &rep, &u->session) != 0) {
    fprintf(stderr, "mcbench: cannot create a session\n");
    free(u->lay);
    free(u);
    return 2;
  }
  if (o->vars) *scn_session_vars(u->session) = *o->vars;
  if (o->play_file) {
    u->st.playing = true;
    play_title(u, o->play_file);
    if (load_play(u, o->play_file) != 0) {
      code = 2;
      goto out;
    }
    scn_session_set_delay(u->session, o->play_delay_ns);
    u->st.play_delay_ns = o->play_delay_ns;
  }
  mcb_observe(scn_session_bench(u->session), on_bench_event, u);
  ui_model_session(&u->src, u->session);
  if (o->history_path)
    snprintf(hist, sizeof hist, "%s", o->history_path);
  else
    ui_history_default_path(hist, sizeof hist);
  ui_history_init(&u->hist, hist);
  if (tui_open(&u->term, o->no_color, &caps) != 0) {
    fprintf(stderr, "mcbench: cannot use this terminal (is TERM set?)\n");
    code = 2;
    goto out;
  }
  tui_install_crash_handlers();
  u->st.utf8 = caps.utf8;
  u->st.ascii = caps.ascii;
  if (o->play_file)
    ui_state_set_status(&u->st, false, "playing %s", o->play_file);
  else
    ui_state_set_status(&u->st, false, "welcome: press o to open a socket, ? for help");
  uv_poll_init(loop, &u->input, tui_fd(u->term));
  u->input.data = u;
  uv_poll_start(&u->input, UV_READABLE, on_input);
  uv_signal_t *sigs[] = {&u->sig_winch, &u->sig_int, &u->sig_term, &u->sig_hup};
  int signums[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
  for (int i = 0; i < 4; i++) {
    uv_signal_init(loop, sigs[i]);
    sigs[i]->data = u;
    uv_signal_start(sigs[i], on_signal, signums[i]);
  }
  uv_timer_init(loop, &u->redraw);
  u->redraw.data = u;
  uv_timer_start(&u->redraw, on_frame, 0, FRAME_MS);
  u->dirty = true;
  if (o->play_file) scn_session_run(u->session);
  while (!u->closing) uv_run(loop, UV_RUN_ONCE);
  if (o->play_file) {
    scn_summary sum = u->play_done ? u->play_sum : scn_session_summary(u->session);
    code = (sum.failed || sum.errors) ? 1 : 0;
  }
out:
  if (u->term) tui_close(u->term);
  ui_history_free(&u->hist);
  ui_record_stop(&u->rec);
  scn_session_close(u->session, session_closed, u);
  while (u->session) uv_run(loop, UV_RUN_ONCE);
  uv_run(loop, UV_RUN_DEFAULT);
  ui_canvas_free(&u->canvas);
  free(u->lay);
  free(u);
  return code;
}
