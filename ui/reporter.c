/* reporter.c - what the session tells the front end: commands, errors, results, notes,
 * narration, pauses and the end of a played scenario. Each only changes state and marks
 * it dirty (the selection follows the socket a command acts on, see follow()); commands typed by
 * the operator also go to the recording, whose failures are reported here (status line, and after
 * exit on stderr). */
#include "ui-internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define RECORD_LINE_MAX 4096 /* a typed line re-quoted: at most four bytes per byte typed */

static bool from_operator(const scn_command *cmd)
{
  return cmd->src != NULL && cmd->src->name[0] == '<';
}

/* The status line says how the recording ended; a failure, or an end caused by quitting
 * (q, or a signal), is printed again once the terminal is restored. */
static void record_ended(ui *u)
{
  if (u->st.status_error || u->closing) {
    mcb_msgf(u->exit_note, sizeof u->exit_note, "%s", u->st.status);
    u->exit_note_error = u->st.status_error;
  }
  u->st.recording = false;
  u->dirty = true;
}

/* A write failed: what was written stays, nothing more is written. */
static void record_failed(ui *u, const char *why)
{
  char ignored[64];
  ui_record_stop(&u->rec, ignored, sizeof ignored);
  ui_state_set_status(&u->st, true, "recording failed: %s; recording stopped", why);
  record_ended(u);
}

int ui_record_finish(ui *u, char *why, size_t size)
{
  unsigned n = u->rec.lines;
  int rc;
  if (!ui_record_active(&u->rec)) return 0;
  if ((rc = ui_record_stop(&u->rec, why, size)) != 0)
    ui_state_set_status(&u->st, true, "recording failed: %s", why);
  else
    ui_state_set_status(&u->st, false, "recording stopped: %u commands in %s", n,
                        ui_record_path(&u->rec));
  record_ended(u);
  return rc;
}

/* The selection follows what happens: a socket just opened is selected (so `s` right
 * after opening tx prefills `send tx`), and in `play` every command acting on a socket
 * selects it, so the lesson happens on screen. */
static void follow(ui *u, const scn_command *cmd)
{
  const char *name = cmd->argc > 1 ? cmd->argv[1].text : "";
  bool acts = cmd->entry->target != SCN_TARGET_NONE || strcmp(cmd->entry->name, "set") == 0;
  if (cmd->entry->flags & SCN_F_DECLARES) {
    snprintf(u->st.selected, sizeof u->st.selected, "%s", name);
    u->st.selected_peer = 0;
  } else if (u->st.playing && !from_operator(cmd) && acts &&
             scn_session_socket(u->session, name) != NULL && strcmp(u->st.selected, name) != 0) {
    snprintf(u->st.selected, sizeof u->st.selected, "%s", name);
    u->st.selected_peer = 0;
  }
}

/* Any command may change the lab (a node, a link, a join): the topology is read again
 * soon. `lab show` typed by the operator opens the topology pane, the map of what it
 * prints (a played scenario's `lab show` leaves the peer panes in place). */
static void topology_follows(ui *u, const scn_command *cmd)
{
  u->topo_stale = true;
  if (from_operator(cmd) && strcmp(cmd->entry->name, "lab") == 0 && cmd->argc > 1 &&
      strcmp(cmd->argv[1].text, "show") == 0)
    u->st.topo_visible = true;
}

static void on_command(void *arg, const scn_command *cmd)
{
  ui *u = arg;
  char text[RECORD_LINE_MAX], why[MCB_MSG_MAX];
  follow(u, cmd);
  topology_follows(u, cmd);
  scn_command_text(cmd, text, sizeof text);
  if (from_operator(cmd)) {
    /* a toggle is written as the state it produces: the replay must not depend on the
     * state before it */
    if (strcmp(cmd->entry->name, "set") == 0 && cmd->argc == 4 &&
        strcmp(cmd->argv[3].text, "toggle") == 0)
      ui_record_toggle(u->session, cmd->argv[1].text, cmd->argv[2].text, text, sizeof text);
    if (!(cmd->entry->flags & SCN_F_IMMEDIATE) &&
        ui_record_command(&u->rec, text, uv_hrtime(), why, sizeof why) != 0)
      record_failed(u, why);
  } else if (strcmp(cmd->entry->name, "pause") != 0 && strcmp(cmd->entry->name, "say") != 0) {
    /* (a pause keeps the message before it on screen; the narration shows a say) */
    ui_state_set_status(&u->st, false, "line %u: %s", cmd->line, text);
  }
  u->dirty = true;
}

