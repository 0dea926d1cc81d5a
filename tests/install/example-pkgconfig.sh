#!/bin/sh
# Installs the core into a scratch prefix and builds core/examples/mcb-listen.c against it
# with nothing but `pkg-config --cflags --libs mcbcore`, as another project would.
set -eu
build=$1 src=$2 sanitize=${3:-OFF}
extra=""
# A sanitizer build installs an instrumented library: the example must link the runtime.
[ "$sanitize" = ON ] && extra="-fsanitize=address,undefined"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name mcbcore.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir"
flags=$(pkg-config --cflags --libs mcbcore)
${CC:-cc} -std=c11 -Wall -Wextra -Werror $extra "$src/core/examples/mcb-listen.c" $flags -o "$prefix/mcb-listen"
"$prefix/mcb-listen" 2>&1 | grep -q usage
# The installed header's version macros say what pkg-config says.
printf '#define _POSIX_C_SOURCE 200809L\n#include <mcb.h>\n#include <stdio.h>\nint main(void) { printf("%%d.%%d.%%d\\n", MCB_VERSION_MAJOR, MCB_VERSION_MINOR, MCB_VERSION_PATCH); return 0; }\n' >"$prefix/v.c"
${CC:-cc} -std=c11 $extra "$prefix/v.c" $flags -o "$prefix/v"
[ "$("$prefix/v")" = "$(pkg-config --modversion mcbcore)" ] || { echo "FAIL: MCB_VERSION_* differ from the package version"; exit 1; }
echo "built mcb-listen with: pkg-config --cflags --libs mcbcore -> $flags"
