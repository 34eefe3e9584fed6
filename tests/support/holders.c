/* holders.c - see holders.h. */
#include <stdlib.h>
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

/* ---- the engine's bounds, through the registry values it reads ---- */

static void set_value(HKEY root, const wchar_t *key, const wchar_t *name, const wchar_t *value)
{
    HKEY k;
    assert_int_equal(RegCreateKeyExW(root, key, 0, NULL, 0, KEY_SET_VALUE, NULL, &k, NULL), 0);
    if (value)
        RegSetValueExW(k, name, 0, REG_SZ, (const BYTE *)value, (DWORD)(wcslen(value) + 1) * 2);
    else
        RegDeleteValueW(k, name);
    RegCloseKey(k);
}

static void set_bounds(const wchar_t *query, const wchar_t *app, const wchar_t *service)
{
    set_value(HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"HungAppTimeout", query);
    set_value(HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"WaitToKillAppTimeout", app);
    set_value(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Control",
              L"WaitToKillServiceTimeout", service);
}

int tu_short_engine_bounds(void **state)
{
    (void)state;
    set_bounds(L"1000", L"3000", L"3000");
    return 0;
}

int tu_default_engine_bounds(void **state)
{
    (void)state;
    set_bounds(NULL, NULL, NULL);
    return 0;
}

DWORD tu_session_for(const wchar_t *file, WCHAR key[CCH_RM_SESSION_KEY + 1])
{
    LPCWSTR files[1] = { file };
    DWORD h;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    return h;
}

/* ---- RmGetList as most clients call it ---- */

RM_PROCESS_INFO *tu_get_list(DWORD session, UINT *count, DWORD *reasons)
{
    UINT needed = 0, n = 0;
    RM_PROCESS_INFO *apps = NULL;
    DWORD err, ignored;
    int tries;

    for (tries = 0; tries < 5; tries++) {
        err = RmGetList(session, &needed, &n, apps, reasons ? reasons : &ignored);
        if (err != ERROR_MORE_DATA)
            break;
        free(apps);
        apps = calloc(needed, sizeof(*apps));
        n = needed;
    }
    assert_int_equal(err, ERROR_SUCCESS);
    assert_int_equal(n, needed);
    *count = n;
    return apps;
}
