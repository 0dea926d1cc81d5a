#!/bin/sh
# lab-watch.sh MCBENCH - the lab's IGMP/MLD watcher end to end: a join and a leave on a
# routed link and an MLD join appear in the JSON report's lab_events with the sender's
# node, the link and the group; a group sent across a router without a route gives one
# "no route" event per (S,G) (rate-limited, although four datagrams came); what the run
# prints holds no control byte; and `expect lab` fails naming what it saw instead.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-labwatch-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

cat > "$dir/w.mcb" <<'MCB'
lab host h1
lab router r1
lab host h2
lab link h1 r1
lab link r1 h2
open rx udp4 on h2
bind rx :5000
join rx 239.1.1.1
expect lab igmp join 239.1.1.1 from h2 within 2s
drop rx 239.1.1.1
expect lab igmp leave 239.1.1.1 from h2 within 2s
open rx6 udp6 on h2
bind rx6 :5001
join rx6 ff05::1 on h2-r1
expect lab mld join ff05::1 from h2 version 2 within 2s
open tx udp4 on h1
set tx mcast-ttl 4
send tx 239.1.1.9:5000 "x" count 4
expect lab no-route 239.1.1.9 at r1 within 2s
wait 300ms
MCB
"$mcbench" --private run --json "$dir/w.json" "$dir/w.mcb" > "$dir/out.txt" 2>&1
rc=$?
if [ $rc -eq 77 ]; then exit 77; fi
[ $rc -eq 0 ] || { cat "$dir/out.txt"; echo "FAIL: watcher run ($rc)"; exit 1; }
grep -q "PASS expect lab no-route 239.1.1.9 at r1 within 2s" "$dir/out.txt" ||
  { cat "$dir/out.txt"; echo "FAIL: expect lab no-route"; exit 1; }
grep -q "lab: h2 reports join 239.1.1.1 (IGMPv3, exclude {}) on r1-h2" "$dir/out.txt" ||
  { cat "$dir/out.txt"; echo "FAIL: the join is not printed"; exit 1; }
python3 - "$dir/w.json" <<'PY' || { echo "FAIL: lab_events in JSON"; exit 1; }
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
ev = f["lab_events"]
assert f["lab_events_dropped"] == 0, f["lab_events_dropped"]
def has(**kw):
    return [e for e in ev if all(e[k] == v for k, v in kw.items())]
assert has(action="join", protocol="igmp", version=3, node="h2", link="r1-h2",
           group="239.1.1.1", source="10.0.2.2"), ev
assert has(action="leave", protocol="igmp", node="h2", group="239.1.1.1"), ev
assert has(action="join", protocol="mld", version=2, node="h2", group="ff05::1"), ev
nr = has(action="no-route", node="r1", group="239.1.1.9")
assert len(nr) == 1 and nr[0]["source"] == "10.0.1.1" and nr[0]["link"] == "r1-h1", nr
assert [e["seq"] for e in ev] == sorted(e["seq"] for e in ev), ev
PY

# A failing expectation says what the watcher saw last.
"$mcbench" --private run -e 'lab host h1' -e 'open rx udp4 on peer' -e 'join rx 239.1.1.2' \
  -e 'expect lab igmp leave 239.1.1.2 from peer within 500ms' > "$dir/fail.txt" 2>&1
grep -q "FAIL expect lab igmp leave 239.1.1.2 from peer within 500ms: expected IGMP leave 239.1.1.2 from peer, got not seen; the latest: peer reports join 239.1.1.2" "$dir/fail.txt" ||
  { cat "$dir/fail.txt"; echo "FAIL: the failure does not say what was seen"; exit 1; }
echo "PASS: lab watcher"
