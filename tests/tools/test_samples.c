/*
 * test_samples.c - our sample programs, run as a user would run them, against real
 * holder processes: who_holds, filter_and_progress, and the primary installer with its
 * secondary installer in another process (close and restart included).
 */
#include <stdio.h>
#include <string.h>

#include "holders.h"

static char out[16384];

static void sample(wchar_t exe[MAX_PATH], const wchar_t *name)
{
    tu_bin_path(exe, name);
}

static void test_who_holds(void **state)
{
    wchar_t file[MAX_PATH], exe[MAX_PATH], args[MAX_PATH + 8];
    char expect[64];
    struct holder h;
    (void)state;

    tu_temp_path(file, L"who.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"gui", file);
    sample(exe, L"who_holds.exe");
    swprintf(args, ARRAYSIZE(args), L"\"%ls\"", file);
    assert_int_equal(tu_run_capture(exe, args, out, sizeof(out)), 0);
    snprintf(expect, sizeof(expect), "(PID %lu)", h.pid);
    assert_non_null(strstr(out, expect));
    holder_end(&h);
    DeleteFileW(file);
}

static void test_filter_and_progress(void **state)
{
    wchar_t file[MAX_PATH], exe[MAX_PATH], args[MAX_PATH + 32];
    char expect[64];
    struct holder kept, closed;
    (void)state;

    tu_temp_path(file, L"filter.dat");
    assert_true(tu_create_file(file));
    kept = holder_start(L"gui", file);
    closed = holder_start(L"register-restart gui", file);  /* Windows restarts registered apps */
    sample(exe, L"filter_and_progress.exe");
    swprintf(args, ARRAYSIZE(args), L"\"%ls\" %lu", file, kept.pid);
    ResetEvent(closed.ready);
    assert_int_equal(tu_run_capture(exe, args, out, sizeof(out)), 0);
    snprintf(expect, sizeof(expect), "filter: no shutdown for process %lu", kept.pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "progress: 0%"));
    assert_non_null(strstr(out, "progress: 100%"));
    assert_non_null(strstr(out, "RmShutdown: 0"));
    assert_non_null(strstr(out, "RmRestart: 0"));
    assert_true(holder_running(&kept));
    assert_int_equal(tu_wait_exit(closed.process), 0);
    assert_true(tu_wait_event(closed.ready, NULL));  /* restarted */
    kill_users_of(file);
    holder_end(&kept);
    holder_end(&closed);
    DeleteFileW(file);
}

static void test_primary_and_secondary_installer(void **state)
{
    wchar_t a[MAX_PATH], b[MAX_PATH], exe[MAX_PATH], args[2 * MAX_PATH + 16];
    struct holder ha, hb;
    (void)state;

    tu_temp_path(a, L"primary.dat");
    tu_temp_path(b, L"secondary.dat");
    assert_true(tu_create_file(a));
    assert_true(tu_create_file(b));
    ha = holder_start(L"register-restart gui", a);
    hb = holder_start(L"register-restart gui", b);
    ResetEvent(ha.ready);
    ResetEvent(hb.ready);
    sample(exe, L"primary_installer.exe");
    swprintf(args, ARRAYSIZE(args), L"\"%ls\" -- \"%ls\"", a, b);
    assert_int_equal(tu_run_capture(exe, args, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "secondary: registered 1 file(s): 0"));
    assert_non_null(strstr(out, "2 application(s) use the files"));
    assert_non_null(strstr(out, "RmShutdown: 0"));
    assert_non_null(strstr(out, "RmRestart: 0"));
    assert_int_equal(tu_wait_exit(ha.process), 0);
    assert_int_equal(tu_wait_exit(hb.process), 0);
    assert_true(tu_wait_event(ha.ready, NULL));
    assert_true(tu_wait_event(hb.ready, NULL));
    kill_users_of(a);
    kill_users_of(b);
    holder_end(&ha);
    holder_end(&hb);
    DeleteFileW(a);
    DeleteFileW(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_holds),
        cmocka_unit_test(test_filter_and_progress),
        cmocka_unit_test(test_primary_and_secondary_installer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
