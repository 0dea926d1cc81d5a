/* cmd-send.c - `send NAME DEST PAYLOAD [count N] [every DUR]`.
 *
 * A plain send (with or without count) completes, the datagrams handed to the kernel or
 * the error known, before the next command starts; its error fails the line. With
 * `every`, a background task paces the sends and the next command starts at once: it
 * counts each failure on the socket (by error code) and goes on, as Node's send callback
 * would, so `expect NAME send-errors` judges them. Closing the socket cancels the task.
 */
#include "command-api.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct foreground {
  mcb_socket *sock;
  const char *name, *dest;
  size_t len;
  uint64_t remaining, sent, bytes;
  uint8_t payload[]; /* one block, freed with the waiter */
} foreground;

typedef struct ticket {
  scn_session *s;
  uint64_t seq;
} ticket;

static int send_one(scn_session *s, uint64_t seq, foreground *fg);

static void fg_failed(scn_session *s, uint64_t seq, const scn_command *cmd, int code,
                      const char *message)
{
  scn_fail_seq(s, seq, scn_arg(cmd, "DEST"), code, "%s", message);
  scn_session_resume(s, seq, SCN_ERROR);
}

static void on_sent(mcb_socket *sock, const mcb_send_result *r, void *arg)
{
  ticket *t = arg;
  scn_session *s = t->s;
  uint64_t seq = t->seq;
  scn_waiter *w;
  foreground *fg;
  const scn_command *cmd = scn_command_for(s, seq, &w);
  free(t);
  scn_count_send(sock, r->status);
  if (cmd == NULL || w == NULL) return; /* the command was stopped meanwhile */
  fg = w->data;
  if (r->status != 0) return fg_failed(s, seq, cmd, r->status, r->message);
  fg->sent++;
  fg->bytes += r->bytes;
  if (--fg->remaining == 0) {
    scn_note(s, cmd, "%s sent %llu datagram%s (%llu bytes) to %s", fg->name,
             (unsigned long long)fg->sent, fg->sent == 1 ? "" : "s", (unsigned long long)fg->bytes,
             fg->dest);
    scn_session_resume(s, seq, SCN_DONE);
    return;
  }
  if (send_one(s, seq, fg) != 0) {
    mcb_bench *b = scn_session_bench(s);
    scn_count_send(sock, mcb_last_error_code(b));
    fg_failed(s, seq, cmd, mcb_last_error_code(b), mcb_last_error(b));
  }
}

static int send_one(scn_session *s, uint64_t seq, foreground *fg)
{
  ticket *t = malloc(sizeof *t);
  int rc;
  if (t == NULL) return UV_ENOMEM;
  t->s = s;
  t->seq = seq;
  rc = mcb_send(fg->sock, fg->payload, fg->len, fg->dest, on_sent, t);
  if (rc != 0) free(t);
  return rc;
}

static scn_status send_foreground(scn_session *s, scn_command *cmd, scn_sock *ss, uint8_t *data,
                                  size_t len, uint64_t count)
{
  const scn_token *dest = scn_arg(cmd, "DEST");
  foreground *fg = calloc(1, sizeof *fg + len);
  scn_status st;
  int rc;
  if (fg == NULL) {
    free(data);
    return scn_fail(s, cmd, NULL, UV_ENOMEM, "send: out of memory");
  }
  fg->sock = ss->sock;
  fg->name = ss->name;
  fg->dest = dest->text;
  if (len > 0) memcpy(fg->payload, data, len);
  free(data);
  fg->len = len;
  fg->remaining = count;
  st = scn_wait(s, cmd, 0, (scn_waiter){.data = fg});
  if ((rc = send_one(s, scn_command_seq(s), fg)) != 0) {
    scn_count_send(ss->sock, rc);
    return scn_fail_core(s, cmd, dest, rc);
  }
  return st;
}

/* ---- `every`: a background task ----
 *
 * Paced by absolute deadlines t0 + k * interval, so timer lateness never accumulates
 * into drift; when the loop falls behind, a bounded burst catches up, and when the
 * socket cannot keep up the task waits for it (at most MAX_INFLIGHT pending). The task
 * holds the socket itself, never its name: a name opened again is another socket.
 */
#define MAX_BURST 64
/* Sends handed to the core and not yet completed: past this the sender waits, so a fast
 * pace cannot outrun the socket and fill its queue (backpressure, not ENOBUFS). */
