#!/usr/bin/env bash
# Builds the DLL, samples and tests for x64 and x86 into build/x64 and build/x86, lays out
# dist/ (header, DLLs, both kinds of import library, package configs, docs) and packs the
# zip (scripts/package.sh). Assumes the tools are installed
# (scripts/install-deps.sh). Usage: build.sh [--no-tests]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RM_BUILD_DIR:-$root/build}
tests=ON
[ "${1:-}" = "--no-tests" ] && tests=OFF

if [ $tests = ON ]; then
  bash "$root/scripts/build-cmocka.sh" "$build/deps"
fi
for arch in x64 x86; do
  cmake -S "$root" -B "$build/$arch" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$arch.cmake" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRM_BUILD_TESTS=$tests \
        -DRM_CMOCKA_DIR="$build/deps/cmocka-$arch" >/dev/null
  cmake --build "$build/$arch" -j"$(nproc)"
  cmake --install "$build/$arch" --prefix "$root/dist" >/dev/null
done
# One ctest run over both architectures, ending with one summary.
printf 'subdirs("x64" "x86")\n' > "$build/CTestTestfile.cmake"
echo "[build] done: dist/ holds include/, x64/ and x86/"
# The zip of both architectures, build/rstrtmgr-<version>-win.zip (CPack).
bash "$root/scripts/package.sh"
