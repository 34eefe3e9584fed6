/*
 * test_RmGetList_services.c - services in RmGetList: registered by short name (running
 * ones only, any case), a service that holds a registered file listed as that service,
 * the services that depend on an affected one (transitively, read from DependOnService),
 * and a service that cannot be stopped reported as critical. Real services in the test
 * prefix, each a rmfixture.exe process started by the SCM.
 */
#include <string.h>
#include <wchar.h>

#include "holders.h"

static const RM_PROCESS_INFO *find_service(const RM_PROCESS_INFO *apps, UINT n, const wchar_t *name)
{
    UINT i;
    for (i = 0; i < n; i++)
        if (!_wcsicmp(apps[i].strServiceShortName, name))
            return &apps[i];
    return NULL;
}

static void assert_service_entry(const RM_PROCESS_INFO *e, const wchar_t *name, DWORD pid)
{
    wchar_t display[128];
    tu_service_display(name, display);
    assert_non_null(e);
    assert_int_equal(e->Process.dwProcessId, pid);
    assert_true(e->Process.ProcessStartTime.dwLowDateTime || e->Process.ProcessStartTime.dwHighDateTime);
    assert_int_equal(e->ApplicationType, RmService);
    assert_int_equal(e->AppStatus, RmStatusRunning);
    assert_true(e->bRestartable);
    assert_int_equal(wcscmp(e->strServiceShortName, name), 0);
    assert_int_equal(wcscmp(e->strAppName, display), 0);
}

static void test_registered_service_by_name(void **state)
{
    wchar_t running[64], stopped[64], upper[64];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR names[3];
    RM_PROCESS_INFO *apps;
    DWORD h, pid, reasons = 99;
    UINT n;
    (void)state;

    tu_service_name(running, L"run");
    tu_service_name(stopped, L"off");
    assert_true(tu_service_create(running, L"stop", NULL, NULL));
    assert_true(tu_service_create(stopped, L"stop", NULL, NULL));
    pid = tu_service_start(running);
    assert_true(pid != 0);

    /* Registered in another case, with a stopped one and one that does not exist. */
    wcscpy(upper, running);
    _wcsupr(upper);
    names[0] = upper;
    names[1] = stopped;
    names[2] = L"rmtest_no_such_service";
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 0, NULL, 3, names), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 1);
    assert_int_equal(reasons, RmRebootReasonNone);
    assert_service_entry(&apps[0], running, pid);
    free(apps);

    /* Once it stops, nothing is affected. */
    tu_service_remove(running);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 0);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(stopped);
}

static void test_service_holding_a_file_is_listed_as_the_service(void **state)
{
    wchar_t name[64], file[MAX_PATH];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1];
    RM_PROCESS_INFO *apps;
    DWORD h, pid, reasons;
    UINT n;
    (void)state;

    tu_temp_path(file, L"svc-held.dat");
    assert_true(tu_create_file(file));
    tu_service_name(name, L"holder");
    assert_true(tu_service_create(name, L"stop", file, NULL));
    pid = tu_service_start(name);
    assert_true(pid != 0);

    files[0] = file;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 1);  /* once, as the service, not also as a process */
    assert_service_entry(&apps[0], name, pid);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(name);
    DeleteFileW(file);
}

static void test_dependents_are_listed_transitively(void **state)
{
    wchar_t base[64], mid[64], top[64], other[64], deps[80], file[MAX_PATH];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1];
    RM_PROCESS_INFO *apps;
    DWORD h, reasons, pid_base, pid_mid, pid_top;
    UINT n;
    (void)state;

    tu_temp_path(file, L"svc-dep.dat");
    assert_true(tu_create_file(file));
    tu_service_name(base, L"base");
    tu_service_name(mid, L"mid");
    tu_service_name(top, L"top");
    tu_service_name(other, L"other");
    /* mid depends on base, top on mid; other on nothing. */
    assert_true(tu_service_create(base, L"stop", file, NULL));
    memset(deps, 0, sizeof(deps));
    wcscpy(deps, base);
    assert_true(tu_service_create(mid, L"stop", NULL, deps));
    memset(deps, 0, sizeof(deps));
    wcscpy(deps, mid);
    assert_true(tu_service_create(top, L"stop", NULL, deps));
    assert_true(tu_service_create(other, L"stop", NULL, NULL));
    assert_true((pid_base = tu_service_start(base)) != 0);
    assert_true((pid_mid = tu_service_start(mid)) != 0);
    assert_true((pid_top = tu_service_start(top)) != 0);
    assert_true(tu_service_start(other) != 0);

    /* Through the file the base service holds. */
    files[0] = file;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 3);
    assert_service_entry(find_service(apps, n, base), base, pid_base);
    assert_service_entry(find_service(apps, n, mid), mid, pid_mid);
    assert_service_entry(find_service(apps, n, top), top, pid_top);
    assert_null(find_service(apps, n, other));
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);

    /* Registering the middle one by name brings its dependent, not what it depends on. */
    files[0] = mid;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 0, NULL, 1, files), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 2);
    assert_non_null(find_service(apps, n, mid));
    assert_non_null(find_service(apps, n, top));
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);

    tu_service_remove(top);
    tu_service_remove(mid);
    tu_service_remove(base);
    tu_service_remove(other);
    DeleteFileW(file);
}

static void test_service_that_cannot_stop_is_critical(void **state)
{
    wchar_t name[64];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR names[1];
    RM_PROCESS_INFO *apps;
    DWORD h, pid, reasons;
    UINT n;
    (void)state;

    tu_service_name(name, L"nostop");
    assert_true(tu_service_create(name, L"nostop", NULL, NULL));
    assert_true((pid = tu_service_start(name)) != 0);
    names[0] = name;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 0, NULL, 1, names), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 1);
    assert_int_equal(apps[0].Process.dwProcessId, pid);
    assert_int_equal(apps[0].ApplicationType, RmCritical);
    assert_false(apps[0].bRestartable);
    assert_int_equal(wcscmp(apps[0].strServiceShortName, name), 0);
    assert_int_equal(reasons, RmRebootReasonCriticalService);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registered_service_by_name),
        cmocka_unit_test(test_service_holding_a_file_is_listed_as_the_service),
        cmocka_unit_test(test_dependents_are_listed_transitively),
        cmocka_unit_test(test_service_that_cannot_stop_is_critical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
