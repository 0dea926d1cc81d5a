#!/bin/sh
# test-interactive.sh - the interactive bench end to end: keys and the ':' line open,
# bind and join; datagrams from socat and Node.js appear in the right peer pane with
# the right destination group and TTL; hex view; drop stops them; loopback toggles; a
# hostile payload is shown escaped; a mouse click selects; errors show on the status
# line; resizing; quitting.
. "$(dirname "$0")/lib.sh"
need tmux socat node nsenter

start 100 32 --private
wait_for "welcome"

# keys that need an argument open the prompt pre-filled with the command
keys o
wait_for "^:open$"
keys -l "rx udp4 reuse"
keys Enter
wait_for "rx +udp4 +\(unbound\) +open"
cmd "bind rx :5000"
wait_for "rx +udp4 +0\.0\.0\.0:5000 +bound"
keys J
wait_for "^:join rx$"
keys -l "239.1.1.1"
keys Enter
wait_for "groups 239\.1\.1\.1"

# socat sends to the group with TTL 5: a pane opens for it
printf 'hello from socat' | in_bench_ns socat -u - UDP4-DATAGRAM:239.1.1.1:5000,ip-multicast-ttl=5
wait_for "→ 239\.1\.1\.1:5000"
wait_for "→239\.1\.1\.1:5000 on mcb0 16B ttl 5 hello from socat" # the arrival interface

# Node.js dgram, the API mcbench grew from, sends with TTL 3
in_bench_ns node -e '
const s = require("dgram").createSocket("udp4");
s.bind(() => { s.setMulticastTTL(3); s.send("from node.js", 5000, "239.1.1.1", () => s.close()); });'
wait_for "12B ttl 3 from node\.js"

# the hex view
keys v
wait_for "0000  68 65 6c 6c 6f 20 66 72 6f 6d 20 73 6f 63 61 74  hello from socat"
keys v
wait_for "ttl 5 hello from socat"

# a hostile payload: escape sequences that would set the title and clear the screen
printf '\033]2;pwned\007\033[2J\033[31mred' | in_bench_ns socat -u - UDP4-DATAGRAM:239.1.1.1:5000
wait_for '\\x1b\]2;pwned\\x07\\x1b\[2J\\x1b\[31mred'
[ "$($T display -p -t bench '#{pane_title}')" != pwned ] || fail "the payload set the title"

# drop: nothing more arrives
cmd "drop rx 239.1.1.1"
wait_for "groups none"
printf 'after drop' | in_bench_ns socat -u - UDP4-DATAGRAM:239.1.1.1:5000
sleep 0.5
absent "after drop"

# loopback: select tx with a mouse click on its row (row 4: title, frame, header, rx),
# then toggle with L
cmd "open tx udp4"
wait_for "tx +udp4"
keys -l "$(printf '\033[M %%%%')" # X10 mouse: button 1 pressed at x=4, y=4
keys -l "$(printf '\033[M#%%%%')" # released
wait_for "^│tx: "
keys Up
wait_for "^│rx: "
keys Down
wait_for "^│tx: "
# hjkl move in the sockets pane too: j and k select, h and l change nothing
keys k
wait_for "^│rx: "
keys j
wait_for "^│tx: "
keys l h
sleep 0.3
wait_for "tx +udp4 .* 64 +1 on +off"
absent "^:"
keys L
wait_for "tx +udp4 .* 64 +1 off +off"
keys L
wait_for "tx +udp4 .* 64 +1 on +off"

# an error shows on the status line and changes nothing
cmd "join rx 10.0.0.1"
wait_for "error: join 10\.0\.0\.1: not a multicast address \(EINVAL\)"
cmd "bind tx :0"
wait_for "tx bound to 0\.0\.0\.0:[0-9]+"

# resize: too small, then back
$T resize-window -t bench -x 60 -y 20
wait_for "terminal too small"
$T resize-window -t bench -x 100 -y 32
wait_for "sockets \(2\)"

# q asks while sockets are open
keys q
wait_for "Quit anyway\? \(y/n\)"
keys n
wait_for "quit cancelled"
keys q
keys y
wait_exit 0
echo OK
