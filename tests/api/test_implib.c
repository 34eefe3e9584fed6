/*
 * test_implib.c - built twice: once linked with mingw-w64's own librstrtmgr.a, once with
 * our MSVC-style rstrtmgr.lib. Either way the calls must reach our DLL (Wine's builtin stub
 * would hand out 0xdeadbeef and leave the key unwritten).
 */
#include <wchar.h>

#include "testutil.h"

static void test_start_and_end_through_this_import_library(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h = 0, joined = 0;
    (void)state;

    wmemset(key, L'!', CCH_RM_SESSION_KEY + 1);
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_not_equal(h, 0);
    assert_int_not_equal(h, 0xdeadbeef);
    assert_int_equal(wcslen(key), 32);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_INVALID_HANDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_and_end_through_this_import_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
