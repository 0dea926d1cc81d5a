#!/bin/sh
# kernel-drops.sh MCBENCH - a burst into a small receive buffer, through mcbench itself:
# what the receiver read plus what the kernel says it dropped is what the sender sent,
# exactly, in the JSON report; `report` prints the same line the TUI shows.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-kdrops-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

"$mcbench" --private run --json "$dir/r.json" \
  -e 'open rx udp4; bind rx 127.0.0.1:7501; set rx rcvbuf 2048' \
  -e 'open tx udp4; send tx 127.0.0.1:7501 size:1000 count 2000' \
  -e 'wait 300ms' -e 'report rx' >"$dir/out" 2>&1 || { echo "FAIL: run"; cat "$dir/out"; exit 1; }
grep -q '^rx: received [0-9]*, kernel dropped [0-9]*, 1 peer$' "$dir/out" ||
  { echo "FAIL: report rx"; cat "$dir/out"; exit 1; }
python3 - "$dir/r.json" <<'PY' || { echo "FAIL: received + kernel drops != sent"; exit 1; }
import json, sys
socks = {s["name"]: s for s in json.load(open(sys.argv[1]))["files"][0]["sockets"]}
rx, tx = socks["rx"]["counters"], socks["tx"]["counters"]
assert tx["tx_msgs"] + tx["tx_errors"] == 2000, tx
assert rx["rx_msgs"] + rx["rx_kernel_drops"] == tx["tx_msgs"], (rx, tx)
print("received %d + kernel dropped %d == sent %d" % (rx["rx_msgs"], rx["rx_kernel_drops"], tx["tx_msgs"]))
PY
