/*
 * test_shutdown_protocol.c - the shutdown protocol with real fixture processes (issue 14):
 * a called-off shutdown is called off for every app that agreed (WM_ENDSESSION(FALSE)),
 * WM_CLOSE only to an app still running a moment after WM_ENDSESSION, a cancel seen at
 * once even during a hung window's WM_QUERYENDSESSION and not lost before the call owns
 * the session, calls on a handle whose RmShutdown runs bounded (and the callback free to
 * call in), exactly one Ctrl+C per console app and never one to the caller, a console
 * installer keeping its console and its Ctrl+C setting, and a slow service start that is
 * no restart failure.
 *
 * The apps log what they are told (RMFIXTURE_LOG, rmfixture.c) to <log>.<pid>.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "holders.h"

static wchar_t log_base[MAX_PATH];

/* Names the apps' logs, and deletes what an earlier run left under that name (Wine reuses
 * PIDs from run to run). */
static void use_log(const wchar_t *tag)
{
    wchar_t pattern[MAX_PATH + 4], dir[MAX_PATH], path[MAX_PATH * 2], *slash;
    WIN32_FIND_DATAW fd;
    HANDLE find;

    tu_temp_path(log_base, tag);
    SetEnvironmentVariableW(L"RMFIXTURE_LOG", log_base);
    wcscpy(dir, log_base);
    if ((slash = wcsrchr(dir, L'\\')))
        *slash = 0;
    _snwprintf(pattern, ARRAYSIZE(pattern), L"%ls.*", log_base);
    pattern[ARRAYSIZE(pattern) - 1] = 0;
    if ((find = FindFirstFileW(pattern, &fd)) == INVALID_HANDLE_VALUE)
        return;
    do {
        _snwprintf(path, ARRAYSIZE(path), L"%ls\\%ls", dir, fd.cFileName);
        path[ARRAYSIZE(path) - 1] = 0;
        DeleteFileW(path);
    } while (FindNextFileW(find, &fd));
    FindClose(find);
}

static void no_log(void)
{
    SetEnvironmentVariableW(L"RMFIXTURE_LOG", NULL);
    SetEnvironmentVariableW(L"RMFIXTURE_EXIT_DELAY", NULL);
}

static void log_path(wchar_t path[MAX_PATH + 16], DWORD pid)
{
    _snwprintf(path, MAX_PATH + 16, L"%ls.%lu", log_base, pid);
    path[MAX_PATH + 15] = 0;
}

/* What process pid logged so far (NUL-terminated, possibly empty). */
static void read_log(DWORD pid, char *buf, size_t cap)
{
    wchar_t path[MAX_PATH + 16];
    HANDLE f;
    DWORD n = 0;

    log_path(path, pid);
    buf[0] = 0;
    f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return;
    ReadFile(f, buf, (DWORD)cap - 1, &n, NULL);
    buf[n] = 0;
    CloseHandle(f);
}

/* Waits (bounded) until pid's log holds `what`; returns the log. */
/* Waits until the log holds the whole line `what` (its newline written too: a read can
 * land between the app's two writes). */
static const char *wait_log(DWORD pid, const char *what, char *buf, size_t cap)
{
    char line[128];
    DWORD waited;
    snprintf(line, sizeof(line), "%s\n", what);
    for (waited = 0; waited < 5000; waited += 50) {
        read_log(pid, buf, cap);
        if (strstr(buf, line))
            break;
        Sleep(50);
    }
    return buf;
}

static void delete_log(DWORD pid)
{
    wchar_t path[MAX_PATH + 16];
    log_path(path, pid);
    DeleteFileW(path);
}

static RM_UNIQUE_PROCESS id_of(const struct holder *h)
{
    RM_UNIQUE_PROCESS id;
    FILETIME x, y, z;
    id.dwProcessId = h->pid;
    assert_true(GetProcessTimes(h->process, &id.ProcessStartTime, &x, &y, &z));
    return id;
}

