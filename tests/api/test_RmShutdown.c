/*
 * test_RmShutdown.c - the engine with real fixture processes: windowed apps that agree,
 * refuse or hang, console apps that handle or ignore Ctrl+C, services with a dependent
 * and one that ignores stop; polite and forced shutdown, RmShutdownOnlyRegistered,
 * filters, restart with new PIDs, AppStatus afterwards, progress and cancellation.
 *
 * The engine's bounds are set short through the registry values it reads (as Windows'
 * own shutdown does), so that waiting for a hung app costs a second, not thirty.
 *
 * Windows restarts only apps that registered with RegisterApplicationRestart (spec §10.5),
 * so every app a case expects back runs in "register-restart" mode. Wine stores no such
 * registration (GetApplicationRestartSettings is E_NOTIMPL): what differs there is marked
 * todo_wine (docs/testbed.md).
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "holders.h"

static void kill_pid(DWORD pid)
{
    HANDLE h = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pid);
    if (h) {
        TerminateProcess(h, 0);
        WaitForSingleObject(h, TU_WAIT_MS);
        CloseHandle(h);
    }
}

static DWORD session_for(const wchar_t *file)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1] = { file };
    DWORD h;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    return h;
}

/* The entry of pid in a fresh RmGetList (copied); it must be there exactly once. */
static RM_PROCESS_INFO entry_of(DWORD session, DWORD pid)
{
    RM_PROCESS_INFO e, *apps;
    UINT i, n, found = 0;

    memset(&e, 0, sizeof(e));
    apps = tu_get_list(session, &n, NULL);
    for (i = 0; i < n; i++)
        if (apps[i].Process.dwProcessId == pid) {
            e = apps[i];
            found++;
        }
    free(apps);
    if (found != 1)
        fail_msg("PID %lu is listed %u times, not once", pid, found);
    return e;
}

/* The ApplicationType of pid, or RmUnknownApp while it is not listed. */
static RM_APP_TYPE type_of(DWORD session, DWORD pid)
{
    RM_PROCESS_INFO *apps;
    RM_APP_TYPE type = RmUnknownApp;
    UINT i, n;

    apps = tu_get_list(session, &n, NULL);
    for (i = 0; i < n; i++)
        if (apps[i].Process.dwProcessId == pid)
            type = apps[i].ApplicationType;
    free(apps);
    return type;
}

/* The PID of a running entry other than `old`, in a fresh RmGetList (0 if none). */
static DWORD new_running_pid(DWORD session, DWORD old)
{
    RM_PROCESS_INFO *apps;
    UINT i, n;
    DWORD pid = 0;

    apps = tu_get_list(session, &n, NULL);
    for (i = 0; i < n; i++)
        if (apps[i].Process.dwProcessId != old && apps[i].AppStatus == RmStatusRunning)
            pid = apps[i].Process.dwProcessId;
    free(apps);
    return pid;
}

static void temp_file(wchar_t path[MAX_PATH], const wchar_t *tag)
{
    tu_temp_path(path, tag);
    assert_true(tu_create_file(path));
}

/* ---- progress ---- */

static UINT progress[256];
static unsigned nprogress;

static void record_progress(UINT percent)
{
    if (nprogress < ARRAYSIZE(progress))
        progress[nprogress++] = percent;
}

static void assert_progress_complete(void)
{
    unsigned i;
    assert_true(nprogress >= 2);
    assert_int_equal(progress[0], 0);
    assert_int_equal(progress[nprogress - 1], 100);
    for (i = 1; i < nprogress; i++)
        assert_true(progress[i] >= progress[i - 1]);
}

/* ---- the cases ---- */

