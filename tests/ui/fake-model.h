/* fake-model.h - a ui_model over fixed data, for golden-file tests of the panes. */
#ifndef FAKE_MODEL_H
#define FAKE_MODEL_H

#include "view.h"

#define FAKE_MAX_SOCKS 8
#define FAKE_MAX_PEERS 64
#define FAKE_MAX_MSGS  64

typedef struct fake_peer {
  ui_peer_view view;
  ui_msg msgs[FAKE_MAX_MSGS]; /* oldest first */
  size_t nmsgs;
} fake_peer;

typedef struct fake_model {
  ui_sock_view socks[FAKE_MAX_SOCKS];
  size_t nsocks;
  fake_peer peers[FAKE_MAX_SOCKS][FAKE_MAX_PEERS];
  size_t npeers[FAKE_MAX_SOCKS];
} fake_model;

void fake_model_bind(fake_model *f, ui_model *src);
ui_sock_view *fake_add_socket(fake_model *f, const char *name, const char *family,
                              const char *local);
/* Sets option `name` (a row of the option table) as shown: fake_set_opt(v, "ttl", "4"). */
void fake_set_opt(ui_sock_view *v, const char *name, const char *value);
fake_peer *fake_add_peer(fake_model *f, size_t sock, const char *src, const char *dst);
/* Adds a message (the pointer is kept: data must outlive the test). */
void fake_add_msg(fake_peer *p, const void *data, size_t len, size_t wire_len, int ttl);

#endif
