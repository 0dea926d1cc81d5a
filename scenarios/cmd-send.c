/* cmd-send.c - `send NAME DEST PAYLOAD [count N] [stream options]`.
 *
 * A plain send (with or without count) completes, the datagrams handed to the kernel or
 * the error known, before the next command starts; its error fails the line. A send with
 * any of rate, every, for or burst is a background stream (stream-task.c): the next
 * command starts at once, each failure is counted on the socket (by error code) and the
 * stream goes on, as Node's send callback would, so `expect NAME send-errors` judges
 * them; it ends with its count or duration, `stop`, `close`, or the scenario. A probe
 * payload, a size, an impairment or a destination range without those options is a
 * foreground stream: the command waits for it, and an error fails the line.
 */
#include "command-api.h"
#include "stream-task.h"
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

/* ---- streams ---- */

#define PROBE_DEFAULT_SIZE 64 /* a probe's length when `size` is not given */

/* A stream without `seed N`: from the run's --seed, the socket's name and the stream's
 * number (the same run seed replays every stream), or random; below 2^31 either way, so
 * `seed N` can give it back. */
static uint64_t default_seed(const scn_session *s, const scn_sock *ss)
{
  uint64_t seed;
  if (!scn_session_seed(s, &seed)) return scn_stream_random_seed() & INT32_MAX;
  for (const char *p = ss->name; *p; p++) seed = seed * 131 + (unsigned char)*p;
  seed += ss->send.next_stream + 1;
  return scn_rand_next(&seed) & INT32_MAX;
}

