#!/bin/sh
# lab-route-events.sh MCBENCH - a router's events end to end: a group arriving on another
# link than its entry's incoming one gives one "wrong interface" event (rate-limited,
# although four datagrams came) naming both links; an IPv6 group without an entry gives
# a no-route event; an IGMPv2 report, which goes to its group, is neither forwarded nor
# a wrong interface; the JSON report has them with the expected link. And `lab set NODE
# igmp default` gives the kernel's IGMPv3 back (lab show no longer says IGMPv2).
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-labroute-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

cat > "$dir/r.mcb" <<'MCB'
lab host h1
lab router r1
lab host h2
lab host h3
lab link h1 r1
lab link r1 h2
lab link h3 r1
lab route r1 239.1.1.1 from h1 to h2
lab set h2 igmp 2
open rx udp4 on h2
bind rx :5000
join rx 239.1.1.1
expect lab igmp join 239.1.1.1 from h2 version 2 within 2s
open tx udp4 on h3
set tx mcast-ttl 4
send tx 239.1.1.1:5000 "x" count 4
expect lab wrong-if 239.1.1.1 at r1 within 2s
open tx6 udp6 on h1
set tx6 mcast-ttl 4
send tx6 [ff05::1:9]:5000 "x" count 3
expect lab no-route ff05::1:9 at r1 within 2s
wait 300ms
expect rx received == 0
lab show h2
lab set h2 igmp default
lab show h2
join rx 239.1.1.2
expect lab igmp join 239.1.1.2 from h2 version 3 within 2s
MCB
"$mcbench" --private run --json "$dir/r.json" "$dir/r.mcb" > "$dir/out.txt" 2>&1
rc=$?
if [ $rc -eq 77 ]; then exit 77; fi
[ $rc -eq 0 ] || { cat "$dir/out.txt"; echo "FAIL: router events run ($rc)"; exit 1; }
grep -q "lab: r1 got 239.1.1.1 from 10.0.3.1 on r1-h3, expected on r1-h1" "$dir/out.txt" ||
  { cat "$dir/out.txt"; echo "FAIL: the wrong interface is not printed"; exit 1; }
grep -q "lab: r1: no route for (fd00:0:0:1::1, ff05::1:9) arriving on r1-h1" "$dir/out.txt" ||
  { cat "$dir/out.txt"; echo "FAIL: the IPv6 no-route is not printed"; exit 1; }
[ "$(grep -c '^node h2: host; reports in IGMPv2;' "$dir/out.txt")" = 1 ] &&
  grep -q '^node h2: host; groups: h2-r1 239.1.1.1$' "$dir/out.txt" ||
  { cat "$dir/out.txt"; echo "FAIL: lab show after lab set h2 igmp default"; exit 1; }
python3 - "$dir/r.json" <<'PY' || { echo "FAIL: router events in JSON"; exit 1; }
import json, sys
ev = json.load(open(sys.argv[1]))["files"][0]["lab_events"]
def has(**kw):
    return [e for e in ev if all(e.get(k) == v for k, v in kw.items())]
wi = has(action="wrong-if", node="r1")
assert len(wi) == 1, wi  # four datagrams, one event; the IGMPv2 report on r1-h2 none
assert wi[0]["protocol"] == "mroute" and wi[0]["group"] == "239.1.1.1", wi
assert wi[0]["link"] == "r1-h3" and wi[0]["expected_link"] == "r1-h1", wi
assert wi[0]["source"] == "10.0.3.1", wi
nr = has(action="no-route", node="r1", group="ff05::1:9")
assert len(nr) == 1 and nr[0]["protocol"] == "mroute6" and nr[0]["link"] == "r1-h1", nr
assert nr[0]["source"] == "fd00:0:0:1::1", nr
assert not has(action="no-route", group="239.1.1.1"), ev
PY

# A failing expectation says what the router reported instead.
"$mcbench" --private run -e 'lab host h1' -e 'lab router r1' -e 'lab link h1 r1' -e 'open tx udp4 on h1' \
  -e 'set tx mcast-ttl 4' -e 'send tx 239.1.1.7:5000 x' \
  -e 'expect lab wrong-if 239.1.1.7 at r1 within 1s' > "$dir/fail.txt" 2>&1
grep -q "FAIL expect lab wrong-if 239.1.1.7 at r1 within 1s: expected wrong interface for 239.1.1.7 at r1, got not seen; the latest: r1: no route for (10.0.1.1, 239.1.1.7) arriving on r1-h1" "$dir/fail.txt" ||
  { cat "$dir/fail.txt"; echo "FAIL: the failure does not say what was seen"; exit 1; }
echo "PASS: lab router events"
