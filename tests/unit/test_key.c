/* test_key.c - session keys: 32 lower-case hex digits, random, parsed strictly. */
#include <wchar.h>

#include "testutil.h"
#include "engine/engine.h"

static void test_key_generate_is_hex_and_random(void **state)
{
    WCHAR a[33], b[33];
    int i;
    (void)state;

    assert_int_equal(rm_key_generate(a), 0);
    assert_int_equal(rm_key_generate(b), 0);
    assert_int_equal(wcslen(a), 32);
    for (i = 0; i < 32; i++)
        assert_true((a[i] >= L'0' && a[i] <= L'9') || (a[i] >= L'a' && a[i] <= L'f'));
    assert_int_not_equal(wcscmp(a, b), 0);
}

static void test_key_parse(void **state)
{
    WCHAR out[33];
    (void)state;

    assert_int_equal(rm_key_parse(L"0123456789abcdef0123456789abcdef", out), 0);
    assert_true(wcscmp(out, L"0123456789abcdef0123456789abcdef") == 0);
    assert_int_equal(rm_key_parse(L"0123456789ABCDEF0123456789ABCDEF", out), 0);
    assert_true(wcscmp(out, L"0123456789abcdef0123456789abcdef") == 0);
    /* too short, too long, not hex, empty */
    assert_int_equal(rm_key_parse(L"0123456789abcdef0123456789abcde", out), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_key_parse(L"0123456789abcdef0123456789abcdef0", out), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_key_parse(L"0123456789abcdef0123456789abcdeg", out), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_key_parse(L"{0123456789abcdef0123456789abcde", out), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_key_parse(L"", out), ERROR_BAD_ARGUMENTS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_generate_is_hex_and_random),
        cmocka_unit_test(test_key_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
