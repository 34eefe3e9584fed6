/* holders.c - see holders.h. */
#include <wchar.h>

#include "holders.h"

struct holder holder_start(const wchar_t *mode, const wchar_t *file)
{
    struct holder h;
    h.ready = tu_event(h.ready_name);
    /* Console apps get a console of their own, as when started from a shell. */
    if (!wcsncmp(mode, L"console", 7))
        h.process = tu_spawn_fixture_console(L"with-file \"%ls\" %ls %ls", file, mode, h.ready_name);
    else
        h.process = tu_spawn_fixture(L"with-file \"%ls\" %ls %ls", file, mode, h.ready_name);
    assert_non_null(h.process);
    assert_true(tu_wait_event(h.ready, h.process));
    h.pid = GetProcessId(h.process);
    return h;
}

BOOL holder_running(const struct holder *h)
{
    return WaitForSingleObject(h->process, 0) == WAIT_TIMEOUT;
}

void holder_end(struct holder *h)
{
    TerminateProcess(h->process, 0);
    WaitForSingleObject(h->process, TU_WAIT_MS);
    CloseHandle(h->process);
    CloseHandle(h->ready);
}

void kill_users_of(const wchar_t *file)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO apps[32];
    UINT needed = 0, n = 32, i;
    DWORD session, reasons;
    HANDLE p;

    if (RmStartSession(&session, 0, key))
        return;
    if (!RmRegisterResources(session, 1, &file, 0, NULL, 0, NULL) &&
        !RmGetList(session, &needed, &n, apps, &reasons))
        for (i = 0; i < n; i++)
            if (apps[i].ApplicationType != RmCritical &&
                (p = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, apps[i].Process.dwProcessId))) {
                TerminateProcess(p, 0);
                WaitForSingleObject(p, TU_WAIT_MS);
                CloseHandle(p);
            }
    RmEndSession(session);
}
