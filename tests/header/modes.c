/*
 * modes.c - include/restartmanager.h as a caller's translation unit sees it, compiled
 * (not run) by ctest in every language mode the SDK's header supports: C89, C99 and C11
 * with -pedantic-errors, with and without NONAMELESSUNION, and as C++98 (modes.cpp).
 * The layout is checked member by member against the SDK's offsets; the header itself
 * checks the sizes.
 */
#include <stddef.h>
#include <string.h>
#include <windows.h>

#include <restartmanager.h>

/* A negative array size stops the compile; C89 has no static assert. */
#define LAYOUT(name, e) typedef char layout_##name[(e) ? 1 : -1];

#ifdef NONAMELESSUNION
#define FILTER(m) u.m
#else
#define FILTER(m) m
#endif

LAYOUT(unique_start, offsetof(RM_UNIQUE_PROCESS, ProcessStartTime) == 4)
LAYOUT(app_name, offsetof(RM_PROCESS_INFO, strAppName) == 12)
LAYOUT(service_name, offsetof(RM_PROCESS_INFO, strServiceShortName) == 524)
LAYOUT(app_type, offsetof(RM_PROCESS_INFO, ApplicationType) == 652)
LAYOUT(app_status, offsetof(RM_PROCESS_INFO, AppStatus) == 656)
LAYOUT(ts_session, offsetof(RM_PROCESS_INFO, TSSessionId) == 660)
LAYOUT(restartable, offsetof(RM_PROCESS_INFO, bRestartable) == 664)
LAYOUT(next_offset, offsetof(RM_FILTER_INFO, cbNextOffset) == 8)
/* The union follows at the pointer's alignment: 12 on x86, 16 on x64. */
LAYOUT(filter_union, offsetof(RM_FILTER_INFO, FILTER(strFilename)) == (sizeof(void *) == 8 ? 16 : 12))
LAYOUT(filter_process, offsetof(RM_FILTER_INFO, FILTER(Process)) == offsetof(RM_FILTER_INFO, FILTER(strFilename)))
LAYOUT(filter_service, offsetof(RM_FILTER_INFO, FILTER(strServiceShortName)) == offsetof(RM_FILTER_INFO, FILTER(strFilename)))

/* Every declaration used once, as a caller would. */
static void status(UINT percent)
{
    (void)percent;
}

DWORD modes_use_every_export(void);
DWORD modes_use_every_export(void)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO info[1];
    RM_UNIQUE_PROCESS process;
    BYTE buffer[256];
    const RM_FILTER_INFO *filter = (const RM_FILTER_INFO *)buffer;
    LPCWSTR file = L"C:\\x.dll";
    DWORD session, reasons, needed;
    UINT n = 1, count = 0;
    RM_WRITE_STATUS_CALLBACK callback = status;

    memset(&process, 0, sizeof(process));
    RmStartSession(&session, 0, key);
    RmJoinSession(&session, key);
    RmRegisterResources(session, 1, &file, 1, &process, 0, NULL);
    RmGetList(session, &count, &n, info, &reasons);
    RmShutdown(session, RmForceShutdown, callback);
    RmRestart(session, 0, callback);
    RmCancelCurrentTask(session);
    RmAddFilter(session, file, NULL, NULL, RmNoRestart);
    RmRemoveFilter(session, file, NULL, NULL);
    RmGetFilterList(session, buffer, sizeof(buffer), &needed);
    RmEndSession(session);
    return filter->FilterAction == RmNoRestart && filter->FILTER(strFilename) != NULL ?
        ERROR_SUCCESS : ERROR_FAIL_SHUTDOWN;
}
