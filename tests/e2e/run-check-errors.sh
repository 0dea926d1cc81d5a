#!/bin/sh
# run-check-errors.sh MCBENCH - one file with errors no longer hides the others: the
# files that check run, the others are errored testcases (with the compiler-style
# messages) in every format, and the exit status is 2.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-checkerr-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
printf 'open a udp4\nexpect a received == 0\n' > good.mcb
printf 'open a udp4\nsned a b\n' > bad.mcb
fail() { echo "FAIL: $*"; exit 1; }

"$mcbench" run --junit r.xml --json r.json good.mcb bad.mcb > out 2> err
rc=$?
cat out err
[ $rc -eq 2 ] || fail "exit status $rc, wanted 2"
grep -qx "good.mcb:2: PASS expect a received == 0" out || fail "good.mcb did not run"
grep -qx "bad.mcb:2:1: error: unknown command 'sned'; did you mean 'send'?" err \
  || fail "no compiler-style error on stderr"
grep -qx "1 passed, 0 failed, 1 error, 1 file not run" out || fail "no summary"
grep -q '<testsuite name="bad.mcb" tests="1" failures="0" errors="1"' r.xml || fail "JUnit"
grep -q '<error type="check" message="unknown command' r.xml || fail "JUnit error"
grep -q "bad.mcb:2:1: error: unknown command" r.xml || fail "JUnit compiler-style text"
grep -q '<testcase classname="good.mcb" name="line 2: expect a received == 0"' r.xml \
  || fail "JUnit lost good.mcb"
grep -q '"file": "bad.mcb", "passed": 0, "failed": 0, "errors": 1, "timed_out": false, "not_run": true' r.json \
  || fail "JSON"
grep -q '"check_errors": \[{"line": 2, "col": 1, "kind": "check", "message": "unknown command' r.json \
  || fail "JSON check_errors"

"$mcbench" run --tap bad.mcb good.mcb > tap 2>&1
rc=$?
cat tap
[ $rc -eq 2 ] || fail "TAP: exit status $rc, wanted 2"
grep -qx "not ok 1 - bad.mcb:2:1: error: unknown command 'sned'; did you mean 'send'?" tap \
  || fail "TAP: no errored test point"
grep -qx "ok 2 - good.mcb:2 expect a received == 0" tap || fail "TAP: good.mcb did not run"
grep -qx "1..2" tap || fail "TAP: plan"
echo OK