static void test_cooperative_gui_app_is_closed_and_restarted(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    RM_PROCESS_INFO e;
    DWORD h, new_pid;
    (void)state;

    temp_file(file, L"gui.dat");
    a = holder_start(L"register-restart gui", file);
    h = session_for(file);
    todo_wine_true(entry_of(h, a.pid).bRestartable);  /* registered */
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_REQUEST_OUT_OF_SEQUENCE);

    nprogress = 0;
    assert_int_equal(RmShutdown(h, 0, record_progress), ERROR_SUCCESS);
    assert_progress_complete();
    assert_int_equal(tu_wait_exit(a.process), 0);  /* it ended itself, on WM_ENDSESSION */
    e = entry_of(h, a.pid);
    assert_int_equal(e.Process.dwProcessId, a.pid);
    assert_int_equal(e.AppStatus, RmStatusStopped);
    assert_true(e.bRestartable);

    ResetEvent(a.ready);
    nprogress = 0;
    assert_int_equal(RmRestart(h, 0, record_progress), ERROR_SUCCESS);
    assert_progress_complete();
    assert_true(tu_wait_event(a.ready, NULL));
    assert_int_equal(entry_of(h, a.pid).AppStatus, RmStatusStopped | RmStatusRestarted);
    new_pid = new_running_pid(h, a.pid);
    assert_true(new_pid != 0 && new_pid != a.pid);
    kill_pid(new_pid);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

/* An app that never registered is closed and stays closed on Windows. Under Wine the DLL
 * cannot tell (E_NOTIMPL) and restarts an app that closed cleanly with its original
 * command line instead. */
static void test_unregistered_app_is_closed_not_restarted(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    RM_PROCESS_INFO e;
    DWORD h;
    (void)state;

    temp_file(file, L"unregistered.dat");
    a = holder_start(L"gui", file);
    h = session_for(file);
    assert_false(entry_of(h, a.pid).bRestartable);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), 0);
    e = entry_of(h, a.pid);
    assert_int_equal(e.AppStatus, RmStatusStopped);
    todo_wine_false(e.bRestartable);

    ResetEvent(a.ready);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    e = entry_of(h, a.pid);
    todo_wine_int_equal(RmStatusStopped, e.AppStatus);
    if (e.AppStatus & RmStatusRestarted) {  /* Wine's fallback started it again */
        assert_true(tu_wait_event(a.ready, NULL));
        kill_users_of(file);
    } else {
        assert_int_equal(new_running_pid(h, a.pid), 0);
        assert_int_equal(WaitForSingleObject(a.ready, 0), WAIT_TIMEOUT);
    }
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

static void test_refusing_gui_app_stops_everything_unless_forced(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder good, bad;
    DWORD h;
    (void)state;

    temp_file(file, L"refuse.dat");
    good = holder_start(L"register-restart gui", file);
    bad = holder_start(L"gui-refuse", file);
    h = session_for(file);

    /* Polite: one refusal and nothing at all is closed. */
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_true(holder_running(&good));
    assert_true(holder_running(&bad));
    assert_int_equal(entry_of(h, bad.pid).AppStatus, RmStatusRunning | RmStatusErrorOnStop);
    assert_int_equal(entry_of(h, good.pid).AppStatus, RmStatusRunning);

    /* Forced: the agreeing app closes itself, the refusing one is terminated. */
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(good.process), 0);
    assert_int_equal(tu_wait_exit(bad.process), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(entry_of(h, bad.pid).AppStatus, RmStatusStopped);
    assert_false(entry_of(h, bad.pid).bRestartable);  /* it never registered */

    /* Restart brings back the registered one only. */
    ResetEvent(good.ready);
    ResetEvent(bad.ready);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    assert_true(tu_wait_event(good.ready, NULL));
    assert_int_equal(entry_of(h, good.pid).AppStatus, RmStatusStopped | RmStatusRestarted);
    assert_int_equal(entry_of(h, bad.pid).AppStatus, RmStatusStopped);
    assert_int_equal(WaitForSingleObject(bad.ready, 0), WAIT_TIMEOUT);
    kill_pid(new_running_pid(h, good.pid));
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&good);
    holder_end(&bad);
    DeleteFileW(file);
}

