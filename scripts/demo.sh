#!/usr/bin/env bash
# The demo, from a fresh Debian bookworm machine (run as root): installs what it needs,
# builds everything, and runs a short story under Wine with our DLL:
#   a primary installer starts a session and registers a file; a secondary installer, in
#   another process, joins with the key and registers another; the primary then asks
#   which applications use them, shuts them down, and restarts them.
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
bin=$build/x64/bin
mkdir -p "$app"
echo "settings" > "$app/settings.ini"
cp "$bin/rmfixture.exe" "$app/demoapp.exe"
cp "$bin/rmfixture.exe" "$app/pluginhost.exe"
cp "$bin/rmfixture_dll.dll" "$app/plugin.dll"
cp "$bin/rstrtmgr.dll" "$app/"

echo
echo "== Two applications are running: demoapp.exe holds C:\\DemoApp\\settings.ini open,"
echo "== pluginhost.exe has C:\\DemoApp\\plugin.dll loaded."
wine 'C:\DemoApp\demoapp.exe' with-file 'C:\DemoApp\settings.ini' gui - 'Demo App' </dev/null >/dev/null 2>&1 &
wine 'C:\DemoApp\pluginhost.exe' with-dll 'C:\DemoApp\plugin.dll' gui - 'Plugin Host' </dev/null >/dev/null 2>&1 &
sleep 3  # the demo only: give both a moment to start
echo "== The primary installer registers settings.ini; the secondary, in its own process,"
echo "== joins with the key and registers plugin.dll. The primary then asks who uses them,"
echo "== closes them (WM_QUERYENDSESSION, WM_ENDSESSION), and restarts them: new PIDs."
echo
wine "$bin/primary_installer.exe" 'C:\DemoApp\settings.ini' -- 'C:\DemoApp\plugin.dll' </dev/null
