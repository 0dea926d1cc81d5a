# lib.sh - helpers for the TUI end-to-end tests: drive the real mcbench in a private
# tmux server (send-keys, capture-pane) and run peers (socat, Node.js) inside the private
# network namespace that mcbench --private made. Sourced by tests/tui/test-*.sh.
set -u

MCBENCH=${MCBENCH:?set MCBENCH to the mcbench binary}
SRC=${SRC:?set SRC to the source tree}
WORK=$(mktemp -d)
TMUX_SOCK="mcbtest-$$"
T="tmux -L $TMUX_SOCK"
trap '$T kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

fail() {
  echo "FAIL: $*"
  echo "---- screen ----"
  $T capture-pane -p -t bench 2>/dev/null
  echo "---- stderr ----"
  cat "$WORK/stderr" 2>/dev/null
  exit 1
}

need() {
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || { echo "SKIP: $c is not installed"; exit 77; }
  done
  unshare -rn true 2>/dev/null || unshare -n true 2>/dev/null ||
    { echo "SKIP: cannot create a network namespace here"; exit 77; }
}

# start W H ARGS...: runs mcbench ARGS in a fresh tmux window of W x H.
start() {
  w=$1 h=$2
  shift 2
  stop_server
  rm -f "$WORK/exit" "$WORK/stderr"
  tries=0
  # a server still shutting down makes a new one exit at once: retry, bounded
  until $T new-session -d -s bench -x "$w" -y "$h" \
    "env LANG=C.UTF-8 HOME=$WORK XDG_STATE_HOME=$WORK/state $MCBENCH $* 2>$WORK/stderr; echo EXIT=\$? >$WORK/exit; sleep 30"; do
    tries=$((tries + 1))
    [ $tries -lt 20 ] || fail "tmux would not start"
    sleep 0.1
  done
}

# stop_server: ends the tmux server and waits until it is gone.
stop_server() {
  $T kill-server 2>/dev/null
  i=0
  while $T has-session 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

screen() { $T capture-pane -p -t bench; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (a grep -E pattern).
wait_for() {
  i=0 limit=$((${2:-10} * 20))
  while [ $i -lt $limit ]; do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.05
    i=$((i + 1))
  done
  fail "the screen never showed: $1"
}

# absent TEXT: the screen does not show TEXT.
absent() { ! screen | grep -Eq -- "$1" || fail "the screen shows: $1"; }

keys() { $T send-keys -t bench "$@"; }
# cmd LINE: types a command at the ':' prompt.
cmd() {
  keys ':'
  keys -l "$1"
  keys Enter
}

# The process running in the pane, and a way to run programs in its network namespace.
bench_pid() {
  pane=$($T display -p -t bench '#{pane_pid}')
  i=0
  while [ $i -lt 100 ]; do
    pid=$(pgrep -P "$pane" -x mcbench | head -n 1)
    [ -n "$pid" ] && { echo "$pid"; return; }
    sleep 0.05
    i=$((i + 1))
  done
  fail "mcbench did not start"
}

in_bench_ns() {
  pid=$(bench_pid)
  if [ "$(id -u)" = 0 ] && [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; then
    nsenter -t "$pid" -n "$@"
  else
    nsenter -t "$pid" -U -n --preserve-credentials "$@"
  fi
}

# wait_exit CODE: mcbench has ended with CODE.
wait_exit() {
  i=0
  while [ $i -lt 200 ] && [ ! -s "$WORK/exit" ]; do sleep 0.05; i=$((i + 1)); done
  [ -s "$WORK/exit" ] || fail "mcbench did not exit"
  grep -qx "EXIT=$1" "$WORK/exit" || fail "exit status: $(cat "$WORK/exit"), wanted $1"
}
