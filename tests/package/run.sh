#!/usr/bin/env bash
# ctest: builds tests/package/consumer.c against an installed package (dist/, laid out by
# scripts/build.sh before ctest runs) as another project would, and runs it under Wine.
#   find_package: the consumer CMake project (tests/package/CMakeLists.txt) with the mingw
#                 toolchain, linking rstrtmgr::rstrtmgr
#   pkg_config:   <mingw>-gcc with the flags of
#                 PKG_CONFIG_LIBDIR=<dist>/<arch>/lib/pkgconfig pkg-config --cflags --libs rstrtmgr
# Usage: run.sh find_package|pkg_config ARCH VERSION ROOT DIST WORKDIR WINE-COMMAND...
set -eu
kind=$1 arch=$2 version=$3 root=$4 dist=$5 work=$6
shift 6  # the rest runs a Windows program: env ... wine

case $arch in
  x64) other=x86 cc=x86_64-w64-mingw32-gcc ;;
  x86) other=x64 cc=i686-w64-mingw32-gcc ;;
  *) echo "unknown architecture $arch"; exit 2 ;;
esac
for f in include/restartmanager.h "$arch/bin/rstrtmgr.dll" "$arch/lib/librstrtmgr.dll.a" \
         "$arch/lib/cmake/rstrtmgr/rstrtmgrConfig.cmake" "$arch/lib/pkgconfig/rstrtmgr.pc"; do
  [ -f "$dist/$f" ] || { echo "FAIL: $dist/$f is missing: run scripts/build.sh first"; exit 1; }
done
rm -rf "$work"
mkdir -p "$work"

case $kind in
  find_package)
    # The other architecture's prefix comes first: its version file must turn it away.
    cmake -S "$root/tests/package" -B "$work" \
          -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$arch.cmake" \
          -DCMAKE_PREFIX_PATH="$dist/$other;$dist/$arch" \
          -DEXPECT_ARCH="$arch" -DEXPECT_VERSION="$version"
    cmake --build "$work"
    exe=$work/consumer.exe
    ;;
  pkg_config)
    export PKG_CONFIG_LIBDIR=$dist/$arch/lib/pkgconfig
    got=$(pkg-config --modversion rstrtmgr)
    [ "$got" = "$version" ] || { echo "FAIL: pkg-config says version $got, expected $version"; exit 1; }
    flags=$(pkg-config --cflags --libs rstrtmgr)
    echo "pkg-config --cflags --libs rstrtmgr: $flags"
    # shellcheck disable=SC2086
    $cc -o "$work/consumer.exe" "$root/tests/package/consumer.c" $flags -static-libgcc
    cp "$(pkg-config --variable=bindir rstrtmgr)/rstrtmgr.dll" "$work/"
    exe=$work/consumer.exe
    ;;
  *) echo "unknown kind $kind"; exit 2 ;;
esac

[ -f "$(dirname "$exe")/rstrtmgr.dll" ] || { echo "FAIL: rstrtmgr.dll was not put beside $exe"; exit 1; }
# A 32-bit exe run without 32-bit Wine exits 0 and prints nothing: look for the line.
out=$("$@" "$exe" </dev/null 2>&1) || { echo "$out"; echo "FAIL: consumer.exe exited $?"; exit 1; }
echo "$out"
printf '%s\n' "$out" | grep -q '^consumer: OK' || { echo "FAIL: consumer.exe did not say OK"; exit 1; }
echo "package test ($kind, $arch) passed"
