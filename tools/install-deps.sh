#!/bin/sh
# install-deps.sh - installs what mcbench needs to build and test, from Debian's packages.
#
# Checks each requirement first and installs only what is missing: with apt-get as root,
# through sudo otherwise. When neither is possible it names the packages to install.
# Usage: tools/install-deps.sh [build|test|fuzz]   (test and fuzz include build)
# fuzz: clang and libFuzzer's runtime (Debian's libclang-rt-dev, the libclang-rt-N-dev of
# the default clang), checked by linking a libFuzzer target.
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
libjansson-dev   pc   jansson
"
TEST_REQS="
libcmocka-dev    pc   cmocka
tmux             cmd  tmux
socat            cmd  socat
nodejs           cmd  node
tshark           cmd  tshark
iperf            cmd  iperf
iproute2         cmd  ip
nftables         cmd  nft
clang-format     cmd  clang-format
clang-tidy       cmd  clang-tidy
"

FUZZ_REQS="
clang            cmd     clang
libclang-rt-dev  fuzzer  clang
"

# Can clang link a libFuzzer target (-fsanitize=fuzzer needs libclang_rt.fuzzer)?
have_libfuzzer() {
  command -v clang >/dev/null 2>&1 || return 1
  tmp=$(mktemp -d) || return 1
  printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n' >"$tmp/t.c"
  clang -fsanitize=fuzzer "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1
  rc=$?
  rm -rf "$tmp"
  return $rc
}

missing=""
check() {
  echo "$1" | while read -r pkg kind what; do
    [ -n "$pkg" ] || continue
    case $kind in
      cmd) command -v "$what" >/dev/null 2>&1 || echo "$pkg" ;;
      pc) { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what"; } || echo "$pkg" ;;
      fuzzer) have_libfuzzer || echo "$pkg" ;;
    esac
  done
}
missing=$(check "$BUILD_REQS")
[ "$want" = test ] && missing="$missing $(check "$TEST_REQS")"
[ "$want" = fuzz ] && missing="$missing $(check "$FUZZ_REQS")"
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
if [ "$want" = fuzz ] && ! have_libfuzzer; then
  echo "mcbench: clang still cannot link -fsanitize=fuzzer: install the libclang-rt-N-dev" \
    "package matching 'clang --version'" >&2
  exit 1
fi
