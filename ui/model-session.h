/* model-session.h - the ui_model that reads a live scenario session. */
#ifndef UI_MODEL_SESSION_H
#define UI_MODEL_SESSION_H

#include "session.h"
#include "view.h"

void ui_model_session(ui_model *src, scn_session *s);

#endif
