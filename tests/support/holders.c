/* holders.c - see holders.h. */
#include <stdlib.h>
#include <wchar.h>

#include "holders.h"

struct holder holder_start(const wchar_t *mode, const wchar_t *file)
{
    struct holder h;
    h.ready = tu_event(h.ready_name);
    /* Console apps get a console of their own, as when started from a shell. */
    if (wcsstr(mode, L"console"))
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

/* ---- the engine's bounds, through the registry values it reads ----
 * These are the machine's and the user's own settings (Windows' shutdown reads them too):
 * what was there before, or that nothing was, is put back exactly. */

struct saved_value {
    HKEY root;
    const wchar_t *key, *name, *short_value;
    BOOL existed;
    DWORD type, size;
    BYTE data[512];
};

static struct saved_value bounds[] = {
    {.root = HKEY_CURRENT_USER, .key = L"Control Panel\\Desktop", .name = L"HungAppTimeout",
     .short_value = L"1000"},
    {.root = HKEY_CURRENT_USER, .key = L"Control Panel\\Desktop", .name = L"WaitToKillAppTimeout",
     .short_value = L"3000"},
    {.root = HKEY_LOCAL_MACHINE, .key = L"System\\CurrentControlSet\\Control",
     .name = L"WaitToKillServiceTimeout", .short_value = L"3000"},
};

static HKEY open_key(const struct saved_value *v, REGSAM access)
{
    HKEY k = NULL;
    LSTATUS err = RegOpenKeyExW(v->root, v->key, 0, access, &k);
    if (err)
        print_error("cannot open %ls: %ld\n", v->key, (long)err);
    return err ? NULL : k;
}

int tu_short_engine_bounds(void **state)
{
    unsigned i;
    (void)state;
    for (i = 0; i < ARRAYSIZE(bounds); i++) {
        struct saved_value *v = &bounds[i];
        HKEY k = open_key(v, KEY_QUERY_VALUE | KEY_SET_VALUE);
        LSTATUS err;
        if (!k)
            return -1;
        v->size = sizeof(v->data);
        err = RegQueryValueExW(k, v->name, NULL, &v->type, v->data, &v->size);
        v->existed = err == ERROR_SUCCESS;
        if (err && err != ERROR_FILE_NOT_FOUND)  /* unreadable or too long: leave it alone */
            print_error("cannot save %ls: %ld\n", v->name, (long)err);
        else
            err = RegSetValueExW(k, v->name, 0, REG_SZ, (const BYTE *)v->short_value,
                                 (DWORD)(wcslen(v->short_value) + 1) * sizeof(wchar_t));
        RegCloseKey(k);
        if (err)
            return -1;
    }
    return 0;
}

int tu_restore_engine_bounds(void **state)
{
    unsigned i;
    int result = 0;
    (void)state;
    for (i = 0; i < ARRAYSIZE(bounds); i++) {
        const struct saved_value *v = &bounds[i];
        HKEY k = open_key(v, KEY_SET_VALUE);
        LSTATUS err;
        if (!k)
            return -1;
        if (v->existed)
            err = RegSetValueExW(k, v->name, 0, v->type, v->data, v->size);
        else
            err = RegDeleteValueW(k, v->name);
        RegCloseKey(k);
        if (err) {
            print_error("cannot restore %ls: %ld\n", v->name, (long)err);
            result = -1;
        }
    }
    return result;
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
