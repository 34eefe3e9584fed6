#!/usr/bin/env bash
# Installs everything the build and the tests need on a Debian bookworm machine (run as root).
# Safe to run twice: it only installs what is missing.
#
# 32-bit Wine (wine32:i386) is tried with a plain install first, then with a fallback that
# pins the multi-arch libraries to the main suite (see docs/testbed.md). If both fail the
# script says so loudly and exits 0: the x86 tests are then reported as skipped by the test
# script, never counted as passed.
set -u

log() { printf '[install-deps] %s\n' "$*"; }
need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root (apt-get install); try: sudo $0"; exit 1
  fi
}

missing() {  # prints the packages among "$@" that are not installed
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

apt_updated=0
apt_update() {
  [ $apt_updated = 1 ] && return 0
  apt-get update -qq >/dev/null 2>&1 || apt-get update -qq
  apt_updated=1
}

need_root
export DEBIAN_FRONTEND=noninteractive

base_pkgs=(cmake make gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 binutils-mingw-w64-x86-64
           binutils-mingw-w64-i686 g++-mingw-w64-x86-64 g++-mingw-w64-i686 wine wine64
           llvm dpkg-dev xz-utils python3 clang libclang-rt-14-dev pkg-config)
# libclang-rt-14-dev holds libFuzzer and the sanitizer runtimes (scripts/fuzz.sh); clang only
# recommends it, and recommends are not installed here.
todo=$(missing "${base_pkgs[@]}")
if [ -n "$todo" ]; then
  log "installing: $todo"
  apt_update
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $todo >/dev/null || { log "apt-get install failed"; exit 1; }
fi

# npm fetches Inno Setup for the installer tests (tests/inno). The machine image may bring
# Node.js with its own npm; Debian's packages are installed only when there is no npm.
if command -v npm >/dev/null; then
  log "npm already there ($(npm --version 2>/dev/null))"
else
  log "installing: nodejs npm"
  apt_update
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || { log "apt-get install nodejs npm failed"; exit 1; }
fi

# 32-bit Wine for the x86 tests.
if [ -z "$(missing wine32:i386)" ]; then
  log "wine32:i386 already installed"
else
  dpkg --print-foreign-architectures | grep -qx i386 || { dpkg --add-architecture i386; apt_updated=0; }
  apt_update
  log "installing wine32:i386"
  if apt-get install -y -qq --no-install-recommends wine32:i386 >/dev/null 2>&1; then
    log "wine32:i386 installed"
  else
    log "plain install of wine32:i386 failed; trying the main-suite fallback"
    # The security suite's i386 index can lag behind its amd64 one: an amd64 library is then
    # newer than any i386 twin, and multi-arch needs equal versions. Pin each library that
    # apt names as unmet to the main suite's version, for both architectures, and retry.
    main_ver() { apt-cache madison "$1" | awk -F'|' '$3 ~ /bookworm\/main/ && $3 !~ /security/ {gsub(/ /,"",$2); print $2; exit}'; }
    pins=()
    for _ in 1 2 3 4 5 6 7 8; do
      out=$(apt-get install -s -t bookworm --no-install-recommends --allow-downgrades wine32:i386 "${pins[@]}" 2>&1)
      unmet=$(printf '%s\n' "$out" | grep -o 'Depends: [a-z0-9.+-]*:i386' | awk '{print $2}' | sed 's/:i386$//' | sort -u)
      [ -z "$unmet" ] && break
      added=0
      for lib in $unmet; do
        case " ${pins[*]} " in *" $lib="*) continue ;; esac
        v=$(main_ver "$lib"); [ -n "$v" ] || continue
        pins+=("$lib=$v" "$lib:i386=$v"); added=1
      done
      [ $added = 1 ] || break
    done
    if apt-get install -y -qq -t bookworm --no-install-recommends --allow-downgrades \
         wine32:i386 "${pins[@]}" >/dev/null 2>&1; then
      log "wine32:i386 installed from the main suite (${pins[*]:-no pins})"
    else
      log "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      log "!!! wine32:i386 could NOT be installed: the x86 tests will be SKIPPED, not run !!!"
      log "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    fi
  fi
fi
log "done"