static void test_hung_gui_app_is_bounded(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    DWORD h, t0;
    (void)state;

    temp_file(file, L"hang.dat");
    a = holder_start(L"gui-hang", file);
    h = session_for(file);
    t0 = GetTickCount();
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_true(GetTickCount() - t0 < TU_WAIT_MS);  /* bounded, not a hang */
    assert_true(holder_running(&a));
    assert_int_equal(entry_of(h, a.pid).AppStatus, RmStatusRunning | RmStatusErrorOnStop);
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(entry_of(h, a.pid).AppStatus, RmStatusStopped);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

static void test_console_app_gets_ctrl_c_and_comes_back(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    DWORD h, new_pid;
    RM_PROCESS_INFO e;
    (void)state;

    temp_file(file, L"console.dat");
    a = holder_start(L"register-restart console", file);
    h = session_for(file);
    assert_int_equal(entry_of(h, a.pid).ApplicationType, RmConsole);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), 0);  /* its handler saw Ctrl+C */
    e = entry_of(h, a.pid);
    assert_int_equal(e.AppStatus, RmStatusStopped);
    assert_true(e.bRestartable);

    ResetEvent(a.ready);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    assert_true(tu_wait_event(a.ready, NULL));
    new_pid = new_running_pid(h, a.pid);
    assert_true(new_pid != 0);
    kill_pid(new_pid);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

/* An installer in a process group other than the app's (Wine: the app is in the group of
 * the process that started it, not its own): no GenerateConsoleCtrlEvent the installer
 * can send reaches the app, the Ctrl+C the engine types into its console does. */
static void test_console_app_of_another_process_group(void **state)
{
    wchar_t file[MAX_PATH], exe[MAX_PATH], cmd[1024];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    struct holder a;
    (void)state;

    temp_file(file, L"console-group.dat");
    a = holder_start(L"console", file);
    tu_bin_path(exe, L"rmfixture.exe");
    _snwprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" shutdown \"%ls\"", exe, file);
    cmd[ARRAYSIZE(cmd) - 1] = 0;
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, CREATE_NEW_PROCESS_GROUP, NULL, NULL,
                               &si, &pi));
    CloseHandle(pi.hThread);
    assert_int_equal(tu_wait_exit(pi.hProcess), ERROR_SUCCESS);  /* its RmShutdown */
    assert_int_equal(tu_wait_exit(a.process), 0);  /* the app's handler saw Ctrl+C */
    CloseHandle(pi.hProcess);
    holder_end(&a);
    DeleteFileW(file);
}

/* A console program without a console: Ctrl+C still reaches its handler. */
static void test_console_app_without_a_console(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    DWORD h;
    (void)state;

    temp_file(file, L"console-none.dat");
    a = holder_start(L"console-none", file);
    h = session_for(file);
    assert_int_equal(entry_of(h, a.pid).ApplicationType, RmConsole);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), 0);  /* its handler ran */
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

