/*
 * filter_and_progress.c - a sample of filters and the status callback, written for this
 * project.
 *
 *   filter_and_progress FILE KEEP_PID
 *
 * Closes every application using FILE except the process KEEP_PID, which an RmNoShutdown
 * filter protects, printing the progress the status callback reports; lists the filters
 * and what became of each application; then restarts what it closed.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include <restartmanager.h>

/* The status callback: cdecl, called with 0 first and 100 last. */
static void progress(UINT percent)
{
    wprintf(L"progress: %u%%\n", percent);
}

static void print_filters(DWORD session)
{
    DWORD needed = 0, err;
    BYTE *buf;
    RM_FILTER_INFO *f;

    if (RmGetFilterList(session, NULL, 0, &needed) != ERROR_MORE_DATA || !(buf = malloc(needed)))
        return;
    err = RmGetFilterList(session, buf, needed, &needed);
    for (f = (RM_FILTER_INFO *)buf; !err; f = (RM_FILTER_INFO *)((BYTE *)f + f->cbNextOffset)) {
        if (f->FilterTrigger == RmFilterTriggerProcess)
            wprintf(L"filter: %ls for process %lu\n",
                    f->FilterAction == RmNoShutdown ? L"no shutdown" : L"no restart",
                    f->Process.dwProcessId);
        if (!f->cbNextOffset)
            break;
    }
    free(buf);
}

static void print_status(DWORD session)
{
    RM_PROCESS_INFO apps[64];
    UINT needed = 0, n = ARRAYSIZE(apps), i;
    DWORD reasons;

    if (RmGetList(session, &needed, &n, apps, &reasons))
        return;
    for (i = 0; i < n; i++)
        wprintf(L"app: PID %lu %ls status 0x%lx\n", apps[i].Process.dwProcessId,
                apps[i].strAppName, apps[i].AppStatus);
}

int wmain(int argc, wchar_t **argv)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_UNIQUE_PROCESS keep;
    FILETIME ignored[3];
    DWORD session, err;
    HANDLE h;

    if (argc != 3) {
        fwprintf(stderr, L"usage: filter_and_progress FILE KEEP_PID\n");
        return ERROR_BAD_ARGUMENTS;
    }
    /* A process is named by its PID and its creation time, so a reused PID never matches. */
    keep.dwProcessId = wcstoul(argv[2], NULL, 10);
    if (!(h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, keep.dwProcessId)) ||
        !GetProcessTimes(h, &keep.ProcessStartTime, &ignored[0], &ignored[1], &ignored[2]))
        return ERROR_NOT_FOUND;
    CloseHandle(h);

    if ((err = RmStartSession(&session, 0, key)))
        return (int)err;
    if (!(err = RmRegisterResources(session, 1, (LPCWSTR *)&argv[1], 0, NULL, 0, NULL)) &&
        !(err = RmAddFilter(session, NULL, &keep, NULL, RmNoShutdown))) {
        print_filters(session);
        err = RmShutdown(session, 0, progress);
        wprintf(L"RmShutdown: %lu\n", err);
        print_status(session);
        if (!err) {
            err = RmRestart(session, 0, progress);
            wprintf(L"RmRestart: %lu\n", err);
            print_status(session);
        }
    }
    RmEndSession(session);
    return (int)err;
}
