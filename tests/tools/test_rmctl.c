/*
 * test_rmctl.c - the rmctl command-line tool, run as a user runs it: help and usage
 * errors, `who` as a table and as JSON (files and services), `close` polite and forced
 * with its exit codes, and `restart` around a command.
 */
#include <stdio.h>
#include <string.h>

#include "holders.h"

static char out[32768];

static DWORD rmctl(const wchar_t *args)
{
    wchar_t exe[MAX_PATH];
    tu_bin_path(exe, L"rmctl.exe");
    return tu_run_capture(exe, args, out, sizeof(out));
}

static void test_help_and_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(rmctl(L"--help"), 0);
    assert_non_null(strstr(out, "usage: rmctl"));
    assert_int_equal(rmctl(L"close --help"), 0);
    assert_non_null(strstr(out, "usage: rmctl close"));
    assert_int_equal(rmctl(L""), 1);
    assert_int_equal(rmctl(L"frobnicate x"), 1);
    assert_non_null(strstr(out, "unknown command"));
    assert_int_equal(rmctl(L"who"), 1);
    assert_int_equal(rmctl(L"who --pid notanumber"), 1);
    assert_int_equal(rmctl(L"who --bogus x"), 1);
}

static void test_who_table_and_json(void **state)
{
    wchar_t file[MAX_PATH], args[MAX_PATH + 32], svc[64];
    char expect[128];
    struct holder h;
    DWORD svc_pid;
    (void)state;

    tu_temp_path(file, L"who.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"gui", file);

    swprintf(args, ARRAYSIZE(args), L"who \"%ls\"", file);
    assert_int_equal(rmctl(args), 0);
    assert_non_null(strstr(out, "PID"));
    snprintf(expect, sizeof(expect), "%lu", h.pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "window"));

    swprintf(args, ARRAYSIZE(args), L"who --json \"%ls\"", file);
    assert_int_equal(rmctl(args), 0);
    snprintf(expect, sizeof(expect), "\"pid\": %lu, ", h.pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "\"type\": \"window\""));
    assert_non_null(strstr(out, "\"restartable\": false"));
    assert_int_equal(out[0], '[');

    tu_service_name(svc, L"rmctl");
    assert_true(tu_service_create(svc, L"stop", NULL, NULL));
    assert_true((svc_pid = tu_service_start(svc)) != 0);
    swprintf(args, ARRAYSIZE(args), L"who --json --service %ls", svc);
    assert_int_equal(rmctl(args), 0);
    snprintf(expect, sizeof(expect), "\"pid\": %lu, ", svc_pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "\"type\": \"service\""));
    tu_service_remove(svc);

    holder_end(&h);
    DeleteFileW(file);
}

static void test_close_polite_then_forced(void **state)
{
    wchar_t file[MAX_PATH], args[MAX_PATH + 32];
    struct holder h;
    (void)state;

    tu_temp_path(file, L"close.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"gui-refuse", file);
    swprintf(args, ARRAYSIZE(args), L"close \"%ls\"", file);
    assert_int_equal(rmctl(args), 2);
    assert_non_null(strstr(out, "is used by"));
    assert_non_null(strstr(out, "could not be closed"));
    assert_true(holder_running(&h));
    swprintf(args, ARRAYSIZE(args), L"close --force \"%ls\"", file);
    assert_int_equal(rmctl(args), 0);
    assert_int_equal(tu_wait_exit(h.process), ERROR_FAIL_SHUTDOWN);
    holder_end(&h);
    DeleteFileW(file);
}

static void test_restart_around_a_command(void **state)
{
    wchar_t file[MAX_PATH], args[2 * MAX_PATH + 64], fixture[MAX_PATH];
    struct holder h;
    (void)state;

    tu_temp_path(file, L"restart.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"register-restart gui", file);  /* Windows restarts registered apps */
    ResetEvent(h.ready);
    /* The command run while the app is closed: our fixture's usage error (exit 160). */
    tu_bin_path(fixture, L"rmfixture.exe");
    swprintf(args, ARRAYSIZE(args), L"restart \"%ls\" -- \"%ls\" with-file", file, fixture);
    assert_int_equal(rmctl(args), 6);  /* the command failed: said so, apps restarted anyway */
    assert_non_null(strstr(out, "the command exited with 160"));
    assert_non_null(strstr(out, "restarted"));
    assert_int_equal(tu_wait_exit(h.process), 0);
    assert_true(tu_wait_event(h.ready, NULL));  /* back, as a new process */
    kill_users_of(file);
    holder_end(&h);
    DeleteFileW(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage_errors),
        cmocka_unit_test(test_who_table_and_json),
        cmocka_unit_test(test_close_polite_then_forced),
        cmocka_unit_test(test_restart_around_a_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
