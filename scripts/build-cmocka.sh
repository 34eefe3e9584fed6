#!/usr/bin/env bash
# Cross-builds cmocka (from Debian's source package) as a static library for x64 and x86
# mingw-w64, into $1 (default: build/deps). Does nothing when both are already there.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/deps}
log() { printf '[build-cmocka] %s\n' "$*"; }

if [ -f "$out/cmocka-x64/lib/libcmocka.a" ] && [ -f "$out/cmocka-x86/lib/libcmocka.a" ]; then
  log "already built in $out"; exit 0
fi
mkdir -p "$out/src"

# A deb-src entry next to the binary one (a copy of the bookworm stanza), then the source.
if ! ls "$out"/src/cmocka-*/CMakeLists.txt >/dev/null 2>&1; then
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null; then
    if [ "$(id -u)" != 0 ]; then log "need root to add a deb-src entry"; exit 1; fi
    awk 'BEGIN{RS="";ORS="\n\n"} /Suites: bookworm( |$)/ {sub(/Types: deb/,"Types: deb-src"); print; exit}' \
      /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/rstrtmgr-deb-src.sources
    apt-get update -qq >/dev/null 2>&1 || true
  fi
  (cd "$out/src" && apt-get source -qq --download-only cmocka >/dev/null 2>&1 || apt-get source --download-only cmocka)
  (cd "$out/src" && dpkg-source -x --no-check ./cmocka_*.dsc >/dev/null)
fi
src=$(ls -d "$out"/src/cmocka-*/ | head -n 1)
log "source: $src"

for arch in x64 x86; do
  case $arch in x64) cc=x86_64-w64-mingw32-gcc ;; x86) cc=i686-w64-mingw32-gcc ;; esac
  [ -f "$out/cmocka-$arch/lib/libcmocka.a" ] && continue
  log "building for $arch"
  rm -rf "$out/cmocka-build-$arch"
  cmake -S "$src" -B "$out/cmocka-build-$arch" -DCMAKE_SYSTEM_NAME=Windows \
        -DCMAKE_C_COMPILER=$cc -DCMAKE_BUILD_TYPE=Release -DWITH_STATIC_LIB=ON \
        -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$out/cmocka-$arch" >/dev/null
  cmake --build "$out/cmocka-build-$arch" -j2 >/dev/null
  cmake --install "$out/cmocka-build-$arch" >/dev/null
  # Some versions name the static library libcmocka-static.a.
  [ -f "$out/cmocka-$arch/lib/libcmocka.a" ] || cp "$out/cmocka-$arch/lib/libcmocka-static.a" "$out/cmocka-$arch/lib/libcmocka.a"
done
log "done: $out/cmocka-x64, $out/cmocka-x86"
