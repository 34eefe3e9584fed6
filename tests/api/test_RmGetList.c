/*
 * test_RmGetList.c - who uses the registered resources: real holder processes (an open
 * handle, a loaded DLL, a running exe image, a registered process, a window), each found,
 * named and classified; the two-call protocol as real clients drive it; and no hang on a
 * handle that blocks queries.
 */
#include <string.h>
#include <wchar.h>

#include "holders.h"

struct started {
    HANDLE process;
    DWORD pid;
};

/* Starts a fixture (or the exe given) in a mode that takes a READY event last. */
static struct started start_holder(const wchar_t *exe, const wchar_t *mode, const wchar_t *arg)
{
    wchar_t ready_name[64];
    HANDLE ready = tu_event(ready_name);
    struct started h;

    if (exe)
        h.process = tu_spawn_exe(exe, L"%ls %ls %ls", mode, arg, ready_name);
    else
        h.process = tu_spawn_fixture(L"%ls %ls %ls", mode, arg, ready_name);
    assert_non_null(h.process);
    assert_true(tu_wait_event(ready, h.process));
    CloseHandle(ready);
    h.pid = GetProcessId(h.process);
    return h;
}

static void stop_holder(struct started *h)
{
    TerminateProcess(h->process, 0);
    WaitForSingleObject(h->process, TU_WAIT_MS);
    CloseHandle(h->process);
}

static DWORD start_with(WCHAR key[CCH_RM_SESSION_KEY + 1], UINT nfiles, LPCWSTR *files)
{
    DWORD h;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, nfiles, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    return h;
}

static const RM_PROCESS_INFO *find_pid(const RM_PROCESS_INFO *apps, UINT n, DWORD pid)
{
    UINT i;
    for (i = 0; i < n; i++)
        if (apps[i].Process.dwProcessId == pid)
            return &apps[i];
    return NULL;
}

static void test_RmGetList_nothing_affected(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], path[MAX_PATH];
    LPCWSTR files[1] = {path};
    UINT needed = 77, n = 0;
    DWORD h, reasons = 77;
    (void)state;

    tu_temp_path(path, L"unused.txt");
    assert_true(tu_create_file(path));
    h = start_with(key, 1, files);
    assert_int_equal(RmGetList(h, &needed, &n, NULL, &reasons), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(n, 0);
    assert_int_equal(reasons, RmRebootReasonNone);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    DeleteFileW(path);
}

static void test_RmGetList_finds_open_handle_with_identity(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], path[MAX_PATH], link[MAX_PATH];
    LPCWSTR files[1] = {link};
    struct started holder;
    RM_PROCESS_INFO *apps, one;
    const RM_PROCESS_INFO *app;
    FILETIME start, x[3];
    UINT needed = 0, n = 0;
    DWORD h, reasons, my_session = 0;
    (void)state;

    tu_temp_path(path, L"held.dat");
    tu_temp_path(link, L"other-name-of-held.dat");
    assert_true(tu_create_file(path));
    /* The holder opens one name; we register another name of the same file. */
    assert_true(CreateHardLinkW(link, path, NULL));
    holder = start_holder(NULL, L"hold", path);
    h = start_with(key, 1, files);

    assert_int_equal(RmGetList(h, &needed, &n, NULL, &reasons), ERROR_MORE_DATA);
    assert_int_equal(needed, 1);
    n = 1;
    memset(&one, 0xcc, sizeof(one));
    assert_int_equal(RmGetList(h, &needed, &n, &one, &reasons), ERROR_SUCCESS);
    assert_int_equal(n, 1);
    assert_int_equal(reasons, RmRebootReasonNone);
    app = &one;
    assert_int_equal(app->Process.dwProcessId, holder.pid);
    assert_true(GetProcessTimes(holder.process, &start, &x[0], &x[1], &x[2]));
    assert_int_equal(app->Process.ProcessStartTime.dwLowDateTime, start.dwLowDateTime);
    assert_int_equal(app->Process.ProcessStartTime.dwHighDateTime, start.dwHighDateTime);
    assert_true(wcscmp(app->strAppName, L"rmfixture.exe") == 0);
    assert_int_equal(app->strServiceShortName[0], 0);
    assert_int_equal(app->ApplicationType, RmConsole);
    assert_int_equal(app->AppStatus, RmStatusRunning);
    assert_false(app->bRestartable);  /* it never registered */
    ProcessIdToSessionId(GetCurrentProcessId(), &my_session);
    assert_int_equal(app->TSSessionId, my_session);

    /* The same from a joined handle. */
    {
        DWORD joined;
        UINT count;
        assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
        apps = tu_get_list(joined, &count, &reasons);
        assert_int_equal(count, 1);
        assert_int_equal(apps[0].Process.dwProcessId, holder.pid);
        free(apps);
        assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    }
    /* Once the holder is gone, nobody uses the file. */
    stop_holder(&holder);
    needed = 9; n = 0;
    assert_int_equal(RmGetList(h, &needed, &n, NULL, &reasons), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    DeleteFileW(link);
    DeleteFileW(path);
}