/* A session with two processes registered, in this order. */
static DWORD session_of(const struct holder *a, const struct holder *b)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_UNIQUE_PROCESS ids[2];
    DWORD h;
    ids[0] = id_of(a);
    ids[1] = id_of(b);
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 2, ids, 0, NULL), ERROR_SUCCESS);
    return h;
}

/* A session with one file registered. */
static DWORD session_for(const wchar_t *file)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    return tu_session_for(file, key);
}

static void temp_file(wchar_t path[MAX_PATH], const wchar_t *tag)
{
    tu_temp_path(path, tag);
    assert_true(tu_create_file(path));
}

static void set_hung_app_timeout(const wchar_t *ms)
{
    assert_int_equal(RegSetKeyValueW(HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"HungAppTimeout",
                                     REG_SZ, ms, (DWORD)((wcslen(ms) + 1) * sizeof(wchar_t))),
                     ERROR_SUCCESS);
}

/* ---- a called-off shutdown is called off for everyone (spec §11.2) ---- */

static void test_refusal_calls_off_the_apps_that_agreed(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder good, bad;
    char log[512];
    DWORD h;
    (void)state;

    set_hung_app_timeout(L"5000");  /* a loaded machine must not make the agreeing app "hung" */
    temp_file(file, L"calloff.dat");
    use_log(L"calloff.log");
    good = holder_start(L"gui", file);
    bad = holder_start(L"gui-refuse", file);
    h = session_of(&good, &bad);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_FAIL_SHUTDOWN);
    /* It agreed, so it hears that the session goes on, and keeps running. */
    wait_log(good.pid, "endsession 0", log, sizeof(log));
    assert_string_equal(log, "query\nendsession 0\n");
    read_log(bad.pid, log, sizeof(log));
    assert_string_equal(log, "query\n");
    Sleep(300);
    assert_true(holder_running(&good));
    assert_true(holder_running(&bad));
    set_hung_app_timeout(L"1000");
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&good);
    holder_end(&bad);
    delete_log(good.pid);
    delete_log(bad.pid);
    no_log();
    DeleteFileW(file);
}

/* ---- a cancel during a hung window's WM_QUERYENDSESSION ---- */

static DWORD cancel_session, cancel_delay_ms, cancelled_at;

static DWORD WINAPI cancel_later(void *unused)
{
    (void)unused;
    Sleep(cancel_delay_ms);
    cancelled_at = GetTickCount();
    return RmCancelCurrentTask(cancel_session);
}

static void test_cancel_is_seen_during_a_hung_query(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder good, hung;
    char log[512];
    HANDLE t;
    DWORD h, returned, code;
    (void)state;

    set_hung_app_timeout(L"10000");  /* the cancel must not wait for it */
    temp_file(file, L"cancel-hung.dat");
    use_log(L"cancel-hung.log");
    good = holder_start(L"gui", file);
    hung = holder_start(L"gui-hang", file);
    h = session_of(&good, &hung);
    cancel_session = h;
    cancel_delay_ms = 1000;  /* the good app has answered; the hung one holds the query */
    t = CreateThread(NULL, 0, cancel_later, NULL, 0, NULL);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_CANCELLED);
    returned = GetTickCount();
    assert_int_equal(WaitForSingleObject(t, TU_WAIT_MS), WAIT_OBJECT_0);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    assert_int_equal(code, ERROR_SUCCESS);
    print_message("cancel seen after %lu ms (HungAppTimeout 10000 ms)\n", returned - cancelled_at);
    assert_true(returned - cancelled_at < 1000);  /* docs/bounds.md: 50 ms, with room for load */
    wait_log(good.pid, "endsession 0", log, sizeof(log));
    assert_string_equal(log, "query\nendsession 0\n");
    assert_true(holder_running(&good));
    set_hung_app_timeout(L"1000");
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&good);
    holder_end(&hung);
    delete_log(good.pid);
    delete_log(hung.pid);
    no_log();
    DeleteFileW(file);
}

