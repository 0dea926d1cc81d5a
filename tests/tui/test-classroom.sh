#!/bin/sh
# test-classroom.sh - the keys a class and its teacher use, at 80x24: a socket just
# opened is selected; a socket bound by its first send reads "bound (implicit)"; w
# watches every receiving socket and p pins the peer panes to one, whatever is
# selected; x asks before closing, and a closed socket leaves the list; E shows the
# event log with times.
. "$(dirname "$0")/lib.sh"
need tmux

start 80 24 --private
wait_for "welcome"
cmd "open rx udp4"
cmd "bind rx :5000"
cmd "join rx 239.1.1.1"
cmd "open tx udp4"
wait_for "^│tx: " # the socket just opened is selected
cmd 'send tx 239.1.1.1:5000 "hello class"'
wait_for "tx +0\.0\.0\.0:[0-9]+… +bound \(impl" # the column is cut at 80x24 ...
wait_for "^│tx: bound by its first send \| groups none" # ... the details say it
wait_for "peers of tx" # the sender has no peers of its own

# w: every receiving socket's peers, whatever is selected; w again: the selected one's
keys w
wait_for "rx: 10\.99\.0\.[12]:[0-9]+ → 239\.1\.1\.1:5000"
wait_for "hello class"
keys w
wait_for "peers of tx"

# p pins the panes to the selected socket; moving the selection keeps them; p on the
# pinned socket follows the selection again
keys Up
wait_for "^│rx: "
keys p
wait_for "pinned to rx"
keys Down
wait_for "^│tx: "
wait_for "rx: 10\.99\.0\.[12]:[0-9]+ → 239\.1\.1\.1:5000"
keys Up p Down
wait_for "peers of tx"

# x asks first; n keeps the socket, y closes it and it leaves the list
keys x
wait_for "Close socket tx\? \(y/n\)"
keys n
wait_for "cancelled: close tx"
wait_for "sockets \(2\)"
keys x
wait_for "Close socket tx\?"
keys y
wait_for "sockets \(1\)"
absent "^│tx "
# ... and completion no longer offers it
cmd "open tz udp4"
wait_for "^│tz: "
keys ':'
keys -l "close t"
keys Tab
wait_for "^:close tz"
keys Escape
i=0
while [ $i -lt 100 ] && screen | grep -q "^:close"; do sleep 0.05; i=$((i + 1)); done
cmd "close tz"
wait_for "sockets \(1\)"

# E: the event log, with times
keys E
wait_for "event log: [0-9]+ messages"
wait_for "[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} cancelled: close tx"
keys Escape # (curses waits a moment to tell Esc from a key's escape sequence)
i=0
while [ $i -lt 100 ] && screen | grep -q "event log"; do sleep 0.05; i=$((i + 1)); done
absent "event log"
# i: the interfaces with their flags, addresses and the groups joined on each, live
keys i
wait_for "interfaces: [0-9]+"
wait_for "[0-9]+ mcb0 +UP,RUNNING,MULTICAST,BROADCAST +10\.99\.0\.1"
keys q # any key closes the view
i=0
while [ $i -lt 100 ] && screen | grep -q "interfaces:"; do sleep 0.05; i=$((i + 1)); done
cmd "join rx 239.3.3.3 on mcb0"
wait_for "rx joined 239\.3\.3\.3"
cmd "ifaces on"
wait_for "joined: 239\.3\.3\.3"
keys q
i=0
while [ $i -lt 100 ] && screen | grep -q "interfaces:"; do sleep 0.05; i=$((i + 1)); done
keys q y
wait_exit 0
echo OK
