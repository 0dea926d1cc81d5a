#!/bin/sh
# test-tour.sh - the guided tour played at 80x24, the classroom size: at each pause the
# screen shows what the narration talks about. The tour says what with `#@ screen REGEX`
# lines before each pause; this script captures the screen at every pause and checks
# them, in order. The pace shown for + and -, the footer, the badge and the line
# printed on exit are checked too.
. "$(dirname "$0")/lib.sh"
need tmux

TOUR="$SRC/scenarios/examples/tour.mcb"
# the annotations of pause k (1-based): the #@ lines between pause k-1 and pause k
expect_at() {
  awk -v k="$1" '/^pause/ { n++; next } n == k - 1 && /^#@ screen / { sub(/^#@ screen /, ""); print }' "$TOUR"
}
pauses=$(grep -c '^pause' "$TOUR")

start 80 24 --private play --delay 100ms "$TOUR"
k=1
while [ $k -le "$pauses" ]; do
  wait_for "PAUSED" 30
  screen >"$WORK/pause-$k.txt"
  expect_at $k >"$WORK/want-$k.txt"
  [ -s "$WORK/want-$k.txt" ] || fail "pause $k has no #@ screen line"
  if [ $k -eq 1 ]; then # + and - say the pace they set, in the badge
    wait_for "PAUSED 100ms/cmd"
    keys +
    wait_for "PAUSED 50ms/cmd"
    keys -
    wait_for "PAUSED 100ms/cmd"
  fi
  while IFS= read -r re; do
    grep -Eq -- "$re" "$WORK/pause-$k.txt" ||
      { cat "$WORK/pause-$k.txt"; fail "pause $k: the screen does not show: $re"; }
  done <"$WORK/want-$k.txt"
  # three lines of narration stay on screen once three were said
  [ $k -lt 4 ] || [ "$(grep -c '^   [^ ]' "$WORK/pause-$k.txt")" -ge 2 ] ||
    { cat "$WORK/pause-$k.txt"; fail "pause $k: the narration log is missing"; }
  keys Space
  # leave the pause (the next command waits 100ms)
  i=0
  while [ $i -lt 100 ] && screen | grep -q "PAUSED"; do sleep 0.02; i=$((i + 1)); done
  k=$((k + 1))
done
wait_for "ENDED" 30
wait_for "scenario finished: [0-9]+ passed, 0 failed, 0 errors"
absent "Space continue" # the footer no longer offers to continue
# the event log keeps the refusal of broadcast with its message
keys E
wait_for "event log"
wait_for "[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} > Tour done" # the narration is kept too
i=0 # older entries: scroll back to the refusal
while [ $i -lt 80 ] && ! screen | grep -q "PASS expect error EACCES: error EACCES"; do
  keys Up
  sleep 0.02
  i=$((i + 1))
done
wait_for "PASS expect error EACCES: error EACCES"
keys Escape
keys q y
wait_exit 0
# the verdict stays on the terminal once the TUI is gone
wait_for "^tour\.mcb: [0-9]+ passed, 0 failed$"
echo OK
