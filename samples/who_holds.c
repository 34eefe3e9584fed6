/* who_holds.c - "who holds this file?" in a dozen lines: who_holds FILE */
#include <windows.h>
#include <stdio.h>
#include <restartmanager.h>

int wmain(int argc, wchar_t **argv)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO apps[64];
    UINT needed = 0, n = ARRAYSIZE(apps), i;
    DWORD session, reasons, err;

    if (argc != 2 || RmStartSession(&session, 0, key))
        return 1;
    err = RmRegisterResources(session, 1, (LPCWSTR *)&argv[1], 0, NULL, 0, NULL);
    if (!err)
        err = RmGetList(session, &needed, &n, apps, &reasons);
    for (i = 0; !err && i < n; i++)
        wprintf(L"%ls (PID %lu)\n", apps[i].strAppName, apps[i].Process.dwProcessId);
    RmEndSession(session);
    return (int)err;
}
