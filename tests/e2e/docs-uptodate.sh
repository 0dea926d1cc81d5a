#!/bin/sh
# docs-uptodate.sh MCBENCH SRCDIR - the language reference and the man page are
# generated from the command table; fail when the committed copies drift from it.
# Regenerate with: make docs
set -u
rc=0
"$1" help --markdown | diff -u "$2/docs/scenario-language.md" - || rc=1
"$1" help --man | diff -u "$2/docs/mcbench.5" - || rc=1
[ $rc -eq 0 ] && echo OK || echo "FAIL: docs are stale: run 'make docs'"
exit $rc
