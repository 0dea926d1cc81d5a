#!/bin/sh
# run-cli.sh MCBENCH - the command line of `run` and `check`: options before or after the
# files (`--` ends them), `check` refuses every option that only applies when running
# (the list is read from the two --help texts, which come from the tables), -D says
# which limit it hit, and nothing on the command line reaches the terminal raw.
set -u
mcbench=$1
dir=$(mktemp -d /tmp/mcb-cli-XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
printf 'open a udp4\nexpect a received == 0\n' > good.mcb
cp good.mcb ./-v.mcb

# options after the file names; -- ends the options
out=$("$mcbench" run good.mcb -v 2>&1) || fail "run FILE -v: $out"
echo "$out" | grep -qx "good.mcb:1: > open a udp4" || fail "-v after the file was not taken"
out=$("$mcbench" run --tap -- -v.mcb 2>&1) || fail "run -- -v.mcb: $out"
echo "$out" | grep -qx "ok 1 - -v.mcb:2 expect a received == 0" || fail "-- did not end the options"
"$mcbench" check good.mcb -D X=1 > /dev/null || fail "check FILE -D"

# check has its own help and refuses run-only options
out=$("$mcbench" check --help) || fail "check --help"
echo "$out" | grep -q "^usage: mcbench check" || fail "check --help is not check's"
opts=$("$mcbench" run --help | sed -n 's/^ *\(-., \)\{0,1\}--\([a-z-]*\).*/\2/p')
[ -n "$opts" ] || fail "no options in run --help"
for o in $opts; do
  echo "$out" | grep -q -- "--$o\b" && continue # check takes it too
  err=$("$mcbench" check --$o x good.mcb 2>&1)
  rc=$?
  [ $rc -eq 2 ] || fail "check --$o: exit status $rc, wanted 2"
  echo "$err" | grep -q "mcbench check: --$o only applies to 'mcbench run'" \
    || fail "check --$o: $err"
done
err=$("$mcbench" check --json x.json good.mcb 2>&1)
[ $? -eq 2 ] || fail "check --json x.json: not exit 2"
[ -e x.json ] && fail "check wrote x.json"

# -D names the limit it hit
long=$(printf '%040d' 0 | tr 0 A)
err=$("$mcbench" run -D "$long=1" good.mcb 2>&1)
[ $? -eq 2 ] && echo "$err" | grep -q "the name is 40 characters long (at most 31)" || fail "-D name: $err"
err=$("$mcbench" run -D "A=$(printf '%0300d' 0)" good.mcb 2>&1)
[ $? -eq 2 ] && echo "$err" | grep -q "the value of A is 300 bytes long (at most 255)" || fail "-D value: $err"
set -- ; i=0
while [ $i -lt 65 ]; do set -- "$@" -D "V$i=1"; i=$((i + 1)); done
err=$("$mcbench" run "$@" good.mcb 2>&1)
[ $? -eq 2 ] && echo "$err" | grep -q "too many variables (at most 64)" || fail "-D count: $err"
err=$("$mcbench" run -D "1x=1" good.mcb 2>&1)
echo "$err" | grep -q "letters, digits and _" || fail "-D bad name: $err"

# hostile bytes on the command line come back escaped
esc=$(printf '\033')
err=$("$mcbench" run -D "$(printf 'A\033]0;x\007=1')" "--$(printf '\033[2J')" good.mcb 2>&1)
case "$err" in *"$esc"*) fail "an escape byte reached the terminal: $err" ;; esac
echo OK
