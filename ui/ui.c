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
#define TOPO_REFRESH_NS 1000000000ull /* the topology's counters: read inside every node */
#define TOPO_SOONEST_NS 200000000ull  /* after a command, but not at every frame of a flood */

static void on_bench_event(const mcb_event *ev, void *arg)
{
  ((ui *)arg)->dirty = true; /* never draw from a socket callback */
}

/* ---- painting ---- */

/* The topology pane's snapshot: read through the model (the core reads each link's
 * counters inside its nodes) once a second while the pane shows, soon after a command
 * that may have changed the lab, never from a socket callback. */
static void read_topology(ui *u)
{
  uint64_t now = uv_hrtime(), age = now - u->topo_read;
  if (!u->st.topo_visible || u->src.topology == NULL || u->session == NULL) return;
  if (u->topo != NULL && age < (u->topo_stale ? TOPO_SOONEST_NS : TOPO_REFRESH_NS)) return;
  if (u->topo == NULL && (u->topo = calloc(1, sizeof *u->topo)) == NULL) return;
  u->src.topology(u->src.arg, u->topo);
  u->topo_read = now;
  u->topo_stale = false;
  u->st.topo = u->topo;
}

/* Lays the screen out again, so key handlers act on what the next frame will show
 * (not on a frame painted before the last command). */
