/*
 * rmhelper64.c - rmhelper64.exe, the 64-bit helper of the 32-bit rstrtmgr.dll: it lists
 * the loaded modules of 64-bit processes, which a 32-bit process cannot read
 * (resolve/helper.c runs it and says why).
 *
 *   rmhelper64.exe modules PID...
 *
 * For each PID, one record per module and then one "complete" record, to standard output
 * (a pipe): DWORD pid, WORD kind (1 module, 2 complete), WORD length in characters, then
 * the path's characters (no NUL). A process whose list cannot be read gets no "complete"
 * record. Reads nothing but module lists, writes nothing but its output, and ends when
 * done; at most MAX_PIDS processes.
 */
#include <windows.h>
#include <tlhelp32.h>
#include <stdlib.h>
#include <wchar.h>

#define MAX_PIDS 4096
#define TRIES 3

static HANDLE out;

static BOOL put(DWORD pid, WORD kind, const WCHAR *text, size_t len)
{
    struct { DWORD pid; WORD kind, length; } r = { pid, kind, (WORD)len };
    DWORD n;
    return WriteFile(out, &r, sizeof(r), &n, NULL) && n == sizeof(r) &&
           (!len || (WriteFile(out, text, (DWORD)(len * sizeof(WCHAR)), &n, NULL) &&
                     n == len * sizeof(WCHAR)));
}

/* FALSE when the output is gone (the DLL gave up on us). */
static BOOL list(DWORD pid)
{
    HANDLE snap = INVALID_HANDLE_VALUE;
    MODULEENTRY32W m;
    BOOL more;
    int i;

    /* Toolhelp may fail while the process loads or unloads a module (documented: retry). */
    for (i = 0; i < TRIES && snap == INVALID_HANDLE_VALUE; i++)
        snap = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, pid);
    if (snap == INVALID_HANDLE_VALUE)
        return TRUE;  /* no "complete" record: the DLL counts it as unread */
    m.dwSize = sizeof(m);
    for (more = Module32FirstW(snap, &m); more; more = Module32NextW(snap, &m)) {
        m.szExePath[MAX_PATH - 1] = 0;
        if (!put(pid, 1, m.szExePath, wcslen(m.szExePath))) {
            CloseHandle(snap);
            return FALSE;
        }
    }
    CloseHandle(snap);
    return put(pid, 2, NULL, 0);
}

int wmain(int argc, wchar_t **argv)
{
    int i;

    out = GetStdHandle(STD_OUTPUT_HANDLE);
    if (argc < 2 || wcscmp(argv[1], L"modules") || argc - 2 > MAX_PIDS ||
        !out || out == INVALID_HANDLE_VALUE)
        return ERROR_BAD_ARGUMENTS;
    for (i = 2; i < argc; i++)
        if (!list((DWORD)wcstoul(argv[i], NULL, 10)))
            return ERROR_BROKEN_PIPE;
    return 0;
}
