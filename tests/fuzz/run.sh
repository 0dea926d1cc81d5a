#!/bin/sh
# run.sh - runs one libFuzzer target on its committed corpus for a while, and fails if it
# finds a crash, a leak, a timeout or a broken property.
#
# Usage: tests/fuzz/run.sh FUZZER SECONDS WORKDIR
#   FUZZER   a built target, e.g. build-fuzz/tests/fuzz/fuzz-compile (its name without
#            "fuzz-" names its corpus, tests/fuzz/corpus/<name>/, and dictionary)
#   WORKDIR  scratch directory: WORKDIR/new gets the inputs found in this run (emptied
#            first), WORKDIR/crash-* the failing input, if any
# The committed corpus is only read: libFuzzer writes new inputs to the first directory
# it is given, WORKDIR/new. To keep interesting finds, copy them from there (after
# `FUZZER -merge=1 tests/fuzz/corpus/NAME WORKDIR/new` keeps only those that add
# coverage).
set -eu

if [ $# -ne 3 ]; then
  echo "usage: $0 FUZZER SECONDS WORKDIR" >&2
  exit 2
fi
fuzzer=$1 seconds=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$fuzzer")
name=${name#fuzz-}
corpus=$here/corpus/$name
[ -x "$fuzzer" ] || { echo "run.sh: $fuzzer: not built" >&2; exit 2; }
[ -d "$corpus" ] || { echo "run.sh: $corpus: no seed corpus" >&2; exit 2; }

# Longer inputs only where the code under test has limits worth reaching: a scenario
# line may be 4096 bytes, a payload 1 MB (hex: doubles it).
case $name in
  compile) max_len=20000 ;;
  values) max_len=12000 ;;
  decode) max_len=9000 ;;
  *) max_len=4096 ;;
esac
set -- -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/"
[ -f "$here/$name.dict" ] && set -- "$@" -dict="$here/$name.dict"

mkdir -p "$work/new"
rm -f "$work/new"/* "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* \
  "$work"/slow-unit-*
echo "run.sh: $name for ${seconds}s on $corpus (scratch: $work)"
if "$fuzzer" "$@" "$work/new" "$corpus"; then
  echo "run.sh: $name: clean for ${seconds}s"
  exit 0
fi
echo "run.sh: $name FAILED; the input that failed:" >&2
ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
echo "run.sh: reproduce with: $fuzzer FILE   (add it to $corpus once fixed)" >&2
exit 1