void ui_relayout(ui *u)
{
  int w, h;
  read_topology(u);
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
  /* Without events only rates and ages change, and only where peers are shown; the
   * topology pane is read again soon after a command changed the lab. */
  if (u->dirty ||
      ((u->lay->npeers > 0 || u->st.ifaces_visible || u->st.topo_visible) &&
       uv_hrtime() - u->last_paint > IDLE_REFRESH_NS) ||
      (u->st.topo_visible && u->topo_stale && uv_hrtime() - u->topo_read >= TOPO_SOONEST_NS))
    paint(u);
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
  } else if (signum == SIGCONT) {
    /* Stopped from outside (kill -STOP) and continued: the screen may have been drawn
     * over meanwhile, so set the terminal up again and repaint all of it. */
    tui_resize(u->term);
    tui_invalidate(u->term);
    if (!u->closing) paint(u);
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

static void close_handle(uv_handle_t *h)
{
  if (h->type != UV_UNKNOWN_HANDLE && !uv_is_closing(h)) uv_close(h, NULL);
}

void ui_quit(ui *u)
{
  char why[MCB_MSG_MAX];
  if (u->closing) return;
  u->closing = true;
  ui_doctor_close(u);
  ui_record_finish(u, why, sizeof why); /* flushed and closed before the terminal is restored */
  close_handle((uv_handle_t *)&u->input);
  close_handle((uv_handle_t *)&u->sig_winch);
  close_handle((uv_handle_t *)&u->sig_int);
  close_handle((uv_handle_t *)&u->sig_term);
  close_handle((uv_handle_t *)&u->sig_hup);
  close_handle((uv_handle_t *)&u->sig_cont);
  close_handle((uv_handle_t *)&u->redraw);
}

static int load_play(ui *u, const char *path)
{
  scn_source *src;
  scn_diags *d = calloc(1, sizeof *d);
  char err[MCB_MSG_MAX];
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

/* Watches the terminal, the signals and the redraw timer; every set-up call is checked.
 * On failure the message says which call failed and why. */
static int start_handles(ui *u, char *why, size_t size)
{
  uv_signal_t *sigs[] = {&u->sig_winch, &u->sig_int, &u->sig_term, &u->sig_hup, &u->sig_cont};
  static const int signums[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT};
  const char *what = "uv_poll_init";
  int rc;
#define CHECK(call)                                                                                \
  do {                                                                                             \
    what = #call;                                                                                  \
    if ((rc = (call)) != 0) goto fail;                                                             \
  } while (0)
  CHECK(uv_poll_init(u->loop, &u->input, tui_fd(u->term)));
  u->input.data = u;
  CHECK(uv_poll_start(&u->input, UV_READABLE, on_input));
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    CHECK(uv_signal_init(u->loop, sigs[i]));
    sigs[i]->data = u;
    CHECK(uv_signal_start(sigs[i], on_signal, signums[i]));
  }
  CHECK(uv_timer_init(u->loop, &u->redraw));
  u->redraw.data = u;
  CHECK(uv_timer_start(&u->redraw, on_frame, 0, FRAME_MS));
#undef CHECK
  return 0;
fail:
  mcb_msgf(why, size, "cannot set up the terminal's event handling: %.*s: %s (%s)",
           (int)strcspn(what, "("), what, uv_strerror(rc), uv_err_name(rc));
  return rc;
}

/* The session, its play file and the view-model; 0, or the exit status. */
static int open_session(ui *u, const ui_options *o, scn_reporter *rep, mcb_limits *lim)
{
  scn_session_opts so = {0};
  int rc;
  mcb_limits_default(lim);
  lim->history = 100;     /* each pane's scrollback */
  lim->payload_cap = 512; /* enough for a screen line or a hex dump */
  so.limits = lim;
  ui_reporter(u, rep);
  if ((rc = scn_session_new(u->loop, &so, rep, &u->session)) != 0) {
    fprintf(stderr, "mcbench: cannot create a session: %s\n", uv_strerror(rc));
    return 2;
  }
  if (o->vars) *scn_session_vars(u->session) = *o->vars;
  if (o->play_file) {
    u->st.playing = true;
    u->st.watch = UI_WATCH_ALL; /* a class watches every receiver while the sender changes */
    play_title(u, o->play_file);
    if (load_play(u, o->play_file) != 0) return 2;
    scn_session_set_delay(u->session, o->play_delay_ns);
    u->st.play_delay_ns = o->play_delay_ns;
  }
  if ((rc = mcb_observe(scn_session_bench(u->session), on_bench_event, u)) != 0) {
    fprintf(stderr, "mcbench: cannot watch the sockets: %s\n", uv_strerror(rc));
    return 2;
  }
  ui_model_session(&u->src, u->session);
  return 0;
}

/* The terminal and its handles, then the loop until quit; the exit status. */
static int run_terminal(ui *u, const ui_options *o)
{
  tui_caps caps;
  char why[MCB_MSG_MAX];
  if (tui_open(&u->term, o->no_color, &caps) != 0) {
    fprintf(stderr, "mcbench: cannot use this terminal (is TERM set?)\n");
    return 2;
  }
  tui_install_crash_handlers();
  u->st.utf8 = caps.utf8;
  u->st.ascii = caps.ascii;
  if (o->play_file)
    ui_state_set_status(&u->st, false, "playing %s", o->play_file);
  else
    ui_state_set_status(&u->st, false, "welcome: press o to open a socket, ? for help");
  if (start_handles(u, why, sizeof why) != 0) {
    ui_quit(u);
    tui_close(u->term);
    u->term = NULL;
    fprintf(stderr, "mcbench: %s\n", why);
    return 2;
  }
  u->dirty = true;
  if (o->play_file) scn_session_run(u->session);
  while (!u->closing) uv_run(u->loop, UV_RUN_ONCE);
  if (o->play_file) {
    scn_summary sum = u->play_done ? u->play_sum : scn_session_summary(u->session);
    return (sum.failed || sum.errors) ? 1 : 0;
  }
  return 0;
}

/* The recording's end, once the terminal is back (escaped: it names a file). */
static void print_exit_note(const ui *u)
{
  char esc[4 * sizeof u->exit_note];
  if (!u->exit_note[0]) return;
  scn_escape_text(u->exit_note, strlen(u->exit_note), true, esc, sizeof esc, 0);
  fprintf(stderr, "mcbench: %s\n", esc);
}

/* After play, the scenario's verdict stays on the terminal: "tour.mcb: 8 passed, 0 failed". */
static void print_summary(const ui *u)
{
  const char *base;
  char esc[600];
  scn_summary sum;
  if (!u->o->play_file || u->session == NULL) return;
  sum = u->play_done ? u->play_sum : scn_session_summary(u->session);
  base = strrchr(u->o->play_file, '/');
  base = base ? base + 1 : u->o->play_file;
  scn_escape((const uint8_t *)base, strlen(base), true, esc, sizeof esc, 0, NULL);
  printf("%s: %zu passed, %zu failed%s", esc, sum.passed, sum.failed,
         u->play_done ? "" : " (stopped before its end)");
  if (sum.errors) printf(", %zu error%s", sum.errors, sum.errors == 1 ? "" : "s");
  printf("\n");
  fflush(stdout);
}

int ui_main(uv_loop_t *loop, const ui_options *o)
{
  scn_reporter rep;
  mcb_limits lim;
  char hist[512];
  int code;
  ui *u = calloc(1, sizeof *u);

  if (u == NULL || (u->lay = calloc(1, sizeof *u->lay)) == NULL) {
    free(u);
    fprintf(stderr, "mcbench: out of memory\n");
    return 2;
  }
  u->loop = loop;
  u->o = o;
  ui_state_init(&u->st);
  u->st.net = o->private_net ? UI_NET_PRIVATE : UI_NET_HOST;
  if (o->history_path)
    snprintf(hist, sizeof hist, "%s", o->history_path);
  else
    ui_history_default_path(hist, sizeof hist);
  ui_history_init(&u->hist, hist);
  code = open_session(u, o, &rep, &lim);
  if (code == 0) code = run_terminal(u, o);
  if (u->term) tui_close(u->term);
  if (code != 2) print_summary(u);
  print_exit_note(u);
  ui_history_free(&u->hist);
  ui_record_stop(&u->rec, NULL, 0);
  if (u->session) {
    scn_session_close(u->session, session_closed, u);
    while (u->session) uv_run(loop, UV_RUN_ONCE);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  ui_canvas_free(&u->canvas);
  free(u->topo);
  free(u->lay);
  free(u);
  return code;
}
