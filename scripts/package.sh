#!/usr/bin/env bash
# Packs both architectures into one zip with CPack: build/rstrtmgr-<version>-win.zip (and
# its .sha256), holding what dist/ holds. Needs both builds (scripts/build.sh, which calls
# this at its end). The CPack config of build/x64 lists build/x64 and build/x86
# (cmake/package.cmake); ctest's <arch>.package_zip tests check the zip.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RM_BUILD_DIR:-$root/build}

for arch in x64 x86; do
  [ -f "$build/$arch/CPackConfig.cmake" ] ||
    { echo "[package] $build/$arch is not configured: run scripts/build.sh"; exit 1; }
done
out=$(cpack --config "$build/x64/CPackConfig.cmake" -B "$build" 2>&1) ||
  { printf '%s\n' "$out"; echo "[package] cpack failed"; exit 1; }
# cpack says "CPack: - package: <file> generated."
printf '%s\n' "$out" | sed -n 's/^CPack: - package: \(.*\) generated\.$/[package] done: \1/p'