static void test_console_app_ignoring_ctrl_c(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    DWORD h;
    (void)state;

    temp_file(file, L"deaf.dat");
    a = holder_start(L"console-deaf", file);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_true(holder_running(&a));
    assert_int_equal(entry_of(h, a.pid).AppStatus, RmStatusRunning | RmStatusErrorOnStop);
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

static void test_services_dependents_first_and_restarted(void **state)
{
    wchar_t file[MAX_PATH], base[64], dep[64];
    char log[1024], expect[300];
    RM_PROCESS_INFO *apps;
    DWORD h;
    UINT n, i, restarted;
    (void)state;

    temp_file(file, L"svc.log");
    tu_service_name(base, L"base");
    tu_service_name(dep, L"dep");
    tu_service_pair(base, dep, file);

    h = session_for(file);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_service_pid(base), 0);
    assert_int_equal(tu_service_pid(dep), 0);
    tu_read_text(file, log, sizeof(log));
    snprintf(expect, sizeof(expect), "%ls\n%ls\n", dep, base);  /* the dependent first */
    assert_non_null(strstr(log, expect));
    apps = tu_get_list(h, &n, NULL);
    assert_int_equal(n, 2);
    for (i = 0; i < n; i++)
        assert_int_equal(apps[i].AppStatus, RmStatusStopped);
    free(apps);

    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    assert_true(tu_service_pid(base) != 0);
    assert_true(tu_service_pid(dep) != 0);
    /* The two entries RmShutdown acted on, now Restarted, and the two new processes. */
    apps = tu_get_list(h, &n, NULL);
    assert_int_equal(n, 4);
    for (i = 0, restarted = 0; i < n; i++) {
        if (apps[i].AppStatus == (RmStatusStopped | RmStatusRestarted))
            restarted++;
        else
            assert_int_equal(apps[i].AppStatus, RmStatusRunning);
    }
    assert_int_equal(restarted, 2);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(dep);
    tu_service_remove(base);
    DeleteFileW(file);
}

static void test_service_ignoring_stop(void **state)
{
    wchar_t file[MAX_PATH], name[64];
    DWORD h, pid;
    HANDLE p;
    (void)state;

    temp_file(file, L"svc-ignore.dat");
    tu_service_name(name, L"ignore");
    assert_true(tu_service_create(name, L"ignore", file, NULL));
    assert_true((pid = tu_service_start(name)) != 0);
    p = OpenProcess(SYNCHRONIZE, FALSE, pid);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(WaitForSingleObject(p, 0), WAIT_TIMEOUT);
    assert_int_equal(entry_of(h, pid).AppStatus, RmStatusRunning | RmStatusErrorOnStop);
    /* Forced: its process hosts nothing else, so it goes. */
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(WaitForSingleObject(p, TU_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(p);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(name);
    DeleteFileW(file);
}

static void test_only_registered(void **state)
{
    wchar_t file[MAX_PATH], name[64];
    struct holder a;
    DWORD h, err;
    (void)state;

    /* An app that never registered for restart: nothing is stopped. */
    temp_file(file, L"onlyreg.dat");
    a = holder_start(L"gui", file);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, RmShutdownOnlyRegistered, NULL), ERROR_FAIL_SHUTDOWN);
    assert_true(holder_running(&a));
    assert_int_equal(entry_of(h, a.pid).AppStatus, RmStatusRunning);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);

    /* A registered one is stopped on Windows. Wine cannot say that it registered
     * (E_NOTIMPL), so the DLL counts it as not registered there. */
    temp_file(file, L"onlyreg-registered.dat");
    a = holder_start(L"register-restart gui", file);
    h = session_for(file);
    err = RmShutdown(h, RmShutdownOnlyRegistered, NULL);
    todo_wine_int_equal(ERROR_SUCCESS, err);
    if (err == ERROR_SUCCESS)
        assert_int_equal(tu_wait_exit(a.process), 0);
    else
        assert_true(holder_running(&a));
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);

    /* Services are always restartable. */
    temp_file(file, L"onlyreg-svc.dat");
    tu_service_name(name, L"onlyreg");
    assert_true(tu_service_create(name, L"stop", file, NULL));
    assert_true(tu_service_start(name) != 0);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, RmShutdownOnlyRegistered, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_service_pid(name), 0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(name);
    DeleteFileW(file);
}