#define MAX_INFLIGHT 64

typedef struct paced {
  scn_task *task;
  mcb_socket *sock;
  char name[SCN_NAME_MAX];
  char dest[300];
  uint64_t count, issued, sent, failed, cancelled, interval_ns, t0;
  unsigned inflight;
  bool timer_open;
  uv_timer_t timer;
  size_t len;
  uint8_t payload[];
} paced;

static void paced_release_if_idle(paced *p)
{
  if (scn_task_stopped(p->task) && p->inflight == 0 && !p->timer_open) scn_task_release(p->task);
}

static void on_paced_timer_closed(uv_handle_t *h)
{
  paced *p = h->data;
  p->timer_open = false;
  paced_release_if_idle(p);
}

/* Counts a failed send; the first one is told (a flood of notes would help nobody). */
static void paced_failed(paced *p, int code, const char *message)
{
  scn_count_send(p->sock, code);
  if (p->failed++ == 0)
    scn_note(scn_task_session(p->task), scn_task_origin(p->task),
             "%s: background send %llu of %llu failed: %s; counted (expect %s send-errors), "
             "the others go on",
             p->name, (unsigned long long)(p->sent + p->failed), (unsigned long long)p->count,
             message, p->name);
}

/* Every datagram is accounted for: the task is done. */
static bool paced_maybe_done(paced *p)
{
  if (p->sent + p->failed + p->cancelled < p->count) return false;
  scn_note(scn_task_session(p->task), scn_task_origin(p->task),
           "%s: background send done, %llu of %llu datagrams sent, %llu failed", p->name,
           (unsigned long long)p->sent, (unsigned long long)p->count,
           (unsigned long long)p->failed);
  scn_task_done(p->task);
  return true;
}

static void paced_schedule(paced *p);

static void on_paced_sent(mcb_socket *sock, const mcb_send_result *r, void *arg)
{
  paced *p = arg;
  p->inflight--;
  if (scn_task_stopped(p->task)) return paced_release_if_idle(p);
  if (r->status == UV_ECANCELED) { /* the socket closed under it */
    scn_count_send(sock, r->status);
    p->cancelled++;
  } else if (r->status != 0) {
    paced_failed(p, r->status, r->message);
  } else {
    p->sent++;
  }
  if (paced_maybe_done(p)) paced_release_if_idle(p);
}

static void paced_tick(uv_timer_t *t)
{
  paced *p = t->data;
  uint64_t now = uv_hrtime();
  unsigned burst = 0;
  while (p->issued < p->count && p->t0 + p->issued * p->interval_ns <= now &&
         p->inflight < MAX_INFLIGHT && burst++ < MAX_BURST) {
    p->issued++;
    if (mcb_send(p->sock, p->payload, p->len, p->dest, on_paced_sent, p) == 0) {
      p->inflight++;
      continue;
    }
    mcb_bench *b = mcb_socket_bench(p->sock);
    paced_failed(p, mcb_last_error_code(b), mcb_last_error(b));
    if (paced_maybe_done(p)) return paced_release_if_idle(p);
  }
  paced_schedule(p);
}

static void paced_schedule(paced *p)
{
  uint64_t now = uv_hrtime(), next;
  if (scn_task_stopped(p->task) || p->issued >= p->count) return;
  next = p->t0 + p->issued * p->interval_ns;
  /* At least 1 ms: a timer re-armed with 0 from its own callback runs again before the
   * loop polls anything, so the socket would never drain (libuv 1.44). */
  uv_timer_start(&p->timer, paced_tick, next > now ? scn_ms_ceil(next - now) : 1, 0);
}

static int paced_start(scn_task *t)
{
  paced *p = scn_task_data(t);
  p->task = t;
  p->t0 = uv_hrtime();
  uv_timer_init(scn_session_loop(scn_task_session(t)), &p->timer);
  p->timer.data = p;
  p->timer_open = true;
  /* The first datagram leaves on the next loop pass, not from inside the exec. */
  uv_timer_start(&p->timer, paced_tick, 0, 0);
  return 0;
}

