#!/bin/sh
# test-doctor.sh - `:doctor` in the TUI: the diagnosis runs on the TUI's loop (the screen
# stays live), its results show in an overlay with the verdict, Esc closes it, and
# `doctor off` stops one that is watching the counters.
. "$(dirname "$0")/lib.sh"
need tmux

start 100 30 --private
wait_for "welcome"
cmd "open rx udp4"
cmd "bind rx :5000"
cmd "join rx 239.1.1.1 on mcb0"
cmd "doctor 239.1.1.1:5000 on mcb0"
wait_for "doctor \(Esc closes"
wait_for "PASS membership +239\.1\.1\.1 is joined on mcb0"
wait_for "PASS socket-bind"
keys Escape
i=0 # Esc closes the overlay (ncurses waits a moment to tell Esc from a key sequence)
while screen | grep -q "doctor (Esc closes" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
absent "doctor \(Esc closes"
# a long watch, stopped: the checks so far still show, the watch says it was stopped
cmd "doctor 239.1.1.1:5000 on mcb0 wait 20s"
wait_for "doctor: checking and watching"
cmd "doctor off"
wait_for "doctor: stopped"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do keys Down; done
wait_for "SKIP watch +stopped before the wait was over"
keys Escape
cmd "doctor nonsense"
wait_for "bad address 'nonsense'"
cmd "doctor /tmp/socket"
wait_for "'/tmp/socket' is not GROUP or GROUP:PORT"
keys q
wait_for "Quit"
keys y
i=0
while [ ! -f "$WORK/exit" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
grep -q "EXIT=0" "$WORK/exit" || fail "mcbench did not exit cleanly: $(cat "$WORK/exit" 2>/dev/null)"
echo "PASS: doctor in the TUI"
