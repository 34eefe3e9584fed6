/*
 * test_RmRegisterResources.c - what a session keeps: full paths, processes and services,
 * every one of thousands, nothing of a batch that was refused, and exactly what several
 * threads and processes registered at once.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "store.h"

static DWORD start(WCHAR key[CCH_RM_SESSION_KEY + 1])
{
    DWORD h = 0;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    return h;
}

static void test_RmRegisterResources_bad_arguments_change_nothing(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], longname[300];
    LPCWSTR good[1] = {L"C:\\a.txt"}, with_null[2] = {L"C:\\b.txt", NULL};
    LPCWSTR empty[1] = {L""}, svc_long[1] = {longname};
    RM_UNIQUE_PROCESS p = {GetCurrentProcessId(), {0, 0}};
    struct tu_store regs;
    DWORD h = start(key);
    (void)state;

    wmemset(longname, L's', 257);
    longname[257] = 0;
    assert_int_equal(RmRegisterResources(h, 1, NULL, 0, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 1, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 0, NULL, 1, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 2, with_null, 1, &p, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 1, empty, 0, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 1, good, 0, NULL, 1, svc_long), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 1, good, 0, NULL, 1, with_null + 1), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h + 1000, 1, good, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmRegisterResources(0, 1, good, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
    /* an empty registration is fine */
    assert_int_equal(RmRegisterResources(h, 0, NULL, 0, NULL, 0, NULL), ERROR_SUCCESS);

    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_int_equal(regs.nfiles + regs.nprocesses + regs.nservices, 0);
    tu_store_free(&regs);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_RmRegisterResources_keeps_full_paths_processes_services(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], expected[MAX_PATH];
    LPCWSTR files[3] = {L"relative.txt", L"C:\\dir\\..\\abs.dll", L"C:\\dir\\abs.dll"};
    LPCWSTR services[2] = {L"Spooler", L"wuauserv"};
    RM_UNIQUE_PROCESS procs[2] = {{4242, {0x1111, 0x2222}}, {GetCurrentProcessId(), {3, 4}}};
    struct tu_store regs;
    DWORD h = start(key);
    (void)state;

    assert_int_equal(RmRegisterResources(h, 3, files, 2, procs, 2, services), ERROR_SUCCESS);
    /* the same again: repeated registrations are fine */
    assert_int_equal(RmRegisterResources(h, 1, files + 2, 0, NULL, 0, NULL), ERROR_SUCCESS);

    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_int_equal(regs.nfiles, 4);
    GetFullPathNameW(L"relative.txt", MAX_PATH, expected, NULL);
    assert_true(wcscmp(regs.files[0], expected) == 0);
    assert_true(wcscmp(regs.files[1], L"C:\\abs.dll") == 0);
    assert_true(wcscmp(regs.files[2], L"C:\\dir\\abs.dll") == 0);
    assert_true(wcscmp(regs.files[3], L"C:\\dir\\abs.dll") == 0);
    assert_int_equal(regs.nprocesses, 2);
    assert_int_equal(regs.processes[0].dwProcessId, 4242);
    assert_int_equal(regs.processes[0].ProcessStartTime.dwLowDateTime, 0x1111);
    assert_int_equal(regs.processes[0].ProcessStartTime.dwHighDateTime, 0x2222);
    assert_int_equal(regs.nservices, 2);
    assert_true(wcscmp(regs.services[1], L"wuauserv") == 0);
    tu_store_free(&regs);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

