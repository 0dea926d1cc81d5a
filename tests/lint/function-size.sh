#!/bin/sh
# function-size.sh SRCDIR BUILDDIR - no function in core/, scenarios/, ui/ or app/ is
# longer than 80 lines (clang-tidy's readability-function-size, LineThreshold 80, over
# every .c file those folders keep and the headers they include). BUILDDIR holds the
# compile_commands.json CMake writes. Long functions are split into named helpers.
set -u
src=$1 build=$2
limit=80
tidy=${CLANG_TIDY:-clang-tidy}
command -v "$tidy" >/dev/null 2>&1 || {
  echo "FAIL: clang-tidy not found (tools/install-deps.sh test installs it)"
  exit 1
}
config="{CheckOptions: [{key: readability-function-size.LineThreshold, value: $limit}]}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# The check itself must still bite: an 81-line function has to be reported.
{
  echo "int long_one(int x);"
  echo "int long_one(int x)"
  echo "{"
  i=0
  while [ $i -lt $limit ]; do echo "  x += $i;"; i=$((i + 1)); done
  echo "  return x;"
  echo "}"
} > "$tmp/long.c"
if "$tidy" --quiet -checks='-*,readability-function-size' -config="$config" "$tmp/long.c" -- \
  2>/dev/null | grep -q "long_one"; then :; else
  echo "FAIL: clang-tidy did not flag a function of $((limit + 1)) lines; is the check broken?"
  exit 1
fi

cd "$src" || exit 1
files=$(find core scenarios ui app -name '*.c' | sort)
[ -n "$files" ] || { echo "FAIL: no sources under $src"; exit 1; }
# shellcheck disable=SC2086 # one file name per word
# -w: the compiler's own warnings are the build's business (and gcc-only flags in the
# compile commands must not stop clang); only the check's findings count here.
echo $files | tr ' ' '\n' | xargs -P 2 -n 8 "$tidy" --quiet -p "$build" \
  -checks='-*,readability-function-size' -config="$config" \
  --extra-arg=-w --extra-arg=-Wno-unknown-warning-option \
  -header-filter="^$src/(core|scenarios|ui|app)/" > "$tmp/out" 2> "$tmp/err"
rc=$?
long=$(grep "warning: function .* exceeds" "$tmp/out" | sort -u)
if [ -n "$long" ]; then
  echo "FAIL: functions longer than $limit lines (split them into named helpers):"
  echo "$long"
  exit 1
fi
if [ $rc -ne 0 ]; then
  echo "FAIL: clang-tidy could not check every file:"
  cat "$tmp/out" "$tmp/err"
  exit 1
fi
echo "OK: $(echo "$files" | wc -l) files, no function longer than $limit lines"