static void test_filters_mask_shutdown_and_restart(void **state)
{
    wchar_t file[MAX_PATH], exe[MAX_PATH];
    struct holder kept, closed;
    RM_UNIQUE_PROCESS id;
    DWORD h;
    (void)state;

    temp_file(file, L"filter.dat");
    kept = holder_start(L"gui", file);
    h = session_for(file);
    id = entry_of(h, kept.pid).Process;
    assert_int_equal(RmAddFilter(h, NULL, &id, NULL, RmNoShutdown), ERROR_SUCCESS);
    closed = holder_start(L"register-restart console", file);
    /* No restart for anything run from the fixture's exe (the process filter wins for kept). */
    tu_bin_path(exe, L"rmfixture.exe");
    assert_int_equal(RmAddFilter(h, exe, NULL, NULL, RmNoRestart), ERROR_SUCCESS);

    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_true(holder_running(&kept));
    assert_int_equal(entry_of(h, kept.pid).AppStatus, RmStatusRunning | RmStatusShutdownMasked);
    assert_int_equal(tu_wait_exit(closed.process), 0);
    ResetEvent(closed.ready);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(entry_of(h, closed.pid).AppStatus, RmStatusStopped | RmStatusRestartMasked);
    assert_int_equal(WaitForSingleObject(closed.ready, 0), WAIT_TIMEOUT);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&kept);
    holder_end(&closed);
    DeleteFileW(file);
}

static void test_reboot_reason_stops_nothing(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    HANDLE mine;
    DWORD h;
    (void)state;

    temp_file(file, L"self.dat");
    a = holder_start(L"gui", file);
    mine = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING, 0, NULL);
    assert_true(mine != INVALID_HANDLE_VALUE);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_FAIL_NOACTION_REBOOT);
    assert_true(holder_running(&a));
    CloseHandle(mine);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    DeleteFileW(file);
}

/* The flow of Microsoft's primary-installer sample, with our own program standing in for
 * calc.exe: its exe is registered, RmShutdown(0), RmRestart, and it comes back. */
static void test_registered_exe_is_closed_and_comes_back(void **state)
{
    wchar_t src[MAX_PATH], exe[MAX_PATH];
    LPCWSTR files[1];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    HANDLE p;
    DWORD h, pid, new_pid = 0, waited;
    (void)state;

    tu_bin_path(src, L"rmfixture.exe");
    tu_bin_path(exe, L"rmcalc.exe");
    assert_true(CopyFileW(src, exe, FALSE));
    p = tu_spawn_exe(exe, L"register-restart gui -");  /* a window app, registered as calc is */
    assert_non_null(p);
    pid = GetProcessId(p);
    files[0] = exe;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    /* It is listed once its window is up. */
    for (waited = 0; type_of(h, pid) != RmMainWindow && waited < TU_WAIT_MS; waited += 100)
        Sleep(100);
    assert_int_equal(type_of(h, pid), RmMainWindow);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(p), 0);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    for (waited = 0; !(new_pid = new_running_pid(h, pid)) && waited < TU_WAIT_MS; waited += 100)
        Sleep(100);
    assert_true(new_pid != 0 && new_pid != pid);
    assert_int_equal(entry_of(h, pid).AppStatus, RmStatusStopped | RmStatusRestarted);
    kill_pid(new_pid);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    CloseHandle(p);
    DeleteFileW(exe);
}

/* Forced, apps that agree still close themselves cleanly, and come back. */
static void test_forced_shutdown_still_asks_first(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder gui, con;
    DWORD h;
    (void)state;

    temp_file(file, L"forced-polite.dat");
    gui = holder_start(L"register-restart gui", file);
    con = holder_start(L"register-restart console", file);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(gui.process), 0);  /* WM_ENDSESSION, not TerminateProcess */
    assert_int_equal(tu_wait_exit(con.process), 0);  /* its Ctrl+C handler */
    assert_true(entry_of(h, gui.pid).bRestartable);
    assert_true(entry_of(h, con.pid).bRestartable);
    ResetEvent(gui.ready);
    ResetEvent(con.ready);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    assert_true(tu_wait_event(gui.ready, NULL));
    assert_true(tu_wait_event(con.ready, NULL));
    kill_users_of(file);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&gui);
    holder_end(&con);
    DeleteFileW(file);
}

