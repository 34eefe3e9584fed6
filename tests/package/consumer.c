/*
 * consumer.c - the smallest program another project would build against the installed
 * package: it includes the header, links the import library it was given (through
 * find_package or pkg-config; see run.sh), and calls RmStartSession and RmEndSession.
 *
 * It must reach our DLL, loaded from beside the exe: Wine's builtin stub also returns 0
 * from RmStartSession, but writes no key, and it lives in the system folder.
 * Prints "consumer: OK" and exits 0 only when all holds.
 */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>

#include <restartmanager.h>

/* The folder part of a path (cut at its last backslash or slash). */
static void folder_of(WCHAR *path)
{
    WCHAR *a = wcsrchr(path, L'\\'), *b = wcsrchr(path, L'/');
    WCHAR *cut = a > b ? a : b;
    if (cut)
        *cut = 0;
}

int main(void)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], exe[MAX_PATH], dll[MAX_PATH];
    HMODULE module;
    DWORD handle = 0, err;

    wmemset(key, L'!', CCH_RM_SESSION_KEY + 1);
    err = RmStartSession(&handle, 0, key);
    printf("RmStartSession: %lu, handle %lu\n", err, handle);
    if (err != ERROR_SUCCESS || handle == 0 || wcslen(key) != CCH_RM_SESSION_KEY) {
        printf("consumer: FAILED: no session, or no key written\n");
        return 1;
    }

    module = GetModuleHandleW(L"rstrtmgr.dll");
    if (!module || !GetModuleFileNameW(module, dll, MAX_PATH) ||
        !GetModuleFileNameW(NULL, exe, MAX_PATH)) {
        printf("consumer: FAILED: rstrtmgr.dll is not loaded\n");
        return 1;
    }
    folder_of(dll);
    folder_of(exe);
    if (_wcsicmp(dll, exe) != 0) {
        printf("consumer: FAILED: rstrtmgr.dll came from %ls, not from %ls\n", dll, exe);
        return 1;
    }

    err = RmEndSession(handle);
    printf("RmEndSession: %lu\n", err);
    if (err != ERROR_SUCCESS || RmEndSession(handle) != ERROR_INVALID_HANDLE) {
        printf("consumer: FAILED: the session did not end exactly once\n");
        return 1;
    }
    printf("consumer: OK\n");
    return 0;
}
