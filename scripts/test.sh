#!/usr/bin/env bash
# The whole test suite, from a fresh Debian bookworm machine (run as root): installs what
# it needs, builds x64 and x86, and runs every test of both under Wine in one ctest run,
# which ends with ctest's summary. Safe to run twice.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RM_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"

if [ ! -x /usr/lib/wine/wine ]; then
  echo "!!! 32-bit Wine is missing: the x86 tests below are SKIPPED, not passed !!!"
fi
cd "$build"
ctest --output-on-failure --timeout 300 "$@"
