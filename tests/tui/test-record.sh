#!/bin/sh
# test-record.sh - `record FILE` saves what the operator types, with waits between
# commands and `expect error` after a command that failed, as a scenario that
# `mcbench run` replays with the same results. It never replaces an existing file
# without `overwrite`, never follows a symbolic link, reports a file it cannot create,
# takes `off` for `stop`, and on SIGTERM closes the file and says so once the terminal
# is restored.
. "$(dirname "$0")/lib.sh"
need tmux

start 100 32 --private
wait_for "welcome"
cmd "record $WORK/session.mcb"
wait_for "recording to"
cmd "open rx udp4"
cmd "bind rx :6000"
keys J
wait_for "^:join rx$"
keys -l "239.2.2.2"
keys Enter
cmd "open tx udp4"
wait_for "^│tx: " # the socket just opened is selected
keys Up           # the receiver's peers
wait_for "^│rx: "
cmd 'send tx 239.2.2.2:6000 "recorded" count 2'
wait_for "2 msgs"
cmd "expect rx received == 2 within 1s"
wait_for "PASS expect rx received == 2 within 1s"
cmd "join rx 10.1.1.1"
wait_for "not a multicast address"
cmd "view hex" # front-end verbs are not recorded
cmd "record stop"
wait_for "recording stopped: 7 commands"
keys q y
wait_exit 0

grep -q "^join rx 239.2.2.2$" "$WORK/session.mcb" || fail "the key's command was not recorded"
grep -q "^expect error EINVAL$" "$WORK/session.mcb" || fail "the failure was not recorded"
grep -q "^wait " "$WORK/session.mcb" || fail "no wait lines"
! grep -q "view" "$WORK/session.mcb" || fail "a front-end verb was recorded"
out=$(cd "$WORK" && "$MCBENCH" --private run session.mcb 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "replay exit status $rc"
echo "$out" | grep -q "PASS expect rx received == 2 within 1s" || fail "replay differs"
echo "$out" | grep -q "PASS expect error EINVAL" || fail "replay differs"
echo "$out" | grep -qx "2 passed, 0 failed" || fail "replay differs"

# the file's safety: existing files, symbolic links, files that cannot be created
printf 'open a udp4 # hand-written\n' >"$WORK/mine.mcb"
printf 'precious\n' >"$WORK/target"
ln -s "$WORK/target" "$WORK/link.mcb"
: >"$WORK/plain"
start 120 32 --private
wait_for "welcome"
cmd "record $WORK/mine.mcb"
wait_for "mine\.mcb exists \(record FILE overwrite replaces it\)"
absent "REC"
[ "$(cat "$WORK/mine.mcb")" = "open a udp4 # hand-written" ] || fail "an existing file was touched"
cmd "record $WORK/link.mcb overwrite"
wait_for "link\.mcb is a symbolic link: not followed"
[ "$(cat "$WORK/target")" = precious ] || fail "the link's target was written"
cmd "record $WORK/plain/x.mcb"
wait_for "plain/x\.mcb: not a directory"
cmd "record $WORK/mine.mcb overwrite"
wait_for "recording to .*mine\.mcb"
cmd "open rx udp4"
cmd "record off"
wait_for "recording stopped: 1 commands in .*mine\.mcb"
[ ! -e "$WORK/off" ] || fail "record off made a file named off"
grep -q "^open rx udp4$" "$WORK/mine.mcb" || fail "overwrite did not record"
! grep -q "hand-written" "$WORK/mine.mcb" || fail "overwrite kept the old text"

# SIGTERM while recording: the file is closed and the end is reported after the
# terminal is restored
cmd "record $WORK/term.mcb"
wait_for "recording to"
cmd "open tx udp4"
wait_for "tx +udp4"
kill -TERM "$(bench_pid)"
wait_exit 0
grep -q "^open tx udp4$" "$WORK/term.mcb" || fail "the recording lost its commands"
grep -q "recording stopped: 1 commands in .*term\.mcb" "$WORK/stderr" ||
  fail "the recording's end was not reported"

# SIGHUP (the terminal went away) does the same
start 120 32 --private
wait_for "welcome"
cmd "record $WORK/hup.mcb"
wait_for "recording to"
cmd "open hx udp4"
wait_for "hx +udp4"
kill -HUP "$(bench_pid)"
wait_exit 0
grep -q "^open hx udp4$" "$WORK/hup.mcb" || fail "the recording lost its commands on SIGHUP"
grep -q "recording stopped: 1 commands in .*hup\.mcb" "$WORK/stderr" ||
  fail "the recording's end was not reported on SIGHUP"

# a recording begun after sockets were made starts with the commands that make them
# (options, bind, joins), says to replay it with --private, and records the loopback
# key as the state it produced, so the file replays on its own
start 120 32 --private
wait_for "welcome"
cmd "open rx udp4 reuse"
cmd "set rx mcast-ttl 3"
cmd "bind rx :6000"
cmd "join rx 239.2.2.2 on mcb0"
cmd "join rx 239.3.3.3 on mcb0 except 10.99.0.8,10.99.0.9"
cmd "open tx udp4"
cmd "set tx mcast-if mcb0"
wait_for "^│tx: "
cmd "record $WORK/late.mcb"
wait_for "recording to"
keys L
wait_for "tx +.* 64 +1 +off"
keys L
wait_for "tx +.* 64 +1 +on"
cmd 'send tx 239.2.2.2:6000 "late" count 2'
cmd "expect rx received == 2 within 1s"
wait_for "PASS expect rx received == 2 within 1s"
cmd "record stop"
wait_for "recording stopped: 4 commands"
keys q y
wait_exit 0
cat "$WORK/late.mcb"
grep -q "^# Replay: mcbench run --private .*late\.mcb$" "$WORK/late.mcb" || fail "no --private in the header"
grep -q "^open rx udp4 reuse$" "$WORK/late.mcb" || fail "the setup lacks open rx"
grep -q "^set rx mcast-ttl 3$" "$WORK/late.mcb" || fail "the setup lacks an option"
grep -q "^bind rx 0\.0\.0\.0:6000$" "$WORK/late.mcb" || fail "the setup lacks bind"
grep -q "^join rx 239\.2\.2\.2 on mcb0$" "$WORK/late.mcb" || fail "the setup lacks the join"
grep -q "^join rx 239\.3\.3\.3 on mcb0 except 10\.99\.0\.8,10\.99\.0\.9$" "$WORK/late.mcb" ||
  fail "the setup lacks the exclude-mode join"
grep -q "^set tx mcast-if mcb0$" "$WORK/late.mcb" || fail "the setup lacks mcast-if"
grep -q "^set tx loopback off$" "$WORK/late.mcb" || fail "the toggle was not recorded as its state"
grep -q "^set tx loopback on$" "$WORK/late.mcb" || fail "the toggle was not recorded as its state"
! grep -q "toggle" "$WORK/late.mcb" || fail "a toggle was recorded"
out=$(cd "$WORK" && "$MCBENCH" --private run late.mcb 2>&1) || fail "replay failed: $out"
echo "$out" | grep -qx "1 passed, 0 failed" || fail "replay differs: $out"
echo OK
