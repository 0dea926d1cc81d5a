#!/bin/sh
# iperf2.sh MCBENCH - mcbench decodes a real iperf 2 client's UDP datagrams: inside a
# network namespace this script makes (lo only, multicast routed to it), `iperf -c GROUP
# -u` sends a short paced stream; mcbench receives it, recognises the payload as iperf2,
# counts its sequence (no loss on lo), measures its one-way delay, and says so in the
# JSON report. Nothing leaves the namespace; the stream is bounded (-t 2).
set -u
if [ -z "${MCB_IN_NS:-}" ]; then
  command -v iperf >/dev/null 2>&1 || { echo "SKIP: iperf (Debian package iperf) is not installed"; exit 77; }
  command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
  unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -rn env MCB_IN_NS=1 sh "$0" "$@"
fi
mcbench=$1
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; cat "$work/out" 2>/dev/null; exit 1; }

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo src 127.0.0.1

cat >"$work/rx.mcb" <<'SCN'
open rx udp4; bind rx :5001; join rx 239.1.1.9 on lo
expect rx received >= 20 within 20s
wait 1s
expect rx lost == 0
expect rx loss == 0%
expect rx dups == 0
expect rx delay < 10s
SCN
"$mcbench" run --json "$work/r.json" "$work/rx.mcb" >"$work/out" 2>&1 &
rx_pid=$!
i=0
# ready once the namespace's lo has joined 239.1.1.9 (/proc/net/igmp: hex, host order)
until grep -qi "090101EF" /proc/net/igmp 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 200 ] || fail "mcbench did not join"; sleep 0.05
done
iperf -c 239.1.1.9 -u -p 5001 -T 1 -b 20pps -t 2 >"$work/iperf" 2>&1 || true
wait $rx_pid || fail "mcbench's expectations failed"
python3 - "$work/r.json" <<'PY' || fail "the JSON report: $(cat "$work/r.json")"
import json, sys
r = json.load(open(sys.argv[1]))
peers = r["files"][0]["sockets"][0]["peers"]
assert len(peers) == 1, peers
a = peers[0]["analysis"]
assert a["kind"] == "iperf2", a
assert a["sequenced"] and a["received"] >= 20, a
assert a["lost"] == 0 and a["duplicates"] == 0 and a["expected"] == a["received"], a
assert a["delay_count"] >= 20 and a["jitter_ms"] is not None, a
PY
echo "ok: iperf2 decoded"
