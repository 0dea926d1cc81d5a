#!/bin/sh
# wire.sh MCBENCH - interoperability on the wire, inside a network namespace this script
# makes (lo only, multicast routed to it): tshark sees the TTL, group, port and payload
# mcbench sends; Node.js dgram receives what mcbench sends; mcbench receives what socat
# and Node.js send, with the TTL they set. Nothing leaves the namespace.
set -u
if [ -z "${MCB_IN_NS:-}" ]; then
  for c in tshark socat node ip; do
    command -v $c >/dev/null 2>&1 || { echo "SKIP: $c is not installed"; exit 77; }
  done
  unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -rn env MCB_IN_NS=1 sh "$0" "$@"
fi
mcbench=$1
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo src 127.0.0.1

# 1. what mcbench puts on the wire, as tshark decodes it
tshark -i lo -c 1 -a duration:10 -f "udp port 5000" \
  -T fields -e ip.ttl -e ip.dst -e udp.dstport -e udp.payload >"$work/tshark" 2>"$work/tshark.err" &
tshark_pid=$!
i=0
until grep -q "Capturing on" "$work/tshark.err" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 200 ] || fail "tshark did not start: $(cat "$work/tshark.err")"; sleep 0.05
done
sleep 0.5 # dumpcap announces itself a moment before it captures
"$mcbench" run -e 'open tx udp4; set tx mcast-ttl 5; send tx 239.1.1.1:5000 "wire"' >/dev/null ||
  fail "mcbench could not send"
wait $tshark_pid
printf '5\t239.1.1.1\t5000\t77697265\n' | diff -u - "$work/tshark" || fail "tshark saw something else"

# 2. Node.js dgram receives what mcbench sends
node -e '
const s = require("dgram").createSocket({type: "udp4", reuseAddr: true});
s.on("message", (m, r) => { console.log("node got " + m + " from " + r.address); process.exit(0); });
s.bind(5001, () => { s.addMembership("239.1.1.2"); console.log("ready"); });
setTimeout(() => process.exit(2), 5000);' >"$work/node" &
node_pid=$!
i=0
until grep -q ready "$work/node"; do i=$((i + 1)); [ $i -lt 200 ] || fail "node did not start"; sleep 0.05; done
"$mcbench" run -e 'open tx udp4; send tx 239.1.1.2:5001 "to node"' >/dev/null
wait $node_pid || fail "node got nothing"
grep -qx "node got to node from 127.0.0.1" "$work/node" || fail "node: $(cat "$work/node")"

# 3. mcbench receives socat's and Node's datagrams with the TTLs they set
(sleep 0.5
 printf 'from socat' | socat -u - UDP4-DATAGRAM:239.1.1.3:5002,ip-multicast-ttl=7
 sleep 0.2
 node -e 'const s = require("dgram").createSocket("udp4");
   s.bind(() => { s.setMulticastTTL(3); s.send("from node", 5002, "239.1.1.3", () => s.close()); });') &
out=$("$mcbench" run -e 'open rx udp4 reuse; bind rx :5002; join rx 239.1.1.3' \
  -e 'expect rx received == 1 within 5s' -e 'expect rx ttl == 7' -e 'expect rx payload "from socat"' \
  -e 'expect rx received == 2 within 5s' -e 'expect rx ttl == 3' -e 'expect rx payload "from node"')
echo "$out"
echo "$out" | grep -qx "6 passed, 0 failed" || fail "mcbench did not receive both"
echo OK