/* Inno Setup registers in batches of 1,000: every one must be kept, in order. */
static void test_RmRegisterResources_ten_thousand_files(void **state)
{
    enum { TOTAL = 10000, BATCH = 1000 };
    static WCHAR names[TOTAL][64];
    static LPCWSTR ptrs[TOTAL];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    struct tu_store regs;
    DWORD h = start(key);
    int i;
    (void)state;

    for (i = 0; i < TOTAL; i++) {
        _snwprintf(names[i], 64, L"C:\\Program Files\\App\\file%05d.dat", i);
        ptrs[i] = names[i];
    }
    for (i = 0; i < TOTAL; i += BATCH)
        assert_int_equal(RmRegisterResources(h, BATCH, ptrs + i, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_int_equal(regs.nfiles, TOTAL);
    for (i = 0; i < TOTAL; i++)
        assert_true(wcscmp(regs.files[i], names[i]) == 0);
    tu_store_free(&regs);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

struct writer { DWORD handle; int index; DWORD err; };

static DWORD WINAPI writer_thread(void *arg)
{
    struct writer *w = arg;
    WCHAR name[64];
    LPCWSTR one[1] = {name};
    int i;
    for (i = 0; i < 250 && !w->err; i++) {
        _snwprintf(name, 64, L"C:\\t%d\\f%d", w->index, i);
        w->err = RmRegisterResources(w->handle, 1, one, 0, NULL, 0, NULL);
    }
    return 0;
}

/* Threads on the primary handle, threads on a joined handle, and two other processes,
 * all registering at once: each name is kept exactly once. */
static void test_RmRegisterResources_concurrent_threads_and_processes(void **state)
{
    enum { THREADS = 8 };
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    struct writer w[THREADS];
    HANDLE t[THREADS], kids[2];
    struct tu_store regs;
    DWORD h = start(key), joined;
    static char seen[THREADS + 2][250];
    unsigned i;
    (void)state;

    assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
    kids[0] = tu_spawn_fixture(L"register-loop %ls 250 C:\\p0\\f", key);
    kids[1] = tu_spawn_fixture(L"register-loop %ls 250 C:\\p1\\f", key);
    for (i = 0; i < THREADS; i++) {
        w[i].handle = i % 2 ? joined : h;
        w[i].index = (int)i;
        w[i].err = 0;
        t[i] = CreateThread(NULL, 0, writer_thread, &w[i], 0, NULL);
    }
    assert_int_equal(WaitForMultipleObjects(THREADS, t, TRUE, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(tu_wait_exit(kids[0]), 0);
    assert_int_equal(tu_wait_exit(kids[1]), 0);
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(w[i].err, 0);
        CloseHandle(t[i]);
    }
    CloseHandle(kids[0]); CloseHandle(kids[1]);

    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_int_equal(regs.nfiles, (THREADS + 2) * 250);
    memset(seen, 0, sizeof(seen));
    for (i = 0; i < regs.nfiles; i++) {
        int a, b;
        if (swscanf(regs.files[i], L"C:\\t%d\\f%d", &a, &b) == 2) {
        } else if (swscanf(regs.files[i], L"C:\\p%d\\f-%d", &a, &b) == 2) {
            a += THREADS;
        } else {
            fail_msg("unexpected name %ls", regs.files[i]);
        }
        assert_true(a >= 0 && a < THREADS + 2 && b >= 0 && b < 250);
        assert_int_equal(seen[a][b], 0);
        seen[a][b] = 1;
    }
    tu_store_free(&regs);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

/* A secondary killed while it registers leaves a session that is whole and usable. */
static void test_RmRegisterResources_secondary_killed_midway(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR after[1] = {L"C:\\after.txt"};
    struct tu_store regs;
    HANDLE child;
    DWORD h = start(key), t0 = GetTickCount();
    unsigned i, seen;
    (void)state;

    /* Killed once it is well into its registrations, and surely not done with them. */
    child = tu_spawn_fixture(L"register-loop %ls 100000 C:\\k\\f", key);
    assert_non_null(child);
    do {
        assert_int_equal(tu_store_read(key, &regs), 0);
        seen = regs.nfiles;
        tu_store_free(&regs);
    } while (seen < 200 && WaitForSingleObject(child, 10) == WAIT_TIMEOUT &&
             GetTickCount() - t0 < TU_WAIT_MS);
    assert_true(seen >= 200);
    assert_int_equal(WaitForSingleObject(child, 0), WAIT_TIMEOUT);  /* still registering */
    TerminateProcess(child, 9);
    assert_int_equal(WaitForSingleObject(child, TU_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(child);
    assert_int_equal(RmRegisterResources(h, 1, after, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_false(regs.corrupt);
    print_message("the killed secondary had registered %u files\n", regs.nfiles - 1);
    assert_true(regs.nfiles - 1 >= seen && regs.nfiles - 1 < 100000);
    assert_true(wcscmp(regs.files[regs.nfiles - 1], L"C:\\after.txt") == 0);
    for (i = 0; i + 1 < regs.nfiles; i++) {
        WCHAR expect[64];
        _snwprintf(expect, 64, L"C:\\k\\f-%u", i);
        assert_true(wcscmp(regs.files[i], expect) == 0);
    }
    tu_store_free(&regs);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RmRegisterResources_bad_arguments_change_nothing),
        cmocka_unit_test(test_RmRegisterResources_keeps_full_paths_processes_services),
        cmocka_unit_test(test_RmRegisterResources_ten_thousand_files),
        cmocka_unit_test(test_RmRegisterResources_concurrent_threads_and_processes),
        cmocka_unit_test(test_RmRegisterResources_secondary_killed_midway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
