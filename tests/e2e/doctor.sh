#!/bin/bash
# doctor.sh MCBENCH - each case builds one fault in network namespaces of its own (a
# fresh user+network namespace for the receiver, a second network namespace for the
# sender, joined by a veth pair) and asserts what `mcbench doctor` says about it: the
# check that finds the fault, its status, and the exit status. Nothing here touches the
# machine's interfaces; every sender is bounded in count and time.
set -u
M=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
G=239.1.1.1
PORT=5000

# expect STATUS CHECK [RC]: the doctor's line for CHECK has STATUS, and it exited RC
expect() {
  if ! grep -q "^$1 *$2 " out.txt; then
    echo "expected $1 for [$2]:"; cat out.txt; return 1
  fi
  if [ $# -ge 3 ] && [ "$(cat rc.txt)" != "$3" ]; then
    echo "expected exit $3, got $(cat rc.txt):"; cat out.txt; return 1
  fi
}

case_healthy() {
  ip route add 224.0.0.0/4 dev v0
  receiver ""
  sleep 0.3
  doctor $G:$PORT on v0 --wait 0
  expect PASS membership 0 && expect PASS socket-bind && expect PASS route && expect PASS iface
}
case_healthy_traffic() {
  ip route add 224.0.0.0/4 dev v0
  receiver ""
  sleep 0.3
  sender 60
  doctor $G:$PORT on v0 --wait 800ms
  expect PASS watch 0
}
case_inconclusive() {
  ip route add 224.0.0.0/4 dev v0
  receiver ""
  sleep 0.3
  doctor $G:$PORT on v0 --wait 300ms
  expect INFO watch 3
}
case_iface_down() {
  ip link set v0 down
  doctor $G:$PORT on v0 --wait 0
  expect FAIL iface 2
}
case_no_such_iface() {
  doctor $G:$PORT on nosuch0 --wait 0
  expect FAIL iface 2 && grep -q "ENODEV" out.txt
}
case_no_route() {
  doctor $G:$PORT --wait 0
  expect FAIL route 2 && grep -q "ENETUNREACH" out.txt || return 1
  doctor $G:$PORT on v0 --wait 0 # joins by interface need no route: a warning
  expect WARN route
}
case_wrong_default_route() {
  ip link add w0 type veth peer name w1
  ip link set w0 up
  ip link set w1 up
  ip route add default dev w0
  doctor $G:$PORT on v0 --wait 0
  expect WARN route && grep -q "goes by w0, not v0" out.txt
}
case_strict_rp_filter() {
  ip route add 224.0.0.0/4 dev v0
  ip link add w0 type veth peer name w1
  ip link set w0 up
  ip link set w1 up
  ip route add 10.1.0.2/32 dev w0 # the way back to the source is not v0
  echo 1 >/proc/sys/net/ipv4/conf/all/rp_filter
  echo 1 >/proc/sys/net/ipv4/conf/v0/rp_filter
  receiver ""
  sleep 0.3
  sender 60
  doctor $G:$PORT on v0 from 10.1.0.2 --wait 800ms
  expect FAIL rp_filter 2 && grep -q "IPReversePathFilter moved" out.txt
}
case_unicast_bind() {
  ip route add 224.0.0.0/4 dev v0
  receiver ",bind=10.1.0.1"
  sleep 0.3
  sender 60
  doctor $G:$PORT on v0 --wait 800ms
  expect FAIL socket-bind 2 && grep -q "IgnoredMulti moved" out.txt
}
case_crosstalk() {
  ip route add 224.0.0.0/4 dev v0
  receiver ",reuseaddr"
  receiver ",reuseaddr"
  sleep 0.3
  doctor $G:$PORT on v0 --wait 0
  expect WARN crosstalk 1
}
case_igmpv2_with_ssm() {
  ip route add 224.0.0.0/4 dev v0
  echo 2 >/proc/sys/net/ipv4/conf/v0/force_igmp_version
  doctor $G:$PORT on v0 from 10.1.0.2 --wait 0
  expect WARN igmp-version
}
case_membership_limit() {
  ip route add 224.0.0.0/4 dev v0
  echo 0 >/proc/sys/net/ipv4/igmp_max_memberships
  doctor $G:$PORT on v0 --wait 0
  expect WARN limits
}
case_ssm_without_source() {
  ip route add 224.0.0.0/4 dev v0
  doctor 232.1.1.1:$PORT on v0 --wait 0
  expect WARN args 1
}
case_not_a_group() {
  doctor 10.1.0.7:$PORT --wait 0
  expect FAIL args 2
}
# --probe proves the local path and puts nothing on the wire: a receiver on the far end
# of the link, joined to the group, must get nothing.
case_probe_stays_local() {
  ip route add 224.0.0.0/4 dev v0
  P timeout 8 "$M" run -e 'open r udp4' -e "bind r 0.0.0.0:$PORT" -e "join r $G on v1" \
    -e 'wait 1500ms' -e 'expect r received == 0' >far.txt 2>&1 &
  far=$!
  sleep 0.3
  doctor $G:$PORT on v0 --wait 0 --probe
  expect PASS self-test || return 1
  wait $far || { echo "the far end received the probe:"; cat far.txt; return 1; }
}
case_ipv6_probe() {
  ip -6 addr add fd00:1::1/64 dev v0 nodad
  doctor "[ff02::1234]:$PORT" on v0 --wait 0 --probe
  expect PASS self-test && expect PASS iface
}
case_ipv6_link_local_without_iface() {
  doctor "[ff02::1234]:$PORT" --wait 0
  expect WARN args
}
# A snooping bridge on the far side of the link acts as querier: the doctor hears it.
case_querier_heard() {
  ip route add 224.0.0.0/4 dev v0
  P ip link add br0 type bridge mcast_snooping 1 mcast_igmp_version 3 \
    mcast_query_response_interval 100 mcast_startup_query_interval 100 mcast_query_use_ifaddr 1
  P ip link set v1 master br0
  P ip addr add 10.1.0.3/24 dev br0
  P ip link set br0 up
  P ip link set br0 type bridge mcast_querier 1
  doctor $G:$PORT on v0 --wait 0 --querier-wait 5s
  expect PASS querier && grep -q "IGMPv3 query from 10.1.0.3 on v0" out.txt || { cat out.txt; return 1; }
}
case_no_querier_short_wait() {
  ip route add 224.0.0.0/4 dev v0
  doctor $G:$PORT on v0 --wait 0 --querier-wait 300ms
  expect INFO querier && grep -q "wait that long" out.txt
}
# An input drop: --probe's datagram does not come back, and [firewall] names the rule.
case_firewall_drop() {
  ip route add 224.0.0.0/4 dev v0
  nft add table inet f
  nft add chain inet f in '{ type filter hook input priority 0; }'
  nft add rule inet f in udp dport 6000 drop # another port: not ours
  nft add rule inet f in udp dport $PORT counter drop
  doctor $G:$PORT on v0 --wait 0 --probe
  expect FAIL self-test 2 && expect FAIL firewall && grep -q "inet f in handle 3 does drop" out.txt
}
case_firewall_other_port() {
  ip route add 224.0.0.0/4 dev v0
  nft add table inet f
  nft add chain inet f in '{ type filter hook input priority 0; }'
  nft add rule inet f in udp dport 6000 drop
  nft add rule inet f in ip daddr 239.2.0.0/16 drop
  doctor $G:$PORT on v0 --wait 0 --probe
  expect PASS firewall && expect PASS self-test
}
# A sender: TTL 1 towards a receiver behind a router is a warning, TTL 3 is not; --probe
# proves the interface sends (the copy loops back) without putting anything on the wire.
case_sender() {
  ip route add 224.0.0.0/4 dev v0
  ip route add 192.0.2.0/24 via 10.1.0.2
  doctor send $G:$PORT to 192.0.2.9 --wait 0
  expect WARN sender 1 && grep -q "behind the router 10.1.0.2" out.txt || return 1
  doctor send $G:$PORT to 192.0.2.9 ttl 3 on v0 --wait 0 --probe
  expect PASS sender && expect PASS self-test
}
case_json() {
  ip route add 224.0.0.0/4 dev v0
  doctor $G:$PORT on v0 --wait 0 --json report.json
  grep -q '"check": "iface", "status": "PASS"' report.json && grep -q '"exit": ' report.json ||
    { echo "bad JSON:"; cat report.json; return 1; }
}

if [ $# -ge 2 ]; then # one case, already inside its own namespace
  ip link set lo up
  # the sender's host: a network namespace held by a process, gone when it exits
  unshare -n sleep 30 &
  peer=$!
  trap 'kill $peer 2>/dev/null; kill $(jobs -p) 2>/dev/null' EXIT
  sleep 0.1
  ip link add v0 type veth peer name v1 netns $peer
  ip addr add 10.1.0.1/24 dev v0
  ip link set v0 up
  P() { nsenter -t $peer -n "$@"; }
  P ip link set lo up
  P ip addr add 10.1.0.2/24 dev v1
  P ip link set v1 up
  P ip route add 224.0.0.0/4 dev v1
  # a receiver that joins and reads (socat), bounded in time
  receiver() { timeout 8 socat -u "UDP4-RECV:$PORT,ip-add-membership=$G:v0$1" /dev/null & }
  # the sender: N datagrams of SIZE bytes, 20 ms apart, from 10.1.0.2 out of v1
  sender() {
    P timeout 8 "$M" run -e 'open tx udp4' -e 'set tx mcast-if v1' \
      -e "send tx $G:$PORT size:${2:-64} count $1 every 20ms" -e "wait $(($1 * 20 + 300))ms" >/dev/null &
  }
  doctor() { "$M" doctor "$@" >out.txt 2>&1; echo $? >rc.txt; }
  cd "$(mktemp -d)" || exit 1
  "$3"
  exit $?
fi

if ! unshare -rn true 2>/dev/null; then
  echo "SKIP: cannot create a user and network namespace here"
  exit 77
fi
for tool in socat nsenter ip nft; do
  command -v $tool >/dev/null || { echo "missing $tool (make test installs it)"; exit 1; }
done
failed=0
for c in $(declare -F | awk '$3 ~ /^case_/ {print $3}'); do
  if out=$(unshare -rn "$here/doctor.sh" "$M" inside "$c" 2>&1); then
    echo "ok   $c"
  else
    echo "FAIL $c"; echo "$out" | sed 's/^/     /'
    failed=$((failed + 1))
  fi
done
exit $((failed > 0))
