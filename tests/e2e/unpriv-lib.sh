# unpriv-lib.sh - sourced by the tests that run mcbench as an unprivileged user, the way
# a student runs it: no root, mcbench makes its own user and network namespaces. Tests
# run as root here, so as root these helpers drop to uid/gid 65534 (MCB_UNPRIV_UID
# picks another) with setpriv; run by an ordinary user, they run as that user.
#
# unpriv_setup     sets AS (the command prefix that runs a command as that user; empty
#                  when we already are one), UNPRIV_UID, and WORK: a temporary directory
#                  removed on exit, whose WORK/run belongs to that user (its working
#                  directory, HOME and DIR). Exits 77, saying why, when that user cannot
#                  create a user namespace on this machine: never a silent pass.
# unpriv_path F    prints a path to F that user can read (and run, if F is executable):
#                  F itself, or a copy in WORK when F lies under a directory it cannot
#                  enter (a build tree under /root, say).

unpriv_setup() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcb-unpriv.XXXXXX") || { echo "FAIL: mktemp -d"; exit 1; }
  trap 'rm -rf "$WORK"' EXIT
  trap 'exit 1' HUP INT TERM # through the EXIT trap
  chmod 755 "$WORK" && mkdir -m 755 "$WORK/bin" "$WORK/run" || { echo "FAIL: set up $WORK"; exit 1; }
  if [ "$(id -u)" = 0 ]; then
    UNPRIV_UID=${MCB_UNPRIV_UID:-65534}
    command -v setpriv >/dev/null 2>&1 ||
      { echo "SKIP: setpriv (util-linux) is needed to drop root to an unprivileged user"; exit 77; }
    # No capabilities survive the change from uid 0; no supplementary groups either.
    AS="setpriv --reuid=$UNPRIV_UID --regid=$UNPRIV_UID --clear-groups"
    chown "$UNPRIV_UID:$UNPRIV_UID" "$WORK/run" || { echo "FAIL: chown $WORK/run"; exit 1; }
  else
    UNPRIV_UID=$(id -u)
    AS=""
  fi
  [ "$($AS id -u)" = "$UNPRIV_UID" ] && [ "$UNPRIV_UID" != 0 ] ||
    { echo "FAIL: cannot run a command as uid $UNPRIV_UID"; exit 1; }
  if ! err=$($AS unshare -Urn true 2>&1); then
    echo "SKIP: uid $UNPRIV_UID cannot create a user namespace here ($err)."
    for f in /proc/sys/kernel/unprivileged_userns_clone /proc/sys/user/max_user_namespaces \
             /proc/sys/kernel/apparmor_restrict_unprivileged_userns; do
      [ -r "$f" ] && echo "  $f = $(cat "$f")"
    done
    echo "  (unprivileged_userns_clone=0, max_user_namespaces=0 or an AppArmor restriction forbid it)"
    exit 77
  fi
}

unpriv_path() {
  f=$(realpath "$1") || { echo "FAIL: no file $1" >&2; exit 1; }
  test=-r
  [ -x "$f" ] && test=-x
  if $AS test $test "$f"; then
    echo "$f"
    return
  fi
  copy="$WORK/bin/$(basename "$f")"
  cp "$f" "$copy" && chmod a+rX "$copy" || { echo "FAIL: copy $f to $copy" >&2; exit 1; }
  echo "$copy"
}
