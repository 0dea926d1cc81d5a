#!/bin/sh
# example-unpriv.sh MCBENCH EXAMPLE - runs one lab example as an unprivileged user, as a
# student would (`mcbench run FILE`, no root): mcbench enters its own user and network
# namespaces and builds the lab inside, so every step (veth links, bridges, multicast
# routing, sysctls, nftables) must work without the machine's root. Run as root, it drops
# to uid 65534 (unpriv-lib.sh); skips (77) where user namespaces are forbidden.
set -u
. "$(dirname "$0")/unpriv-lib.sh"
unpriv_setup
M=$(unpriv_path "$1") || exit 1
F=$(unpriv_path "$2") || exit 1
echo "$(basename "$F"): running as uid $UNPRIV_UID ($M run $F)"
cd "$WORK/run" || exit 1
$AS env HOME="$WORK/run" USER=unpriv LOGNAME=unpriv "$M" run -D DIR="$WORK/run" "$F"
rc=$?
[ $rc = 0 ] || echo "FAIL: $(basename "$F") exits with $rc as uid $UNPRIV_UID"
exit $rc
