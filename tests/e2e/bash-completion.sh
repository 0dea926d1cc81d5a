#!/bin/bash
# bash-completion.sh MCBENCH - the generated bash completion, run in bash: inside
# `mcbench run -e '...'` the first word completes the verbs of `mcbench help` and
# `set NAME ` completes every option `mcbench help set` lists as settable (both lists
# come from the tables, so a new row needs no change here), and nothing read-only.
set -u
mcbench=$1
fail() { echo "FAIL: $*"; exit 1; }
# shellcheck disable=SC1090 # generated
source <("$mcbench" help --bash-completion) || fail "the completion script does not load"

# Completes the words given; prints COMPREPLY, one per line.
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _mcbench
  printf '%s\n' "${COMPREPLY[@]}" | sort
}

settable=$("$mcbench" help set | awk '/^options:/ { on = 1; next } /^[^ ]/ { on = 0 }
                                      on && /^  [a-z]/ && $2 != "read-only" { print $1 }' | sort)
readonly=$("$mcbench" help set | awk '/^options:/ { on = 1; next } /^[^ ]/ { on = 0 }
                                      on && /^  [a-z]/ && $2 == "read-only" { print $1 }')
[ "$(echo "$settable" | wc -l)" -ge 5 ] || fail "'mcbench help set' lists too few options"
want=$(echo "$settable" | sed 's/^/set rx /')
got=$(complete_words mcbench run -e "'set rx ")
[ "$got" = "$want" ] || fail "set rx <Tab>: got
$got
wanted
$want"
for o in $settable; do
  got=$(complete_words mcbench run --exec "\"set rx ${o%?}")
  echo "$got" | grep -qx "set rx $o" || fail "set rx ${o%?}<Tab> does not offer $o"
done
for o in $readonly; do
  complete_words mcbench check -e "'set rx $o" | grep -q . && fail "read-only $o offered"
done

verbs=$("$mcbench" help | awk '/^(scenario|interactive) commands/ { on = 1; next }
                              /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }' | sort)
got=$(complete_words mcbench run -e "'")
[ "$got" = "$verbs" ] || fail "-e '<Tab>: got
$got
wanted
$verbs"
echo "OK: $(echo "$settable" | wc -l) options and $(echo "$verbs" | wc -l) verbs complete"
