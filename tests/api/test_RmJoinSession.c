/*
 * test_RmJoinSession.c - joining by key, in this process and from others: bad keys, what a
 * joined handle may and may not do, and what becomes of it when the primary ends the
 * session or dies.
 */
#include <wchar.h>

#include "store.h"

static void test_RmJoinSession_bad_keys(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], bad[CCH_RM_SESSION_KEY + 1];
    DWORD h, joined = 0xdeadbeef;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(NULL, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmJoinSession(&joined, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmJoinSession(&joined, L""), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmJoinSession(&joined, L"0123"), ERROR_BAD_ARGUMENTS);
    wcscpy(bad, key); bad[31] = L'z';                       /* not hex */
    assert_int_equal(RmJoinSession(&joined, bad), ERROR_BAD_ARGUMENTS);
    wcscpy(bad, key); bad[31] = 0;                          /* too short */
    assert_int_equal(RmJoinSession(&joined, bad), ERROR_BAD_ARGUMENTS);
    {
        WCHAR longer[40];                                    /* too long */
        wcscpy(longer, key); wcscat(longer, L"0");
        assert_int_equal(RmJoinSession(&joined, longer), ERROR_BAD_ARGUMENTS);
    }
    wcscpy(bad, key); bad[0] = bad[0] == L'0' ? L'1' : L'0';  /* well formed, wrong */
    assert_int_equal(RmJoinSession(&joined, bad), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(joined, 0xdeadbeef);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_RmJoinSession_in_process_and_upper_case(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], upper[CCH_RM_SESSION_KEY + 1];
    DWORD h, j1, j2;
    int i;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j1, key), ERROR_SUCCESS);
    for (i = 0; i <= 32; i++)
        upper[i] = (WCHAR)towupper(key[i]);
    assert_int_equal(RmJoinSession(&j2, upper), ERROR_SUCCESS);
    assert_int_not_equal(j1, h);
    assert_int_not_equal(j1, j2);
    assert_int_equal(RmEndSession(j1), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(j1), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(j2), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_joined_handle_is_refused_primary_calls(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_UNIQUE_PROCESS p = {1, {0, 0}};
    BYTE buf[64];
    DWORD h, j, needed;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(j, 0, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmRestart(j, 0, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmCancelCurrentTask(j), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmAddFilter(j, NULL, &p, NULL, RmNoRestart), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmRemoveFilter(j, NULL, &p, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmGetFilterList(j, buf, sizeof(buf), &needed), ERROR_SESSION_CREDENTIAL_CONFLICT);
    /* the joined handle still registers */
    {
        LPCWSTR files[1] = {L"C:\\joined.txt"};
        assert_int_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    }
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_joined_handle_after_primary_ends(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1] = {L"C:\\late.txt"};
    DWORD h, j;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmShutdown(j, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmJoinSession(&h, key), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
}

/* A secondary in another process joins, registers, leaves; the primary sees its files. */
static void test_secondary_process_registers_into_our_session(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    struct tu_store regs;
    HANDLE child;
    DWORD h;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    child = tu_spawn_fixture(L"secondary %ls C:\\app\\one.dll \"C:\\app\\two words.exe\"", key);
    assert_non_null(child);
    assert_int_equal(tu_wait_exit(child), 0);
    CloseHandle(child);
    /* The child is gone; what it registered stays in the session. */
    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_int_equal(regs.nfiles, 2);
    assert_true(wcscmp(regs.files[0], L"C:\\app\\one.dll") == 0);
    assert_true(wcscmp(regs.files[1], L"C:\\app\\two words.exe") == 0);
    assert_false(regs.corrupt);
    tu_store_free(&regs);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

/* The primary is another process; it ends the session while we are joined. */
static void test_joined_from_other_process_primary_ends(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], keyfile[MAX_PATH], ready_name[64], end_name[64];
    HANDLE ready = tu_event(ready_name), end = tu_event(end_name), child;
    LPCWSTR files[1] = {L"C:\\x.dll"};
    DWORD j;
    (void)state;

    tu_temp_path(keyfile, L"key");
    child = tu_spawn_fixture(L"primary %ls %ls %ls", keyfile, ready_name, end_name);
    assert_true(tu_wait_event(ready, child));
    assert_true(tu_read_key(keyfile, key));
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    SetEvent(end);
    assert_int_equal(tu_wait_exit(child), 0);
    assert_int_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    CloseHandle(child); CloseHandle(ready); CloseHandle(end);
    DeleteFileW(keyfile);
}

/* The primary is another process and is killed while we are joined. */
static void test_joined_from_other_process_primary_killed(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], keyfile[MAX_PATH], ready_name[64], end_name[64];
    HANDLE ready = tu_event(ready_name), end = tu_event(end_name), child;
    LPCWSTR files[1] = {L"C:\\x.dll"};
    DWORD j, j2;
    (void)state;

    tu_temp_path(keyfile, L"key");
    child = tu_spawn_fixture(L"primary %ls %ls %ls", keyfile, ready_name, end_name);
    assert_true(tu_wait_event(ready, child));
    assert_true(tu_read_key(keyfile, key));
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    TerminateProcess(child, 9);
    assert_int_equal(WaitForSingleObject(child, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
    /* We still hold the store open, but a dead primary's session admits no one. */
    assert_int_equal(RmJoinSession(&j2, key), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    CloseHandle(child); CloseHandle(ready); CloseHandle(end);
    DeleteFileW(keyfile);
}

/* We are primary; a joined child waits, we end, then it tries to register. */
static void test_other_process_joined_sees_end(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], ready_name[64], go_name[64];
    HANDLE ready = tu_event(ready_name), go = tu_event(go_name), child;
    DWORD h;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    child = tu_spawn_fixture(L"join-wait %ls %ls %ls C:\\y.dll", key, ready_name, go_name);
    assert_true(tu_wait_event(ready, child));
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    SetEvent(go);
    assert_int_equal(tu_wait_exit(child), ERROR_INVALID_HANDLE);
    CloseHandle(child); CloseHandle(ready); CloseHandle(go);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RmJoinSession_bad_keys),
        cmocka_unit_test(test_RmJoinSession_in_process_and_upper_case),
        cmocka_unit_test(test_joined_handle_is_refused_primary_calls),
        cmocka_unit_test(test_joined_handle_after_primary_ends),
        cmocka_unit_test(test_secondary_process_registers_into_our_session),
        cmocka_unit_test(test_joined_from_other_process_primary_ends),
        cmocka_unit_test(test_joined_from_other_process_primary_killed),
        cmocka_unit_test(test_other_process_joined_sees_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
