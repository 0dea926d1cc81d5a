#!/bin/sh
# lab-impair.sh MCBENCH - link impairments beyond loss: `lab show` lists what each link
# has and what its impairments did (a rate limit's drops add up with what arrived); delay, jitter and reorder need netem: on a kernel without sch_netem the link
# fails with ENOTSUP and a message naming the module, and leaves nothing behind (the same
# link then works, on the same segment); with sch_netem the link carries them. Check
# time refuses jitter or reorder without a delay and a rate out of range. Runs in a user
# and network namespace of its own.
set -u
M=$(realpath "$1")
if [ "${IMPAIR_INSIDE:-}" != 1 ]; then
  unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -rn env IMPAIR_INSIDE=1 sh "$0" "$@"
fi
fail() { echo "FAIL: $*"; exit 1; }

# 1. lab show says each link's impairments.
out=$("$M" run -e 'lab host a' -e 'lab host b' -e 'lab host c' \
  -e 'lab link a b loss 0.5% dup 2% rate 2.5 Mbps' -e 'lab link b c ttl-threshold 6 rate 64 kbps' \
  -e 'lab show' 2>&1) || fail "impaired links: $out"
echo "$out" | grep -q "^link a b (segment 1, loss 0.5%, dup 2%, rate 2.5Mbps): " ||
  fail "lab show: $out"
echo "$out" | grep -q "^link b c (segment 2, ttl-threshold 6, rate 64kbps): " || fail "lab show: $out"

# 2. A rate limit: every datagram of a burst either crosses or is counted dropped by the
# link's token bucket (a second is far more than the 50 ms its queue holds).
out=$("$M" run -e 'lab host h1' -e 'lab host h2' -e 'lab link h1 h2 rate 100 kbps' \
  -e 'open rx udp4 on h2' -e 'bind rx :5014' -e 'join rx 239.1.4.3' -e 'open tx udp4 on h1' \
  -e 'send tx 239.1.4.3:5014 size:1000 count 200' -e 'wait 1s' -e 'report rx' -e 'lab show h1' \
  2>&1) || fail "rate: $out"
got=$(echo "$out" | sed -n 's/^rx: received \([0-9]*\),.*/\1/p')
dropped=$(echo "$out" | sed -n 's/^  impairments: h1-h2 dropped by the rate limit \([0-9]*\) .*/\1/p')
[ -n "$got" ] && [ -n "$dropped" ] || fail "rate: no figures in: $out"
[ "$got" -lt 100 ] || fail "rate: $got of a 1.6 Mbit burst crossed a 100 kbps link"
[ $((got + dropped)) = 200 ] || fail "rate: $got received + $dropped dropped is not 200"

# 3. delay: netem, or a clear refusal that leaves nothing behind.
out=$("$M" run -e 'lab host a' -e 'lab host b' -e 'lab link a b delay 10ms jitter 1ms reorder 5%' \
  -e 'lab show a' 2>&1)
if [ $? -eq 0 ]; then
  echo "$out" | grep -q "delay 10ms, jitter 1ms, reorder 5%" || fail "netem link: $out"
  echo "this kernel has sch_netem: the link carries the delay"
else
  echo "$out" | grep -q "lab link a b: delay 10ms needs the kernel's sch_netem module (modprobe sch_netem), which this kernel lacks" ||
    fail "unclear refusal: $out"
  out=$("$M" run -e 'lab host a' -e 'lab host b' -e 'lab link a b delay 10ms' \
    -e 'expect error ENOTSUP' -e 'lab link a b' -e 'lab show a' 2>&1) || fail "after a refusal: $out"
  echo "$out" | grep -q "^link a b (segment 1): a-b 10.0.1.1" || fail "the refused link left traces: $out"
fi

# 4. Check time: jitter and reorder need a delay; a rate has bounds.
for bad in 'jitter 1ms' 'reorder 5%' 'rate 1 kbps' 'rate 200000 Mbps'; do
  "$M" check -e 'lab host a' -e 'lab host b' -e "lab link a b $bad" >/dev/null 2>&1 &&
    fail "check passed 'lab link a b $bad'"
done
"$M" check -e 'lab host a' -e 'lab host b' -e 'lab link a b delay 5ms jitter 1ms reorder 1% rate 10 Mbps' \
  >/dev/null || fail "check refused a good link"
# 5. `expect lab` alone reads the default link's counters, as its help's example does: it
# enters the private lab like any lab verb (it used to find no lab and no link).
out=$("$M" run -e 'expect lab local peer received >= 0' -e 'expect lab peer local sent >= 0' 2>&1) ||
  fail "expect lab without another lab verb: $out"
echo "PASS: lab impairments"
