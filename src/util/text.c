/* text.c - copying text into the fixed-size fields of RM_PROCESS_INFO and the like. */
#include "util.h"

void rm_copy_text(WCHAR *dst, size_t cap, const WCHAR *src)
{
    size_t i;
    for (i = 0; i + 1 < cap && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
}