static void on_error(void *arg, const scn_diag *d)
{
  ui *u = arg;
  char text[MCB_MSG_MAX], why[MCB_MSG_MAX];
  if (d->src == NULL || d->src->name[0] == '<') {
    ui_state_set_status(&u->st, true, "error: %s", d->message);
    if (ui_record_error(&u->rec, d->code, why, sizeof why) != 0) record_failed(u, why);
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
    mcb_msgf(u->st.first_failure, sizeof u->st.first_failure, "%s:%u: %s: expected %s, got %s",
             base ? base + 1 : r->file, r->line, r->text, r->expected, r->actual);
  }
  if (r->passed && strncmp(r->actual, "error ", 6) == 0) /* the refusal it expected */
    ui_state_set_status(&u->st, false, "PASS %s: %s", r->text, r->actual);
  else if (r->passed)
    ui_state_set_status(&u->st, false, "PASS %s", r->text);
  else
    ui_state_set_status(&u->st, true, "FAIL %s: expected %s, got %s", r->text, r->expected,
                        r->actual);
  u->dirty = true;
}

/* A note of `lab exec` (its program's output, escaped already), or of its task. */
static bool from_lab_exec(const scn_command *cmd)
{
  return strcmp(cmd->entry->name, "lab") == 0 &&
         strncmp(cmd->entry->forms[cmd->form], "exec ", 5) == 0;
}

static void on_note(void *arg, const scn_command *cmd, const char *text)
{
  ui *u = arg;
  struct timespec ts;
  if (from_operator(cmd) || !u->st.playing) {
    ui_state_set_status(&u->st, false, "%s", text);
  } else if (from_lab_exec(cmd)) { /* a played program's output: readable in the log (E) */
    clock_gettime(CLOCK_REALTIME, &ts);
    ui_state_log(&u->st, false, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, text);
  }
  u->dirty = true;
}

static void on_say(void *arg, const scn_command *cmd, const char *text)
{
  ui *u = arg;
  char line[300];
  struct timespec ts;
  ui_state_say(&u->st, text);
  /* the event log keeps the narration too, so a class can read back what was said */
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(line, sizeof line, "> %s", text);
  ui_state_log(&u->st, false, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, line);
  u->dirty = true;
}

static void on_pause(void *arg, const scn_command *cmd, const char *text)
{
  ui *u = arg;
  u->st.play_paused = true;
  /* The badge and the footer say it is paused; a pause without text keeps the status
   * line's last message (a verdict, a refusal) on screen while the class reads it. */
  if (text[0]) ui_state_set_status(&u->st, false, "paused: %s (Space or Enter continues)", text);
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

/* What the lab's IGMP/MLD watcher saw goes to the event log (E) with the sender's node
 * first: "h2 reports join 239.1.1.1 (IGMPv3, exclude {}) on h2-r1" (escaped when drawn). */
static void on_lab_event(void *arg, const mcb_lab_event *ev)
{
  ui *u = arg;
  char text[256], line[270];
  snprintf(line, sizeof line, "lab: %s", mcb_lab_event_format(ev, text, sizeof text));
  ui_state_log(&u->st, false, ev->real_ns, line);
  u->dirty = true;
}

void ui_reporter(ui *u, scn_reporter *rep)
{
  *rep = (scn_reporter){.arg = u,
                        .command = on_command,
                        .error = on_error,
                        .result = on_result,
                        .note = on_note,
                        .say = on_say,
                        .pause = on_pause,
                        .done = on_done,
                        .frontend = ui_frontend,
                        .lab_event = on_lab_event};
}