static void test_RmGetList_finds_loaded_dll_and_exe_image(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], dll[MAX_PATH], exe[MAX_PATH], src[MAX_PATH], data[MAX_PATH];
    LPCWSTR files[2] = {dll, exe};
    struct started loader, runner;
    RM_PROCESS_INFO *apps;
    UINT n;
    DWORD h, reasons;
    (void)state;

    /* Private copies, so that only our holders use them. */
    tu_bin_path(src, L"rmfixture_dll.dll");
    tu_temp_path(dll, L"plugin.dll");
    assert_true(CopyFileW(src, dll, FALSE));
    tu_bin_path(src, L"rmfixture.exe");
    tu_temp_path(exe, L"holderapp.exe");
    assert_true(CopyFileW(src, exe, FALSE));
    tu_bin_path(src, L"rstrtmgr.dll");
    {
        WCHAR beside[MAX_PATH], *slash;
        wcscpy(beside, exe);
        slash = wcsrchr(beside, L'\\');
        wcscpy(slash + 1, L"rstrtmgr.dll");
        CopyFileW(src, beside, FALSE);  /* the copy imports our DLL */
    }
    tu_temp_path(data, L"unrelated.txt");

    loader = start_holder(NULL, L"load", dll);
    runner = start_holder(exe, L"hold", data);
    h = start_with(key, 2, files);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 2);
    assert_non_null(find_pid(apps, n, loader.pid));
    assert_non_null(find_pid(apps, n, runner.pid));
    assert_true(wcsstr(find_pid(apps, n, runner.pid)->strAppName, L"holderapp.exe") != NULL);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    stop_holder(&loader);
    stop_holder(&runner);
    DeleteFileW(dll);
    DeleteFileW(exe);
    DeleteFileW(data);
}

static void test_RmGetList_registered_process_needs_its_start_time(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], path[MAX_PATH];
    struct started holder;
    RM_UNIQUE_PROCESS right, wrong;
    FILETIME x[3];
    RM_PROCESS_INFO *apps;
    UINT n, needed, zero = 0;
    DWORD h, reasons;
    (void)state;

    tu_temp_path(path, L"whatever.txt");
    holder = start_holder(NULL, L"hold", path);
    right.dwProcessId = holder.pid;
    assert_true(GetProcessTimes(holder.process, &right.ProcessStartTime, &x[0], &x[1], &x[2]));
    wrong = right;
    wrong.ProcessStartTime.dwLowDateTime ^= 0x1000;  /* a PID reused by another process */

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 1, &wrong, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmGetList(h, &needed, &zero, NULL, &reasons), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 1, &right, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 1);
    assert_int_equal(apps[0].Process.dwProcessId, holder.pid);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    stop_holder(&holder);
    DeleteFileW(path);
}

static void test_RmGetList_window_app_and_self(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], path[MAX_PATH], ready_name[64];
    HANDLE ready = tu_event(ready_name), mine;
    LPCWSTR files[1] = {path};
    RM_UNIQUE_PROCESS gui_id;
    struct started gui;
    RM_PROCESS_INFO *apps;
    const RM_PROCESS_INFO *app;
    FILETIME x[3];
    UINT n;
    DWORD h, reasons;
    (void)state;

    gui.process = tu_spawn_fixture(L"gui %ls \"Fixture Editor\"", ready_name);
    assert_true(tu_wait_event(ready, gui.process));
    gui.pid = GetProcessId(gui.process);
    gui_id.dwProcessId = gui.pid;
    GetProcessTimes(gui.process, &gui_id.ProcessStartTime, &x[0], &x[1], &x[2]);
    /* And a file this very process holds open. */
    tu_temp_path(path, L"mine.txt");
    mine = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(mine != INVALID_HANDLE_VALUE);

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 1, &gui_id, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 2);
    app = find_pid(apps, n, gui.pid);
    assert_non_null(app);
    assert_int_equal(app->ApplicationType, RmMainWindow);
    assert_true(wcscmp(app->strAppName, L"Fixture Editor") == 0);
    app = find_pid(apps, n, GetCurrentProcessId());
    assert_non_null(app);
    assert_int_equal(app->ApplicationType, RmCritical);
    assert_false(app->bRestartable);
    assert_true(reasons & RmRebootReasonDetectedSelf);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    CloseHandle(mine);
    DeleteFileW(path);
    stop_holder(&gui);
    CloseHandle(ready);
}

/* bRestartable: TRUE for an app registered with RegisterApplicationRestart, FALSE for one
 * that is not (spec §5.2, §10.5). Wine keeps no registration (GetApplicationRestartSettings
 * is E_NOTIMPL), so there every app reads as not registered. */
