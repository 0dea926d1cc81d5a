#!/bin/sh
# lab-switch.sh MCBENCH - a lab switch's own events end to end: its group table gaining a
# group on a port when a host joins and losing it after the host's leave, it becoming
# querier, and it hearing another querier (a query a lab host sends through a raw socket,
# inside the lab); all in the run's output and the JSON report (protocol "bridge"), and
# asserted by `expect lab NODE adds|removes|querier`. And under plain `--private`, with no
# lab verb, the default link is watched from the start: a join shows "local reports join".
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-labswitch-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

# One IGMPv2 general query to 224.0.0.1 from the host it runs in (one packet, TTL 1).
cat > "$dir/query.py" <<'PY'
import socket, struct
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff
q = struct.pack("!BBH4s", 0x11, 100, 0, bytes(4))
q = struct.pack("!BBH4s", 0x11, 100, csum(q), bytes(4))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.sendto(q, ("224.0.0.1", 0))
PY

cat > "$dir/s.mcb" <<MCB
lab switch s1 querier on
lab host h1
lab host h2
lab link h1 s1
lab link h2 s1
expect lab s1 querier self within 3s
open rx udp4 on h2
bind rx :5000
join rx 239.1.1.1
expect lab s1 adds 239.1.1.1 on h2 within 2s
drop rx 239.1.1.1
expect lab s1 removes 239.1.1.1 on h2 within 5s
lab switch s2
lab host h3
lab host h4
lab link h3 s2
lab link h4 s2
lab exec h3 -- python3 $dir/query.py
expect lab s2 querier other within 3s
MCB
"$mcbench" --private run --json "$dir/s.json" "$dir/s.mcb" > "$dir/out.txt" 2>&1
rc=$?
if [ $rc -eq 77 ]; then exit 77; fi
[ $rc -eq 0 ] || { cat "$dir/out.txt"; echo "FAIL: switch events run ($rc)"; exit 1; }
for line in "lab: s1 adds 239.1.1.1 on port s1-h2" \
  "lab: s1 removes 239.1.1.1 on port s1-h2 (after h2's leave)" "lab: s1 became querier (IGMP)" \
  "lab: s2 hears another querier 10.0.2.2 (IGMP) on port s2-h3"; do
  grep -qF "$line" "$dir/out.txt" || { cat "$dir/out.txt"; echo "FAIL: not printed: $line"; exit 1; }
done
python3 - "$dir/s.json" <<'PY' || { echo "FAIL: switch events in JSON"; exit 1; }
import json, sys
ev = json.load(open(sys.argv[1]))["files"][0]["lab_events"]
def has(**kw):
    return [e for e in ev if all(e[k] == v for k, v in kw.items())]
adds = has(action="adds", protocol="bridge", node="s1", link="s1-h2", group="239.1.1.1")
assert len(adds) == 1, ev  # a refresh of the entry is no second add
assert has(action="removes", node="s1", link="s1-h2", group="239.1.1.1",
           filter="after h2's leave"), ev
assert has(action="querier", node="s1", filter="self"), ev
assert has(action="querier", node="s2", filter="other", source="10.0.2.2", link="s2-h3"), ev
# the groups every interface joins by itself (solicited-node, ...) are not news
assert not [e for e in ev if e["action"] == "adds" and e["group"].startswith("ff02:")], ev
PY

# A failing switch expectation says what the switch did last.
"$mcbench" --private run -e 'lab switch s1' -e 'lab host h1' -e 'lab link h1 s1' \
  -e 'open rx udp4 on h1' -e 'join rx 239.1.1.2' \
  -e 'expect lab s1 removes 239.1.1.2 on h1 within 1s' > "$dir/fail.txt" 2>&1
grep -q "FAIL expect lab s1 removes 239.1.1.2 on h1 within 1s: expected s1 removes 239.1.1.2 on port s1-h1, got not seen; the latest: s1 adds 239.1.1.2 on port s1-h1" "$dir/fail.txt" ||
  { cat "$dir/fail.txt"; echo "FAIL: the failure does not say what was seen"; exit 1; }

# Plain --private, no lab verb: the default link is watched from the session's start.
"$mcbench" --private run --json "$dir/d.json" -e 'open rx udp4' -e 'bind rx :5000' \
  -e 'join rx 239.1.1.3' -e 'expect lab igmp join 239.1.1.3 from local within 2s' \
  > "$dir/default.txt" 2>&1 || { cat "$dir/default.txt"; echo "FAIL: default lab join"; exit 1; }
grep -q "lab: local reports join 239.1.1.3 (IGMPv3, exclude {}) on mcb0" "$dir/default.txt" ||
  { cat "$dir/default.txt"; echo "FAIL: the default lab's join is not printed"; exit 1; }
echo "PASS: lab switch events"
