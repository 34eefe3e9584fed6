/*
 * secondary_installer.c - a sample secondary installer, written for this project.
 *
 *   secondary_installer KEY FILE...
 *
 * Joins the session whose key the primary installer passed on the command line, registers
 * FILEs into it, and leaves. The session lives on until the primary ends it.
 */
#include <windows.h>
#include <stdio.h>

#include <restartmanager.h>

int wmain(int argc, wchar_t **argv)
{
    DWORD session, err;

    if (argc < 2) {
        fwprintf(stderr, L"usage: secondary_installer KEY FILE...\n");
        return ERROR_BAD_ARGUMENTS;
    }
    if ((err = RmJoinSession(&session, argv[1]))) {
        wprintf(L"secondary: RmJoinSession failed: %lu\n", err);
        return (int)err;
    }
    wprintf(L"secondary: joined the session as handle %lu\n", session);
    err = RmRegisterResources(session, (UINT)(argc - 2), (LPCWSTR *)(argv + 2), 0, NULL, 0, NULL);
    wprintf(L"secondary: registered %d file(s): %lu\n", argc - 2, err);
    RmEndSession(session);
    wprintf(L"secondary: left the session\n");
    return (int)err;
}