/* The parts of the command a stream is made of; the grammar has checked the shapes. */
static int stream_spec(scn_session *s, const scn_command *cmd, const scn_sock *ss, bool background,
                       scn_stream_spec *sp, uint8_t **data, mcb_addr *first, mcb_hostport *hp,
                       const char **why, const scn_token **at)
{
  const scn_token *pay = scn_arg(cmd, "PAYLOAD"), *dest = scn_arg(cmd, "DEST"), *t;
  scn_stream_cfg *c = &sp->cfg;
  const char *unit = scn_arg_word(cmd, "pps|kbps|Mbps");
  int64_t v;
  int rc;

  memset(sp, 0, sizeof *sp);
  sp->probe = scn_is_probe_payload(pay->text, pay->quoted);
  sp->foreground = !background;
  sp->dest_text = dest->text;
  *at = pay;
  if (sp->probe) {
    c->size_min = c->size_max = PROBE_DEFAULT_SIZE;
    if ((t = scn_arg(cmd, "size")) != NULL) {
      scn_parse_size_range(t->text, 65507, &c->size_min, &c->size_max, why);
      if (c->size_min < MCB_PROBE_HDR_LEN) {
        *at = t;
        *why = "a probe is at least 32 bytes (its header)";
        return UV_EINVAL;
      }
    }
  } else {
    if (scn_parse_payload(pay->text, pay->len, pay->quoted, data, &sp->len, why) != 0)
      return UV_EINVAL;
    sp->payload = *data;
    c->size_min = c->size_max = sp->len;
    if ((t = scn_arg(cmd, "size")) != NULL) /* the payload, then size:N's pattern, or cut */
      scn_parse_size_range(t->text, 65507, &c->size_min, &c->size_max, why);
  }
  c->burst = 1;
  if ((t = scn_arg(cmd, "burst")) != NULL && scn_parse_int(t->text, 1, 1000000, &v, why) == 0)
    c->burst = (unsigned)v;
  if ((t = scn_arg(cmd, "count")) != NULL && scn_parse_int(t->text, 0, INT32_MAX, &v, why) == 0)
    c->count = (uint64_t)v;
  else
    c->count = background ? 0 : 1;
  if ((t = scn_arg(cmd, "every")) != NULL) {
    scn_parse_duration(t->text, &c->interval_ns, why);
    if (c->interval_ns == 0) c->interval_ns = 1;
    sp->rate_pps = 1e9 * c->burst / (double)c->interval_ns;
  }
  if ((t = scn_arg(cmd, "rate")) != NULL) {
    double avg = (c->size_min + c->size_max) / 2.0;
    *at = t;
    if ((rc = scn_parse_rate(t->text, unit, avg, &sp->rate_pps, why)) != 0) return UV_EINVAL;
    c->interval_ns = (uint64_t)(1e9 * c->burst / sp->rate_pps + 0.5);
    if (c->interval_ns == 0) c->interval_ns = 1;
  }
  if ((t = scn_arg(cmd, "for")) != NULL) scn_parse_duration(t->text, &c->for_ns, why);
  if ((t = scn_arg(cmd, "jitter")) != NULL) scn_parse_duration(t->text, &c->jitter_ns, why);
  if ((t = scn_arg(cmd, "drop")) != NULL) scn_parse_ppm(t->text, &c->drop_ppm, why);
  if ((t = scn_arg(cmd, "dup")) != NULL) scn_parse_ppm(t->text, &c->dup_ppm, why);
  if ((t = scn_arg(cmd, "reorder")) != NULL) scn_parse_ppm(t->text, &c->reorder_ppm, why);
  if ((t = scn_arg(cmd, "seed")) != NULL && scn_parse_int(t->text, 0, INT32_MAX, &v, why) == 0)
    c->seed = (uint64_t)v;
  else
    c->seed = default_seed(s, ss);
  /* Destinations: numeric, a range, or a unix path; resolved once for the whole stream. */
  *at = dest;
  sp->ndest = 1;
  if (scn_is_range(dest->text) && mcb_socket_family(ss->sock) != MCB_UNIX) {
    mcb_addr a;
    if (scn_parse_range(dest->text, true, &a, &sp->ndest, why) != 0) return UV_EINVAL;
    rc = mcb_send_fit(ss->sock, &a, first);
  } else if ((rc = mcb_send_dest(ss->sock, dest->text, first)) == UV_EINVAL &&
             mcb_socket_family(ss->sock) != MCB_UNIX && mcb_addr_split(dest->text, hp, NULL) == 0 &&
             !hp->bracketed && hp->port > 0 && mcb_addr_is_hostname(hp->host)) {
    sp->lookup_host = hp->host; /* the stream resolves it without blocking */
    sp->lookup_port = hp->port;
    rc = 0;
  }
  if (rc == UV_EAFNOSUPPORT) *why = "the destination's family does not fit the socket";
  if (rc == UV_EINVAL) *why = "not a destination a stream can send to";
  sp->first = first;
  return rc;
}

static void describe(const scn_stream_spec *sp, char *buf, size_t size)
{
  const scn_stream_cfg *c = &sp->cfg;
  uint64_t n = scn_stream_planned(c);
  char sizes[48], rate[48] = "", burst[32] = "", total[48];
  if (c->size_min != c->size_max)
    snprintf(sizes, sizeof sizes, "%zu..%zu bytes", c->size_min, c->size_max);
  else
    snprintf(sizes, sizeof sizes, "%zu bytes", c->size_min);
  if (sp->rate_pps > 0) snprintf(rate, sizeof rate, " at %.6g pps", sp->rate_pps);
  if (c->burst > 1) snprintf(burst, sizeof burst, " in bursts of %u", c->burst);
  if (n > 0)
    snprintf(total, sizeof total, "%llu in all", (unsigned long long)n);
  else if (c->for_ns > 0)
    snprintf(total, sizeof total, "for %gs", (double)c->for_ns / 1e9);
  else
    snprintf(total, sizeof total, "until stopped");
  snprintf(buf, size, "%s of %s%s%s, %s, seed %llu", sp->probe ? "probes" : "datagrams", sizes,
           rate, burst, total, (unsigned long long)c->seed);
}

/* A foreground stream's parked command: which stream it waits for. */
typedef struct fg_wait {
  mcb_socket *sock;
  unsigned id;
} fg_wait;

