#!/bin/sh
# lab-exec.sh MCBENCH - `lab exec` runs a program inside the node it names (it reads that
# node's interfaces and sysctls), its exit status is a result (a bad status fails, and
# says what ran where), its output arrives escaped, a hung program and everything it
# started are killed at the bound, a background one at the end of the scenario, and
# the doctor runs inside lab hosts through it: TTL 1 across a router (WARN [sender]) and
# a snooping switch without a querier (WARN [querier]). Every run is in a user and
# network namespace of its own, and mcbench puts the lab in its private one.
set -u
M=$(realpath "$1")
if [ "${LABEXEC_INSIDE:-}" != 1 ]; then
  unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -rn env LABEXEC_INSIDE=1 sh "$0" "$@"
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
# The programs that must die run a copy of sleep under a name of this run's own.
name=lx$$
cp "$(command -v sleep)" "$dir/$name"
S=$dir/$name
live() {
  n=0
  for p in $(pgrep -x "$name"); do
    grep -qs '^State:[[:space:]]*Z' /proc/$p/status || n=$((n + 1))
  done
  echo $n
}
failed=0
bad() { echo "FAIL: $*"; echo "---- output ----"; cat out.txt; failed=1; }
# run FILE: mcbench run, its output in out.txt and its exit status in $rc
run() { timeout 60 "$M" run "$1" >out.txt 2>&1; rc=$?; }
has() { grep -q -- "$1" out.txt; }

LAB='lab host h1
lab router r1
lab host h2
lab link h1 r1
lab link r1 h2'

# 1. the right namespace: h1 sees its own link, r1 its forwarding sysctl, not local's
printf '%s\n' "$LAB" 'lab exec h1 -- ip -o link' \
  'lab exec r1 -- cat /proc/sys/net/ipv4/conf/all/forwarding' >ns.mcb
run ns.mcb
[ $rc = 0 ] && has '^h1| .*h1-r1' && ! has '^h1| .*mcb0' && ! has '^h1| .*r1-h2' && has '^r1| 1$' &&
  has 'PASS lab exec h1 -- ip -o link' || bad "lab exec does not run in the node's namespace"

# 2. a bad status fails the step and says what ran, where, and how it ended; status N passes
printf '%s\n' 'lab host h1' 'lab exec h1 status 3 -- sh -c "exit 3"' \
  'lab exec h1 -- sh -c "echo before; exit 4"' 'lab exec h1 -- nosuchprogram' >status.mcb
run status.mcb
[ $rc = 1 ] && has 'PASS lab exec h1 status 3' &&
  has 'FAIL lab exec h1 -- sh -c "echo before; exit 4": expected status 0, got status 4' &&
  has '^h1| before$' && has 'cannot run nosuchprogram' && has 'got status 127' &&
  has '2 failed' || bad "a bad exit status is not a failing step"

# 3. untrusted output is escaped
printf '%s\n' 'lab host h1' 'lab exec h1 -- printf "a\x1b[31mb\x07\n"' >esc.mcb
run esc.mcb
[ $rc = 0 ] && has '^h1| a\\x1b\[31mb\\x07$' && ! grep -q "$(printf '\033')" out.txt ||
  bad "the program's output is not escaped"

# 4. a hung program and what it started are killed at its bound; a background one at the
# end of the scenario; the time bound holds (generously: this is no speed test)
printf '%s\n' 'lab host h1' "lab exec h1 bg -- sh -c \"$S 300 & $S 301\"" \
  "lab exec h1 within 300ms -- sh -c \"$S 302 & $S 303\"" >hung.mcb
start=$(date +%s)
run hung.mcb
end=$(date +%s)
i=0
while [ "$(live)" -gt 0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ $rc = 1 ] && has 'got still running after 300ms: killed with its process group' &&
  [ $((end - start)) -lt 20 ] && [ "$(live)" = 0 ] ||
  bad "a hung program was not killed at its bound ($(live) left, $((end - start)) s)"

# 5. the doctor inside the lab: TTL 1 across r1 is a warning [sender], TTL 2 is not
printf '%s\n' "$LAB" \
  'lab exec h1 status 1 -- mcbench doctor send 239.1.1.1:5000 ttl 1 to 10.0.2.2 --wait 0' \
  'lab exec h1 status 0 -- mcbench doctor send 239.1.1.1:5000 ttl 2 to 10.0.2.2 --wait 0' >ttl.mcb
run ttl.mcb
[ $rc = 0 ] && has '^h1| WARN sender  *TTL 1 cannot reach 10.0.2.2: it is behind the router 10.0.1.2' &&
  has '^h1| PASS sender  *TTL 2 crosses up to 1 router' && has '2 passed, 0 failed' ||
  bad "the doctor in h1 did not flag TTL 1 across the router"

# 6. a snooping switch without a querier: [querier] warns once it has listened as long as
# the lab's query interval (10 s); with the switch as querier it passes
printf '%s\n' 'lab switch s1' 'lab switch s2 querier on' 'lab host h1' 'lab host h2' \
  'lab link h1 s1' 'lab link h2 s2' 'open r1 udp4 on h1' 'bind r1 :5000' 'join r1 239.1.1.1' \
  'open r2 udp4 on h2' 'bind r2 :5000' 'join r2 239.1.1.1' \
  'lab exec h1 status 1 -- mcbench doctor 239.1.1.1:5000 on h1-s1 --wait 0 --querier-wait 10s --query-interval 10s' \
  'lab exec h2 -- mcbench doctor 239.1.1.1:5000 on h2-s2 --wait 0 --querier-wait 10s --query-interval 10s' \
  >querier.mcb
run querier.mcb
[ $rc = 0 ] && has '^h1| WARN querier  *no IGMP query on h1-s1 in 10000 ms' &&
  has '^h1| verdict: WARN \[querier\]' &&
  has '^h2| PASS querier  *an IGMPv3 querier is on h2-s2' && has '2 passed, 0 failed' ||
  bad "the doctor in h1 did not find the missing querier"

[ $failed = 0 ] && echo "PASS: lab exec"
exit $failed
