/* source-session.h - the ui_source that reads a live scenario session. */
#ifndef UI_SOURCE_SESSION_H
#define UI_SOURCE_SESSION_H

#include "session.h"
#include "view.h"

void ui_source_session(ui_source *src, scn_session *s);

#endif