static void paced_stop(scn_task *t, scn_task_end why)
{
  paced *p = scn_task_data(t);
  if (why == SCN_TASK_CANCELLED) {
    uint64_t left = p->count - p->sent - p->failed - p->cancelled;
    scn_count_cancelled(p->sock, left);
    left += p->cancelled;
    scn_note(scn_task_session(t), scn_task_origin(t),
             "%s: background send cancelled by close: %llu sent, %llu failed, %llu cancelled",
             p->name, (unsigned long long)p->sent, (unsigned long long)p->failed,
             (unsigned long long)left);
  }
  uv_close((uv_handle_t *)&p->timer, on_paced_timer_closed);
}

static const scn_task_ops paced_ops = {
    .kind = "background send",
    .start = paced_start,
    .stop = paced_stop,
    .free = free,
};

static int send_every(scn_session *s, scn_command *cmd, const scn_sock *ss, uint8_t *data,
                      size_t len, uint64_t count, uint64_t interval_ns)
{
  paced *p = calloc(1, sizeof *p + len);
  if (p == NULL) {
    free(data);
    return UV_ENOMEM;
  }
  p->sock = ss->sock;
  snprintf(p->name, sizeof p->name, "%s", ss->name);
  snprintf(p->dest, sizeof p->dest, "%s", scn_arg(cmd, "DEST")->text);
  if (len > 0) memcpy(p->payload, data, len);
  free(data);
  p->len = len;
  p->count = count;
  p->interval_ns = interval_ns;
  return scn_task_start(s, cmd, p->sock, &paced_ops, p);
}

static scn_status exec_send(scn_session *s, scn_command *cmd)
{
  const scn_token *pay = scn_arg(cmd, "PAYLOAD");
  const scn_token *count_t = scn_arg(cmd, "count"), *every_t = scn_arg(cmd, "every");
  scn_sock *ss = scn_target(s);
  uint64_t interval = 0;
  int64_t count = 1;
  const char *why;
  uint8_t *data;
  size_t len;
  int rc;

  if (count_t) scn_parse_int(count_t->text, 0, INT32_MAX, &count, &why);
  if (every_t) scn_parse_duration(every_t->text, &interval, &why);
  if (count == 0) {
    scn_note(s, cmd, "%s: count 0, nothing sent", ss->name);
    return SCN_DONE;
  }
  if (scn_parse_payload(pay->text, pay->len, pay->quoted, &data, &len, &why) != 0)
    return scn_fail(s, cmd, pay, UV_EINVAL, "%s", why);
  if (every_t == NULL) return send_foreground(s, cmd, ss, data, len, (uint64_t)count);
  /* the task owns the payload from here, even when it refuses to start */
  if ((rc = send_every(s, cmd, ss, data, len, (uint64_t)count, interval)) != 0)
    return scn_fail(s, cmd, every_t, rc, "send: %s (too many background tasks?)", mcb_strerror(rc));
  scn_note(s, cmd, "%s sending %lld datagrams to %s every %s in the background", ss->name,
           (long long)count, scn_arg(cmd, "DEST")->text, every_t->text);
  return SCN_DONE;
}

static void check_send(scn_checker *ck, scn_command *cmd)
{
  if (scn_arg(cmd, "every") && !scn_arg(cmd, "count"))
    scn_diags_at(ck->diags, cmd, scn_arg(cmd, "every"),
                 "'every' needs 'count N': background traffic is always bounded");
}

static const char *const forms[] = {"NAME DEST PAYLOAD [count N] [every DUR]", NULL};

const scn_entry scn_cmd_send = {
    .name = "send",
    .forms = forms,
    .summary = "send datagrams",
    .help = "Sends PAYLOAD from NAME to DEST: \"text\" (C escapes), hex:48656c6c6f or size:N "
            "(N pattern bytes). A host name is resolved without blocking. The command completes "
            "when the datagrams are handed to the kernel, or fails with the error (EACCES for a "
            "broadcast without 'set NAME broadcast on'). count N sends N in a row; with every "
            "DUR they are paced in the background and the next command starts at once: a "
            "failed background send is counted on NAME by its error code (see 'expect NAME "
            "send-errors') and the rest go on; 'close NAME' cancels them.",
    .example =
        "send tx 239.1.1.1:5000 \"hello\"\nsend tx [ff02::1234%mcb0]:5000 hex:c0ffee\n"
        "send tx 239.1.1.1:5000 size:1200 count 100 every 10ms\nsend cli /tmp/mcb.sock \"hi\"",
    .target = SCN_TARGET_OPEN_SOCKET,
    .check = check_send,
    .exec = exec_send,
};
