#!/usr/bin/env bash
# ctest setup fixture: a quiet Wine prefix for this build, with a persistent wineserver so
# that each test costs milliseconds, not seconds (see docs/testbed.md).
# Usage: setup.sh PREFIX
set -eu
export WINEPREFIX=$1 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d;winedbg.exe=d"
unset DISPLAY WAYLAND_DISPLAY
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  wineboot -i </dev/null >/dev/null 2>&1
  wineserver -w
fi
# Windows without X: the null graphics driver. Checked, because a write right after the
# prefix is made has been seen to leave no trace.
for _ in 1 2 3; do
  if wine reg query 'HKCU\Software\Wine\Drivers' /v Graphics </dev/null 2>/dev/null | grep -q null; then
    break
  fi
  wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1
  wineserver -w
done
wine reg query 'HKCU\Software\Wine\Drivers' /v Graphics </dev/null 2>/dev/null | grep -q null ||
  { echo "could not set the null graphics driver in $WINEPREFIX"; exit 1; }
# The persistent server, with its output away from ctest's pipe. The `wine reg` calls above
# started an ordinary server, which exits about 3 s after its last client (a test starting
# right then fails with "recvmsg: Connection reset by peer"), and `wineserver -p` refuses to
# start while it runs: stop it first.
wineserver -k </dev/null >/dev/null 2>&1 || true
wineserver -p </dev/null >/dev/null 2>&1 || true
wine wineboot </dev/null >/dev/null 2>&1
echo "wine prefix ready: $WINEPREFIX"
