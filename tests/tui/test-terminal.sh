#!/bin/sh
# test-terminal.sh - the terminal around the TUI: colours unless NO_COLOR or --no-color,
# a clear screen when the window is too small (q still quits), and the terminal restored
# (alternate screen left, cursor back) after SIGTERM; a repaint after an outside
# kill -STOP / kill -CONT; a clear message and status 2 when the terminal's input cannot
# be watched (every libuv set-up call is checked).
. "$(dirname "$0")/lib.sh"
need tmux

colours() { $T capture-pane -e -p -t bench | grep -c "$(printf '\033')\[[0-9;]*3[0-7]m" ; }

start 100 32
wait_for "welcome"
[ "$(colours)" -gt 0 ] || fail "no colours by default"
keys q
wait_exit 0

start 100 32 --no-color
wait_for "welcome"
[ "$(colours)" -eq 0 ] || fail "colours despite --no-color"
keys q
wait_exit 0

stop_server
$T new-session -d -s bench -x 100 -y 32 \
  "env NO_COLOR=1 HOME=$WORK $MCBENCH 2>$WORK/stderr; echo EXIT=\$? >$WORK/exit; sleep 30"
wait_for "welcome"
[ "$(colours)" -eq 0 ] || fail "colours despite NO_COLOR"
keys q
wait_exit 0

# input that libuv cannot poll (a regular file): a message, not a hang or a crash
stop_server
rm -f "$WORK/exit" "$WORK/stderr"
echo "not a terminal" >"$WORK/notatty"
$T new-session -d -s bench -x 100 -y 32 \
  "env HOME=$WORK $MCBENCH <$WORK/notatty 2>$WORK/stderr; echo EXIT=\$? >$WORK/exit; sleep 30"
wait_exit 2
grep -q "cannot set up the terminal's event handling: uv_poll_init: .*(EPERM)" "$WORK/stderr" ||
  fail "no message for an input that cannot be polled"
[ "$($T display -p -t bench '#{alternate_on}')" = 0 ] || fail "the alternate screen was not left"

start 60 20
wait_for "terminal too small"
wait_for "60x20: need 80x24"
keys q
wait_exit 0

start 100 32 --private
wait_for "welcome"
cmd "open rx udp4"
wait_for "rx +udp4"
[ "$($T display -p -t bench '#{alternate_on}')" = 1 ] || fail "not on the alternate screen"
# stopped from outside, the screen wiped meanwhile: SIGCONT repaints it
pid=$(bench_pid)
kill -STOP "$pid"
$T send-keys -R -t bench # resets the pane's terminal: the screen goes blank
sleep 0.3
absent "rx +udp4"
kill -CONT "$pid"
wait_for "rx +udp4"
wait_for "sockets \(1\)"
kill -TERM "$(bench_pid)"
wait_exit 0
[ "$($T display -p -t bench '#{alternate_on}')" = 0 ] || fail "the alternate screen was not left"
[ "$($T display -p -t bench '#{cursor_flag}')" = 1 ] || fail "the cursor is still hidden"
echo OK
