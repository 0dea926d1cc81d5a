#!/bin/sh
# include-cycles.sh SRCDIR - no include circles in core/, scenarios/, ui/ or app/.
#
# Two graphs, each must be acyclic (tsort finds the loops):
# - headers: a .h that includes a .h that (through others) includes it back;
# - modules: a module is foo.c with its foo.h and foo-internal.h. A circle is a module
#   whose files include another module's header while that module includes the first
#   one's back: "grammar.c includes cmd.h, which includes grammar.h".
# "#include "x.h"" resolves as the build does: the including file's folder first, then
# core/include, core/src, scenarios, ui, app.
set -u
cd "$1" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# "FILE HEADER" for every project header a file includes.
for f in $(find core scenarios ui app -name '*.[ch]' | sort); do
  d=$(dirname "$f")
  sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
    while read -r inc; do
      for dir in "$d" core/include core/src scenarios ui app; do
        if [ -f "$dir/$inc" ]; then
          echo "$f $dir/$inc"
          break
        fi
      done
    done
done > "$tmp/edges"
[ -s "$tmp/edges" ] || { echo "FAIL: found no includes under $1"; exit 1; }

# tsort must still find a loop; an empty or broken pipeline would pass anything.
printf 'a b\nb a\n' | tsort > /dev/null 2>&1 && { echo "FAIL: tsort missed a loop"; exit 1; }

rc=0
awk '$1 ~ /\.h$/' "$tmp/edges" | tsort > /dev/null 2> "$tmp/err" || {
  echo "FAIL: headers include each other in a circle:"
  cat "$tmp/err"
  rc=1
}
awk '{ a = $1; b = $2
       sub(/\.[ch]$/, "", a); sub(/\.[ch]$/, "", b)
       sub(/-internal$/, "", a); sub(/-internal$/, "", b)
       if (a != b) print a, b }' "$tmp/edges" | sort -u | tsort > /dev/null 2> "$tmp/err" || {
  echo "FAIL: modules include each other's headers in a circle (module = foo.c, foo.h,"
  echo "foo-internal.h); the loop's members:"
  cat "$tmp/err"
  rc=1
}
[ $rc -eq 0 ] && echo "OK: $(wc -l < "$tmp/edges") includes, no circle"
exit $rc