/* The stream ended inside another command (`stop`, `close`): done, or cancelled. A stream
 * that finished or failed by itself resumes the command at once. */
static bool fg_poll(scn_session *s, scn_command *cmd, scn_status *status)
{
  const fg_wait *w = scn_current_waiter(s)->data;
  const scn_stream_stat *r = scn_stream_find(w->sock, w->id);
  if (r != NULL && r->state == SCN_STREAM_RUNNING) return false;
  *status = SCN_DONE;
  if (r != NULL && r->state == SCN_STREAM_CANCELLED)
    *status = scn_fail(s, cmd, scn_arg(cmd, "DEST"), UV_ECANCELED,
                       "send: stream %u cancelled: its socket closed", w->id);
  return true;
}

static scn_status send_stream(scn_session *s, scn_command *cmd, scn_sock *ss, bool background)
{
  scn_stream_spec sp;
  uint8_t *data = NULL;
  mcb_addr first;
  const char *why = "";
  const scn_token *at;
  scn_status st = SCN_DONE;
  unsigned id = 0;
  char what[200];
  mcb_hostport hp;
  int rc = stream_spec(s, cmd, ss, background, &sp, &data, &first, &hp, &why, &at);
  if (rc != 0) {
    free(data);
    return scn_fail(s, cmd, at, rc, "send to %s: %s", scn_arg(cmd, "DEST")->text, why);
  }
  describe(&sp, what, sizeof what);
  rc = scn_stream_start(s, cmd, ss, &sp, &id, &why);
  free(data); /* the stream copied it */
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "send: %s", why);
  if (!background) { /* it starts on the next loop pass: nothing has ended yet */
    fg_wait *w = malloc(sizeof *w);
    if (w == NULL) {
      scn_streams_stop(s, ss->sock, id);
      return scn_fail(s, cmd, NULL, UV_ENOMEM, "send: out of memory");
    }
    *w = (fg_wait){.sock = ss->sock, .id = id};
    st = scn_wait(s, cmd, 0, (scn_waiter){.poll = fg_poll, .data = w});
  }
  scn_note(s, cmd, "%s stream %u to %s%s: %s", ss->name, id, sp.dest_text,
           background ? " in the background" : "", what);
  return st;
}

static scn_status exec_send(scn_session *s, scn_command *cmd)
{
  static const char *const options[] = {"rate", "every", "for", "burst", NULL};
  static const char *const shaping[] = {"size", "drop", "dup", "reorder", "jitter", NULL};
  const scn_token *pay = scn_arg(cmd, "PAYLOAD"), *count_t = scn_arg(cmd, "count");
  scn_sock *ss = scn_target(s);
  bool background = false, stream = scn_is_probe_payload(pay->text, pay->quoted) ||
                                    scn_is_range(scn_arg(cmd, "DEST")->text);
  int64_t count = 1;
  const char *why;
  uint8_t *data;
  size_t len;

  for (size_t i = 0; options[i]; i++) background = background || scn_arg(cmd, options[i]);
  for (size_t i = 0; shaping[i]; i++) stream = stream || scn_arg(cmd, shaping[i]);
  if (count_t) scn_parse_int(count_t->text, 0, INT32_MAX, &count, &why);
  if (count == 0) {
    scn_note(s, cmd, "%s: count 0, nothing sent", ss->name);
    return SCN_DONE;
  }
  if (background || stream) return send_stream(s, cmd, ss, background);
  if (scn_parse_payload(pay->text, pay->len, pay->quoted, &data, &len, &why) != 0)
    return scn_fail(s, cmd, pay, UV_EINVAL, "%s", why);
  return send_foreground(s, cmd, ss, data, len, (uint64_t)count);
}

