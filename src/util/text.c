/* text.c - copying text into the fixed-size fields of RM_PROCESS_INFO and the like. */
#include <string.h>

#include "util.h"

void rm_copy_text(WCHAR *dst, size_t cap, const WCHAR *src)
{
    size_t i;
    for (i = 0; i + 1 < cap && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

WCHAR *rm_text_dup(const WCHAR *src)
{
    size_t n = wcslen(src) + 1;
    WCHAR *copy = rm_alloc_array(n, sizeof(WCHAR));
    if (copy)
        memcpy(copy, src, n * sizeof(WCHAR));
    return copy;
}
