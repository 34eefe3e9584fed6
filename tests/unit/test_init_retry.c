/*
 * test_init_retry.c - what a process builds once (the security descriptor, the per-user
 * directory) is built again after a failure: one transient out-of-memory must not fail
 * every later call of the process. Its own program, so that nothing was built before.
 */
#include "testutil.h"
#include "session/session.h"

static void test_first_failure_is_not_kept(void **state)
{
    const struct rm_security *sec;
    unsigned count = 99;
    (void)state;

    /* The first allocation of the process's first call is the user's SID text, made while
     * the directory is opened: both one-time steps fail. */
    rm_mem_fail_after(1);
    assert_int_equal(rm_directory_count(&count), ERROR_OUTOFMEMORY);
    assert_int_equal(count, 0);
    assert_int_equal(rm_mem_fail_after(0), 0);  /* the failure was used */

    assert_int_equal(rm_directory_count(&count), ERROR_SUCCESS);
    assert_int_equal(rm_security_get(&sec), ERROR_SUCCESS);
    assert_non_null(sec);
    assert_non_null(sec->user_sid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_failure_is_not_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
