#!/bin/sh
# test-examples.sh - every bundled example played at 80x24, the classroom size, to its
# end: the final screen shows the verdict with no failure, ENDED in the title badge
# (which the title never runs into), the sockets pane with its NAME, STATE, RX, TX and
# GROUPS columns; leaving prints the verdict.
. "$(dirname "$0")/lib.sh"
need tmux

for f in "$SRC"/scenarios/examples/*.mcb; do
  name=$(basename "$f")
  [ "$name" = tour.mcb ] && continue # tests/tui/test-tour.sh checks it pause by pause
  start 80 24 --private play --delay 0 "$f"
  wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
  wait_for "ENDED +[0-9]+ passed 0 failed *$"
  wait_for "NAME +(FAM +)?LOCAL +STATE .* RX +TX GROUPS"
  absent "FAIL "
  keys q y
  wait_exit 0
  wait_for "^${name%.mcb}\.mcb: [0-9]+ passed, 0 failed$"
  echo "$name: OK"
done
echo OK
