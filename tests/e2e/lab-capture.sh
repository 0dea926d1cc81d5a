#!/bin/sh
# lab-capture.sh MCBENCH - `lab capture` records a lab link into a pcapng file that tshark
# reads: exactly the datagrams sent across it, from either end, completed by `lab capture
# LINK stop` or by the end of the lab; an existing file is kept unless `overwrite` is
# given, a symlink is never followed, and `count N` caps the file. Runs in a user and
# network namespace of its own (mcbench makes its lab inside), so it also shows that
# capturing works unprivileged.
set -u
M=$(realpath "$1")
if [ "${CAPTURE_INSIDE:-}" != 1 ]; then
  command -v tshark >/dev/null 2>&1 || { echo "SKIP: tshark is not installed"; exit 77; }
  unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here"; exit 77; }
  exec unshare -rn env CAPTURE_INSIDE=1 sh "$0" "$@"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
# Datagrams to the group in a capture, as tshark decodes it (it fails on a broken file).
count() {
  tshark -r "$1" -Y "udp && ip.dst == 239.1.4.1 && udp.dstport == 5012" 2>tshark.err >tshark.out ||
    fail "tshark cannot read $1: $(cat tshark.err)"
  # (as root, tshark warns that it runs as root: not about the file)
  ! grep -v "Running as user" tshark.err | grep -q . || fail "tshark complains about $1: $(cat tshark.err)"
  wc -l <tshark.out | tr -d ' '
}
lab="-e 'lab host h1' -e 'lab host h2' -e 'lab link h1 h2'"
traffic="-e 'open rx udp4 on h2' -e 'bind rx :5012' -e 'join rx 239.1.4.1' -e 'open tx udp4 on h1'"
traffic="$traffic -e 'send tx 239.1.4.1:5012 size:40 count 37 every 1ms'"
traffic="$traffic -e 'expect rx received == 37 within 3s'"

# 1. Both ends, one stopped by the command, one completed when the lab ends.
out=$(eval "\"$M\" run $lab -e 'lab capture h1-h2 a.pcapng' -e 'lab capture h2 h1 b.pcapng' \
  $traffic -e 'wait 100ms' -e 'lab capture h1-h2 stop'" 2>&1) || fail "run 1: $out"
echo "$out" | grep -q "^lab capture h1-h2: [0-9]* packets ([0-9]* bytes) in a.pcapng" ||
  fail "no summary at stop: $out"
[ "$(count a.pcapng)" = 37 ] || fail "h1's end: $(count a.pcapng) datagrams, not 37"
[ "$(count b.pcapng)" = 37 ] || fail "h2's end: $(count b.pcapng) datagrams, not 37"
# The direction of each packet: sent at h1, received at h2.
tshark -r a.pcapng -Y "udp.dstport == 5012" -T fields -e frame.packet_flags_direction 2>/dev/null |
  sort -u | grep -qx 0x00000002 || fail "h1's capture does not mark its datagrams outbound"
tshark -r b.pcapng -Y "udp.dstport == 5012" -T fields -e frame.packet_flags_direction 2>/dev/null |
  sort -u | grep -qx 0x00000001 || fail "h2's capture does not mark its datagrams inbound"

# 2. An existing file is kept; overwrite replaces it; a symlink is never followed.
cp a.pcapng keep.pcapng
eval "\"$M\" run $lab -e 'lab capture h1-h2 a.pcapng' -e 'expect error EEXIST'" >/dev/null 2>&1 ||
  fail "an existing file was not refused"
cmp -s a.pcapng keep.pcapng || fail "a refused capture changed the existing file"
echo precious >target
ln -s target link.pcapng
eval "\"$M\" run $lab -e 'lab capture h1-h2 link.pcapng overwrite' -e 'expect error ELOOP'" \
  >/dev/null 2>&1 || fail "a symlink was followed"
[ "$(cat target)" = precious ] || fail "the symlink's target was written"
eval "\"$M\" run $lab -e 'lab capture h1-h2 a.pcapng overwrite' $traffic" >/dev/null 2>&1 ||
  fail "overwrite did not capture"
[ "$(count a.pcapng)" = 37 ] || fail "overwritten capture: $(count a.pcapng) datagrams"

# 3. count N caps the file, says so, and leaves a file tshark reads whole.
out=$(eval "\"$M\" run $lab -e 'lab capture h1-h2 c.pcapng count 5' $traffic \
  -e 'lab capture h1-h2 stop'" 2>&1) || fail "run 3: $out"
echo "$out" | grep -q "5 packets .*stopped at its cap" || fail "the cap was not reported: $out"
[ "$(tshark -r c.pcapng 2>/dev/null | wc -l)" = 5 ] || fail "the capped file does not hold 5 packets"

# 4. Stopping what does not run, and naming a node instead of a link, are errors.
eval "\"$M\" run $lab -e 'lab capture h1 h2 stop' -e 'expect error ENOENT'" >/dev/null 2>&1 ||
  fail "stopping no capture was not an error"
# A second capture of the same end is refused (stop could not tell them apart), and
# count 0 is refused at check time (it would have meant the default).
out=$(eval "\"$M\" run $lab -e 'lab capture h1 h2 d.pcapng' -e 'lab capture h1-h2 e.pcapng' \
  -e 'expect error EBUSY' -e 'lab capture h2-h1 f.pcapng'" 2>&1) || fail "a second capture: $out"
echo "$out" | grep -q "^lab capture h2-h1: " || fail "the other end could not be captured: $out"
[ ! -e e.pcapng ] || fail "a refused capture created its file"
"$M" check -e 'lab host h1' -e 'lab host h2' -e 'lab link h1 h2' \
  -e 'lab capture h1-h2 z.pcapng count 0' >/dev/null 2>&1 && fail "count 0 passed the check"
out=$("$M" check -e 'lab host h1' -e 'lab capture h1-h9 x.pcapng' 2>&1) && fail "a typo passed"
echo "$out" | grep -q "unknown node 'h9' in link 'h1-h9'" || fail "unclear check error: $out"
echo "PASS: lab capture"
