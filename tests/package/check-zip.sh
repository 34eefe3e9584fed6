#!/usr/bin/env bash
# ctest: checks that the CPack zip (scripts/package.sh, run by scripts/build.sh) holds what
# a user of this architecture needs, and that its DLL is the one this build made.
# Usage: check-zip.sh ZIP ARCH HAS_RMCTL(0|1) BUILT_DLL SOURCE_ROOT
set -eu
zip=$1 arch=$2 has_rmctl=$3 built_dll=$4 root=$5

[ -f "$zip" ] || { echo "FAIL: $zip is missing: run scripts/build.sh (it calls scripts/package.sh)"; exit 1; }
zip=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")  # absolute: extracted elsewhere below
top=$(basename "$zip" .zip)
listing=$(cmake -E tar tf "$zip")

want=(include/restartmanager.h
      "$arch/bin/rstrtmgr.dll"
      "$arch/lib/librstrtmgr.dll.a"
      "$arch/lib/rstrtmgr.lib"
      "$arch/lib/cmake/rstrtmgr/rstrtmgrConfig.cmake"
      "$arch/lib/cmake/rstrtmgr/rstrtmgrConfigVersion.cmake"
      "$arch/lib/pkgconfig/rstrtmgr.pc"
      share/doc/rstrtmgr/README.md
      share/doc/rstrtmgr/LICENSE
      install-into-prefix.sh)
# rmctl.exe is required once the project has an rmctl target (cmake/package.cmake installs it).
[ "$has_rmctl" = 1 ] && want+=("$arch/bin/rmctl.exe")
# The x86 DLL's 64-bit helper, beside it (docs/resolver.md, other bitness).
[ "$arch" = x86 ] && want+=("x86/bin/rmhelper64.exe")
# Every page of docs/, as it is in the source tree.
while IFS= read -r page; do
  want+=("share/doc/rstrtmgr/docs/${page#"$root/docs/"}")
done < <(find "$root/docs" -type f -name '*.md' | sort)

missing=0
for entry in "${want[@]}"; do
  if ! printf '%s\n' "$listing" | grep -qxF "$top/$entry"; then
    echo "FAIL: $top/$entry is not in $zip"
    missing=1
  fi
done
[ $missing = 0 ] || exit 1
echo "$zip holds all ${#want[@]} entries expected for $arch (rmctl: $([ "$has_rmctl" = 1 ] && echo yes || echo 'no target yet'))"

# The zip must be of this build, not an older one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && cmake -E tar xf "$zip" "$top/$arch/bin/rstrtmgr.dll")
cmp -s "$tmp/$top/$arch/bin/rstrtmgr.dll" "$built_dll" ||
  { echo "FAIL: $arch/bin/rstrtmgr.dll in the zip differs from $built_dll (stale zip?)"; exit 1; }
echo "its $arch DLL is the one this build made"
