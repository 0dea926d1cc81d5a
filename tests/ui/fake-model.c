/* fake-model.c - fixed data behind the ui_model interface (see fake-model.h). */
#include "fake-model.h"

#include <stdio.h>
#include <string.h>

#include "sockopt.h"

#define T0 1700000000000000000LL /* 2023-11-14 22:13:20 UTC */

static size_t socket_count(void *arg)
{
  return ((fake_model *)arg)->nsocks;
}

static bool socket_at(void *arg, size_t i, ui_sock_view *out)
{
  fake_model *f = arg;
  if (i >= f->nsocks) return false;
  *out = f->socks[i];
  return true;
}

static size_t peers(void *arg, size_t i, ui_peer_view *out, size_t max)
{
  fake_model *f = arg;
  size_t n = 0;
  for (; i < f->nsocks && n < f->npeers[i] && n < max; n++) out[n] = f->peers[i][n].view;
  return n;
}

static size_t messages(void *arg, size_t i, uint64_t id, uint64_t max_seq, ui_msg *out, size_t max)
{
  fake_model *f = arg;
  size_t n = 0;
  for (size_t k = 0; i < f->nsocks && k < f->npeers[i]; k++) {
    fake_peer *p = &f->peers[i][k];
    if (p->view.id != id) continue;
    for (size_t m = p->nmsgs; m-- > 0 && n < max;)
      if (p->msgs[m].seq <= max_seq) out[n++] = p->msgs[m];
  }
  return n;
}

void fake_model_bind(fake_model *f, ui_model *src)
{
  src->arg = f;
  src->socket_count = socket_count;
  src->socket = socket_at;
  src->peers = peers;
  src->messages = messages;
}

ui_sock_view *fake_add_socket(fake_model *f, const char *name, const char *family,
                              const char *local)
{
  ui_sock_view *v = &f->socks[f->nsocks++];
  memset(v, 0, sizeof *v);
  snprintf(v->name, sizeof v->name, "%s", name);
  snprintf(v->family, sizeof v->family, "%s", family);
  snprintf(v->local, sizeof v->local, "%s", local);
  snprintf(v->state, sizeof v->state, "bound");
  v->ip = strcmp(family, "unix") != 0;
  /* Every option at its table default: what a new socket shows. */
  mcb_family fam = MCB_UDP4;
  mcb_family_parse(family, &fam);
  for (size_t i = 0; i < UI_MAX_OPTS && scn_option_at(i) != NULL; i++) {
    const mcb_option *o = scn_option_at(i);
    mcb_optval val = {.valid = true, .num = o->fallback};
    if (mcb_option_applies(o, fam)) mcb_option_format(o, &val, v->opts[i], UI_OPT_MAX);
  }
  return v;
}

void fake_set_opt(ui_sock_view *v, const char *name, const char *value)
{
  for (size_t i = 0; i < UI_MAX_OPTS && scn_option_at(i) != NULL; i++)
    if (scn_option_at(i) == scn_option_find(name)) snprintf(v->opts[i], UI_OPT_MAX, "%s", value);
}

fake_peer *fake_add_peer(fake_model *f, size_t sock, const char *src, const char *dst)
{
  fake_peer *p = &f->peers[sock][f->npeers[sock]++];
  memset(p, 0, sizeof *p);
  p->view.id = sock * 1000 + f->npeers[sock];
  snprintf(p->view.src, sizeof p->view.src, "%s", src);
  snprintf(p->view.dst, sizeof p->view.dst, "%s", dst);
  p->view.last_ttl = -1;
  return p;
}

void fake_add_msg(fake_peer *p, const void *data, size_t len, size_t wire_len, int ttl)
{
  ui_msg *m = &p->msgs[p->nmsgs++];
  m->seq = p->nmsgs;
  m->real_ns = T0 + (int64_t)p->nmsgs * 250000000LL;
  m->len = len;
  m->wire_len = wire_len;
  m->truncated = false;
  m->ttl = ttl;
  m->data = data;
  p->view.msgs++;
  p->view.bytes += wire_len;
  p->view.last_ttl = ttl;
  p->view.last_real_ns = m->real_ns;
  p->view.last_seen_ns = (uint64_t)m->real_ns;
}