static void check_send(scn_checker *ck, scn_command *cmd)
{
  bool paced = scn_arg(cmd, "rate") || scn_arg(cmd, "every");
  if (scn_arg(cmd, "rate") && scn_arg(cmd, "every"))
    scn_diags_at(ck->diags, cmd, scn_arg(cmd, "every"),
                 "give 'rate' or 'every', not both ('every DUR' is a rate of 1/DUR)");
  if (scn_arg(cmd, "burst") && !paced)
    scn_diags_at(ck->diags, cmd, scn_arg(cmd, "burst"),
                 "'burst N' sends N datagrams per deadline: it needs 'rate' or 'every'");
  if (scn_arg(cmd, "jitter") && !paced)
    scn_diags_at(ck->diags, cmd, scn_arg(cmd, "jitter"),
                 "'jitter' moves each datagram's deadline: it needs 'rate' or 'every'");
}

static const char *const forms[] = {
    "NAME DEST PAYLOAD [count N] [every DUR] [rate RATE pps|kbps|Mbps] [for DUR] [burst N] "
    "[size SIZE] [drop PCT] [dup PCT] [reorder PCT] [jitter DUR] [seed N]",
    NULL};

const scn_entry scn_cmd_send = {
    .name = "send",
    .forms = forms,
    .summary = "send datagrams, or a paced stream",
    .help = "Sends PAYLOAD from NAME to DEST: \"text\" (C escapes), hex:48656c6c6f, size:N (N "
            "pattern bytes) or probe (mcbench's probe: a 32-byte header with stream number, "
            "sequence number and send time, then a fill; docs/probe-format.md). A host name is "
            "resolved without blocking. Without options one datagram is sent (count N: N in a "
            "row); the command completes when they are handed to the kernel, or fails with the "
            "error (EACCES for a broadcast without 'set NAME broadcast on'). "
            "With rate N pps|kbps|Mbps (bit rates count payload bytes), every DUR (a rate of "
            "1/DUR), for DUR or burst N it is a background stream and the next command starts at "
            "once: datagram i leaves at start + (i / burst) * interval, deadlines that never "
            "drift; a late loop catches up in bounded batches (sendmmsg) and a stream that "
            "falls behind says so. It sends count N datagrams, or those of for DUR (rate x DUR "
            "with a rate, else for that long), or runs until 'stop NAME [STREAM]', 'close NAME' "
            "or the end of the scenario. A failed background send is counted on NAME by its "
            "error code (see 'expect NAME send-errors') and the rest go on; a full socket buffer "
            "makes a stream wait (counted as backpressure), never lose. Streams are "
            "numbered per socket (1, 2, ...), the number a probe carries; the socket's state "
            "lists them with requested and achieved rate. size N or size A..B (random, seeded) "
            "sets the datagrams' length: a probe's header and fill (default 64), or the payload "
            "followed by size:N's pattern (or cut). Teaching impairments, seeded and counted in "
            "the stream's state: drop P% skips a datagram (its sequence number is lost), dup P% "
            "sends it twice, reorder P% holds it back until the next one has left, jitter DUR "
            "delays each deadline by up to DUR (order kept). seed N makes sizes and impairments "
            "repeatable (without it, one from 'mcbench run --seed N', else a random one; the "
            "stream's state shows it). A range DEST "
            "(239.1.1.1..239.1.1.200:5000) is sent to round robin, each member seeing its own "
            "unbroken sequence. A probe, size, impairment or range without the background "
            "options is a stream the command waits for.",
    .example = "send tx 239.1.1.1:5000 \"hello\"\nsend tx [ff02::1234%mcb0]:5000 hex:c0ffee\n"
               "send tx 239.1.1.1:5000 size:1200 count 100 every 10ms\n"
               "send tx 239.1.1.1:5000 probe rate 1000 pps for 10s\n"
               "send tx 239.1.1.1:5000 probe size 64..1400 rate 20 Mbps\n"
               "send tx 239.1.1.1:5000 probe count 10000 rate 5000 pps drop 5% reorder 2% "
               "seed 7\n"
               "send tx 239.1.1.1..239.1.1.200:5000 probe rate 2000 pps\n"
               "send cli /tmp/mcb.sock \"hi\"",
    .target = SCN_TARGET_OPEN_SOCKET,
    .check = check_send,
    .exec = exec_send,
};
