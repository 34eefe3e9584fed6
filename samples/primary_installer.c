/*
 * primary_installer.c - a sample primary installer, written for this project.
 *
 *   primary_installer [--list-only] FILE... [-- SECONDARY_FILE...]
 *
 * Starts a Restart Manager session, registers FILEs, starts secondary_installer.exe (from
 * its own folder) with the session key and the SECONDARY_FILEs so that it joins the session
 * from another process and registers them too, then asks which applications use any of
 * the files and prints them. Unless --list-only: shuts them down (printing the progress),
 * pretends to replace the files, restarts them and lists again.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include <restartmanager.h>

static const wchar_t *app_type(RM_APP_TYPE t)
{
    switch (t) {
    case RmMainWindow: return L"window";
    case RmOtherWindow: return L"other window";
    case RmService: return L"service";
    case RmExplorer: return L"explorer";
    case RmConsole: return L"console";
    case RmCritical: return L"critical";
    default: return L"unknown";
    }
}

/* AppStatus is an OR of bits that tell the app's history: its latest step. */
static const wchar_t *app_status(ULONG s)
{
    if (s & RmStatusRestartMasked) return L"not restarted (filter)";
    if (s & RmStatusErrorOnRestart) return L"could not restart";
    if (s & RmStatusRestarted) return L"restarted";
    if (s & RmStatusShutdownMasked) return L"kept (filter)";
    if (s & RmStatusErrorOnStop) return L"could not stop";
    if (s & RmStatusStoppedOther) return L"stopped by another";
    if (s & RmStatusStopped) return L"stopped";
    if (s & RmStatusRunning) return L"running";
    return L"unknown";
}

/* The status callback: cdecl, one argument. */
static void show_progress(UINT percent)
{
    wprintf(L" %u%%", percent);
    fflush(stdout);
}

/* Runs secondary_installer.exe KEY FILE... and returns its exit code. */
static DWORD run_secondary(const WCHAR *key, int nfiles, wchar_t **files)
{
    wchar_t exe[MAX_PATH], cmd[8192], *slash;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = 1;
    int i, n;

    GetModuleFileNameW(NULL, exe, MAX_PATH);
    slash = wcsrchr(exe, L'\\');
    wcscpy(slash + 1, L"secondary_installer.exe");
    n = _snwprintf(cmd, 8192, L"\"%ls\" %ls", exe, key);
    for (i = 0; i < nfiles && n > 0 && n < 8000; i++)
        n += _snwprintf(cmd + n, 8192 - n, L" \"%ls\"", files[i]);
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return GetLastError();
    WaitForSingleObject(pi.hProcess, 60000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

/* RmGetList's two-call protocol, retried while the list grows between the calls. */
static DWORD list_affected(DWORD session, RM_PROCESS_INFO **apps, UINT *count, DWORD *reasons)
{
    UINT needed = 0, have = 0;
    DWORD err;
    int tries;

    *apps = NULL;
    for (tries = 0; tries < 5; tries++) {
        have = needed;
        err = RmGetList(session, &needed, &have, *apps, reasons);
        if (err != ERROR_MORE_DATA)
            break;
        free(*apps);
        *apps = calloc(needed ? needed : 1, sizeof(RM_PROCESS_INFO));
    }
    *count = have;
    return err;
}

static DWORD print_affected(DWORD session, DWORD *reasons)
{
    RM_PROCESS_INFO *apps = NULL;
    UINT count = 0, i;
    DWORD err = list_affected(session, &apps, &count, reasons);

    if (err == ERROR_SUCCESS) {
        wprintf(L"primary: %u application(s) use the files (reboot reasons 0x%lx)\n", count, *reasons);
        for (i = 0; i < count; i++)
            wprintf(L"  PID %-6lu %-12ls %-10ls %ls%ls%ls\n", apps[i].Process.dwProcessId,
                    app_type(apps[i].ApplicationType), app_status(apps[i].AppStatus),
                    apps[i].strAppName, apps[i].strServiceShortName[0] ? L" service " : L"",
                    apps[i].strServiceShortName);
    } else {
        wprintf(L"primary: RmGetList failed: %lu\n", err);
    }
    free(apps);
    return err;
}

int wmain(int argc, wchar_t **argv)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD session, err, reasons = 0;
    BOOL list_only = FALSE;
    int nown = 1;

    if (argc > 1 && !wcscmp(argv[1], L"--list-only")) {
        list_only = TRUE;
        argv++;
        argc--;
    }
    while (nown < argc && wcscmp(argv[nown], L"--") != 0)
        nown++;
    if ((err = RmStartSession(&session, 0, key))) {
        wprintf(L"primary: RmStartSession failed: %lu\n", err);
        return 1;
    }
    wprintf(L"primary: started session %lu, key %ls\n", session, key);
    err = RmRegisterResources(session, (UINT)(nown - 1), (LPCWSTR *)(argv + 1), 0, NULL, 0, NULL);
    wprintf(L"primary: registered %d file(s): %lu\n", nown - 1, err);
    if (nown + 1 < argc) {
        wprintf(L"primary: starting the secondary installer with the key\n");
        fflush(stdout);
        err = run_secondary(key, argc - nown - 1, argv + nown + 1);
        wprintf(L"primary: the secondary installer finished: %lu\n", err);
    }
    err = print_affected(session, &reasons);
    if (err == ERROR_SUCCESS && reasons)
        wprintf(L"primary: a reboot is needed; nothing will be shut down\n");
    else if (err == ERROR_SUCCESS && !list_only) {
        wprintf(L"primary: shutting them down:");
        err = RmShutdown(session, 0, show_progress);
        wprintf(L"\nprimary: RmShutdown: %lu\n", err);
        print_affected(session, &reasons);
        wprintf(L"primary: (replacing the files would happen here)\n");
        wprintf(L"primary: restarting them:");
        err = RmRestart(session, 0, show_progress);
        wprintf(L"\nprimary: RmRestart: %lu\n", err);
        Sleep(2000);  /* the sample only: let the restarted apps open their files again */
        print_affected(session, &reasons);
    }
    err = RmEndSession(session);
    wprintf(L"primary: ended the session: %lu\n", err);
    return 0;
}
