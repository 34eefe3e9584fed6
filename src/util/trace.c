/*
 * trace.c - diagnostics. Silent unless the environment variable RSTRTMGR_TRACE is set:
 * then every line goes to OutputDebugString (under Wine: WINEDEBUG=+debugstr), and also to
 * stderr when RSTRTMGR_TRACE is "stderr". The DLL never aborts on a failure it traces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static int trace_mode(void)
{
    static volatile LONG mode = -1;  /* -1 unknown, 0 off, 1 debug output, 2 also stderr */
    if (mode < 0) {
        char value[16];
        DWORD n = GetEnvironmentVariableA("RSTRTMGR_TRACE", value, sizeof(value));
        LONG m = 0;
        if (n > 0 && n < sizeof(value))
            m = strcmp(value, "stderr") == 0 ? 2 : 1;
        InterlockedExchange(&mode, m);
    }
    return (int)mode;
}

void rm_trace(const char *fmt, ...)
{
    char line[512];
    int mode = trace_mode(), n;
    va_list ap;

    if (mode == 0)
        return;
    n = snprintf(line, sizeof(line), "rstrtmgr[%lu]: ", GetCurrentProcessId());
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strncat(line, "\n", sizeof(line) - strlen(line) - 1);
    OutputDebugStringA(line);
    if (mode == 2)
        fputs(line, stderr);
}

DWORD rm_fail(DWORD err, const char *what, const char *file, int line)
{
    const char *base = strrchr(file, '/');
    rm_trace("%s failed with %lu (%s:%d)", what, err, base ? base + 1 : file, line);
    return err;
}
