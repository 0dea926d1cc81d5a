/* keys.c - the default key bindings (see keys.h); help lists them in this order. */
#include "keys.h"

#include <stdio.h>

#define A    UI_SCOPE_ANY
#define SOCK UI_SCOPE_SOCKETS
#define PEER UI_SCOPE_PEERS
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
    {'h', PEER, "h", "move left", "peer pane to the left"},
    {'j', PEER, "j", "move down", "next peer"},
    {'l', PEER, "l", "move right", "peer pane to the right"},
    {UI_KEY_ENTER, A, "Enter", "focus peers", "select: show the socket's peers"},
    {'o', A, "o", "prompt \"open \"", "open a socket"},
    {'b', A, "b", "prompt \"bind ${SOCKET} \"", "bind the socket"},
    {'s', A, "s", "prompt \"send ${SOCKET} \"", "send datagrams"},
    {'j', SOCK, "j", "prompt \"join ${SOCKET} \"", "join a group (sockets pane)"},
    {'d', A, "d", "prompt \"drop ${SOCKET} \"", "drop a group"},
    {'t', A, "t", "prompt \"set ${SOCKET} ttl \"", "set the unicast TTL"},
    {'T', A, "T", "prompt \"set ${SOCKET} mcast-ttl \"", "set the multicast TTL"},
    {'l', SOCK, "l", "set ${SOCKET} loopback toggle", "toggle loopback (sockets pane)"},
    {'B', A, "B", "set ${SOCKET} broadcast toggle", "toggle broadcast"},
    {'e', A, "e", "set ${SOCKET} echo toggle", "toggle echo (reply to senders)"},
    {'x', A, "x", "close ${SOCKET}", "close the socket"},
    {'r', A, "r", "reset ${SOCKET}", "zero the socket's counters"},
    {'v', A, "v", "view toggle", "payloads as text / hex dump"},
    {'f', A, "f", "freeze toggle", "freeze the selected pane"},
    {'c', A, "c", "clear", "clear the selected pane"},
    {'S', A, "S", "sort next", "peer list order: rate, count, last, address"},
    {UI_KEY_PGUP, A, "PgUp", "scroll pageup", "scroll the pane back"},
    {UI_KEY_PGDN, A, "PgDn", "scroll pagedown", "scroll the pane forward"},
    {UI_KEY_HOME, A, "Home", "scroll top", "oldest messages"},
    {UI_KEY_END, A, "End", "scroll bottom", "newest messages"},
    {' ', A, "Space", "continue", "play: continue after a pause"},
    {'n', A, "n", "step", "play: run one command"},
    {'+', A, "+", "speed faster", "play: faster"},
    {'-', A, "-", "speed slower", "play: slower"},
    {'q', A, "q", "quit", "quit (asks while sockets are open)"},
    {0, A, NULL, NULL, NULL},
};
#undef A
#undef SOCK
#undef PEER

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
