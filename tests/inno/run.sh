#!/usr/bin/env bash
# run.sh - real Inno Setup installers over running apps, under Wine, with our rstrtmgr.dll
# installed into the prefix the documented way (scripts/install-into-prefix.sh).
#
# Usage: run.sh WORK BIN ROOT ACTION
#   WORK    our own folder (build/inno): the npm cache, the Wine prefix, each scenario's files
#   BIN     the x86 build's bin/ (rmfixture.exe, rmfixture_dll.dll, innoprobe.exe)
#   ROOT    the build folder holding x64/bin/rstrtmgr.dll and x86/bin/rstrtmgr.dll
#   ACTION  setup | cleanup | a scenario: gui_exe dll_loaded dll_loaded_x64 data_file
#           console refuse refuse_forced several many_files twice unregistered wine_stub | zip
#
# setup fetches Inno Setup 6.4.1 (npm package "innosetup", cached in WORK/npm, never in
# the source tree) and fails loudly when it cannot; makes the prefix (64-bit with WOW64,
# so 32-bit Setup runs) and installs our DLLs into it. Each scenario starts fixture apps
# from copies of rmfixture.exe in C:\InnoTest\<scenario>, compiles tests/inno/<scenario>.iss
# with ISCC under Wine, runs the installer with /VERYSILENT /SUPPRESSMSGBOXES /LOG, and
# checks the installer's log, its exit code, the files and the processes. zip does what a
# Wine user who downloads the zip does, in a fresh prefix (see scenario_zip). It prints
# "N passed, N failed" and exits non-zero on any failure.
#
# The apps a scenario expects back register with RegisterApplicationRestart (rmfixture
# register-restart): Windows restarts only those (spec §10.5). Where Wine's answer differs
# from Windows' the check is a todo_wine mark (docs/testbed.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# -eq 4 ] || { echo "usage: $0 WORK BIN ROOT ACTION" >&2; exit 2; }
work=$1 bin=$2 root=$3 action=$4
mkdir -p "$work"
work=$(cd "$work" && pwd)

inno_version=6.4.1
# npm checks the tarball against this; a different one means another Inno Setup.
inno_integrity='sha512-Bh/dNlyyFsFKBGoTf19n1msPnm4Njfb0CWVirw2CV1MSJXYy0ajRI+xjo/Yr9DtZFLLafhnwm1ZsxTu309F8lQ=='
npm_dir=$work/npm
inno_bin=$npm_dir/node_modules/innosetup/bin
prefix=$work/wineprefix
# The zip test makes a fresh prefix of its own each time.
[ "$action" = zip ] && prefix=$work/zip-prefix

export WINEPREFIX=$prefix WINEDEBUG=-all
base_overrides="mscoree,mshtml=;winemenubuilder.exe=d;winedbg.exe=d"
# No rstrtmgr entry here: the prefix's registry says native, as for a user.
export WINEDLLOVERRIDES=$base_overrides
unset DISPLAY WAYLAND_DISPLAY

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}
die() { echo "FAILED: $*"; failed=$((failed + 1)); finish; }
# todo_wine WHAT WINDOWS GOT: what Windows gives that Wine does not. These scenarios run
# under Wine only: say both values, and fail if Wine gave Windows' (remove the mark then).
todo_wine() {
  if [ "$3" = "$2" ]; then
    bad "$1: Wine now gives what Windows gives ($2): remove the todo_wine mark"
  else
    echo "todo_wine: $1: Windows gives $2, Wine gave $3"
  fi
}

# A Unix path as Wine sees it (drive Z: is /).
winpath() { local p=$1; printf 'Z:%s' "${p//\//\\}"; }

# ---------------------------------------------------------------- setup and cleanup

fetch_inno() {
  local lock=$npm_dir/package-lock.json
  if [ -f "$inno_bin/ISCC.exe" ] && [ -f "$inno_bin/Setup.e32" ] && [ -f "$lock" ] &&
     grep -q "\"integrity\": \"$inno_integrity\"" "$lock"; then
    echo "Inno Setup $inno_version: cached in $npm_dir"
    return 0
  fi
  command -v npm >/dev/null || die "npm is missing: run scripts/install-deps.sh"
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  echo "fetching Inno Setup $inno_version with npm into $npm_dir"
  # --ignore-scripts: we only want its files; nothing of it runs on the host.
  if ! (cd "$npm_dir" && npm install --prefix "$npm_dir" --no-audit --no-fund \
          --ignore-scripts "innosetup@$inno_version" </dev/null); then
    die "npm could not fetch innosetup@$inno_version (network or registry down?)"
  fi
  [ -f "$inno_bin/ISCC.exe" ] || die "innosetup@$inno_version has no bin/ISCC.exe"
  grep -q "\"integrity\": \"$inno_integrity\"" "$lock" ||
    die "innosetup@$inno_version does not have the integrity we pinned"
  echo "Inno Setup $inno_version fetched"
}

