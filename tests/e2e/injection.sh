#!/bin/sh
# injection.sh MCBENCH CTLCHECK - a scenario full of terminal escapes (ESC, CSI, OSC,
# C1 as UTF-8 and as lone bytes, DEL, NUL) in its tokens, strings, comments, socket
# names, unknown verbs, variables and file name goes through `check`, `run`, `run -v`
# and `run --tap`, and unknown command-line arguments are echoed back: CTLCHECK asserts that no control byte but newline and tab reaches
# stdout or stderr, and each output must show the escaped form (\x1b), so the hostile
# bytes were really seen. The runs use `mcbench --private` (skipped without namespaces).
# A NUL byte must be an error at its line and column.
set -u
mcbench=$1 ctlcheck=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A file name that would retitle the terminal and clear it.
bad="$dir/$(printf 'bad\033]0;pwned\007\033[2J\302\233.mcb')"
printf '%s\n' \
  "$(printf '# comment \033]0;pwned\007 \033[2J \302\233 \233 \177')" \
  "$(printf 'open \033[31mrx udp4')" \
  "$(printf 'frob\033[2J arg \033]8;;http://x\033\\')" \
  "$(printf 'help \033]0;x\007')" \
  "$(printf 'open rx udp4\nset rx \033[1mttl 3\nbind rx \033[2J:5000')" \
  "$(printf 'send rx 239.1.1.1:5000 "a" count 3\233 every 1ms')" \
  "$(printf 'wait 5\302\205ms')" \
  "$(printf 'join rx 239.1.1.1 on \033[6n')" \
  "$(printf 'expect rx \033[Hreceived == 1')" \
  "$(printf 'send rx 239.1.1.1:5000 "raw \033[2J" \033[2J')" \
  "$(printf 'say "unterminated \033]0;x')" \
  "$(printf 'say ${\033[2J}')" >"$bad"
printf 'say "x" \000 \033[2J hidden\n' >>"$bad"

good="$dir/$(printf 'good\033[2J.mcb')"
# Raw bytes (printf) in a comment, in a string and in a unix name; C escapes in strings.
printf '%s\n' \
  "$(printf '# a comment that would clear the screen: \033[2J \302\233')" \
  "$(printf 'say "raw bytes: \033]0;pwned\007 \033[2J \302\233 \233 \177 \r"')" \
  'say "escapes: \e]0;pwned\a \e[2J \x9b \xc2\x9b \xc2\x85 \x7f \r \x00 hidden"' \
  'say ${EVIL}' \
  'open u unix' \
  "$(printf 'bind u "@mcb-inj\033[2J\001"')" \
  'open t unix' \
  "$(printf 'send t "@mcb-inj\033[2J\001" "\033[2Jpayload\233"')" \
  'expect u received == 1 within 1s' \
  'expect u received == 5 within 10ms' \
  'expect u payload "\e]0;pwned\a"' \
  'send t "@nobody\e]0;pwned\a" "x"' >"$good"

# Runs one mcbench command; its stdout and stderr must be free of controls and must
# show at least one escaped ESC.
try() {
  label=$1
  shift
  "$@" >"$dir/out" 2>"$dir/err"
  echo "--- $label: exit $?"
  "$ctlcheck" "$dir/out" "$dir/err" || fail "$label: a control byte reached the terminal"
  cat "$dir/out" "$dir/err"
  cat "$dir/out" "$dir/err" | grep -q '\\x1b' || fail "$label: no escaped ESC in the output"
}

# A NUL byte is an error at its line and column, not the silent end of its line.
printf 'open a udp4\nsay "x" \000 join a 239.1.1.1\n' >"$dir/nul.mcb"
"$mcbench" check "$dir/nul.mcb" >"$dir/out" 2>"$dir/err"
rc=$?
cat "$dir/out" "$dir/err"
[ $rc -eq 2 ] || fail "check of a file with a NUL byte: exit $rc, wanted 2"
grep -q "nul.mcb:2:9: error: NUL byte" "$dir/err" || fail "no error at the NUL byte"
grep -q "OK" "$dir/out" && fail "check says OK"

evil=$(printf 'EVIL=\033]0;pwned\007\033[2J\302\233')
try check "$mcbench" check -D "$evil" "$bad" "$good"
try "help" "$mcbench" help "$(printf 'x\033[2J')"
try "missing file" "$mcbench" check "$dir/$(printf 'missing\033[2J.mcb')"
grep -qF 'missing\x1b[2J.mcb: no such file' "$dir/err" || fail "missing file: escaped twice"
# Unknown arguments are echoed in the error, escaped.
try "unknown command" "$mcbench" "$(printf 'frob\033]0;pwned\007\033[2J')"
try "unknown option" "$mcbench" "$(printf -- '--frob\033[2J')"
try "play: unknown option" "$mcbench" play "$(printf -- '--frob\033[2J')" x.mcb
try "play: bad delay" "$mcbench" play --delay "$(printf '1\033[2J')" x.mcb
try "run (parse errors)" "$mcbench" run "$bad"
try "run -e" "$mcbench" run -e "$(printf 'say "\033[2J"')" -e "$(printf 'open \033[2J udp4')"
if unshare -rn true 2>/dev/null || unshare -n true 2>/dev/null; then
  try run "$mcbench" --private run -D "$evil" "$good"
  try "run -v" "$mcbench" --private run -v -D "$evil" "$good"
  try "run --tap" "$mcbench" --private run --tap -D "$evil" "$good"
  try "run --tap (parse errors)" "$mcbench" --private run --tap "$bad"
else
  echo "SKIP: cannot create a network namespace here: run, run -v and run --tap not tried"
fi
echo OK
