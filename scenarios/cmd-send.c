/* cmd-send.c - `send NAME DEST PAYLOAD [count N] [every DUR]`.
 *
 * A plain send (with or without count) completes, the datagrams handed to the kernel or
 * the error known, before the next command starts. With `every`, the sends run in the
 * background (bgsend.c) and the next command starts at once.
 */
#include "session.h"
#include "values.h"

#include <stdlib.h>
#include <string.h>

typedef struct foreground {
  scn_sock *ss;
  const char *dest;
  size_t len;
  uint64_t remaining, sent, bytes;
  uint8_t payload[]; /* one block, freed with the waiter */
} foreground;

typedef struct ticket {
  scn_session *s;
  uint64_t seq;
} ticket;

static int send_one(scn_session *s, uint64_t seq, foreground *fg);

static void on_sent(mcb_socket *sock, const mcb_send_result *r, void *arg)
{
  ticket *t = arg;
  scn_session *s = t->s;
  uint64_t seq = t->seq;
  scn_waiter *w;
  foreground *fg;
  const scn_command *cmd = scn_command_for(s, seq, &w);
  free(t);
  if (cmd == NULL || w == NULL) return; /* the command was stopped meanwhile */
  fg = w->data;
  if (r->status != 0) {
    scn_fail_seq(s, seq, scn_arg(cmd, "DEST"), r->status, "%s", r->message);
    scn_session_resume(s, seq, SCN_ERROR);
    return;
  }
  fg->sent++;
  fg->bytes += r->bytes;
  if (--fg->remaining == 0) {
    scn_note(s, cmd, "%s sent %llu datagram%s (%llu bytes) to %s", fg->ss->name,
             (unsigned long long)fg->sent, fg->sent == 1 ? "" : "s", (unsigned long long)fg->bytes,
             fg->dest);
    scn_session_resume(s, seq, SCN_DONE);
    return;
  }
  if (send_one(s, seq, fg) != 0) {
    scn_fail_seq(s, seq, scn_arg(cmd, "DEST"), mcb_last_error_code(scn_session_bench(s)), "%s",
                 mcb_last_error(scn_session_bench(s)));
    scn_session_resume(s, seq, SCN_ERROR);
  }
}

static int send_one(scn_session *s, uint64_t seq, foreground *fg)
{
  ticket *t = malloc(sizeof *t);
  int rc;
  if (t == NULL) return UV_ENOMEM;
  t->s = s;
  t->seq = seq;
  rc = mcb_send(fg->ss->sock, fg->payload, fg->len, fg->dest, on_sent, t);
  if (rc != 0) free(t);
  return rc;
}

static scn_status exec_send(scn_session *s, scn_command *cmd)
{
  const scn_token *dest = scn_arg(cmd, "DEST"), *pay = scn_arg(cmd, "PAYLOAD");
  const scn_token *count_t = scn_arg(cmd, "count"), *every_t = scn_arg(cmd, "every");
  scn_status st = SCN_ERROR;
  scn_sock *ss = scn_need_sock(s, cmd, &st);
  uint64_t interval = 0;
  int64_t count = 1;
  const char *why;
  uint8_t *data;
  size_t len;
  foreground *fg;
  int rc;

  if (ss == NULL) return st;
  if (count_t) scn_parse_int(count_t->text, 0, INT32_MAX, &count, &why);
  if (every_t) scn_parse_duration(every_t->text, &interval, &why);
  if (count == 0) {
    scn_note(s, cmd, "%s: count 0, nothing sent", ss->name);
    return SCN_DONE;
  }
  if (scn_parse_payload(pay->text, pay->len, pay->quoted, &data, &len, &why) != 0)
    return scn_fail(s, cmd, pay, UV_EINVAL, "%s", why);
  if (every_t) {
    /* bgsend owns the payload from here, even when it refuses to start */
    if ((rc = scn_bgsend_start(s, cmd, ss, dest->text, data, len, (uint64_t)count, interval)) != 0)
      return scn_fail(s, cmd, every_t, rc, "send: %s (too many background sends?)",
                      mcb_strerror(rc));
    scn_note(s, cmd, "%s sending %lld datagrams to %s every %s in the background", ss->name,
             (long long)count, dest->text, every_t->text);
    return SCN_DONE;
  }
  fg = calloc(1, sizeof *fg + len);
  if (fg == NULL) {
    free(data);
    return scn_fail(s, cmd, NULL, UV_ENOMEM, "send: out of memory");
  }
  fg->ss = ss;
  fg->dest = dest->text;
  if (len > 0) memcpy(fg->payload, data, len);
  free(data);
  fg->len = len;
  fg->remaining = (uint64_t)count;
  st = scn_wait(s, cmd, 0, (scn_waiter){.data = fg});
  if (send_one(s, scn_command_seq(s), fg) != 0)
    return scn_fail_core(s, cmd, dest, mcb_last_error_code(scn_session_bench(s)));
  return st;
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
            "DUR they are paced in the background and the next command starts at once.",
    .example =
        "send tx 239.1.1.1:5000 \"hello\"\nsend tx [ff02::1234%mcb0]:5000 hex:c0ffee\n"
        "send tx 239.1.1.1:5000 size:1200 count 100 every 10ms\nsend cli /tmp/mcb.sock \"hi\"",
    .check = check_send,
    .exec = exec_send,
};
