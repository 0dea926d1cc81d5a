#!/bin/sh
# json-state.sh MCBENCH - the JSON report's per-socket state: every option of the core's
# option table with its value, and per-peer figures (a unix peer's TTL is null, never -1).
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-json-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

"$mcbench" --private run --json "$dir/u.json" -e 'open u unix' -e 'bind u @mcb-json-ttl' \
  -e 'open t unix' -e 'send t @mcb-json-ttl "abc"' -e 'expect u received == 1 within 1s' ||
  { echo "FAIL: unix run"; exit 1; }
python3 - "$dir/u.json" <<'PY' || { echo "FAIL: unix peer TTL in JSON"; exit 1; }
import json, sys
socks = {s["name"]: s for s in json.load(open(sys.argv[1]))["files"][0]["sockets"]}
peers = socks["u"]["peers"]
assert len(peers) == 1, peers
assert peers[0]["last_ttl"] is None, peers[0]
PY
echo "PASS: JSON socket state"