/* ---- WM_CLOSE only to an app still running after WM_ENDSESSION (spec §10.2) ---- */

/* A windowed app that exits exit_delay after WM_ENDSESSION(TRUE): what it was told. */
static void closed_after_endsession(const wchar_t *exit_delay, const char *expected)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    char log[512];
    DWORD h;

    temp_file(file, L"endsession.dat");
    use_log(L"endsession.log");
    SetEnvironmentVariableW(L"RMFIXTURE_EXIT_DELAY", exit_delay);
    a = holder_start(L"gui", file);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), 0);
    read_log(a.pid, log, sizeof(log));
    assert_string_equal(log, expected);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    delete_log(a.pid);
    no_log();
    DeleteFileW(file);
}

/* Saving takes 400 ms, within the moment (HungAppTimeout, 1 s here): no WM_CLOSE. */
static void test_app_saving_after_endsession_gets_no_wm_close(void **state)
{
    (void)state;
    closed_after_endsession(L"400", "query\nendsession 1\n");
}

static void test_app_still_running_after_endsession_gets_wm_close(void **state)
{
    (void)state;
    closed_after_endsession(L"60000", "query\nendsession 1\nclose\n");
}

/* ---- calls while RmShutdown runs on the same handle ---- */

static HANDLE inside, release;
static DWORD busy_session;
static DWORD in_callback_list = 0xFFFFFFFF, in_callback_ms;

/* At 0, from inside the running call: RmGetList cannot wait for its own call. */
static void busy_progress(UINT percent)
{
    UINT need, n = 0;
    DWORD reasons, t0;
    if (percent != 0)
        return;
    t0 = GetTickCount();
    in_callback_list = RmGetList(busy_session, &need, &n, NULL, &reasons);
    in_callback_ms = GetTickCount() - t0;
    SetEvent(inside);
    WaitForSingleObject(release, TU_WAIT_MS);
}

static DWORD WINAPI busy_shutdown(void *unused)
{
    (void)unused;
    return RmShutdown(busy_session, 0, busy_progress);
}

static DWORD WINAPI busy_list(void *unused)
{
    UINT need, n = 0;
    DWORD reasons;
    (void)unused;
    return RmGetList(busy_session, &need, &n, NULL, &reasons);
}

