#!/bin/sh
# install-deps.sh - installs what mcbench needs to build and test, from Debian's packages.
#
# Checks each requirement first and installs only what is missing: with apt-get as root,
# through sudo otherwise. When neither is possible it names the packages to install.
# Usage: tools/install-deps.sh [build|test]   (test includes build)
set -eu

want=${1:-build}

# package  kind  what-to-check
BUILD_REQS="
gcc              cmd  cc
make             cmd  make
cmake            cmd  cmake
pkg-config       cmd  pkg-config
libuv1-dev       pc   libuv
libncurses-dev   pc   ncursesw
libnftables-dev  pc   libnftables
"
TEST_REQS="
libcmocka-dev    pc   cmocka
tmux             cmd  tmux
socat            cmd  socat
nodejs           cmd  node
tshark           cmd  tshark
iproute2         cmd  ip
clang-format     cmd  clang-format
"

missing=""
check() {
  echo "$1" | while read -r pkg kind what; do
    [ -n "$pkg" ] || continue
    case $kind in
      cmd) command -v "$what" >/dev/null 2>&1 || echo "$pkg" ;;
      pc) { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what"; } || echo "$pkg" ;;
    esac
  done
}
missing=$(check "$BUILD_REQS")
[ "$want" = test ] && missing="$missing $(check "$TEST_REQS")"
missing=$(echo $missing)
[ -z "$missing" ] && exit 0

echo "mcbench: installing missing packages: $missing"
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "mcbench: cannot install packages (not root, and sudo is not available)." >&2
  echo "mcbench: please run: sudo apt-get install $missing" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "mcbench: apt-get not found; please install: $missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing; then
  echo "mcbench: apt-get failed; please install: $missing" >&2
  exit 1
fi