do_setup() {
  fetch_inno
  bash "$repo/tests/wine/setup.sh" "$prefix" || die "could not make the Wine prefix $prefix"
  [ -d "$prefix/drive_c/windows/syswow64" ] || die "$prefix is not a 64-bit prefix with WOW64"
  bash "$repo/scripts/install-into-prefix.sh" "$prefix" "$root" ||
    die "install-into-prefix.sh failed"
  cmp -s "$root/x86/bin/rstrtmgr.dll" "$prefix/drive_c/windows/syswow64/rstrtmgr.dll" ||
    die "syswow64 does not hold our x86 DLL"
  cmp -s "$root/x64/bin/rstrtmgr.dll" "$prefix/drive_c/windows/system32/rstrtmgr.dll" ||
    die "system32 does not hold our x64 DLL"
  cmp -s "$root/x86/bin/rmhelper64.exe" "$prefix/drive_c/windows/syswow64/rmhelper64.exe" ||
    die "syswow64 does not hold the x86 DLL's helper rmhelper64.exe"
  # With no rstrtmgr entry in WINEDLLOVERRIDES, a program of each kind that loads the DLL
  # from the system directory (as Inno Setup does) gets ours: the registry says native.
  local arch
  for arch in x86 x64; do
    if wine "$root/$arch/bin/innoprobe.exe" rm-check </dev/null 2>>"$work/setup.out"; then
      ok "$arch program: our DLL from the system directory"
    else
      die "$arch program: the system directory's rstrtmgr.dll is not ours"
    fi
  done
  ok "Inno Setup $inno_version and a prefix with our DLL: $prefix"
  finish
}

do_cleanup() {
  wineserver -k </dev/null >/dev/null 2>&1
  echo "wineserver of $prefix stopped"
  exit 0
}

# ---------------------------------------------------------------- scenario helpers

scenario=$action
sdir=$work/$scenario              # our side: sources, installer, logs, app states
app_unix=$prefix/drive_c/InnoTest/$scenario
app_win="C:\\InnoTest\\$scenario"
log=$sdir/setup.log
wine_out=$sdir/wine.out
states=()

