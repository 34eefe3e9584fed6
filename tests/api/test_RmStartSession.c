/*
 * test_RmStartSession.c - starting and ending sessions: arguments, handles, keys, the
 * limit of 64 per user, and reclaiming the sessions of a process that died. The security
 * of the objects behind a session: test_security.
 */
#include <wchar.h>

#include "store.h"

static void test_RmStartSession_bad_arguments(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h = 0xdeadbeef;
    unsigned before = tu_live_sessions();
    (void)state;

    assert_int_equal(RmStartSession(NULL, 0, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmStartSession(&h, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmStartSession(&h, 1, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmStartSession(&h, 0x80000000, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(h, 0xdeadbeef);  /* untouched on failure */
    assert_int_equal(tu_live_sessions(), before);
}

static void test_RmStartSession_handle_and_key(void **state)
{
    WCHAR key1[CCH_RM_SESSION_KEY + 1], key2[CCH_RM_SESSION_KEY + 1];
    DWORD h1 = 0, h2 = 0;
    int i;
    (void)state;

    wmemset(key1, L'x', 33);
    assert_int_equal(RmStartSession(&h1, 0, key1), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&h2, 0, key2), ERROR_SUCCESS);
    print_message("handles %lu %lu, key %ls\n", h1, h2, key1);
    assert_int_not_equal(h1, 0);
    assert_int_not_equal(h1, 0xFFFFFFFF);
    assert_int_not_equal(h1, h2);
    assert_int_equal(key1[32], 0);
    for (i = 0; i < 32; i++)
        assert_true(iswxdigit(key1[i]) && !iswupper(key1[i]));
    assert_int_not_equal(wcscmp(key1, key2), 0);
    assert_int_equal(RmEndSession(h1), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h2), ERROR_SUCCESS);
}

static void test_RmEndSession_twice_and_unknown(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(0), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(0xFFFFFFFF), ERROR_INVALID_HANDLE);
    /* an ended session's key joins nothing */
    assert_int_equal(RmJoinSession(&h, key), ERROR_SESSION_CREDENTIAL_CONFLICT);
}

static void test_RmStartSession_handles_not_reused_while_open(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h[10], again;
    int i, j;
    (void)state;

    for (i = 0; i < 10; i++)
        assert_int_equal(RmStartSession(&h[i], 0, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h[4]), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&again, 0, key), ERROR_SUCCESS);
    for (i = 0; i < 10; i++)
        if (i != 4)
            assert_int_not_equal(again, h[i]);
    for (i = 0; i < 10; i++)
        for (j = i + 1; j < 10; j++)
            assert_int_not_equal(h[i], h[j]);
    for (i = 0; i < 10; i++)
        if (i != 4)
            assert_int_equal(RmEndSession(h[i]), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(again), ERROR_SUCCESS);
}

static void test_RmStartSession_limit_is_64(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h[64], extra;
    unsigned before = tu_live_sessions(), i, n = 64 - before;
    (void)state;

    for (i = 0; i < n; i++)
        assert_int_equal(RmStartSession(&h[i], 0, key), ERROR_SUCCESS);
    assert_int_equal(tu_live_sessions(), 64);
    assert_int_equal(RmStartSession(&extra, 0, key), ERROR_MAX_SESSIONS_REACHED);
    /* joining does not start a session, so it is not refused */
    assert_int_equal(RmJoinSession(&extra, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(extra), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h[0]), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&h[0], 0, key), ERROR_SUCCESS);
    for (i = 0; i < n; i++)
        assert_int_equal(RmEndSession(h[i]), ERROR_SUCCESS);
    assert_int_equal(tu_live_sessions(), before);
}

static void test_RmStartSession_reclaims_sessions_of_a_dead_process(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], ready_name[64];
    HANDLE ready = tu_event(ready_name), child;
    DWORD h[64], extra;
    unsigned before = tu_live_sessions(), i;
    (void)state;

    /* A child takes every slot that is left, then dies without ending any. */
    child = tu_spawn_fixture(L"sessions %u %ls", 64 - before, ready_name);
    assert_non_null(child);
    assert_true(tu_wait_event(ready, child));
    assert_int_equal(RmStartSession(&extra, 0, key), ERROR_MAX_SESSIONS_REACHED);
    TerminateProcess(child, 9);
    assert_int_equal(WaitForSingleObject(child, TU_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(child);
    CloseHandle(ready);

    assert_int_equal(tu_live_sessions(), before);
    for (i = 0; i < 64 - before; i++)
        assert_int_equal(RmStartSession(&h[i], 0, key), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&extra, 0, key), ERROR_MAX_SESSIONS_REACHED);
    for (i = 0; i < 64 - before; i++)
        assert_int_equal(RmEndSession(h[i]), ERROR_SUCCESS);
}

struct churn { DWORD handles[50]; DWORD err; };

static DWORD WINAPI churn_thread(void *arg)
{
    struct churn *c = arg;
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    int i;
    for (i = 0; i < 50 && !c->err; i++) {
        DWORD h;
        if ((c->err = RmStartSession(&h, 0, key)))
            break;
        c->handles[i] = h;
        c->err = RmEndSession(h);
    }
    return 0;
}

static void test_RmStartSession_from_many_threads(void **state)
{
    struct churn c[6] = {{{0}, 0}};
    HANDLE t[6];
    unsigned before = tu_live_sessions();
    int i;
    (void)state;

    for (i = 0; i < 6; i++)
        t[i] = CreateThread(NULL, 0, churn_thread, &c[i], 0, NULL);
    assert_int_equal(WaitForMultipleObjects(6, t, TRUE, TU_WAIT_MS), WAIT_OBJECT_0);
    for (i = 0; i < 6; i++) {
        assert_int_equal(c[i].err, 0);
        CloseHandle(t[i]);
    }
    assert_int_equal(tu_live_sessions(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RmStartSession_bad_arguments),
        cmocka_unit_test(test_RmStartSession_handle_and_key),
        cmocka_unit_test(test_RmEndSession_twice_and_unknown),
        cmocka_unit_test(test_RmStartSession_handles_not_reused_while_open),
        cmocka_unit_test(test_RmStartSession_limit_is_64),
        cmocka_unit_test(test_RmStartSession_reclaims_sessions_of_a_dead_process),
        cmocka_unit_test(test_RmStartSession_from_many_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
