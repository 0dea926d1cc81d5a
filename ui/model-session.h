/* model-session.h - the ui_model that reads a live scenario session. */
#ifndef UI_MODEL_SESSION_H
#define UI_MODEL_SESSION_H

#include "session.h"
#include "view.h"

void ui_model_session(ui_model *src, scn_session *s);

/* model-lab.c: the lab's side of the model. The rank of the host socket ss lives on, so
 * the sockets pane groups sockets by host: the default host first, then the lab's nodes
 * in the order they were declared (0 for every socket outside a lab). */
size_t ui_lab_rank(const scn_session *s, const scn_sock *ss);
/* The name of the host ss lives on, escaped, for the HOST column: its node, or the
 * default host ("local") for a socket opened without `on` once a lab exists; "" outside
 * a lab. */
void ui_lab_host(const scn_session *s, const scn_sock *ss, char *out, size_t size);
/* The topology pane's snapshot (ui_model.topology; arg is the session). */
void ui_lab_topology(void *arg, ui_topo_view *out);

#endif