# Kills what this scenario started: the apps, their restarted copies, the keepers.
kill_ours() {
  local pids=() s
  for s in "${states[@]}"; do
    [ -f "$s" ] && mapfile -t -O "${#pids[@]}" pids < <(awk '/^(pid|keeper|again) / {print $2}' "$s")
  done
  [ ${#pids[@]} -gt 0 ] && wine "$bin/innoprobe.exe" kill "${pids[@]}" </dev/null >>"$wine_out" 2>&1
  return 0
}
trap kill_ours EXIT

fresh() {
  [ -f "$inno_bin/ISCC.exe" ] || die "Inno Setup is not there: the setup test did not run"
  rm -rf "$sdir" "$app_unix"
  mkdir -p "$sdir/src" "$app_unix"
}

# The version the running app uses (v1) and the installer's (v2): the same program, v2
# with a marker appended (the loader ignores bytes past the image).
put_v1() { cp "$1" "$app_unix/$2"; }
put_v2() { cp "$1" "$sdir/src/$2"; printf 'RMINNO-V2' >> "$sdir/src/$2"; }
is_v2() { [ "$(tail -c 9 "$app_unix/$1")" = RMINNO-V2 ]; }

# launch NAME [console] EXE ARGS...: starts an app through innoprobe and waits until it
# is ready; its state file is $sdir/NAME.state.
launch() {
  local name=$1 state=$sdir/$1.state i
  shift
  states+=("$state")
  leftovers "$@"
  wine "$bin/innoprobe.exe" launch "$(winpath "$state")" "$@" </dev/null >>"$wine_out" 2>&1 &
  for i in $(seq 1 300); do
    grep -q '^keeper ' "$state" 2>/dev/null && break
    grep -q '^failed ' "$state" 2>/dev/null && break
    sleep 0.1
  done
  if grep -q '^pid ' "$state" 2>/dev/null; then
    ok "$name is running (PID $(first_pid "$name"))"
  else
    die "$name did not start: $(cat "$state" 2>/dev/null)"
  fi
}
# An app of an earlier, interrupted run of this scenario would be found too: end it.
leftovers() {
  local exe=$1 pids
  [ "$exe" = console ] && exe=$2
  pids=$(wine "$bin/innoprobe.exe" pids "$exe" </dev/null 2>>"$wine_out" | tr -d '\r')
  if [ -n "$pids" ]; then
    echo "note: ending leftover processes of $exe: $pids"
    wine "$bin/innoprobe.exe" kill $pids </dev/null >>"$wine_out" 2>&1
  fi
}
first_pid() { awk '$1 == "pid" {print $2; exit}' "$sdir/$1.state"; }
# again_pid NAME [N]: the PID of the N-th restarted instance (default 1).
again_pid() { awk -v n="${2:-1}" '$1 == "again" && ++seen == n {print $2; exit}' "$sdir/$1.state"; }
alive() { wine "$bin/innoprobe.exe" alive "$1" </dev/null >>"$wine_out" 2>&1; }

# compile [ISCC /D options]: builds tests/inno/$scenario.iss into $sdir/out.
compile() {
  local iss=$here/$scenario.iss
  if wine "$inno_bin/ISCC.exe" /Q "/DScenario=$scenario" "/DAppDir=$app_win" \
       "/DSrc=$(winpath "$sdir/src")" "/DOutDir=$(winpath "$sdir/out")" "$@" \
       "$(winpath "$iss")" </dev/null >"$sdir/iscc.out" 2>&1 &&
     [ -f "$sdir/out/$scenario.exe" ]; then
    ok "ISCC compiled $scenario.iss"
  else
    cat "$sdir/iscc.out"
    die "ISCC could not compile $scenario.iss"
  fi
}

# install [extra WINEDLLOVERRIDES]: runs the installer silently; its exit code in $rc.
install() {
  local overrides=$base_overrides
  [ -n "${1:-}" ] && overrides="$overrides;$1"
  WINEDLLOVERRIDES=$overrides wine "$sdir/out/$scenario.exe" /VERYSILENT /SUPPRESSMSGBOXES \
    "/LOG=$(winpath "$log")" </dev/null >>"$wine_out" 2>&1
  rc=$?
  echo "---- the installer's log ($log), exit code $rc ----"
  # Without the byte order mark and the time stamps.
  sed -e 's/^\xEF\xBB\xBF//' -e 's/^[0-9-]* [0-9:.]*   //' "$log" 2>/dev/null | tr -d '\r'
  echo "----"
}

has_line() { tr -d '\r' < "$log" 2>/dev/null | grep -qF -- "$1"; }
expect_line() { if has_line "$1"; then ok "log: $1"; else bad "log lacks: $1"; fi; }
refute_line() { if has_line "$1"; then bad "log has: $1"; else ok "log has no: $1"; fi; }
expect_count() {  # expect_count N TEXT
  local n
  n=$(tr -d '\r' < "$log" | grep -cF -- "$2")
  if [ "$n" = "$1" ]; then ok "log: $1 x $2"; else bad "log: $n x $2 (want $1)"; fi
}
expect_rc() { if [ "$rc" = "$1" ]; then ok "exit code $rc"; else bad "exit code $rc (want $1)"; fi; }
expect_v2() { if is_v2 "$1"; then ok "$1 replaced"; else bad "$1 not replaced"; fi; }
expect_v1() {  # byte for byte the file the app was started with
  if cmp -s "$2" "$app_unix/$1"; then ok "$1 untouched"; else bad "$1 changed"; fi
}

# expect_restarted NAME [N]: the app was closed and came back for the N-th time (default
# 1): the PID before is gone, a new PID runs, and that instance became ready again.
expect_restarted() {
  local name=$1 n=${2:-1} old new i
  if [ "$n" = 1 ]; then old=$(first_pid "$name"); else old=$(again_pid "$name" $((n - 1))); fi
  for i in $(seq 1 200); do
    new=$(again_pid "$name" "$n")
    [ -n "$new" ] && break
    sleep 0.1
  done
  if alive "$old"; then bad "$name: old PID $old still runs"; else ok "$name: old PID $old is gone"; fi
  if [ -z "$new" ]; then
    bad "$name was not restarted (no new instance became ready)"
  elif [ "$new" = "$old" ]; then
    bad "$name: the restarted PID is the old one"
  elif alive "$new"; then
    ok "$name: restarted as PID $new, ready and running"
  else
    bad "$name: restarted as PID $new, but it exited"
  fi
}
expect_running_untouched() {  # the same process still runs, nothing restarted
  local name=$1 old
  old=$(first_pid "$name")
  if alive "$old"; then ok "$name: PID $old still runs"; else bad "$name: PID $old is gone"; fi
  if [ -z "$(again_pid "$name")" ]; then ok "$name: no second instance"; else bad "$name: a second instance started"; fi
}
# Only these files in the app folder: nothing half-written left behind.
expect_only_files() {
  local have want
  have=$(cd "$app_unix" && ls -A | sort | tr '\n' ' ')
  want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  if [ "$have" = "$want" ]; then ok "folder holds only: $want"; else bad "folder holds: $have (want $want)"; fi
}

# What a successful run over running apps says. forced: CloseApplications=force (Inno
# Setup passes RmForceShutdown); polite: CloseApplications=yes, its default (no flags).
expect_success_log() {  # expect_success_log FILES forced|polite APP_NAME...
  local files=$1 forced=$2 name
  shift 2
  expect_line "Found $files files to register with RestartManager."
  expect_line "RmGetList finished successfully."
  for name in "$@"; do
    expect_line "RestartManager found an application using one of our files: $name"
  done
  expect_count $# "RestartManager found an application using one of our files: "
  expect_line "Can use RestartManager to avoid reboot? Yes (0)"
  if [ "$forced" = forced ]; then
    expect_line "Shutting down applications using our files. (forced)"
  else
    expect_line "Shutting down applications using our files."
    refute_line "Shutting down applications using our files. (forced)"
  fi
  expect_line "Installation process succeeded."
  expect_line "Attempting to restart applications."
  refute_line "RestartManager found no applications using one of our files."
  refute_line "RmShutdown returned an error"
  refute_line "Some applications could not be shut down."
  refute_line "RmRestart returned an error"
  refute_line "One or more applications could not be restarted."
  refute_line "DeleteFile"
  refute_line "Rolling back changes."
}

# ---------------------------------------------------------------- the scenarios

gui_title="InnoTest GUI app"
host_title="InnoTest plugin host"
editor_title="InnoTest data editor"

start_gui() { put_v1 "$bin/rmfixture.exe" guiapp.exe
  launch guiapp "$app_win\\guiapp.exe" register-restart gui "{READY}" "$gui_title"; }
start_host() { put_v1 "$bin/rmfixture.exe" pluginhost.exe; put_v1 "$bin/rmfixture_dll.dll" plugin.dll
  launch pluginhost "$app_win\\pluginhost.exe" register-restart with-dll "$app_win\\plugin.dll" gui "{READY}" "$host_title"; }
start_editor() { put_v1 "$bin/rmfixture.exe" editor.exe; printf 'settings v1\r\n' > "$app_unix/settings.dat"
  launch editor "$app_win\\editor.exe" register-restart with-file "$app_win\\settings.dat" gui "{READY}" "$editor_title"; }
start_console() { put_v1 "$bin/rmfixture.exe" consoletool.exe
  launch consoletool console "$app_win\\consoletool.exe" register-restart console "{READY}"; }

scenario_gui_exe() {
  fresh; put_v2 "$bin/rmfixture.exe" guiapp.exe
  start_gui
  compile
  install
  expect_rc 0
  expect_success_log 1 forced "$gui_title"
  expect_v2 guiapp.exe
  expect_restarted guiapp
}

scenario_dll_loaded() {
  fresh; put_v2 "$bin/rmfixture_dll.dll" plugin.dll
  start_host
  compile "/DCloseMode=yes"
  install
  expect_rc 0
  expect_success_log 1 polite "$host_title"
  expect_v2 plugin.dll
  expect_restarted pluginhost
}

# Issue 13's case 3: the 32-bit installer (our x86 DLL from syswow64, its helper beside it)
# and a 64-bit app with the DLL being replaced loaded. The x86 DLL cannot read a 64-bit
# app's command line, so under Wine's restart fallback it comes back without arguments
# (docs/differences.md): only its closing is checked, and what restarted is ended.
scenario_dll_loaded_x64() {
  local x64=$root/x64/bin
  fresh; put_v2 "$x64/rmfixture_dll.dll" plugin.dll
  put_v1 "$x64/rmfixture.exe" pluginhost64.exe; put_v1 "$x64/rmfixture_dll.dll" plugin.dll
  launch pluginhost64 "$app_win\\pluginhost64.exe" with-dll "$app_win\\plugin.dll" gui "{READY}" "$host_title"
  compile "/DCloseMode=yes"
  install
  expect_rc 0
  expect_success_log 1 polite "$host_title"
  expect_v2 plugin.dll
  local old; old=$(first_pid pluginhost64)
  if alive "$old"; then bad "pluginhost64: old PID $old still runs"; else ok "pluginhost64: old PID $old is gone"; fi
  local again; again=$(wine "$bin/innoprobe.exe" pids "$app_win\\pluginhost64.exe" </dev/null 2>/dev/null | tr -d '\r')
  [ -n "$again" ] && wine "$bin/innoprobe.exe" kill $again </dev/null >>"$wine_out" 2>&1
  return 0
}

scenario_data_file() {
  fresh; printf 'settings v2\r\n' > "$sdir/src/settings.dat"
  start_editor
  compile "/DExtraFilter=*.dat"
  install
  expect_rc 0
  expect_success_log 1 forced "$editor_title"
  if grep -q 'settings v2' "$app_unix/settings.dat"; then ok "settings.dat replaced"; else bad "settings.dat not replaced"; fi
  expect_restarted editor
}

scenario_console() {
  fresh; put_v2 "$bin/rmfixture.exe" consoletool.exe
  start_console
  compile "/DCloseMode=yes"
  install
  expect_rc 0
  expect_success_log 1 polite consoletool.exe
  expect_v2 consoletool.exe
  expect_restarted consoletool
}

scenario_refuse() {
  fresh; put_v2 "$bin/rmfixture.exe" stubborn.exe
  put_v1 "$bin/rmfixture.exe" stubborn.exe
  launch stubborn "$app_win\\stubborn.exe" gui-refuse "{READY}" "InnoTest stubborn app"
  compile "/DCloseMode=yes"
  install
  expect_line "RestartManager found an application using one of our files: InnoTest stubborn app"
  expect_line "Shutting down applications using our files."
  refute_line "Shutting down applications using our files. (forced)"
  # Our RmShutdown returned ERROR_FAIL_SHUTDOWN having closed nothing; Inno Setup says so,
  # and its message box (suppressed) defaults to Abort: nothing is installed.
  expect_line "Some applications could not be shut down."
  expect_line "Setup was unable to automatically close all applications."
  expect_line "Rolling back changes."
  refute_line "Installation process succeeded."
  refute_line "-- File entry --"
  expect_rc 5
  expect_v1 stubborn.exe "$bin/rmfixture.exe"
  expect_only_files stubborn.exe
  expect_running_untouched stubborn
}

# The same app with CloseApplications=force: terminated, replaced, and not started again
# (it never registered for restart; under Wine's fallback, it did not close cleanly).
scenario_refuse_forced() {
  fresh; put_v2 "$bin/rmfixture.exe" stubborn.exe
  put_v1 "$bin/rmfixture.exe" stubborn.exe
  launch stubborn "$app_win\\stubborn.exe" gui-refuse "{READY}" "InnoTest stubborn app"
  scenario=refuse compile
  mv "$sdir/out/refuse.exe" "$sdir/out/refuse_forced.exe"
  install
  expect_rc 0
  expect_line "RestartManager found an application using one of our files: InnoTest stubborn app"
  expect_line "Shutting down applications using our files. (forced)"
  refute_line "Some applications could not be shut down."
  expect_line "Installation process succeeded."
  expect_line "Attempting to restart applications."
  expect_v2 stubborn.exe
  local old
  old=$(first_pid stubborn)
  if alive "$old"; then bad "stubborn: PID $old still runs"; else ok "stubborn: PID $old was terminated"; fi
  sleep 2
  if [ -z "$(again_pid stubborn)" ]; then ok "stubborn: not started again"; else bad "stubborn was started again"; fi
}

scenario_several() {
  fresh
  put_v2 "$bin/rmfixture.exe" guiapp.exe; put_v2 "$bin/rmfixture_dll.dll" plugin.dll
  printf 'settings v2\r\n' > "$sdir/src/settings.dat"; put_v2 "$bin/rmfixture.exe" consoletool.exe
  start_gui; start_host; start_editor; start_console
  compile "/DExtraFilter=*.dat"
  install
  expect_rc 0
  expect_success_log 4 forced "$gui_title" "$host_title" "$editor_title" consoletool.exe
  expect_v2 guiapp.exe; expect_v2 plugin.dll; expect_v2 consoletool.exe
  if grep -q 'settings v2' "$app_unix/settings.dat"; then ok "settings.dat replaced"; else bad "settings.dat not replaced"; fi
  expect_restarted guiapp; expect_restarted pluginhost; expect_restarted editor
  expect_restarted consoletool
}

scenario_many_files() {
  local i
  fresh; put_v2 "$bin/rmfixture.exe" guiapp.exe
  mkdir -p "$sdir/src/data"
  for i in $(seq -w 1 1500); do echo "data $i" > "$sdir/src/data/file$i.dat"; done
  start_gui
  compile "/DExtraFilter=*.dat"
  install
  expect_rc 0
  expect_success_log 1501 forced "$gui_title"
  expect_v2 guiapp.exe
  [ "$(ls "$app_unix/data" | wc -l)" = 1500 ] && ok "1500 data files installed" || bad "data files missing"
  expect_restarted guiapp
}

# The next update: the same installer again, over the apps the first run restarted (they
# were started by the first installer, so by neither the user nor this one).
scenario_twice() {
  fresh; put_v2 "$bin/rmfixture.exe" guiapp.exe; put_v2 "$bin/rmfixture.exe" consoletool.exe
  start_gui; start_console
  compile "/DCloseMode=yes"
  install
  expect_rc 0
  expect_success_log 2 polite "$gui_title" consoletool.exe
  expect_restarted guiapp; expect_restarted consoletool
  mv "$log" "$sdir/setup-first.log"
  install
  expect_rc 0
  expect_success_log 2 polite "$gui_title" consoletool.exe
  expect_restarted guiapp 2; expect_restarted consoletool 2
}

# The gui_exe installer over an app that never registered for restart: Windows closes it,
# replaces its exe and does not start it again (spec §10.5). Under Wine the DLL cannot tell
# (GetApplicationRestartSettings is E_NOTIMPL) and restarts an app that closed cleanly.
scenario_unregistered() {
  local old i got
  fresh; put_v2 "$bin/rmfixture.exe" guiapp.exe
  put_v1 "$bin/rmfixture.exe" guiapp.exe
  launch guiapp "$app_win\\guiapp.exe" gui "{READY}" "$gui_title"
  scenario=gui_exe compile
  mv "$sdir/out/gui_exe.exe" "$sdir/out/unregistered.exe"
  install
  expect_rc 0
  expect_success_log 1 forced "$gui_title"
  expect_v2 guiapp.exe
  old=$(first_pid guiapp)
  if alive "$old"; then bad "guiapp: PID $old still runs"; else ok "guiapp: PID $old was closed"; fi
  for i in $(seq 1 50); do  # a restart, where one happens, is ready well within this
    [ -n "$(again_pid guiapp)" ] && break
    sleep 0.1
  done
  if [ -z "$(again_pid guiapp)" ]; then got="not restarted"; else got="restarted"; fi
  todo_wine "guiapp after RmRestart" "not restarted" "$got"
}

# The "before": the same installer as gui_exe with Wine's own stub (rstrtmgr=b in the
# environment wins over the prefix's registry): it finds nobody and rolls back.
scenario_wine_stub() {
  fresh; put_v2 "$bin/rmfixture.exe" guiapp.exe
  start_gui
  scenario=gui_exe compile
  mv "$sdir/out/gui_exe.exe" "$sdir/out/wine_stub.exe"
  install "rstrtmgr=b"
  expect_line "RestartManager found no applications using one of our files."
  expect_line "DeleteFile failed; code 5."
  expect_line "Rolling back changes."
  expect_rc 5
  expect_v1 guiapp.exe "$bin/rmfixture.exe"
  expect_running_untouched guiapp
}

# What a Wine user who downloads build/rstrtmgr-<version>-win.zip does, in a fresh prefix:
# unzip it anywhere (here outside the build tree) and run its install-into-prefix.sh, which
# finds both DLLs beside itself. Then the gui_exe installer over a running app, and
# --uninstall, which must leave Wine's own DLL in place and the override gone.
zip_dlls_are_ours() {  # zip_dlls_are_ours TOP: system32 holds its x64 DLL, syswow64 its x86
  cmp -s "$1/x64/bin/rstrtmgr.dll" "$prefix/drive_c/windows/system32/rstrtmgr.dll" &&
    cmp -s "$1/x86/bin/rstrtmgr.dll" "$prefix/drive_c/windows/syswow64/rstrtmgr.dll"
}
override_set() {
  wine reg query 'HKCU\Software\Wine\DllOverrides' /v rstrtmgr </dev/null 2>/dev/null |
    grep -qi 'rstrtmgr.*REG_SZ.*native'
}
probe_finds_ours() {  # probe_finds_ours ARCH: a program of ARCH loads ours from the system folder
  wine "$root/$1/bin/innoprobe.exe" rm-check </dev/null >>"$wine_out" 2>&1
}

scenario_zip() {
  local zip unz top arch dir
  zip=$(ls "$root"/rstrtmgr-*-win.zip 2>/dev/null | head -n 1)
  [ -f "$zip" ] || die "no rstrtmgr-*-win.zip in $root: run scripts/build.sh"
  fresh
  unz=$(mktemp -d)
  (cd "$unz" && cmake -E tar xf "$zip") || die "could not unzip $zip"
  top=$unz/$(basename "$zip" .zip)
  [ -f "$top/install-into-prefix.sh" ] || die "$zip holds no install-into-prefix.sh"
  ok "unzipped $(basename "$zip") into $unz"

  wineserver -k </dev/null >/dev/null 2>&1
  rm -rf "$prefix"
  bash "$repo/tests/wine/setup.sh" "$prefix" >/dev/null || die "could not make the prefix $prefix"
  mkdir -p "$app_unix"
  (cd "$unz" && bash "$top/install-into-prefix.sh" "$prefix") || die "install-into-prefix.sh from the zip failed"
  if zip_dlls_are_ours "$top"; then ok "x64 DLL in system32, x86 DLL in syswow64"; else bad "the system folders do not hold the zip's DLLs"; fi
  if override_set; then ok "override rstrtmgr=native in the prefix's registry"; else bad "no rstrtmgr=native override"; fi
  for arch in x64 x86; do
    if probe_finds_ours $arch; then ok "$arch program: our DLL from the system folder"; else bad "$arch program: not our DLL"; fi
  done

  # An installer over a running app, with nothing in the environment naming rstrtmgr.
  put_v2 "$bin/rmfixture.exe" guiapp.exe
  start_gui
  scenario=gui_exe compile
  mv "$sdir/out/gui_exe.exe" "$sdir/out/zip.exe"
  install
  expect_rc 0
  expect_success_log 1 forced "$gui_title"
  expect_v2 guiapp.exe
  expect_restarted guiapp
  kill_ours
  states=()  # nothing left to kill (and no wine call on the prefix removed below)

  (cd "$unz" && bash "$top/install-into-prefix.sh" --uninstall "$prefix") || bad "--uninstall failed"
  for dir in system32 syswow64; do
    dir=$prefix/drive_c/windows/$dir
    if grep -qa 'Wine builtin DLL' "$dir/rstrtmgr.dll" && [ ! -e "$dir/rstrtmgr.dll.wine" ]; then
      ok "--uninstall: Wine's own $dir/rstrtmgr.dll is back"
    else
      bad "--uninstall: $dir/rstrtmgr.dll is not Wine's"
    fi
  done
  if override_set; then bad "--uninstall left the override"; else ok "--uninstall removed the override"; fi
  for arch in x64 x86; do
    if probe_finds_ours $arch; then bad "$arch program still gets our DLL"; else ok "$arch program: Wine's stub again"; fi
  done
  wineserver -k </dev/null >/dev/null 2>&1
  rm -rf "$unz"
  [ "$failed" = 0 ] && rm -rf "$prefix"  # 1.3 GB; kept for a look when something failed
}

case $action in
  setup) do_setup ;;
  cleanup) do_cleanup ;;
  gui_exe|dll_loaded|dll_loaded_x64|data_file|console|refuse|refuse_forced|several|many_files|twice|unregistered|wine_stub|zip)
    "scenario_$action"
    finish ;;
  *) echo "unknown action: $action" >&2; exit 2 ;;
esac
