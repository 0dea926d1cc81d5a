#!/bin/sh
# json-state.sh MCBENCH - the JSON report's per-socket state: every option of the core's
# option table with its value, and per-peer figures (a unix peer's TTL is null, never -1,
# and its sender's credentials are those of the sending process), and each membership's
# mode: any source, include (from) or exclude (except).
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-json-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

"$mcbench" --private run --json "$dir/u.json" -e 'open u unix' -e 'bind u @mcb-json-ttl' \
  -e 'open t unix' -e 'send t @mcb-json-ttl "abc"' -e 'expect u received == 1 within 1s' &
pid=$!
wait $pid || { echo "FAIL: unix run"; exit 1; }
python3 - "$dir/u.json" "$pid" "$(id -u)" <<'PY' || { echo "FAIL: unix peer TTL in JSON"; exit 1; }
import json, sys
socks = {s["name"]: s for s in json.load(open(sys.argv[1]))["files"][0]["sockets"]}
peers = socks["u"]["peers"]
assert len(peers) == 1, peers
assert peers[0]["last_ttl"] is None, peers[0]
cred = peers[0]["credentials"]  # the sender was mcbench itself
# (unprivileged, --private maps the user to root inside its user namespace)
assert cred["pid"] == int(sys.argv[2]) and cred["uid"] in (int(sys.argv[3]), 0), cred
PY
"$mcbench" --private run --json "$dir/g.json" -e 'open rx udp4' \
  -e 'join rx 239.1.1.1 on mcb0 except 10.99.0.2,10.99.0.3' -e 'join rx 232.1.1.1 from 10.99.0.1' \
  -e 'join rx 239.2.2.2' >/dev/null || { echo "FAIL: membership run"; exit 1; }
python3 - "$dir/g.json" <<'PY' || { echo "FAIL: memberships in JSON"; exit 1; }
import json, sys
g = json.load(open(sys.argv[1]))["files"][0]["sockets"][0]["groups"]
assert [m["mode"] for m in g] == ["exclude", "include", "any-source"], g
assert g[0]["except"] == ["10.99.0.2", "10.99.0.3"] and g[0]["sources"] == [], g[0]
assert g[0]["text"] == "239.1.1.1 except 10.99.0.2,10.99.0.3" and g[0]["interface"] == "mcb0", g[0]
assert g[1]["sources"] == ["10.99.0.1"] and g[1]["except"] == [], g[1]
assert g[1]["text"] == "232.1.1.1 from 10.99.0.1" and g[2]["text"] == "239.2.2.2", g
PY
echo "PASS: JSON socket state"
