#!/bin/sh
# lab-ipv6-threshold.sh MCBENCH - a link's ttl-threshold is IPv4's: an IPv6 route that
# leaves by a thresholded link is warned so, and the documented semantics hold: hop
# limit 2 crosses the threshold-6 link (arriving with 1), as the kernel's MRT6 would,
# while IPv4 TTL 2 stays behind it. Runs in mcbench's private lab (--private).
set -u
M=$1
out=$("$M" --private run \
  -e 'lab host h1' -e 'lab router r1' -e 'lab host h2' -e 'lab link h1 r1' \
  -e 'lab link r1 h2 ttl-threshold 6' \
  -e 'lab route r1 ff05::1:7 from h1 to h2' -e 'lab route r1 239.1.1.7 from h1 to h2' \
  -e 'open rx6 udp6 on h2' -e 'bind rx6 [::]:5013' -e 'join rx6 ff05::1:7 on h2-r1' \
  -e 'open rx4 udp4 on h2' -e 'bind rx4 :5014' -e 'join rx4 239.1.1.7 on h2-r1' \
  -e 'open tx6 udp6 on h1' -e 'set tx6 mcast-ttl 2' -e 'send tx6 [ff05::1:7]:5013 six' \
  -e 'open tx4 udp4 on h1' -e 'set tx4 mcast-ttl 2' -e 'send tx4 239.1.1.7:5014 four' \
  -e 'expect rx6 received == 1 within 2s' -e 'expect rx6 ttl == 1' \
  -e 'expect rx4 none for 300ms' 2>&1)
rc=$?
echo "$out"
fail() { echo "FAIL: $*"; exit 1; }
[ $rc -eq 0 ] || fail "exit status $rc"
echo "$out" | grep -q "warning: the ttl-threshold 6 of link r1 h2 is IPv4's: IPv6 multicast routing has no thresholds, so ff05::1:7 crosses it with any hop limit above 1" \
  || fail "no warning for the IPv6 route over the thresholded link"
[ "$(echo "$out" | grep -c "warning: the ttl-threshold")" -eq 1 ] || fail "IPv4's route was warned too"
echo "$out" | grep -qx "3 passed, 0 failed" || fail "expectations"
echo OK
