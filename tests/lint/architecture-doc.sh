#!/bin/sh
# architecture-doc.sh MCBENCH SRCDIR - docs/architecture.md keeps up with the tree:
# - every .c/.h under core/src, core/include, scenarios, doctor, ui and app has a row in
#   "Every source file", and every file a row names exists;
# - every verb `mcbench help` lists has a row in the "Verb → file map" whose entry file
#   defines it (its name appears there as a string: .name = "verb").
set -u
mcbench=$1
cd "$2" || exit 1
doc=docs/architecture.md
rc=0

files=$(find core/src core/include scenarios doctor ui app -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "FAIL: no source files found"; exit 1; }
for f in $files; do
  grep -qF "| \`$f\` |" "$doc" || { echo "FAIL: $f has no row in $doc (Every source file)"; rc=1; }
done
for f in $(sed -n 's/^| `\([a-z]*\/[^`]*\.[ch]\)` | .*/\1/p' "$doc"); do
  [ -f "$f" ] || { echo "FAIL: $doc lists $f, which does not exist"; rc=1; }
done

# The verbs: the indented first words of the two command lists of `mcbench help`.
verbs=$("$mcbench" help | awk '/^(scenario|interactive) commands/ { on = 1; next }
                               /^[^ ]/ { on = 0 }
                               on && /^  [a-z]/ { print $1 }')
[ -n "$verbs" ] || { echo "FAIL: 'mcbench help' listed no verbs"; exit 1; }
for v in $verbs; do
  row=$(grep "^| \`$v\` | " "$doc")
  if [ -z "$row" ]; then
    echo "FAIL: verb '$v' has no row in $doc (Verb → file map)"
    rc=1
    continue
  fi
  entry=$(echo "$row" | sed -n 's/^| `[^`]*` | `\([^`]*\)` |.*/\1/p')
  if [ -z "$entry" ] || [ ! -f "$entry" ]; then
    echo "FAIL: verb '$v': entry file '$entry' does not exist"
    rc=1
  elif ! grep -qF "\"$v\"" "$entry"; then
    echo "FAIL: verb '$v': $entry does not define it"
    rc=1
  fi
  for f in $(echo "$row" | grep -o '`[a-z]*/[^`]*\.c`' | tr -d '`'); do
    [ -f "$f" ] || { echo "FAIL: verb '$v': $f does not exist"; rc=1; }
  done
done
[ $rc -eq 0 ] && echo "OK: $(echo "$files" | wc -l) files and $(echo "$verbs" | wc -l) verbs documented"
exit $rc
