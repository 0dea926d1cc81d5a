#!/bin/sh
# bad-input.sh MCBENCH - the matrix of limits and hostile inputs that already behave
# well, so that they stay that way: payload sizes at the UDP limit, TTLs out of range,
# huge counts, `every 0ms`, 1 MB lines and files, 5000-byte tokens, self-referring
# variables, unknown and closed sockets, unix paths of 108+ bytes, and binding a unix
# socket onto a regular file, a directory, a symlink and a dangling symlink (refused,
# and the file is left exactly as it was).
#
# Each case runs `mcbench check` or `mcbench --private run -e ...` (its own network
# namespace, loopback only) and asserts the exit status, the clear message, and that
# nothing crashed (no signal, no sanitizer report, no timeout). The `run` cases are
# skipped, with a note, where no network namespace can be made.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-bad-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
failed=0
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# case_ WANT_RC 'TEXT' ARGS...: runs mcbench ARGS; wants exit status WANT_RC and TEXT
# (a fixed string) in its output. check and run do the same for `mcbench check ARGS`
# and `mcbench --private run ARGS`.
case_() {
  want=$1 text=$2
  shift 2
  label=$(printf '%s ' "$@" | cut -c1-110)
  timeout 60 "$mcbench" "$@" >"$dir/out" 2>&1 </dev/null
  rc=$?
  echo "--- $label: exit $rc"
  head -c 600 "$dir/out" | cut -c1-160
  if [ $rc -ge 124 ]; then
    fail "$label: crashed or hung (exit $rc)"
  elif grep -q -e 'Sanitizer' -e 'runtime error:' "$dir/out"; then
    fail "$label: sanitizer report"
  elif [ $rc -ne "$want" ]; then
    fail "$label: exit $rc, wanted $want"
  elif ! grep -q -F -e "$text" "$dir/out"; then
    fail "$label: output lacks '$text'"
  fi
}
check() {
  want=$1 text=$2
  shift 2
  case_ "$want" "$text" check "$@"
}

if unshare -rn true 2>/dev/null || unshare -n true 2>/dev/null; then
  private=yes
else
  private=no
  echo "SKIP: cannot create a network namespace here: the 'run' cases are not tried"
fi
run() {
  want=$1 text=$2
  shift 2
  [ $private = yes ] || return 0
  case_ "$want" "$text" --private run "$@"
}

O='open a udp4'
R='open r udp4'
B='bind r 127.0.0.1:7000'
S='send a 127.0.0.1:7000'

# ---- payload sizes: 65507 is the largest IPv4 UDP datagram ----------------------------
run 0 '2 passed' -e "$O" -e "$R" -e "$B" -e "$S size:0" \
  -e 'expect r received == 1 within 2s' -e 'expect r bytes == 0'
run 0 '1 passed' -e "$O" -e "$R" -e 'set r rcvbuf 1000000' -e "$B" -e "$S size:65507" \
  -e 'expect r bytes == 65507 within 2s'
run 1 'message too long (EMSGSIZE)' -e "$O" -e "$S size:65508"
run 0 'PASS expect error EMSGSIZE' -e "$O" -e "$S size:65508" -e 'expect error EMSGSIZE'
run 1 'at most 65507 bytes (EMSGSIZE)' -e "$O" -e "$S size:70000"
check 2 'size: takes a byte count, 0..1048576' -e "$O" -e "$S size:1048577"

# ---- TTL: 1..255 for unicast, 0..255 for multicast (the system refuses, not check) ----
run 1 'TTL must be 1..255' -e "$O" -e 'set a ttl 0'
run 0 '0 passed, 0 failed' -e "$O" -e 'set a ttl 255' -e 'set a mcast-ttl 255' \
  -e 'set a mcast-ttl 0'
run 1 'TTL must be 1..255' -e "$O" -e 'set a ttl 256'
run 1 'multicast TTL must be 0..255' -e "$O" -e 'set a mcast-ttl 256'
run 1 'TTL must be 1..255' -e "$O" -e 'set a ttl -1'
run 1 'multicast TTL must be 0..255' -e "$O" -e 'set a mcast-ttl -1'

# ---- huge counts and `every 0ms` ---------------------------------------------------
check 2 "'2147483648': number out of range (expected 0..2147483647)" \
  -e "$O" -e "$S \"x\" count 2147483648"
check 2 'number out of range' -e "$O" -e "$S \"x\" count 99999999999999999999"
check 2 'number out of range' -e "$O" -e 'expect a received == 9223372036854775808'
check 2 "'-1': number out of range" -e "$O" -e "$S \"x\" count -1"
# the largest count, in the background at full speed: `close` ends it at once
run 0 '0 passed, 0 failed' -e "$O" -e "$S \"x\" count 2147483647 every 0ms" -e 'wait 50ms' \
  -e 'close a'
