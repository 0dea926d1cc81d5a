#!/bin/sh
# background.sh MCBENCH - background sends (`send ... every`): `close` cancels them (the
# old sender neither fails the scenario nor goes on from a socket opened again under the
# same name), their errors are counted per code without stopping the scenario, the JSON
# report shows the counts, and `bind` resolves a host name.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-bg-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

out=$("$mcbench" --private run -e 'open r udp4' -e 'bind r 127.0.0.1:7000' -e 'open a udp4' \
  -e 'send a 127.0.0.1:7000 "x" count 100 every 20ms' -e 'wait 45ms' -e 'close a' \
  -e 'open a udp4' -e 'reset r' -e 'wait 300ms' -e 'expect r received == 0' 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: close did not stop the background send (exit $rc)"; exit 1; }

# 10.1.2.3 has no route in the private namespace: ENETUNREACH, counted, and the run goes on.
out=$("$mcbench" --private run --json "$dir/r.json" -e 'open r udp4' -e 'bind r localhost:7001' \
  -e 'open a udp4' -e 'send a 10.1.2.3:7001 "x" count 3 every 5ms' \
  -e 'send a 127.0.0.1:7001 "y" count 2 every 5ms' \
  -e 'expect a send-errors == 3 within 2s' -e 'expect r received == 2 within 2s' \
  -e 'expect a sent == 2' 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: background send errors stopped the scenario (exit $rc)"; exit 1; }
python3 - "$dir/r.json" <<'PY' || { echo "FAIL: JSON report lacks the send errors"; exit 1; }
import json, sys
socks = {s["name"]: s for s in json.load(open(sys.argv[1]))["files"][0]["sockets"]}
e = socks["a"]["send_errors"]
assert e == {"total": 3, "cancelled": 0, "by_code": {"ENETUNREACH": 3}}, e
assert socks["r"]["local"] == "127.0.0.1:7001", socks["r"]["local"]
PY
echo "OK"
