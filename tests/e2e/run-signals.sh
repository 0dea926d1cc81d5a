#!/bin/sh
# run-signals.sh MCBENCH - a headless run stopped by SIGINT, SIGTERM or SIGHUP records the
# running scenario as interrupted, writes every report, removes its unix socket files,
# prints the summary and exits 128 + the signal's number.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-signals-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
cat > "$dir/long.mcb" <<MCB
open u unix
bind u $dir/u.sock
open a udp4
expect a received == 0
wait 30s
expect a received == 0
MCB
printf 'open b udp4\nexpect b received == 0\n' > "$dir/after.mcb"

for sig in INT:130 TERM:143 HUP:129; do
  name=${sig%%:*} want=${sig##*:}
  rm -f "$dir"/r.* "$dir/out"
  "$mcbench" run --junit "$dir/r.xml" --json "$dir/r.json" "$dir/long.mcb" "$dir/after.mcb" \
    > "$dir/out" 2>&1 &
  pid=$!
  n=0
  while [ ! -S "$dir/u.sock" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
  [ -S "$dir/u.sock" ] || { echo "FAIL: the scenario did not start"; cat "$dir/out"; exit 1; }
  sleep 0.2 # into the wait
  kill -s "$name" $pid
  wait $pid
  rc=$?
  cat "$dir/out"
  [ $rc -eq "$want" ] || { echo "FAIL: SIG$name: exit status $rc, wanted $want"; exit 1; }
  grep -q "interrupted by SIG$name while running: wait 30s" "$dir/out" \
    || { echo "FAIL: SIG$name: the running scenario is not reported as interrupted"; exit 1; }
  grep -qx "1 passed, 0 failed, 1 error; interrupted by SIG$name" "$dir/out" \
    || { echo "FAIL: SIG$name: no summary"; exit 1; }
  grep -q '<failure type="interrupted" message="interrupted by SIG'"$name" "$dir/r.xml" \
    || { echo "FAIL: SIG$name: the JUnit report does not name the interruption"; exit 1; }
  grep -q '"interrupted": "SIG'"$name"'"' "$dir/r.json" \
    || { echo "FAIL: SIG$name: the JSON report does not name the interruption"; exit 1; }
  grep -q "after.mcb" "$dir/r.json" && { echo "FAIL: SIG$name: a file ran after the signal"; exit 1; }
  [ -e "$dir/u.sock" ] && { echo "FAIL: SIG$name: the unix socket file was left behind"; exit 1; }
  ls -A "$dir" | grep -q '^\.mcbench-' && { echo "FAIL: SIG$name: a temporary report was left"; exit 1; }
done
echo OK
