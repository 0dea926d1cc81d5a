#!/bin/sh
# test-play.sh - `mcbench play`: a scenario runs to its end in the TUI with narration and
# results, the screen stays for inspection, and the exit status follows `run`'s rule. The
# guided tour (make run) is played through, pressing Space at each pause.
. "$(dirname "$0")/lib.sh"
need tmux

start 100 32 --private play --delay 0 "$SRC/scenarios/examples/ttl.mcb"
wait_for "ttl: the TTL a sender sets" # the title comes from the first comment line
wait_for "scenario finished: 8 passed, 0 failed, 0 errors" 30
wait_for "8 passed 0 failed"
wait_for "rx +udp4 +0\.0\.0\.0:5002 +bound"
keys q
wait_for "Quit anyway"
keys y
wait_exit 0


# a failing scenario: exit status 1
start 160 32 --private play --delay 0 "$SRC/tests/e2e/must-fail.mcb"
wait_for "scenario finished: 1 passed, 1 failed" 30
wait_for "first failure: must-fail.mcb:14: expect rx received == 2 within 300ms"
keys q y
wait_exit 1


# the tour: Space at each pause until it ends
start 100 32 --private play --delay 0 "$SRC/scenarios/examples/tour.mcb"
wait_for "Welcome to mcbench"
wait_for "PAUSED"
# the operator types while the scenario waits at its pause
cmd "open mine udp4"
wait_for "mine +udp4 +\(unbound\) +open"
i=0
while [ $i -lt 300 ] && ! screen | grep -q "scenario finished"; do
  screen | grep -q "PAUSED" && keys Space
  sleep 0.1
  i=$((i + 1))
done
wait_for "scenario finished: 11 passed, 0 failed, 0 errors"
wait_for "Tour done"
keys q y
wait_exit 0
echo OK
