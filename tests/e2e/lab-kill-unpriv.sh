#!/bin/sh
# lab-kill-unpriv.sh MCBENCH - what lab-kill.sh checks, for a lab made without root:
# mcbench run by an unprivileged user (uid 65534 when the tests run as root) enters a
# user and network namespace of its own, starts programs in lab hosts (`lab exec`), and
# after kill -9 no process and no open file still holds any of its namespaces (user or
# network), so the kernel frees the lab with its interfaces and no program survives. As
# root, the test's own home is a network namespace made here, so its interfaces can be
# compared too; skips (77) where user namespaces are forbidden.
set -u
if [ "$(id -u)" = 0 ] && [ "${LABKILL_INSIDE:-}" != 1 ]; then
  unshare -n true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -n env LABKILL_INSIDE=1 sh "$0" "$@"
fi
. "$(dirname "$0")/unpriv-lib.sh"
unpriv_setup
M=$(unpriv_path "$1") || exit 1
keeper=
fail() {
  echo "FAIL: $*"
  [ -z "$keeper" ] || kill $keeper
  exit 1
}
links_before=$(ip -br link | sort)
(cd "$WORK/run" && exec $AS "$M" run -e 'lab host h1' -e 'lab router r1' -e 'lab host h2' \
  -e 'lab link h1 r1' -e 'lab link r1 h2' -e 'lab route r1 239.1.1.1 from h1 to h2' \
  -e 'lab exec h2 bg -- sh -c "sleep 300 & sleep 301 & sleep 302"' \
  -e 'lab exec h1 -- sleep 303') >/dev/null 2>&1 &
pid=$! # mcbench itself: the subshell and setpriv exec it
# The processes other than mcbench in the lab's user namespace, by name.
in_lab() {
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" != "$pid" ] && [ "$(readlink "$p/ns/user" 2>/dev/null)" = "$user_ns" ] &&
      cat "$p/comm" 2>/dev/null
  done
}
i=0 # until the lab stands: its nodes are namespace descriptors of the process
while [ "$(ls -l /proc/$pid/fd 2>/dev/null | grep -c 'net:')" -lt 4 ] && [ $i -lt 100 ]; do
  sleep 0.05
  i=$((i + 1))
done
[ $i -lt 100 ] || { kill -9 $pid; fail "the lab never came up"; }
[ "$(stat -c %u /proc/$pid)" = "$UNPRIV_UID" ] || { kill -9 $pid; fail "mcbench does not run as uid $UNPRIV_UID"; }
user_ns=$(readlink /proc/$pid/ns/user)
[ "$user_ns" != "$(readlink /proc/self/ns/user)" ] ||
  { kill -9 $pid; fail "mcbench did not enter a user namespace of its own"; }
i=0 # until its programs run
while [ "$(in_lab | grep -c -x sleep)" -lt 4 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ $i -lt 100 ] || { kill -9 $pid; fail "the programs lab exec starts never came up: $(in_lab)"; }
# Every namespace of the lab: the process's own and those its descriptors hold. A keeper
# process holds them too, so that the kernel cannot give a freed one's number to a new
# namespace (another test's) before the check: then the keeper must be their only holder.
held=$user_ns
redirs="3</proc/$pid/ns/user"
fd=4
for f in /proc/$pid/ns/net /proc/$pid/fd/*; do
  ns=$(readlink "$f" 2>/dev/null) || continue
  case "$ns" in net:*) ;; *) continue ;; esac
  case " $held " in *" $ns "*) continue ;; esac
  [ $fd -le 9 ] || { kill -9 $pid; fail "more namespaces than this test can hold"; }
  held="$held $ns"
  redirs="$redirs $fd<$f"
  fd=$((fd + 1))
done
eval "sleep 60 $redirs &"
keeper=$!
echo "uid $UNPRIV_UID's lab: $(echo $held | wc -w) namespaces ($held), processes: $(in_lab | sort | tr '\n' ' ')"
kill -9 $pid
wait $pid 2>/dev/null
# What still holds one of them: a process in it, or an open descriptor of it (one pass
# over /proc for all of them).
match=""
for ns in $held; do
  match="$match${match:+ -o} -lname *:\\[$(echo "$ns" | tr -dc 0-9)\\]"
done
holders() {
  # shellcheck disable=SC2086 # $match: find's arguments (no spaces; no file is named so)
  find /proc/[0-9]*/ns /proc/[0-9]*/fd -maxdepth 1 \( $match \) 2>/dev/null |
    grep -v "^/proc/$keeper/" | head -5
}
i=0 # the kernel delivers the death signals at once; give the exits a moment
while [ -n "$(holders)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 $pid 2>/dev/null && fail "mcbench still runs after kill -9"
left=$(holders)
[ -z "$left" ] || fail "the lab's namespaces outlived mcbench, held by: $(echo $left) ($(in_lab))"
# (unprivileged, mcbench cannot touch the home namespace anyway: compared where it is ours)
[ "${LABKILL_INSIDE:-}" != 1 ] || [ "$(ip -br link | sort)" = "$links_before" ] ||
  fail "interfaces were left behind"
kill $keeper
echo "PASS: nothing left after kill -9 of an unprivileged lab"