run 0 'PASS expect a sent == 100' -e "$O" -e "$S \"x\" count 100 every 0ms" \
  -e 'expect a sent == 100 within 10s'
run 0 'PASS expect a sent == 0' -e "$O" -e "$S \"x\" count 0" -e 'expect a sent == 0'
check 2 'duration longer than 24 hours' -e 'wait 1441m'

# ---- 1 MB lines and files, 5000-byte tokens ------------------------------------------
# a line of ~1 MB of short commands is fine; a token of 5000 bytes or 1 MB is an error
python3 -c "import sys; sys.stdout.write('say \"x\"; ' * 104000 + '\n')" >"$dir/long-line.mcb"
check 0 '1 file OK' "$dir/long-line.mcb"
python3 -c "import sys; sys.stdout.write('say ' + 'a' * ((1 << 20) - 10) + '\n')" >"$dir/mb-token.mcb"
check 2 'mb-token.mcb:1:5: error: token too long after substitution' "$dir/mb-token.mcb"
python3 -c "import sys; sys.stdout.write('# ' + 'a' * (1 << 20) + '\n')" >"$dir/too-big.mcb"
check 2 'larger than 1048576 bytes' "$dir/too-big.mcb"
token=$(python3 -c "print('a' * 5000)")
check 2 '-e:1:5: error: token too long after substitution' -e "say $token"
check 2 '-e:1:5: error: token too long after substitution' -e "say \"$token\""
check 2 'token too long after substitution' -D "V=$(python3 -c "print('b' * 200)")" \
  -e "say \${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}\${V}"

# ---- self-referring variables: substituted once, never recursively --------------------
check 0 '1 file OK' -D 'X=${X}' -e 'say ${X}'
run 0 'say: ${X}' -D 'X=${X}' -e 'say ${X}'
run 0 'say: ${Y}' -D 'X=${Y}' -D 'Y=${X}' -e 'say ${X}'
check 2 "undefined variable 'X'" -e 'default X ${X}' -e 'say ${X}'

# ---- unknown and closed sockets ------------------------------------------------------
check 2 "unknown socket 'a' (no 'open a' before this line)" -e "$S \"x\""
run 2 "unknown socket 'a'" -e "$S \"x\""
check 2 "unknown socket 'zz'" -e "$O" -e 'set zz ttl 3'
run 1 'send a: socket is closed (EBADF)' -e "$O" -e 'close a' -e "$S \"x\""
run 1 'close: socket is closed (EBADF)' -e "$O" -e 'close a' -e 'close a'
run 1 'join a: socket is closed (EBADF)' -e "$O" -e 'close a' -e 'join a 239.1.1.1'
run 0 'PASS expect a sent == 0' -e "$O" -e 'close a' -e 'expect a sent == 0' -e 'reset a'

# ---- unix paths: 107 bytes fit in sun_path, 108 do not --------------------------------
p107=$dir/$(python3 -c "print('p' * (107 - len('$dir/')))")
p108=${p107}q
run 0 '0 passed, 0 failed' -e 'open u unix' -e "bind u $p107"
[ -e "$p107" ] && fail "the socket file $p107 was left behind"
check 2 'unix path too long' -e 'open u unix' -e "bind u $p108"
run 2 'unix path too long' -e 'open u unix' -e "bind u $p108"
run 2 'unix path too long' -e 'open u unix' -e "send u $p108 \"x\""
run 2 'unix path too long' -e 'open u unix' -e "bind u @$(python3 -c "print('q' * 108)")"

# ---- binding onto what is not a socket: refused, and the file is left untouched ---------
printf 'precious\n' >"$dir/file"
mkdir "$dir/dir" && : >"$dir/dir/inside"
printf 'target\n' >"$dir/target"
ln -s "$dir/target" "$dir/link"
ln -s "$dir/nowhere" "$dir/dangling"
before=$(cd "$dir" && ls -li --time-style=full-iso file dir dir/inside target link dangling &&
  cat file target)
for f in file dir link dangling; do
  run 1 "bind $dir/$f: file exists and is not a socket (EADDRINUSE)" \
    -e 'open u unix' -e "bind u $dir/$f"
done
run 1 'connection refused (ECONNREFUSED)' -e 'open u unix' -e "send u $dir/file \"x\""
after=$(cd "$dir" && ls -li --time-style=full-iso file dir dir/inside target link dangling &&
  cat file target)
[ "$before" = "$after" ] || fail "a file changed: before: $before; after: $after"
[ -e "$dir/nowhere" ] && fail "binding onto a dangling symlink created its target"

if [ $failed -ne 0 ]; then
  echo "$failed case(s) failed"
  exit 1
fi
echo OK
