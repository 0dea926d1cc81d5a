#!/bin/sh
# streams.sh MCBENCH - send streams end to end, inside mcbench's private namespace: a
# paced probe stream with seeded drop, dup and reorder sends exactly what its seed says
# (exact counts, twice, and sent = planned - dropped + duplicated), the receiver gets
# every datagram sent, the JSON report lists the stream with its progress, `stop` ends
# an unbounded stream, and a group range is joined and sent to round robin. Counts only:
# rates are for the benchmark (benchmarks/send-rate).
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-streams-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

run() { # run JSON-FILE COMMANDS...
  json=$1
  shift
  for c in "$@"; do set -- "$@" -e "$c"; shift; done
  "$mcbench" --private run --json "$json" "$@" 2>&1
}

# (the plan's last steps may be drops: `sent` reaches 1959 a step or two before the stream
# ends, so the run waits for its last deadlines, 50 us apart, before the report is read)
for i in 1 2; do
  out=$(run "$dir/r$i.json" 'open rx udp4' 'bind rx 127.0.0.1:7400' 'set rx rcvbuf 4000000' \
    'open tx udp4' \
    'send tx 127.0.0.1:7400 probe size 64..1400 count 2000 rate 20000 pps drop 5% dup 2% reorder 2% seed 9' \
    'expect tx sent == 1959 within 20s' 'expect rx received == 1959 within 5s' 'wait 500ms')
  rc=$?
  echo "$out"
  [ $rc -eq 0 ] || { echo "FAIL: the stream's scenario failed (exit $rc)"; exit 1; }
done
python3 - "$dir/r1.json" "$dir/r2.json" <<'PY' || { echo "FAIL: stream counts"; exit 1; }
import json, sys
def load(p):
    socks = {s["name"]: s for s in json.load(open(p))["files"][0]["sockets"]}
    return socks["tx"], socks["rx"]
tx, rx = load(sys.argv[1])
(st,) = tx["streams"]
assert st["id"] == 1 and st["payload"] == "probe" and st["state"] == "done", st
assert st["planned"] == 2000 and st["seqs"] == 2000 and st["seed"] == 9, st
assert st["sent"] == 2000 - st["dropped"] + st["duplicated"], st
# exact for seed 9 (tests/scenarios/test-stream.c checks the plan itself)
assert (st["dropped"], st["duplicated"], st["reordered"]) == (86, 45, 41), st
assert st["errors"] == 0 and st["rate_pps"] == 20000, st
assert tx["counters"]["tx_msgs"] == st["sent"], tx["counters"]
assert rx["counters"]["rx_msgs"] == st["sent"], (rx["counters"], st)  # loopback, big buffer
assert 64 * st["sent"] <= st["bytes"] <= 1400 * st["sent"], st
tx2, _ = load(sys.argv[2])  # the same seed injects the same faults
(st2,) = tx2["streams"]
for k in ("sent", "bytes", "dropped", "duplicated", "reordered"):
    assert st[k] == st2[k], (k, st, st2)
PY

# an unbounded stream runs until `stop`; a range is joined and sent to round robin
out=$(run "$dir/s.json" 'open rx udp4' 'bind rx :7401' 'join rx 239.1.1.1..239.1.1.50' \
  'open tx udp4' 'send tx 239.1.1.1..239.1.1.50:7401 probe every 1ms' \
  'expect rx received >= 100 within 5s' 'stop tx 1' 'wait 100ms' 'reset rx' 'wait 100ms' \
  'expect rx received == 0')
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: stop or the range (exit $rc)"; exit 1; }
python3 - "$dir/s.json" <<'PY' || { echo "FAIL: stopped stream in the report"; exit 1; }
import json, sys
socks = {s["name"]: s for s in json.load(open(sys.argv[1]))["files"][0]["sockets"]}
(st,) = socks["tx"]["streams"]
assert st["state"] == "stopped" and st["planned"] == 0 and st["sent"] >= 100, st
assert len(socks["rx"]["groups"]) == 50, socks["rx"]["groups"]
PY
echo "OK"
