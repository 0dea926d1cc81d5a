#!/bin/sh
# expect-fail.sh MCBENCH SRCDIR - a scenario whose expectation fails must exit 1 and
# print the failing line with what was expected and what was seen.
set -u
mcbench=$1 src=$2
out=$(cd "$src/tests/e2e" && "$mcbench" --private run must-fail.mcb 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] || { echo "FAIL: exit status $rc, wanted 1"; exit 1; }
echo "$out" | grep -qx "must-fail.mcb:14: FAIL expect rx received == 2 within 300ms: expected received == 2, got received 1" \
  || { echo "FAIL: the failure line is missing"; exit 1; }
echo "$out" | grep -qx "1 passed, 1 failed" || { echo "FAIL: no summary line"; exit 1; }
# A command that fails without 'expect error' stops the scenario with file:line:col.
out=$("$mcbench" --private run -e 'open rx udp4' -e 'join rx 239.1.1.1 on nosuch0' -e 'expect rx received == 0' 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] || { echo "FAIL: runtime error gave exit status $rc, wanted 1"; exit 1; }
echo "$out" | grep -q "^-e:2:22: error: join 239.1.1.1 on nosuch0: no such device (ENODEV)" \
  || { echo "FAIL: runtime error not reported with position"; exit 1; }
echo "$out" | grep -qx "0 passed, 0 failed, 1 error" || { echo "FAIL: the scenario did not stop"; exit 1; }
echo "OK"
