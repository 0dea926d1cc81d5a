#!/bin/sh
# test-record.sh - `record FILE` saves what the operator types, with waits between
# commands and `expect error` after a command that failed, as a scenario that
# `mcbench run` replays with the same results.
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
echo OK
