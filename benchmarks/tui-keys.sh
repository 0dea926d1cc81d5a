#!/bin/sh
# tui-keys.sh MCBENCH - benchmark: how soon the TUI reacts to a key while a flood of
# datagrams pours into the socket on screen. Runs mcbench --private in tmux, floods it
# from a second mcbench inside the same private namespace, presses v (text/hex) several
# times and reports how long each took to show, as seen through tmux (so an upper bound).
set -u
MCBENCH=${1:?usage: tui-keys.sh MCBENCH}
T="tmux -L mcbbench-$$"
trap '$T kill-server 2>/dev/null' EXIT
now_ms() { date +%s%3N; }

$T new-session -d -s b -x 120 -y 40 "$MCBENCH --private; sleep 5"
sleep 1
pid=$(pgrep -P "$($T display -p -t b '#{pane_pid}')" -x mcbench)
[ -n "$pid" ] || { echo "SKIP: mcbench did not start"; exit 77; }
if [ "$(id -u)" = 0 ]; then ns="nsenter -t $pid -n"; else ns="nsenter -t $pid -U -n --preserve-credentials"; fi
$T send-keys -t b ':' 'open rx udp4; bind rx 127.0.0.1:7300' Enter
sleep 0.5
# the flood: 60 s at most, 2 million datagrams at most
$ns timeout 60 "$MCBENCH" run --timeout 60s \
  -e 'open tx udp4; send tx 127.0.0.1:7300 size:64 count 2000000 every 20us; wait 59s' >/dev/null 2>&1 &
sleep 2
total=0 worst=0 n=0
for i in 1 2 3 4 5 6 7 8 9 10; do
  before=$($T capture-pane -p -t b | grep -c "0000  61 62")
  t0=$(now_ms)
  $T send-keys -t b v
  while :; do
    after=$($T capture-pane -p -t b | grep -c "0000  61 62")
    [ "$after" != "$before" ] && break
    [ $(( $(now_ms) - t0 )) -gt 5000 ] && { echo "no reaction within 5 s"; exit 1; }
  done
  dt=$(( $(now_ms) - t0 ))
  total=$((total + dt)); n=$((n + 1)); [ $dt -gt $worst ] && worst=$dt
done
# the peer pane's counter: what rx had received by the end
rx=$($T capture-pane -p -t b | grep -o "[0-9]* msgs" | head -n 1)
echo "key to screen under flood: mean $((total / n)) ms, worst $worst ms over $n presses (rx: ${rx:-?} received meanwhile)"
