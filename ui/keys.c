/* keys.c - the default key bindings (see keys.h); help lists them in this order. The
 * key plan in docs/architecture.md says which keys move, which open the ':' line and
 * which act at once, and which are reserved; tests/ui/test-keys.c checks this table
 * against it. */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "ui-words.h"

#define A UI_SCOPE_ANY
static const ui_binding bindings[] = {
    {':', A, ":", "prompt", "type a command (Tab completes, Up recalls)"},
    {'?', A, "?", "help", "help: keys and commands"},
    {UI_KEY_TAB, A, "Tab", "focus next", "move the focus: sockets, peers"},
    {UI_KEY_BTAB, A, "S-Tab", "focus prev", "move the focus back"},
    {UI_KEY_UP, A, "Up", "move up", "previous socket / peer"},
    {UI_KEY_DOWN, A, "Down", "move down", "next socket / peer"},
    {UI_KEY_LEFT, A, "Left", "move left", "peer pane to the left"},
    {UI_KEY_RIGHT, A, "Right", "move right", "peer pane to the right"},
    {'k', A, "k", "move up", "previous socket / peer"},
    {'j', A, "j", "move down", "next socket / peer"},
    {'h', A, "h", "move left", "peer pane to the left"},
    {'l', A, "l", "move right", "peer pane to the right"},
    {UI_KEY_ENTER, A, "Enter", "focus peers", "select: show the socket's peers"},
    {'o', A, "o", "prompt \"open \"", "open a socket"},
    {'b', A, "b", "prompt \"bind ${SOCKET} \"", "bind the socket"},
    {'s', A, "s", "prompt \"send ${SOCKET} \"", "send datagrams"},
    {'J', A, "J", "prompt \"join ${SOCKET} \"", "join a group"},
    {'d', A, "d", "prompt \"drop ${SOCKET} \"", "drop a group"},
    {'t', A, "t", "prompt \"set ${SOCKET} ttl \"", "set the unicast TTL"},
    {'T', A, "T", "prompt \"set ${SOCKET} mcast-ttl \"", "set the multicast TTL"},
    {'L', A, "L", "set ${SOCKET} loopback toggle", "toggle loopback"},
    {'B', A, "B", "set ${SOCKET} broadcast toggle", "toggle broadcast"},
    {'e', A, "e", "set ${SOCKET} echo toggle", "toggle echo (reply to senders)"},
    {'x', A, "x", "close ${SOCKET}", "close the socket (asks first)"},
    {'r', A, "r", "reset ${SOCKET}", "zero the socket's counters"},
    {'R', A, "R", "prompt \"report ${SOCKET} \"", "traffic statistics (FILE: write them)"},
    {'z', A, "z", "stop ${SOCKET}", "stop the socket's send streams"},
    {'v', A, "v", "view toggle", "payloads as text / hex dump"},
    {'f', A, "f", "freeze toggle", "freeze the selected pane"},
    {'c', A, "c", "clear", "clear the selected pane"},
    {'S', A, "S", "sort next", "peer list order: " SCN_UI_SORTS(SCN_UI_WORD, ", ")},
    {UI_KEY_PGUP, A, "PgUp", "scroll pageup", "scroll the pane back"},
    {UI_KEY_PGDN, A, "PgDn", "scroll pagedown", "scroll the pane forward"},
    {UI_KEY_HOME, A, "Home", "scroll top", "oldest messages"},
    {UI_KEY_END, A, "End", "scroll bottom", "newest messages"},
    {' ', A, "Space", "continue", "play: continue after a pause"},
    {'n', A, "n", "step", "play: run one command"},
    {'+', A, "+", "speed faster", "play: faster"},
    {'-', A, "-", "speed slower", "play: slower"},
    {'q', A, "q", "quit", "quit (asks while sockets are open)"},
    {'w', A, "w", "watch toggle", "peer panes: every receiving socket / the selected"},
    {'p', A, "p", "watch ${SOCKET}", "pin the peer panes to this socket (again: unpin)"},
    {'E', A, "E", "log toggle", "the event log: last 100 messages with times"},
    {'i', A, "i", "ifaces toggle", "interfaces: flags, addresses, groups joined"},
    {'m', A, "m", "topology toggle", "lab map: nodes, links, packet counters, groups"},
    {0, A, NULL, NULL, NULL},
};
#undef A

/* The commands a key runs only after a yes. */
static const struct {
  const char *command, *question;
} asks[] = {
    {"close ${SOCKET}", "Close socket %s?"},
};

const char *ui_binding_ask(const ui_binding *b)
{
  for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++)
    if (strcmp(asks[i].command, b->command) == 0) return asks[i].question;
  return NULL;
}

const ui_binding *ui_bindings(void)
{
  return bindings;
}

const ui_binding *ui_binding_for(int key, bool peers)
{
  ui_scope here = peers ? UI_SCOPE_PEERS : UI_SCOPE_SOCKETS;
  const ui_binding *any = NULL;
  for (const ui_binding *b = bindings; b->command; b++) {
    if (b->key != key) continue;
    if (b->scope == here) return b;
    if (b->scope == UI_SCOPE_ANY && any == NULL) any = b;
  }
  return any;
}

const ui_binding *ui_binding_of(const char *command)
{
  for (const ui_binding *b = bindings; b->command; b++)
    if (strcmp(b->command, command) == 0) return b;
  return NULL;
}

const char *ui_key_name(int key, char *buf, size_t size)
{
  const ui_binding *b = ui_binding_for(key, false);
  if (b)
    snprintf(buf, size, "%s", b->name);
  else if (key >= 0x21 && key < 0x7f)
    snprintf(buf, size, "%c", key);
  else
    snprintf(buf, size, "key %d", key);
  return buf;
}
