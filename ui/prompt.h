/* prompt.h - the ':' command line: editing, persisted history, Tab completion from the
 * command table and inline help for the verb being typed. Works on ui_state's buffer;
 * knows nothing of curses. */
#ifndef UI_PROMPT_H
#define UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "grammar.h"
#include "state.h"

#define UI_HISTORY_MAX 500

typedef struct ui_history {
  char *lines[UI_HISTORY_MAX]; /* oldest first */
  size_t n;
  size_t pos;                /* browsing position; n when editing a new line */
  char draft[UI_PROMPT_MAX]; /* the line being typed before browsing */
  char path[512];            /* "" when history is not saved */
  char why[MCB_MSG_MAX];     /* why the last line could not be saved */
} ui_history;

/* Loads history from path (NULL or "": kept in memory only). */
void ui_history_init(ui_history *h, const char *path);
void ui_history_free(ui_history *h);
/* Appends a line (skipping repeats of the last one) and saves it, never through a
 * symbolic link. 0, or the error of the save with the reason in h->why. */
int ui_history_add(ui_history *h, const char *line);
/* $XDG_STATE_HOME/mcbench/history, or ~/.local/state/mcbench/history; "" if neither. */
void ui_history_default_path(char *buf, size_t size);

typedef enum ui_prompt_result {
  UI_PROMPT_EDITING,
  UI_PROMPT_SUBMIT,
  UI_PROMPT_CANCEL
} ui_prompt_result;

void ui_prompt_open(ui_state *st, ui_history *h, const char *text, const scn_checker *ck);
/* Handles one key (a character or a UI_KEY_*). On SUBMIT the line is in st->prompt and
 * the prompt is closed by the caller. */
ui_prompt_result ui_prompt_key(ui_state *st, ui_history *h, int key, const scn_checker *ck);
/* Recomputes st->hint for the verb under the cursor. */
void ui_prompt_update_hint(ui_state *st, const scn_checker *ck);
/* Tab: completes the word before the cursor. */
void ui_prompt_complete(ui_state *st, const scn_checker *ck);

#endif
