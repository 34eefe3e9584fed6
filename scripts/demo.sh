#!/usr/bin/env bash
# The demo, from a fresh Debian bookworm machine (run as root): installs what it needs,
# builds everything, and runs a short story under Wine with our DLL:
#   three programs use three files: a window app holds settings.ini open, a second has
#   plugin.dll loaded, a service holds data.db. A primary installer and a secondary
#   installer (another process, joined by key) register two of them and see who uses them;
#   then rmctl finds all three users, closes them in the documented order with progress,
#   and restarts them: they are found again with new PIDs.
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
cleanup() {
  wine sc stop DemoService >/dev/null 2>&1 || true
  wine sc delete DemoService >/dev/null 2>&1 || true
  wineserver -k >/dev/null 2>&1 || true
}
trap cleanup EXIT

app=$prefix/drive_c/DemoApp
bin=$build/x64/bin
mkdir -p "$app"
echo "settings" > "$app/settings.ini"
echo "data" > "$app/data.db"
for exe in demoapp pluginhost demosvc; do cp "$bin/rmfixture.exe" "$app/$exe.exe"; done
cp "$bin/rmfixture_dll.dll" "$app/plugin.dll"
cp "$bin/rstrtmgr.dll" "$bin/rmctl.exe" "$app/"
# Wine quirk: a program started by a Windows process whose Unix stdout and stderr are one
# pipe shares that pipe (seen both to die with its starter and to keep a reader waiting
# until it exits; docs/rmctl.md); through a file, what rmctl restarts lives on and the
# output ends with rmctl.
rmctl() {
  wine 'C:\DemoApp\rmctl.exe' "$@" </dev/null >"$build/demo-rmctl.txt" 2>&1 || true
  cat "$build/demo-rmctl.txt"
}

# The apps register with RegisterApplicationRestart, as apps that Windows restarts do.
wine 'C:\DemoApp\demoapp.exe' register-restart with-file 'C:\DemoApp\settings.ini' gui - 'Demo App' </dev/null >/dev/null 2>&1 &
wine 'C:\DemoApp\pluginhost.exe' register-restart with-dll 'C:\DemoApp\plugin.dll' gui - 'Plugin Host' </dev/null >/dev/null 2>&1 &
wine sc create DemoService binpath= 'C:\DemoApp\demosvc.exe service DemoService stop C:\DemoApp\data.db' \
  displayname= 'Demo Data Service' >/dev/null 2>&1
wine sc start DemoService >/dev/null 2>&1
sleep 3  # the demo only: give the programs a moment to start

echo
echo "== demoapp.exe (a window) holds C:\\DemoApp\\settings.ini open, pluginhost.exe has"
echo "== C:\\DemoApp\\plugin.dll loaded, the service DemoService holds C:\\DemoApp\\data.db."
echo
echo "== 1. A primary installer registers settings.ini; a secondary installer, in its own"
echo "==    process, joins the session with the key and registers plugin.dll."
echo
wine "$bin/primary_installer.exe" --list-only 'C:\DemoApp\settings.ini' -- 'C:\DemoApp\plugin.dll' </dev/null
echo
echo "== 2. rmctl: who uses the three files?"
echo
rmctl who 'C:\DemoApp\settings.ini' 'C:\DemoApp\plugin.dll' 'C:\DemoApp\data.db'
echo
echo "== 3. rmctl restart: close them (windows first, then the service), run a command"
echo "==    while they are closed, start them again."
echo
rmctl restart 'C:\DemoApp\settings.ini' 'C:\DemoApp\plugin.dll' 'C:\DemoApp\data.db' \
  -- cmd.exe /c echo replacing the files
sleep 2  # the demo only: let the restarted programs open their files again
echo
echo "== 4. Found again, with new PIDs:"
echo
rmctl who 'C:\DemoApp\settings.ini' 'C:\DemoApp\plugin.dll' 'C:\DemoApp\data.db'
