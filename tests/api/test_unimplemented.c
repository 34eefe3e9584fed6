/*
 * test_unimplemented.c - the exports whose part of the DLL has not landed yet: they check
 * their arguments, handle and caller like the rest, and then say ERROR_CALL_NOT_IMPLEMENTED,
 * never a fake success. Each case moves to its own test file when its issue lands.
 */
#include "testutil.h"

DWORD WINAPI RmReserveHeap(DWORD);  /* exported, undocumented, not in the SDK header */

/* Every bad argument gives ERROR_BAD_ARGUMENTS whatever the handle: the arguments are
 * checked before the handle and the caller's role (api.c). */
static void bad_arguments_on(DWORD h)
{
    RM_UNIQUE_PROCESS p = {1, {0, 0}};
    UINT needed, n = 1;
    DWORD reasons, cb;
    BYTE buf[8];

    print_message("handle %lu\n", h);
    assert_int_equal(RmGetList(h, NULL, &n, NULL, &reasons), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetList(h, &needed, NULL, NULL, &reasons), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetList(h, &needed, &n, NULL, &reasons), ERROR_BAD_ARGUMENTS);
    n = 0;
    assert_int_equal(RmGetList(h, &needed, &n, NULL, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmShutdown(h, 0x2, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRestart(h, 1, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(h, L"C:\\a.exe", &p, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(h, L"C:\\a.exe", NULL, NULL, RmInvalidFilterAction), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(h, L"C:\\a.exe", NULL, NULL, (RM_FILTER_ACTION)3), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(h, NULL, NULL, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(h, L"C:\\a.exe", NULL, L"svc"), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetFilterList(h, buf, sizeof(buf), NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetFilterList(h, NULL, 8, &cb), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(h, 1, NULL, 0, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
}

static void test_argument_checks_come_first(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h, joined, ended;
    (void)state;

    assert_int_equal(RmStartSession(&ended, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(ended), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
    bad_arguments_on(h);        /* the primary */
    bad_arguments_on(joined);   /* a joined handle, refused the primary's calls otherwise */
    bad_arguments_on(ended);    /* a handle that was ended */
    bad_arguments_on(777777);   /* one never issued */
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_unknown_handles(void **state)
{
    RM_UNIQUE_PROCESS p = {1, {0, 0}};
    UINT needed, n = 0;
    DWORD reasons, cb;
    (void)state;

    assert_int_equal(RmGetList(777777, &needed, &n, NULL, &reasons), ERROR_INVALID_HANDLE);
    assert_int_equal(RmShutdown(777777, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmRestart(777777, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmCancelCurrentTask(777777), ERROR_INVALID_HANDLE);
    assert_int_equal(RmAddFilter(777777, NULL, &p, NULL, RmNoShutdown), ERROR_INVALID_HANDLE);
    assert_int_equal(RmRemoveFilter(777777, NULL, &p, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmGetFilterList(777777, NULL, 0, &cb), ERROR_INVALID_HANDLE);
}

static void test_not_implemented_yet_never_fake_success(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmReserveHeap(0), ERROR_CALL_NOT_IMPLEMENTED);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_argument_checks_come_first),
        cmocka_unit_test(test_unknown_handles),
        cmocka_unit_test(test_not_implemented_yet_never_fake_success),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
