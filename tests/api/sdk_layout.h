/* sdk_layout.h - layout_list.h evaluated against mingw-w64's restartmanager.h. */
#ifndef RM_TEST_SDK_LAYOUT_H
#define RM_TEST_SDK_LAYOUT_H

struct rm_layout_item {
    const char *expr;
    long long value;
};

extern const struct rm_layout_item rm_sdk_layout[];
extern const unsigned rm_sdk_layout_count;

#endif
