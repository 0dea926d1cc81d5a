#!/bin/sh
# interval.sh MCBENCH - `run --interval`: '# interval' diagnostics under --tap, and the
# same series in --json and --csv, whose received counts add up to what was sent, exactly
# (the last, partial interval is reported when the scenario ends). No timing is asserted.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-interval-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

"$mcbench" --private run --tap --interval 100ms --json "$dir/r.json" --csv "$dir/r.csv" \
  -e 'open rx udp4; bind rx 127.0.0.1:7401' -e 'open tx udp4; bind tx 127.0.0.1:7402' \
  -e 'send tx 127.0.0.1:7401 "tick" count 25 every 20ms' \
  -e 'expect rx received == 25 within 5s' >"$dir/tap" || { echo "FAIL: run"; cat "$dir/tap"; exit 1; }
grep -q '^# interval \[.*\] rx 127.0.0.1:7402 > 127.0.0.1:7401 plain: received [0-9]' "$dir/tap" ||
  { echo "FAIL: no interval diagnostics"; cat "$dir/tap"; exit 1; }
grep -v '^#' "$dir/tap" | grep -q interval && { echo "FAIL: an interval line is not a diagnostic"; exit 1; }
python3 - "$dir/r.json" "$dir/r.csv" <<'PY' || { echo "FAIL: the series"; exit 1; }
import csv, json, sys
ivs = json.load(open(sys.argv[1]))["files"][0]["intervals"]
assert sum(i["received"] for i in ivs if i["socket"] == "rx") == 25, ivs
assert all(i["end_s"] >= i["start_s"] for i in ivs), ivs
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["record"] == "interval"]
assert sum(int(r["received"]) for r in rows) == 25, rows
assert len(rows) == len(ivs), (rows, ivs)
PY
echo "PASS: interval series"
