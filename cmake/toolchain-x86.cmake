# Cross-compiling for 32-bit Windows with mingw-w64 (Debian: gcc-mingw-w64-i686).
set(RM_ARCH x86)
set(RM_MINGW_PREFIX i686-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR i686)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
