# What `cmake --install` adds beyond the DLL, header and import libraries, and the CPack zip.
# Included from the top-level CMakeLists.txt after the core install rules. Layout of an
# install prefix (dist/ for scripts/build.sh, the zip's top folder for CPack):
#
#   include/restartmanager.h                       (both architectures install the same file)
#   <arch>/bin/rstrtmgr.dll, rmctl.exe
#   <arch>/lib/librstrtmgr.dll.a, rstrtmgr.lib
#   <arch>/lib/cmake/rstrtmgr/rstrtmgrConfig.cmake, rstrtmgrConfigVersion.cmake
#   <arch>/lib/pkgconfig/rstrtmgr.pc
#   share/doc/rstrtmgr/README.md, LICENSE, docs/  (the same from both architectures)
#   install-into-prefix.sh                         (Wine: both DLLs into a prefix)
include(CMakePackageConfigHelpers)

# ---- docs, and the script that puts both DLLs into a Wine prefix (run from the unzipped
# folder it finds them beside itself) ----
install(FILES README.md LICENSE DESTINATION share/doc/rstrtmgr)
install(PROGRAMS scripts/install-into-prefix.sh DESTINATION .)
install(DIRECTORY docs/ DESTINATION share/doc/rstrtmgr/docs)

# ---- CMake package config: find_package(rstrtmgr) -> rstrtmgr::rstrtmgr ----
set(RM_PACKAGE_GEN ${CMAKE_BINARY_DIR}/package)
configure_file(cmake/rstrtmgrConfig.cmake.in ${RM_PACKAGE_GEN}/rstrtmgrConfig.cmake @ONLY)
# Not ARCH_INDEPENDENT on purpose: the version file then also checks the consumer's pointer
# size, so an x86 project never picks the x64 config (and goes on searching instead).
write_basic_package_version_file(${RM_PACKAGE_GEN}/rstrtmgrConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${RM_PACKAGE_GEN}/rstrtmgrConfig.cmake ${RM_PACKAGE_GEN}/rstrtmgrConfigVersion.cmake
        DESTINATION ${RM_ARCH}/lib/cmake/rstrtmgr)

# ---- pkg-config, for MinGW users without CMake ----
configure_file(cmake/rstrtmgr.pc.in ${RM_PACKAGE_GEN}/rstrtmgr.pc @ONLY)
install(FILES ${RM_PACKAGE_GEN}/rstrtmgr.pc DESTINATION ${RM_ARCH}/lib/pkgconfig)

# ---- rmctl, the command-line tool, beside the DLL ----
# The target is defined elsewhere in the project (possibly in a subdirectory added later
# than this file is included), so the rule is deferred to the end of the top-level
# CMakeLists.txt, when every target exists. Without an rmctl target nothing is installed.
# The rmctl target itself needs no install rule of its own.
function(rm_install_rmctl)
  if(TARGET rmctl)
    install(TARGETS rmctl RUNTIME DESTINATION ${RM_ARCH}/bin)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL rm_install_rmctl)

# ---- CPack: one zip with both architectures ----
# Each architecture is its own CMake build (build/x64, build/x86). The zip installs both
# into one tree, each project at the root of the zip, exactly as scripts/build.sh installs
# both into dist/. The other architecture's build is found beside this one (scripts/build.sh
# makes build/x64 and build/x86); scripts/package.sh runs cpack with build/x64's config.
get_filename_component(RM_BUILD_ROOT ${CMAKE_BINARY_DIR} DIRECTORY)
set(RM_PACKAGE_ARCH_BUILDS "${RM_BUILD_ROOT}/x64;${RM_BUILD_ROOT}/x86" CACHE STRING
    "Build directories of every architecture that goes into the CPack zip")
set(CPACK_INSTALL_CMAKE_PROJECTS "")
foreach(dir IN LISTS RM_PACKAGE_ARCH_BUILDS)
  list(APPEND CPACK_INSTALL_CMAKE_PROJECTS "${dir};rstrtmgr;ALL;/")
endforeach()
set(CPACK_GENERATOR ZIP)
set(CPACK_PACKAGE_NAME rstrtmgr)
set(CPACK_PACKAGE_VENDOR "rstrtmgr contributors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Restart Manager (rstrtmgr.dll) for Windows and Wine, x64 and x86")
set(CPACK_PACKAGE_FILE_NAME "rstrtmgr-${PROJECT_VERSION}-win")
set(CPACK_PACKAGE_DIRECTORY ${RM_BUILD_ROOT})
set(CPACK_PACKAGE_CHECKSUM SHA256)
# Where the zip lands; tests/CMakeLists.txt checks its contents. (Set before include(CPack),
# which leaves CPACK_PACKAGE_FILE_NAME naming the source package.)
set(RM_PACKAGE_ZIP ${RM_BUILD_ROOT}/${CPACK_PACKAGE_FILE_NAME}.zip)
include(CPack)