static void test_calls_during_a_running_shutdown_are_bounded(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1] = { L"C:\\busy\\file.txt" };
    UINT need, n = 0;
    HANDLE a, b;
    DWORD code, t0, reasons;
    (void)state;

    inside = CreateEventW(NULL, TRUE, FALSE, NULL);
    release = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_int_equal(RmStartSession(&busy_session, 0, key), ERROR_SUCCESS);
    a = CreateThread(NULL, 0, busy_shutdown, NULL, 0, NULL);
    assert_int_equal(WaitForSingleObject(inside, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(in_callback_list, ERROR_SEM_TIMEOUT);
    assert_true(in_callback_ms < 1000);

    /* Registering does not wait for the running call. */
    t0 = GetTickCount();
    assert_int_equal(RmRegisterResources(busy_session, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_true(GetTickCount() - t0 < 1000);
    /* RmGetList waits for it, at most RM_LOCK_TIMEOUT_MS (10 s). */
    t0 = GetTickCount();
    assert_int_equal(RmGetList(busy_session, &need, &n, NULL, &reasons), ERROR_SEM_TIMEOUT);
    code = GetTickCount() - t0;
    print_message("RmGetList gave up after %lu ms\n", code);
    assert_true(code >= 9500 && code < 15000);
    /* ... and gets its list once the running call ends within that bound. */
    b = CreateThread(NULL, 0, busy_list, NULL, 0, NULL);
    Sleep(300);
    SetEvent(release);
    assert_int_equal(WaitForSingleObject(a, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(b, TU_WAIT_MS), WAIT_OBJECT_0);
    GetExitCodeThread(a, &code);
    assert_int_equal(code, ERROR_SUCCESS);
    GetExitCodeThread(b, &code);
    assert_int_equal(code, ERROR_SUCCESS);
    assert_int_equal(RmEndSession(busy_session), ERROR_SUCCESS);
    CloseHandle(a); CloseHandle(b); CloseHandle(inside); CloseHandle(release);
}

/* A cancel made while a call waits for the session is that call's, not lost. */
static void cancel_in_callback(UINT percent)
{
    if (percent != 0)
        return;
    SetEvent(inside);
    WaitForSingleObject(release, TU_WAIT_MS);
}

static DWORD WINAPI blocked_shutdown(void *unused)
{
    (void)unused;
    return RmShutdown(busy_session, 0, cancel_in_callback);
}

static void test_cancel_before_the_call_owns_the_session_is_kept(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    UINT need, n = 0;
    HANDLE a, b;
    DWORD code, reasons;
    (void)state;

    inside = CreateEventW(NULL, TRUE, FALSE, NULL);
    release = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_int_equal(RmStartSession(&busy_session, 0, key), ERROR_SUCCESS);
    a = CreateThread(NULL, 0, blocked_shutdown, NULL, 0, NULL);
    assert_int_equal(WaitForSingleObject(inside, TU_WAIT_MS), WAIT_OBJECT_0);
    b = CreateThread(NULL, 0, busy_list, NULL, 0, NULL);  /* waits for the session */
    Sleep(300);
    assert_int_equal(RmCancelCurrentTask(busy_session), ERROR_SUCCESS);
    /* The waiting RmGetList ends at once, cancelled, while RmShutdown still runs. */
    assert_int_equal(WaitForSingleObject(b, 1000), WAIT_OBJECT_0);
    GetExitCodeThread(b, &code);
    assert_int_equal(code, ERROR_CANCELLED);
    SetEvent(release);
    assert_int_equal(WaitForSingleObject(a, TU_WAIT_MS), WAIT_OBJECT_0);
    GetExitCodeThread(a, &code);
    assert_int_equal(code, ERROR_CANCELLED);
    /* Nothing is left over for the next call. */
    assert_int_equal(RmGetList(busy_session, &need, &n, NULL, &reasons), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(busy_session), ERROR_SUCCESS);
    CloseHandle(a); CloseHandle(b); CloseHandle(inside); CloseHandle(release);
}

/* ---- console apps ---- */

static void test_console_app_gets_exactly_one_ctrl_c(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a;
    char log[512];
    DWORD h;
    (void)state;

    temp_file(file, L"one-ctrl-c.dat");
    use_log(L"one-ctrl-c.log");
    a = holder_start(L"console", file);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_wait_exit(a.process), 0);  /* it lingers a second after the first */
    read_log(a.pid, log, sizeof(log));
    assert_string_equal(log, "ctrl-c\n");
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    holder_end(&a);
    delete_log(a.pid);
    no_log();
    DeleteFileW(file);
}

/* Runs "rmfixture installer FILE HOW LOG" on a console of its own; returns what it wrote. */
static void run_installer(const wchar_t *file, const wchar_t *how, char *out, size_t cap)
{
    wchar_t result[MAX_PATH];
    HANDLE p, f;
    DWORD n = 0, code;

    tu_temp_path(result, L"installer.txt");
    DeleteFileW(result);
    p = tu_spawn_fixture_console(L"installer \"%ls\" %ls \"%ls\"", file, how, result);
    assert_non_null(p);
    code = tu_wait_exit(p);
    CloseHandle(p);
    out[0] = 0;
    f = CreateFileW(result, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f != INVALID_HANDLE_VALUE) {
        ReadFile(f, out, (DWORD)cap - 1, &n, NULL);
        out[n] = 0;
        CloseHandle(f);
        DeleteFileW(result);
    }
    print_message("installer %ls: exit %lu, \"%s\"\n", how, code, out);
    assert_int_equal(code, 0);  /* it did not end itself */
}

/* Alone on its console (double-clicked, or CREATE_NEW_CONSOLE), stopping an app on another
 * console: it comes back to its own console, its Ctrl+C setting as it was. */
static void test_console_installer_keeps_its_console_and_setting(void **state)
{
    wchar_t file[MAX_PATH];
    struct holder a, b;
    char out[256], log[256];
    (void)state;

    temp_file(file, L"installer-own.dat");
    use_log(L"installer-own.log");
    a = holder_start(L"console", file);
    run_installer(file, L"ignore", out, sizeof(out));
    assert_string_equal(out, "shutdown=0 console=same ignore=kept\n");
    assert_int_equal(tu_wait_exit(a.process), 0);
    read_log(a.pid, log, sizeof(log));
    assert_string_equal(log, "ctrl-c\n");

    b = holder_start(L"console", file);
    run_installer(file, L"default", out, sizeof(out));
    assert_string_equal(out, "shutdown=0 console=same ignore=-\n");
    assert_int_equal(tu_wait_exit(b.process), 0);
    holder_end(&a);
    holder_end(&b);
    delete_log(a.pid);
    delete_log(b.pid);
    no_log();
    DeleteFileW(file);
}

/* The app shares the installer's console (the installer started it): the app gets its
 * Ctrl+C, the installer, which gets one too, does not end. */
static void test_console_installer_sharing_the_apps_console_survives(void **state)
{
    wchar_t file[MAX_PATH];
    char out[256];
    (void)state;

    temp_file(file, L"installer-shared.dat");
    run_installer(file, L"shared-default", out, sizeof(out));
    assert_string_equal(out, "shutdown=0 console=same ignore=-\n");
    run_installer(file, L"shared-ignore", out, sizeof(out));
    assert_string_equal(out, "shutdown=0 console=same ignore=kept\n");
    kill_users_of(file);
    DeleteFileW(file);
}

/* ---- a service's start is bounded by the start bound, not the kill bound ---- */

static void test_slow_starting_service_is_restarted(void **state)
{
    wchar_t file[MAX_PATH], name[64];
    DWORD h, t0;
    (void)state;

    temp_file(file, L"svc-slow.dat");
    tu_service_name(name, L"slow");
    assert_true(tu_service_create(name, L"slowstart", file, NULL));
    assert_true(tu_service_start(name) != 0);
    h = session_for(file);
    assert_int_equal(RmShutdown(h, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_service_pid(name), 0);
    t0 = GetTickCount();
    /* 4 s to start, more than the 3 s the tests give WaitToKillServiceTimeout. */
    assert_int_equal(RmRestart(h, 0, NULL), ERROR_SUCCESS);
    print_message("slow service started in %lu ms\n", GetTickCount() - t0);
    assert_true(tu_service_pid(name) != 0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(name);
    DeleteFileW(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusal_calls_off_the_apps_that_agreed),
        cmocka_unit_test(test_cancel_is_seen_during_a_hung_query),
        cmocka_unit_test(test_app_saving_after_endsession_gets_no_wm_close),
        cmocka_unit_test(test_app_still_running_after_endsession_gets_wm_close),
        cmocka_unit_test(test_calls_during_a_running_shutdown_are_bounded),
        cmocka_unit_test(test_cancel_before_the_call_owns_the_session_is_kept),
        cmocka_unit_test(test_console_app_gets_exactly_one_ctrl_c),
        cmocka_unit_test(test_console_installer_keeps_its_console_and_setting),
        cmocka_unit_test(test_console_installer_sharing_the_apps_console_survives),
        cmocka_unit_test(test_slow_starting_service_is_restarted),
    };
    return cmocka_run_group_tests(tests, tu_short_engine_bounds, tu_restore_engine_bounds);
}
