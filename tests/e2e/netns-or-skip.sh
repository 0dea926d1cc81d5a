#!/bin/sh
# netns-or-skip.sh CMD... - runs CMD when this machine can make a private network
# namespace (mcbench --private needs one); otherwise prints why and exits 77, which
# ctest reports as skipped. Nothing here touches the real network.
if ! unshare -rn true 2>/dev/null && ! unshare -n true 2>/dev/null; then
  echo "SKIP: cannot create a network namespace here (user namespaces disabled?)"
  exit 77
fi
exec "$@"
