#!/bin/sh
# test-lab.sh - the TUI with the virtual lab: a datagram that arrived at a socket in a lab
# host names the interface it came in on as that host knows it (h2-r2), not whatever
# has the same index in mcbench's own namespace.
. "$(dirname "$0")/lib.sh"
need tmux

start 100 40 --private play --delay 0 "$SRC/scenarios/examples/lab-ttl.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
keys w # watch every receiving socket
wait_for "far: 10\.0\.[0-9]+\.[0-9]+:[0-9]+ → 239\.1\.2\.1:5010"
wait_for "on h2-r2 [0-9]+B ttl 1"
keys q y
wait_exit 0
echo OK