static void test_RmGetList_restartable_means_registered(void **state)
{
    WCHAR file[MAX_PATH];
    struct holder registered, plain;
    RM_PROCESS_INFO *apps;
    const RM_PROCESS_INFO *app;
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1] = {file};
    UINT n;
    DWORD h, reasons;
    (void)state;

    tu_temp_path(file, L"restartable.dat");
    assert_true(tu_create_file(file));
    registered = holder_start(L"register-restart gui", file);
    plain = holder_start(L"gui", file);
    h = start_with(key, 1, files);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 2);
    assert_non_null(app = find_pid(apps, n, registered.pid));
    assert_int_equal(app->ApplicationType, RmMainWindow);
    todo_wine_true(app->bRestartable);
    assert_non_null(app = find_pid(apps, n, plain.pid));
    assert_false(app->bRestartable);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&registered);
    holder_end(&plain);
    DeleteFileW(file);
}

static void test_RmGetList_directory_is_access_denied(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], dir[MAX_PATH];
    LPCWSTR files[1] = {dir};
    UINT needed, n = 0;
    DWORD h, reasons;
    (void)state;

    GetTempPathW(MAX_PATH, dir);
    h = start_with(key, 1, files);
    assert_int_equal(RmGetList(h, &needed, &n, NULL, &reasons), ERROR_ACCESS_DENIED);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

/* Three holders, two files each plus a DLL: each listed once; every client loop
 * converges; a too-small array is never written past its capacity. */
static void test_RmGetList_unique_entries_and_client_loops(void **state)
{
    static const UINT first_capacity[] = {5, 2, 1, 0};  /* Inno Setup, node-wholocks, Mozilla, SDK sample */
    WCHAR key[CCH_RM_SESSION_KEY + 1], paths[3][MAX_PATH], pipe[64];
    LPCWSTR files[3] = {paths[0], paths[1], paths[2]};
    struct started holders[3], blocker;
    RM_PROCESS_INFO small[3];
    UINT needed, n, i, c;
    DWORD h, reasons;
    (void)state;

    for (i = 0; i < 3; i++) {
        tu_temp_path(paths[i], L"shared.dat");
        assert_true(tu_create_file(paths[i]));
    }
    /* A process whose pipe blocks every query on it: the call must still return. */
    _snwprintf(pipe, 64, L"rmtest-block-%lu", GetCurrentProcessId());
    blocker = start_holder(NULL, L"pipe-block", pipe);
    for (i = 0; i < 3; i++)
        holders[i] = start_holder(NULL, L"hold", paths[i]);
    h = start_with(key, 3, files);
    /* Every file registered twice more, by the same names: still one entry per process. */
    assert_int_equal(RmRegisterResources(h, 3, files, 0, NULL, 0, NULL), ERROR_SUCCESS);

    for (c = 0; c < 4; c++) {
        RM_PROCESS_INFO *apps = first_capacity[c] ? calloc(first_capacity[c], sizeof(*apps)) : NULL;
        DWORD err;
        int tries = 0;
        n = first_capacity[c];
        while ((err = RmGetList(h, &needed, &n, apps, &reasons)) == ERROR_MORE_DATA && tries++ < 4) {
            free(apps);
            apps = calloc(needed, sizeof(*apps));
            n = needed;
        }
        assert_int_equal(err, ERROR_SUCCESS);
        assert_int_equal(n, 3);
        for (i = 0; i < 3; i++)
            assert_non_null(find_pid(apps, n, holders[i].pid));
        free(apps);
    }

    /* Too small: the needed count and the reasons are set, *pnProcInfo is 0 and nothing
     * at all is written to the array (docs/decisions.md, RmGetList). */
    memset(small, 0xab, sizeof(small));
    n = 2;
    needed = 77;
    reasons = 77;
    assert_int_equal(RmGetList(h, &needed, &n, small, &reasons), ERROR_MORE_DATA);
    assert_int_equal(needed, 3);
    assert_int_equal(n, 0);
    assert_int_equal(reasons, RmRebootReasonNone);
    for (i = 0; i < sizeof(small); i++)
        if (((BYTE *)small)[i] != 0xab)
            fail_msg("byte %u of the array was written", i);

    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    for (i = 0; i < 3; i++) {
        stop_holder(&holders[i]);
        DeleteFileW(paths[i]);
    }
    stop_holder(&blocker);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RmGetList_nothing_affected),
        cmocka_unit_test(test_RmGetList_finds_open_handle_with_identity),
        cmocka_unit_test(test_RmGetList_finds_loaded_dll_and_exe_image),
        cmocka_unit_test(test_RmGetList_registered_process_needs_its_start_time),
        cmocka_unit_test(test_RmGetList_window_app_and_self),
        cmocka_unit_test(test_RmGetList_restartable_means_registered),
        cmocka_unit_test(test_RmGetList_directory_is_access_denied),
        cmocka_unit_test(test_RmGetList_unique_entries_and_client_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
