/*
 * sdk_layout.c - layout_list.h against mingw-w64's own restartmanager.h: this file is
 * built without our include/ folder (tests/CMakeLists.txt), so <restartmanager.h> is the
 * toolchain's, an independent transcription of the SDK's.
 */
#include <windows.h>
#include <stddef.h>
#include <restartmanager.h>

#include "sdk_layout.h"

#ifdef RSTRTMGR_RESTARTMANAGER_H
#error "this file must see mingw-w64's restartmanager.h, not ours"
#endif

#define RM_ITEM(e) {#e, (long long)(e)},
const struct rm_layout_item rm_sdk_layout[] = {
#include "layout_list.h"
};
const unsigned rm_sdk_layout_count = sizeof(rm_sdk_layout) / sizeof(rm_sdk_layout[0]);
