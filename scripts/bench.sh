#!/usr/bin/env bash
# The benchmark in one command (issue 6): builds what is missing, makes a quiet Wine prefix
# for it, runs rmbench.exe with our DLL forced native, prints the table and writes
# build/bench/results.json (x64) and, with --x86 or --both, build/bench/results-x86.json.
# Other arguments go to rmbench (see bench/rmbench.c), e.g. --processes 20 --reps 3.
# Usage: bench.sh [--x86 | --both] [rmbench options...]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RM_BUILD_DIR:-$root/build}
out=$build/bench
archs=x64
case "${1:-}" in
  --x86) archs=x86; shift ;;
  --both) archs="x64 x86"; shift ;;
esac

# Build: the whole tree the first time, else only what the benchmark needs.
for arch in $archs; do
  if [ ! -f "$build/$arch/CMakeCache.txt" ]; then
    bash "$root/scripts/build.sh"
  fi
  cmake --build "$build/$arch" -j"$(nproc)" --target rmbench rstrtmgr >/dev/null
done

mkdir -p "$out"
prefix=$out/wineprefix
bash "$root/tests/wine/setup.sh" "$prefix" >/dev/null
export WINEPREFIX=$prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d;winedbg.exe=d;rstrtmgr=n"
unset DISPLAY WAYLAND_DISPLAY
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

status=0
for arch in $archs; do
  if [ "$arch" = x86 ] && [ ! -x /usr/lib/wine/wine ]; then
    echo "!!! 32-bit Wine is missing: the x86 benchmark is SKIPPED !!!"
    continue
  fi
  json=$out/results.json
  [ "$arch" = x86 ] && json=$out/results-x86.json
  rm -f "$json"
  # Wine sees the Unix root as Z:.
  wine "$build/$arch/bin/rmbench.exe" --out "Z:${json//\//\\}" "$@" </dev/null || status=$?
  [ -f "$json" ] && echo "[bench] $arch results: $json"
done
exit $status
