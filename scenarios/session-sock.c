/* session-sock.c - the session's socket records: names, the target a command entry
 * declares (resolved before exec with the standard errors), and the send outcomes
 * counted per socket and per error code. */
#include "session-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t scn_session_socket_count(const scn_session *s)
{
  return s->nsocks;
}

void scn_session_ifname(scn_session *s, const scn_sock *ss, unsigned ifindex,
                        char name[IF_NAMESIZE + 8])
{
  mcb_lab *lab = ss->node[0] ? scn_session_lab_if_any(s) : NULL;
  if (lab == NULL || mcb_lab_enter(lab, ss->node) != 0) {
    mcb_ifname(ifindex, name);
    return;
  }
  mcb_ifname(ifindex, name);
  if (mcb_lab_leave(lab) != 0) abort(); /* never go on in the wrong namespace */
}

const scn_sock *scn_session_socket_at(const scn_session *s, size_t i)
{
  return i < s->nsocks ? &s->socks[i] : NULL;
}

scn_sock *scn_find_sock(scn_session *s, const char *name)
{
  for (size_t i = 0; i < s->nsocks; i++)
    if (strcmp(s->socks[i].name, name) == 0) return &s->socks[i];
  return NULL;
}

const scn_sock *scn_session_socket(const scn_session *s, const char *name)
{
  return scn_find_sock((scn_session *)s, name);
}

scn_sock *scn_add_sock(scn_session *s, const char *name)
{
  scn_sock *ss;
  if (s->nsocks == SCN_MAX_NAMES) return NULL;
  ss = &s->socks[s->nsocks++];
  memset(ss, 0, sizeof *ss);
  snprintf(ss->name, sizeof ss->name, "%s", name);
  return ss;
}

scn_sock *scn_need_sock(scn_session *s, const scn_command *cmd, scn_status *st)
{
  const scn_token *t = scn_arg(cmd, "NAME");
  scn_sock *ss = t ? scn_find_sock(s, t->text) : NULL;
  if (ss == NULL || ss->sock == NULL)
    *st = scn_fail(s, cmd, t, UV_ENOENT, "no socket named '%s' (its open failed?)",
                   t ? t->text : "?");
  return ss && ss->sock ? ss : NULL;
}

scn_status scn__resolve_target(scn_session *s, lane *l, const scn_command *cmd)
{
  scn_status st = SCN_ERROR;
  mcb_socket_info info;
  scn_sock *ss;
  if (cmd->entry->target == SCN_TARGET_NONE || scn_arg(cmd, "NAME") == NULL) return SCN_DONE;
  if ((ss = scn_need_sock(s, cmd, &st)) == NULL) return st;
  if (cmd->entry->target == SCN_TARGET_OPEN_SOCKET) {
    mcb_socket_info_get(ss->sock, &info);
    if (info.state == MCB_STATE_CLOSED || info.state == MCB_STATE_CLOSING)
      return scn_fail(s, cmd, scn_arg(cmd, "NAME"), UV_EBADF, "%s %s: socket is closed (EBADF)",
                      cmd->entry->name, ss->name);
  }
  l->target = ss;
  return SCN_DONE;
}

scn_sock *scn_target(scn_session *s)
{
  return s->cur->target;
}

const char *scn_arg_word(const scn_command *cmd, const char *alts)
{
  char word[32];
  for (const char *p = alts; *p;) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    if (n < sizeof word) {
      memcpy(word, p, n);
      word[n] = '\0';
      const scn_token *t = scn_arg(cmd, word);
      if (t != NULL && strcmp(t->text, word) == 0) return t->text;
    }
    p += n + (bar ? 1 : 0);
  }
  return NULL;
}

void scn_count_send(mcb_socket *sock, int status)
{
  scn_sock *ss = mcb_socket_data(sock);
  scn_send_stats *st;
  size_t i;
  if (ss == NULL || ss->sock != sock || status == 0) return;
  st = &ss->send;
  if (status == UV_ECANCELED) {
    st->cancelled++;
    return;
  }
  st->errors++;
  for (i = 0; i < st->ncodes && st->by_code[i].code != status; i++) continue;
  if (i == st->ncodes) {
    if (i == SCN_SEND_CODES) return;
    st->by_code[st->ncodes++].code = status;
  }
  st->by_code[i].n++;
}

void scn_count_cancelled(mcb_socket *sock, uint64_t n)
{
  scn_sock *ss = mcb_socket_data(sock);
  if (ss != NULL && ss->sock == sock) ss->send.cancelled += n;
}

bool scn_session_seed(const scn_session *s, uint64_t *seed)
{
  *seed = s->opts.seed;
  return s->opts.seeded;
}

const char *scn_stream_state_name(scn_stream_state st)
{
  static const char *const names[] = {
      [SCN_STREAM_RUNNING] = "running", [SCN_STREAM_DONE] = "done",
      [SCN_STREAM_STOPPED] = "stopped", [SCN_STREAM_CANCELLED] = "cancelled",
      [SCN_STREAM_FAILED] = "failed",
  };
  return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

scn_stream_stat *scn_stream_add(scn_sock *ss)
{
  scn_send_stats *st = &ss->send;
  scn_stream_stat *r;
  if (st->nstreams == SCN_MAX_STREAMS) {
    size_t i;
    for (i = 0; i < st->nstreams && st->streams[i].state == SCN_STREAM_RUNNING; i++) continue;
    if (i == st->nstreams) return NULL;
    memmove(&st->streams[i], &st->streams[i + 1], (st->nstreams - i - 1) * sizeof st->streams[0]);
    st->nstreams--;
  }
  r = &st->streams[st->nstreams++];
  memset(r, 0, sizeof *r);
  r->id = ++st->next_stream;
  return r;
}

scn_stream_stat *scn_stream_find(mcb_socket *sock, unsigned id)
{
  scn_sock *ss = mcb_socket_data(sock);
  if (ss == NULL || ss->sock != sock) return NULL;
  for (size_t i = 0; i < ss->send.nstreams; i++)
    if (ss->send.streams[i].id == id) return &ss->send.streams[i];
  return NULL;
}
