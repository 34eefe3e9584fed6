/*
 * test_testutil.c - the test support itself, where a mistake would make other tests lie:
 *   - the todo_wine mark fails on Windows when the value is not Windows', and under Wine
 *     when it is (Wine started behaving);
 *   - the engine's short bounds put the user's and the machine's registry values back
 *     exactly: the same type and data, or no value where there was none.
 */
#include <string.h>
#include <wchar.h>

#include "holders.h"

static void test_todo_wine_verdicts(void **state)
{
    (void)state;
    assert_false(tu_todo_wine_fails(0, 1));  /* Windows, Windows' value */
    assert_true(tu_todo_wine_fails(0, 0));   /* Windows, another value */
    assert_false(tu_todo_wine_fails(1, 0));  /* Wine, another value: the known gap */
    assert_true(tu_todo_wine_fails(1, 1));   /* Wine, Windows' value: remove the mark */
    print_message("this process runs %s\n", rm_test_on_wine() ? "under Wine" : "on Windows");
}

#define DESKTOP L"Control Panel\\Desktop"
#define HUNG L"HungAppTimeout"

/* The value as it is now: its type and bytes (type 0: no value). */
struct value {
    DWORD type, size;
    BYTE data[256];
};

static struct value read_hung(void)
{
    struct value v;
    HKEY k;
    memset(&v, 0, sizeof(v));
    assert_int_equal(RegOpenKeyExW(HKEY_CURRENT_USER, DESKTOP, 0, KEY_QUERY_VALUE, &k), 0);
    v.size = sizeof(v.data);
    if (RegQueryValueExW(k, HUNG, NULL, &v.type, v.data, &v.size))
        memset(&v, 0, sizeof(v));
    RegCloseKey(k);
    return v;
}

static void write_hung(const struct value *v)
{
    HKEY k;
    assert_int_equal(RegOpenKeyExW(HKEY_CURRENT_USER, DESKTOP, 0, KEY_SET_VALUE, &k), 0);
    if (v->type)
        assert_int_equal(RegSetValueExW(k, HUNG, 0, v->type, v->data, v->size), 0);
    else
        RegDeleteValueW(k, HUNG);
    RegCloseKey(k);
}

/* Short bounds over `before`, then back: `before` again, to the byte. */
static void round_trip(const struct value *before)
{
    struct value during, after;
    write_hung(before);
    assert_int_equal(tu_short_engine_bounds(NULL), 0);
    during = read_hung();
    assert_int_equal(during.type, REG_SZ);
    assert_true(wcscmp((const wchar_t *)during.data, L"1000") == 0);
    assert_int_equal(tu_restore_engine_bounds(NULL), 0);
    after = read_hung();
    assert_int_equal(after.type, before->type);
    assert_int_equal(after.size, before->size);
    assert_memory_equal(after.data, before->data, before->size);
}

static void test_engine_bounds_are_put_back_exactly(void **state)
{
    struct value original = read_hung(), absent, text, number;
    DWORD ms = 7777;
    (void)state;

    memset(&absent, 0, sizeof(absent));
    round_trip(&absent);
    memset(&text, 0, sizeof(text));
    text.type = REG_SZ;
    text.size = sizeof(L"4321");
    memcpy(text.data, L"4321", text.size);
    round_trip(&text);
    memset(&number, 0, sizeof(number));  /* another type than the one the tests write */
    number.type = REG_DWORD;
    number.size = sizeof(ms);
    memcpy(number.data, &ms, sizeof(ms));
    round_trip(&number);
    write_hung(&original);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_todo_wine_verdicts),
        cmocka_unit_test(test_engine_bounds_are_put_back_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
