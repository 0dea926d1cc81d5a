/* keys.h - the default key bindings: each key runs a command of the scenario language.
 *
 * As in tmux, a binding is a command string, so everything a key does can be typed at
 * the ':' prompt or scripted. ${SOCKET} stands for the selected socket; keys that need
 * an argument open the prompt pre-filled (`prompt "join ${SOCKET} "`), so the operator
 * learns the language by using the keys.
 */
#ifndef UI_KEYS_H
#define UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Keys beyond plain characters, independent of curses (tui.c maps them). */
enum ui_key {
  UI_KEY_UP = 0x110000,
  UI_KEY_DOWN,
  UI_KEY_LEFT,
  UI_KEY_RIGHT,
  UI_KEY_HOME,
  UI_KEY_END,
  UI_KEY_PGUP,
  UI_KEY_PGDN,
  UI_KEY_BACKSPACE,
  UI_KEY_DELETE,
  UI_KEY_ENTER,
  UI_KEY_TAB,
  UI_KEY_BTAB,
  UI_KEY_ESC,
  UI_KEY_RESIZE,
  UI_KEY_CTRL_A,
  UI_KEY_CTRL_E,
  UI_KEY_CTRL_K,
  UI_KEY_CTRL_U,
  UI_KEY_CTRL_W,
  UI_KEY_CTRL_C,
  UI_KEY_CTRL_L,
  UI_KEY_MOUSE, /* a click: see tui_mouse() */
};

/* Where a binding applies: anywhere, or only with the focus on the sockets pane or on
 * the peers. Movement keys (arrows, hjkl) move in every pane, so no pane may bind them
 * to anything else (the key plan in docs/architecture.md). */
typedef enum ui_scope { UI_SCOPE_ANY, UI_SCOPE_SOCKETS, UI_SCOPE_PEERS } ui_scope;

typedef struct ui_binding {
  int key;
  ui_scope scope;
  const char *name;    /* as shown in help: "j", "Tab", "PgUp" */
  const char *command; /* a command line; ${SOCKET} is the selected socket */
  const char *help;
} ui_binding;

/* The bindings, ending with a zero entry. */
const ui_binding *ui_bindings(void);
/* The binding of key with the focus on the sockets pane (peers false) or the peers. */
const ui_binding *ui_binding_for(int key, bool peers);
/* The first binding that runs exactly this command, or NULL (the footer's hints). */
const ui_binding *ui_binding_of(const char *command);
/* The question a binding asks before it runs ("Close socket %s?", %s the selected
 * socket), or NULL: keys whose effect cannot be undone ask first (y runs them). */
const char *ui_binding_ask(const ui_binding *b);
/* "Up", "j", "Space"... */
const char *ui_key_name(int key, char *buf, size_t size);

#endif
