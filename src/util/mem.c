/*
 * mem.c - every allocation of the DLL goes through here, so that tests can make the n-th
 * one fail and check that each caller reports ERROR_OUTOFMEMORY and leaves its state whole.
 */
#include "util.h"

static volatile LONG fail_countdown;  /* 0: never fail */

unsigned rm_mem_fail_after(unsigned n)
{
    return (unsigned)InterlockedExchange(&fail_countdown, (LONG)n);
}

static BOOL should_fail(void)
{
    LONG left = fail_countdown;
    while (left > 0) {
        LONG seen = InterlockedCompareExchange(&fail_countdown, left - 1, left);
        if (seen == left)
            return left == 1;
        left = seen;
    }
    return FALSE;
}

void *rm_alloc(size_t size)
{
    if (should_fail())
        return NULL;
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1);
}

void *rm_alloc_array(size_t n, size_t size)
{
    if (size && n > ((size_t)-1) / size)
        return NULL;
    return rm_alloc(n * size);
}

DWORD rm_grow(void **array, unsigned *cap, unsigned need, size_t elem)
{
    unsigned newcap;
    void *p;

    if (need <= *cap)
        return ERROR_SUCCESS;
    newcap = *cap ? *cap : 16;
    while (newcap < need) {
        if (newcap > 0x7fffffffu / 2)
            return ERROR_OUTOFMEMORY;
        newcap *= 2;
    }
    if ((size_t)newcap > ((size_t)-1) / elem || !(p = rm_realloc(*array, (size_t)newcap * elem)))
        return ERROR_OUTOFMEMORY;
    *array = p;
    *cap = newcap;
    return ERROR_SUCCESS;
}

void *rm_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    if (!p)
        return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1);
    return HeapReAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, p, size ? size : 1);
}

void rm_free(void *p)
{
    if (p)
        HeapFree(GetProcessHeap(), 0, p);
}
