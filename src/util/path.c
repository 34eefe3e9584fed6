/*
 * path.c - file names as the session stores them: full paths, as GetFullPathNameW makes
 * them (relative names are taken against the caller's current directory).
 */
#include "util.h"

DWORD rm_path_full(const WCHAR *name, WCHAR **out)
{
    DWORD cap = MAX_PATH, n;
    WCHAR *buf = NULL;

    *out = NULL;
    for (;;) {
        WCHAR *grown = rm_realloc(buf, cap * sizeof(WCHAR));
        if (!grown) {
            rm_free(buf);
            return ERROR_OUTOFMEMORY;
        }
        buf = grown;
        n = GetFullPathNameW(name, cap, buf, NULL);
        if (n == 0) {
            DWORD err = GetLastError();
            rm_free(buf);
            return err ? err : ERROR_BAD_ARGUMENTS;
        }
        if (n < cap)
            break;
        cap = n + 1;  /* n is the size needed, with the NUL */
    }
    *out = buf;
    return ERROR_SUCCESS;
}
