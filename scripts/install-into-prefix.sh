#!/usr/bin/env bash
# Installs our rstrtmgr.dll into a Wine prefix, the way installers look for it: in the
# system directory (Inno Setup loads it from there only), with the DLL override
# rstrtmgr=native in the prefix's registry, so that Wine loads ours instead of its stub
# without any WINEDLLOVERRIDES in the environment.
#
# Usage: install-into-prefix.sh [--uninstall] PREFIX [ROOT]
#   PREFIX  the Wine prefix (made with wineboot -i if it does not exist yet)
#   ROOT    where the DLLs are: ROOT/x64/bin/rstrtmgr.dll and ROOT/x86/bin/rstrtmgr.dll
#           (default: the folder this script is in when it holds them, as in the unzipped
#           rstrtmgr-<version>-win/; else dist/ of this checkout, as scripts/build.sh
#           lays it out)
#
# A 64-bit prefix gets the x64 DLL in system32 and the x86 DLL in syswow64, with the x86
# DLL's 64-bit helper rmhelper64.exe beside it (it lists 64-bit processes' modules for
# the 32-bit DLL: docs/resolver.md); a 32-bit prefix gets the x86 DLL in system32. The files they replace (Wine's placeholders) are
# kept as rstrtmgr.dll.wine; --uninstall puts them back and removes the override.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
log() { printf '[install-into-prefix] %s\n' "$*"; }
die() { log "$*"; exit 1; }

uninstall=0
if [ "${1:-}" = "--uninstall" ]; then uninstall=1; shift; fi
[ $# -ge 1 ] || die "usage: $0 [--uninstall] PREFIX [ROOT]"
prefix=$(mkdir -p "$1" && cd "$1" && pwd)
# The unzipped package holds the DLLs beside this script; a checkout has it in scripts/.
if [ -f "$here/x64/bin/rstrtmgr.dll" ] || [ -f "$here/x86/bin/rstrtmgr.dll" ]; then
  from=${2:-$here}
  hint="the package is incomplete: unzip rstrtmgr-<version>-win.zip again"
else
  from=${2:-$(cd "$here/.." && pwd)/dist}
  hint="build first (bash scripts/build.sh)"
fi

export WINEPREFIX=$prefix WINEDEBUG=-all
# No Mono/Gecko download prompts and no menu entries while we make or touch the prefix.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
command -v wine >/dev/null || die "wine is not installed"

if [ ! -f "$prefix/system.reg" ]; then
  log "creating the prefix $prefix"
  wineboot -i </dev/null >/dev/null 2>&1 || die "wineboot -i failed for $prefix"
  wineserver -w
fi

windows=$prefix/drive_c/windows
# Which system directory holds which architecture.
if [ -d "$windows/syswow64" ]; then
  targets=("x64:$windows/system32" "x86:$windows/syswow64")
else
  targets=("x86:$windows/system32")
fi

key='HKCU\Software\Wine\DllOverrides'
reg_has_override() {
  wine reg query "$key" /v rstrtmgr </dev/null 2>/dev/null | grep -qi 'rstrtmgr.*REG_SZ.*native'
}

if [ $uninstall = 1 ]; then
  for t in "${targets[@]}"; do
    dir=${t#*:}
    if [ -f "$dir/rstrtmgr.dll.wine" ]; then
      mv -f "$dir/rstrtmgr.dll.wine" "$dir/rstrtmgr.dll"
      log "restored Wine's $dir/rstrtmgr.dll"
    fi
    rm -f "$dir/rmhelper64.exe"
  done
  wine reg delete "$key" /v rstrtmgr /f </dev/null >/dev/null 2>&1 || true
  log "override removed: Wine's own rstrtmgr.dll is used again"
  exit 0
fi

for t in "${targets[@]}"; do
  arch=${t%%:*} dir=${t#*:}
  dll=$from/$arch/bin/rstrtmgr.dll
  [ -f "$dll" ] || die "$dll not found: $hint"
  mkdir -p "$dir"
  # Keep Wine's file once, so --uninstall can put it back (never overwrite that copy).
  if [ -f "$dir/rstrtmgr.dll" ] && [ ! -f "$dir/rstrtmgr.dll.wine" ] &&
     grep -qa 'Wine builtin DLL' "$dir/rstrtmgr.dll"; then
    cp -f "$dir/rstrtmgr.dll" "$dir/rstrtmgr.dll.wine"
  fi
  cp -f "$dll" "$dir/rstrtmgr.dll"
  log "$arch: $dll -> $dir/rstrtmgr.dll"
  # The x86 DLL in a 64-bit prefix needs its helper beside it, in syswow64.
  if [ "$arch" = x86 ] && [ ${#targets[@]} = 2 ]; then
    helper=$from/x86/bin/rmhelper64.exe
    [ -f "$helper" ] || die "$helper not found: build first (bash scripts/build.sh)"
    cp -f "$helper" "$dir/rmhelper64.exe"
    log "$arch: $helper -> $dir/rmhelper64.exe"
  fi
done

# The override, checked: a registry write right after a prefix is made has been seen to
# leave no trace (docs/testbed.md).
for _ in 1 2 3; do
  reg_has_override && break
  wine reg add "$key" /v rstrtmgr /t REG_SZ /d native /f </dev/null >/dev/null 2>&1 || true
  sleep 1
done
reg_has_override || die "could not set $key\\rstrtmgr=native in $prefix"
log "override set: $key rstrtmgr = native"
log "done: programs in $prefix now load our rstrtmgr.dll"
