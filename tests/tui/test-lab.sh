#!/bin/sh
# test-lab.sh - the TUI with the virtual lab: a datagram that arrived at a socket in a lab
# host names the interface it came in on as that host knows it (h2-r2), not whatever
# has the same index in mcbench's own namespace, and so does the ifaces view (i); a recording begun once a lab exists
# starts by declaring it (nodes, links, routes, sockets `on` their host) and replays;
# `lab exec` typed at the prompt shows its result, and its program's output in the log.
# The event log (E) shows a switch's group table changes, and under plain --private (no
# lab verb) the default link's IGMP reports.
. "$(dirname "$0")/lib.sh"
need tmux

start 100 40 --private play --delay 0 "$SRC/scenarios/examples/lab-ttl.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
wait_for ": on host h[0-9] \|" # the selected socket says which lab host it lives in
wait_for "far: 10\.0\.[0-9]+\.[0-9]+:[0-9]+ → 239\.1\.2\.1:5010"
wait_for "on h2-r2 [0-9]+B ttl 1"
wait_for "\[private netns\] \[lab host h[0-9]\]" # the title names the selected socket's host
keys i # the interfaces of the selected socket's lab host, as that host sees them
wait_for "interfaces of lab host h[0-9]: [0-9]+"
wait_for "[0-9]+ h[0-9]-[a-z0-9]+ +UP"
keys q
i=0
while [ $i -lt 100 ] && screen | grep -q "interfaces of"; do sleep 0.05; i=$((i + 1)); done
keys q y
wait_exit 0

start 100 40 --private
wait_for "welcome"
for c in "lab host h1" "lab router r1" "lab host h2" "lab link h1 r1 ttl-threshold 3" \
  "lab link r1 h2 loss 2.5%" "lab route r1 239.1.9.9 from h1 to h2" "open far udp4 on h2" \
  "bind far :5009" "join far 239.1.9.9" "record $WORK/lab.mcb" "open near udp4 on h1" \
  "record off"; do
  cmd "$c"
done
wait_for "recording stopped"
# lab exec from the prompt: its result on the status line, the program's output (run in
# h2, so h2's link) in the event log
cmd "lab exec h2 -- ip -br link"
wait_for "PASS lab exec h2 -- ip -br link"
keys E
wait_for "h2\| h2-r1@"
keys E
keys q y
wait_exit 0
for line in "lab host h1" "lab router r1" "lab link h1 r1 ttl-threshold 3" \
  "lab link r1 h2 loss 2.5%" "lab route r1 239.1.9.9 from h1 to h2" "open far udp4 on h2" \
  "join far 239.1.9.9" "open near udp4 on h1"; do
  grep -qx "$line" "$WORK/lab.mcb" || { cat "$WORK/lab.mcb"; fail "the recording lacks: $line"; }
done
! grep -q "lab host local\|lab link local" "$WORK/lab.mcb" || fail "the default hosts were declared"
"$MCBENCH" run --private "$WORK/lab.mcb" >"$WORK/replay.txt" 2>&1 ||
  { cat "$WORK/replay.txt"; fail "the recording does not replay"; }

# The lab's IGMP/MLD watcher writes into the event log (E), the sender's node first.
start 120 40 --private play --delay 0 "$SRC/scenarios/examples/lab-igmp.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 30
keys E
wait_for "event log: [0-9]+ messages"
wait_for "lab: h2 leaves 239\.1\.3\.1 \(IGMPv2\) on h2-lan"
wait_for "lab: lan queries 239\.1\.3\.1 \(IGMPv3\) on h2-lan"
wait_for "lab: h2 reports join ff05::3:1 \(MLDv2, exclude \{\}\) on h2-lan"
keys q
i=0
while [ $i -lt 100 ] && screen | grep -q "event log:"; do sleep 0.05; i=$((i + 1)); done
keys q y
wait_exit 0

# A switch's events in the event log: its group table gets the group on h2's port.
start 120 40 --private play --delay 0 "$SRC/scenarios/examples/lab-snooping.mcb"
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors" 40
keys E
wait_for "event log: [0-9]+ messages"
wait_for "lab: s1 removes 239\.1\.6\.1 on port s1-join1 \(after join1's leave\)"
keys q
i=0
while [ $i -lt 100 ] && screen | grep -q "event log:"; do sleep 0.05; i=$((i + 1)); done
keys q y
wait_exit 0

# Plain --private, no lab verb: a join typed at the prompt shows local's report in E.
start 120 40 --private
wait_for "welcome"
for c in "open rx udp4" "bind rx :5000" "join rx 239.1.1.7"; do cmd "$c"; done
keys E
wait_for "lab: local reports join 239\.1\.1\.7 \(IGMPv3, exclude \{\}\) on mcb0"
keys q
i=0
while [ $i -lt 100 ] && screen | grep -q "event log:"; do sleep 0.05; i=$((i + 1)); done
keys q y
wait_exit 0
echo OK