/* A service masked by name stays up; without the mask, it is stopped and restarted. */
static void test_filter_masks_a_service(void **state)
{
    wchar_t file[MAX_PATH], name[64];
    DWORD h, pid;
    (void)state;

    temp_file(file, L"svc-mask.dat");
    tu_service_name(name, L"masked");
    assert_true(tu_service_create(name, L"stop", file, NULL));
    assert_true((pid = tu_service_start(name)) != 0);
    h = session_for(file);
    assert_int_equal(RmAddFilter(h, NULL, NULL, name, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_service_pid(name), pid);
    assert_int_equal(entry_of(h, pid).AppStatus, RmStatusRunning | RmStatusShutdownMasked);
    assert_int_equal(RmRemoveFilter(h, NULL, NULL, name), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, name, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_service_pid(name), 0);
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(entry_of(h, pid).AppStatus, RmStatusStopped | RmStatusRestartMasked);
    assert_int_equal(tu_service_pid(name), 0);  /* held back by the filter */
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(name);
    DeleteFileW(file);
}

/* ---- cancellation: from another thread, while RmShutdown runs ---- */

static DWORD cancel_session;
static DWORD cancel_result = 0xFFFFFFFF;

static DWORD WINAPI cancel_thread(void *unused)
{
    (void)unused;
    cancel_result = RmCancelCurrentTask(cancel_session);
    return 0;
}

/* At the first progress after 0, another thread cancels; we wait until it has. */
static void cancel_on_progress(UINT percent)
{
    HANDLE t;
    if (percent == 0 || cancel_result != 0xFFFFFFFF)
        return;
    t = CreateThread(NULL, 0, cancel_thread, NULL, 0, NULL);
    WaitForSingleObject(t, TU_WAIT_MS);
    CloseHandle(t);
}

static void test_cancel_from_another_thread(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a, b;
    DWORD h;
    (void)state;

    temp_file(file, L"cancel.dat");
    a = holder_start(L"gui", file);
    b = holder_start(L"gui", file);
    h = session_for(file);
    cancel_session = h;
    cancel_result = 0xFFFFFFFF;
    assert_int_equal(RmShutdown(h, 0, cancel_on_progress), ERROR_CANCELLED);
    assert_int_equal(cancel_result, ERROR_SUCCESS);
    assert_true(holder_running(&a));  /* cancelled while asking: nothing was closed */
    assert_true(holder_running(&b));
    /* A cancel does not outlive its call. */
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), 0);
    assert_int_equal(tu_wait_exit(b.process), 0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    holder_end(&b);
    DeleteFileW(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cooperative_gui_app_is_closed_and_restarted),
        cmocka_unit_test(test_unregistered_app_is_closed_not_restarted),
        cmocka_unit_test(test_refusing_gui_app_stops_everything_unless_forced),
        cmocka_unit_test(test_hung_gui_app_is_bounded),
        cmocka_unit_test(test_console_app_gets_ctrl_c_and_comes_back),
        cmocka_unit_test(test_console_app_without_a_console),
        cmocka_unit_test(test_console_app_ignoring_ctrl_c),
        cmocka_unit_test(test_console_app_of_another_process_group),
        cmocka_unit_test(test_services_dependents_first_and_restarted),
        cmocka_unit_test(test_service_ignoring_stop),
        cmocka_unit_test(test_only_registered),
        cmocka_unit_test(test_filters_mask_shutdown_and_restart),
        cmocka_unit_test(test_reboot_reason_stops_nothing),
        cmocka_unit_test(test_forced_shutdown_still_asks_first),
        cmocka_unit_test(test_filter_masks_a_service),
        cmocka_unit_test(test_registered_exe_is_closed_and_comes_back),
        cmocka_unit_test(test_cancel_from_another_thread),
    };
    return cmocka_run_group_tests(tests, tu_short_engine_bounds, tu_restore_engine_bounds);
}
