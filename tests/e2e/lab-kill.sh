#!/bin/sh
# lab-kill.sh MCBENCH - a lab leaves nothing behind after kill -9: its nodes are network
# namespaces held only by mcbench's file descriptors, its forwarder is a thread, and the
# programs `lab exec` started (and what they started) die with mcbench, so once the
# process is gone no process, namespace with a process in it, or interface remains.
# Runs in a user and network namespace of its own: the "host" here is that namespace.
set -u
M=$(realpath "$1")
if [ "${LABKILL_INSIDE:-}" != 1 ]; then
  unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -rn env LABKILL_INSIDE=1 sh "$0" "$@"
fi
fail() { echo "FAIL: $*"; exit 1; }
links_before=$(ip -br link | sort)
ns_before=$(lsns -t net -n | wc -l)
# The exec'd programs run a copy of sleep under a name of this run's own, so they can be
# told from every other process of the machine.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
name=lk$$
cp "$(command -v sleep)" "$dir/$name"
S=$dir/$name
live() { # processes named $name that are not zombies
  n=0
  for p in $(pgrep -x "$name"); do
    grep -qs '^State:[[:space:]]*Z' /proc/$p/status || n=$((n + 1))
  done
  echo $n
}
"$M" run -e 'lab host h1' -e 'lab router r1' -e 'lab host h2' -e 'lab link h1 r1' \
  -e 'lab link r1 h2' -e 'lab route r1 239.1.1.1 from h1 to h2' \
  -e "lab exec h2 bg -- sh -c \"$S 300 & $S 301 & $S 302\"" -e "lab exec h1 -- $S 303" \
  >/dev/null 2>&1 &
pid=$!
i=0 # until the lab stands (its nodes are namespace descriptors of the process) and runs
while { [ "$(ls -l /proc/$pid/fd 2>/dev/null | grep -c 'net:')" -lt 4 ] ||
  [ "$(live)" -lt 4 ]; } && [ $i -lt 100 ]; do
  sleep 0.05
  i=$((i + 1))
done
[ $i -lt 100 ] || fail "the lab and its programs never came up"
kill -9 $pid
wait $pid 2>/dev/null
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 $pid 2>/dev/null && fail "mcbench still runs after kill -9"
i=0 # the kernel delivers the death signals at once; give the exits a moment
while [ "$(live)" -gt 0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(live)" = 0 ] && [ -z "$(pgrep -f "$dir/")" ] || # the programs, their shells, wrappers
  fail "a program lab exec started outlived mcbench: $(pgrep -a -x "$name")"
grep -qs "^PPid:[[:space:]]*$pid\$" /proc/[0-9]*/status && fail "a child of mcbench outlived it"
[ "$(lsns -t net -n | wc -l)" = "$ns_before" ] || fail "a network namespace outlived mcbench"
[ "$(ip -br link | sort)" = "$links_before" ] || fail "interfaces were left behind"
echo "PASS: nothing left after kill -9"
