#!/usr/bin/env bash
# The demo, from a fresh Debian bookworm machine (run as root): installs what it needs,
# builds everything, and runs a short story under Wine with our DLL:
#   a primary installer starts a session and registers a file; a secondary installer, in
#   another process, joins with the key and registers two more; the primary then asks
#   which applications use any of the three.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RM_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"

prefix=$build/demo-prefix
bash "$root/tests/wine/setup.sh" "$prefix" >/dev/null
export WINEPREFIX=$prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d;winedbg.exe=d;rstrtmgr=n"
unset DISPLAY WAYLAND_DISPLAY
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

app=$prefix/drive_c/DemoApp
mkdir -p "$app"
echo "settings" > "$app/settings.ini"
cp "$build/x64/bin/rmfixture.exe" "$app/demoapp.exe"
cp "$build/x64/bin/rstrtmgr.dll" "$app/"

bin=$build/x64/bin
echo
echo "== The primary installer registers C:\\DemoApp\\demoapp.exe; the secondary, in its"
echo "== own process, joins with the key and registers two more files."
echo
wine "$bin/primary_installer.exe" 'C:\DemoApp\demoapp.exe' -- \
     'C:\DemoApp\settings.ini' 'C:\DemoApp\rstrtmgr.dll' </dev/null
