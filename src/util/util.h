/*
 * util.h - helpers every layer uses: diagnostics, the heap, text and paths. No facts about
 * the system (those go through sys/).
 *
 * Naming across src/: Rm* names are the exports and live only in api.c; rm_<module>_<verb>
 * are shared between files; file-local helpers are static. Internal functions return Win32
 * error codes (DWORD), the same codes the API returns.
 */
#ifndef RM_UTIL_H
#define RM_UTIL_H

#include <windows.h>

/* ---- util/trace.c: diagnostics, to OutputDebugString when RSTRTMGR_TRACE is set ---- */

void rm_trace(const char *fmt, ...);
/* Logs a failure with its call site and evaluates to the error code. */
#define RM_FAIL(err, what) rm_fail((err), (what), __FILE__, __LINE__)
DWORD rm_fail(DWORD err, const char *what, const char *file, int line);

/* ---- util/mem.c: the heap, with a hook for tests that inject allocation failures ---- */

void *rm_alloc(size_t size);          /* zeroed; NULL when out of memory */
void *rm_realloc(void *p, size_t size);
/* n elements of size bytes, zeroed; NULL when out of memory or when n * size overflows. */
void *rm_alloc_array(size_t n, size_t size);
/* Makes *array (of *cap elements of elem bytes) hold at least need, doubling;
 * ERROR_OUTOFMEMORY leaves it as it was. */
DWORD rm_grow(void **array, unsigned *cap, unsigned need, size_t elem);
void rm_free(void *p);
/* Tests only: make the n-th allocation from now fail (0 = never). Returns how many
 * allocations the previous setting still had to go (0: its failure happened, or none). */
unsigned rm_mem_fail_after(unsigned n);

/* ---- util/text.c ---- */

/* Copies src into dst (cap characters), cut if needed and always NUL-terminated. */
void rm_copy_text(WCHAR *dst, size_t cap, const WCHAR *src);
/* An rm_alloc'ed copy of src; NULL when out of memory. */
WCHAR *rm_text_dup(const WCHAR *src);

/* ---- util/path.c ---- */

/* The full path of a file name, as GetFullPathNameW gives it; *out is rm_alloc'ed. */
DWORD rm_path_full(const WCHAR *name, WCHAR **out);

#endif
