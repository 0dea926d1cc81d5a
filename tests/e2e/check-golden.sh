#!/bin/sh
# check-golden.sh MCBENCH SRCDIR - `mcbench check` reports every error of a file, in
# order, compiler style, and exits 2 (the expected output is check-errors.expected).
set -u
cd "$2/tests/e2e" || exit 1
out=$("$1" check check-errors.mcb 2>&1 >/dev/null)
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: exit status $rc, wanted 2"; exit 1; }
printf '%s\n' "$out" | diff -u check-errors.expected - || { echo "FAIL: output differs"; exit 1; }
"$1" check ../../scenarios/examples/*.mcb || { echo "FAIL: the examples do not check"; exit 1; }
echo OK
