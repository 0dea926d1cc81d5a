#!/bin/sh
# test-topology.sh - the topology pane (m) on the real binary at 80x24: after playing
# lab-ttl.mcb it draws every node with its kind, the sockets living on each host and the
# groups they joined; a link's packet counter moves while datagrams cross it (refreshed on
# the redraw timer, no key pressed); the sockets pane lists sockets by host; `m` hides it,
# `lab show` typed at the prompt opens it; a taller terminal shows the peer panes below
# it; without a lab it says how to make one.
. "$(dirname "$0")/lib.sh"
need tmux

# The number the r2 -> h2 link shows in the direction of h2 (packets r2 sent into it).
to_h2() { screen | sed -n 's/.*\[[^0-9]* *\([0-9][0-9]*\) .*h2 host \[far\].*/\1/p' | head -1; }

start 80 24 --private play --delay 0 "$SRC/scenarios/examples/lab-ttl.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
# the sockets pane: a HOST column, sockets grouped by host in the lab's order
wait_for "HOST NAME"
screen | grep -E "^│h1 +tx " >/dev/null || fail "tx is not listed on host h1"
order=$(screen | sed -n 's/^│\(h[0-9]\) .*/\1/p' | tr '\n' ' ')
[ "$order" = "h1 h3 h2 " ] || fail "sockets not grouped in the lab's order: $order"
keys m
wait_for "lab topology: 8 nodes, 6 links"
wait_for "local host \(default\)"
wait_for "lan switch \(querier off\)"
wait_for "r1 router"
wait_for "r2 router"
wait_for "h3 host \[near\] joined 239\.1\.2\.1@h3-lan"
wait_for "h2 host \[far\] joined 239\.1\.2\.1@h2-r2"
before=$(to_h2)
[ -n "$before" ] || fail "no counter on the link to h2"
# 30 datagrams with TTL 3 (set by the scenario) cross r1 and r2 to h2; the pane stays
# while the command is typed, and its counter moves without a key
cmd 'send tx 239.1.2.1:5010 "moving" count 30 every 20ms'
i=0
while [ $i -lt 100 ]; do
  now=$(to_h2)
  [ -n "$now" ] && [ "$now" -ge $((before + 30)) ] && break
  sleep 0.1
  i=$((i + 1))
done
[ $i -lt 100 ] || fail "the counter on the link to h2 stayed at ${now:-?} (was $before)"
keys m
i=0
while [ $i -lt 100 ] && screen | grep -q "lab topology"; do sleep 0.05; i=$((i + 1)); done
absent "lab topology"
cmd "lab show h2"
wait_for "lab topology: 8 nodes"
keys q y
wait_exit 0

# a taller terminal keeps the peer panes below the map
start 120 48 --private play --delay 0 "$SRC/scenarios/examples/lab-ttl.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
keys m
wait_for "lab topology: 8 nodes, 6 links"
wait_for "h2 host \[far\] via h2-r2 joined 239\.1\.2\.1@h2-r2"
wait_for "far: 10\.0\.[0-9]+\.[0-9]+:[0-9]+ → 239\.1\.2\.1:5010"
keys q y
wait_exit 0

# no lab: the pane says how to make one
start 80 24 --private
wait_for "welcome"
keys m
wait_for "no lab yet: at the : line, lab host h1"
wait_for "mcbench play --private scenarios/examples/lab-ttl.mcb"
cmd "topology off"
i=0
while [ $i -lt 100 ] && screen | grep -q "no lab yet"; do sleep 0.05; i=$((i + 1)); done
absent "no lab yet"
keys q
wait_exit 0

# a link's impairments follow the node below it; in play, what the scenario's own
# commands printed (lab-ttl ends with lab show r2 and lab trace) is in the event log
start 80 24 --private play --delay 0 "$SRC/scenarios/examples/lab-dup.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
keys m
wait_for "h2 host \[rx\] \(link dup 20%\)"
keys q y
wait_exit 0
start 100 40 --private play --delay 0 "$SRC/scenarios/examples/lab-ttl.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
keys E
wait_for "5 h2 \(host\); arrived"
absent 'arrived\\n'
keys Escape q y
wait_exit 0
echo OK
