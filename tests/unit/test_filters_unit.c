/*
 * test_filters_unit.c - the filter list inside the core: which filter applies to an app
 * (rm_filters_action_for and its precedence), out of memory leaving the list whole, and
 * the written buffer when the caller's buffer is not aligned.
 */
#include <string.h>
#include <wchar.h>

#include "testutil.h"
#include "engine/engine.h"

#define APP L"C:\\Apps\\Tool\\tool.exe"

static const RM_UNIQUE_PROCESS proc = {77, {0x1234, 0x01d90000}};

static void test_action_for_no_filters(void **state)
{
    struct rm_filters f = {0};
    (void)state;

    assert_int_equal(rm_filters_action_for(&f, &proc, APP, L"svc"), RmInvalidFilterAction);
    assert_int_equal(rm_filters_action_for(&f, NULL, NULL, NULL), RmInvalidFilterAction);
}

static void test_action_for_each_kind(void **state)
{
    struct rm_filters f = {0};
    RM_UNIQUE_PROCESS later = proc;
    (void)state;

    assert_int_equal(rm_filters_add(&f, APP, NULL, NULL, RmNoRestart), 0);
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoShutdown), 0);
    assert_int_equal(rm_filters_add(&f, NULL, NULL, L"Spooler", RmNoRestart), 0);

    /* image path in any case; nothing else given */
    assert_int_equal(rm_filters_action_for(&f, NULL, L"c:\\apps\\TOOL\\Tool.EXE", NULL),
                     RmNoRestart);
    assert_int_equal(rm_filters_action_for(&f, NULL, L"C:\\Apps\\Tool\\other.exe", NULL),
                     RmInvalidFilterAction);
    assert_int_equal(rm_filters_action_for(&f, NULL, L"", NULL), RmInvalidFilterAction);
    /* process by PID and creation time */
    assert_int_equal(rm_filters_action_for(&f, &proc, NULL, NULL), RmNoShutdown);
    later.ProcessStartTime.dwLowDateTime++;
    assert_int_equal(rm_filters_action_for(&f, &later, NULL, NULL), RmInvalidFilterAction);
    /* service short name in any case */
    assert_int_equal(rm_filters_action_for(&f, NULL, NULL, L"SPOOLER"), RmNoRestart);
    assert_int_equal(rm_filters_action_for(&f, NULL, NULL, L"Spool"), RmInvalidFilterAction);
    rm_filters_free(&f);
    assert_int_equal(f.count, 0);
    assert_null(f.items);
}

static void test_action_for_precedence(void **state)
{
    struct rm_filters f = {0};
    RM_UNIQUE_PROCESS other = proc;
    (void)state;

    other.dwProcessId++;
    assert_int_equal(rm_filters_add(&f, APP, NULL, NULL, RmNoShutdown), 0);
    assert_int_equal(rm_filters_add(&f, NULL, NULL, L"svc", RmNoRestart), 0);
    /* the service beats the image path */
    assert_int_equal(rm_filters_action_for(&f, &other, APP, L"svc"), RmNoRestart);
    assert_int_equal(rm_filters_action_for(&f, &other, APP, L"svc2"), RmNoShutdown);
    /* the process beats both */
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoShutdown), 0);
    assert_int_equal(rm_filters_action_for(&f, &proc, APP, L"svc"), RmNoShutdown);
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoRestart), 0);  /* replaced */
    assert_int_equal(rm_filters_add(&f, NULL, NULL, L"svc", RmNoShutdown), 0);
    assert_int_equal(rm_filters_action_for(&f, &proc, APP, L"svc"), RmNoRestart);
    /* once the process filter is gone, the service's applies again */
    assert_int_equal(rm_filters_remove(&f, NULL, &proc, NULL), 0);
    assert_int_equal(rm_filters_action_for(&f, &proc, APP, L"svc"), RmNoShutdown);
    assert_int_equal(f.count, 2);
    rm_filters_free(&f);
}

static void test_bad_targets(void **state)
{
    struct rm_filters f = {0};
    (void)state;

    assert_int_equal(rm_filters_add(&f, NULL, NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_filters_add(&f, APP, NULL, L"svc", RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_filters_add(&f, APP, NULL, NULL, RmInvalidFilterAction),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_filters_add(&f, L"", NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_filters_remove(&f, NULL, &proc, L"svc"), ERROR_BAD_ARGUMENTS);
    assert_int_equal(rm_filters_remove(&f, NULL, NULL, L""), ERROR_BAD_ARGUMENTS);
    assert_int_equal(f.count, 0);
}

/* Every allocation of an add or remove failing in turn: ERROR_OUTOFMEMORY, list as before. */
static void test_out_of_memory_leaves_the_list_whole(void **state)
{
    struct rm_filters f = {0};
    unsigned n;
    DWORD needed;
    (void)state;

    for (n = 1; n <= 2; n++) {
        rm_mem_fail_after(n);
        assert_int_equal(rm_filters_add(&f, APP, NULL, NULL, RmNoRestart), ERROR_OUTOFMEMORY);
        rm_mem_fail_after(n);
        assert_int_equal(rm_filters_add(&f, NULL, NULL, L"svc", RmNoRestart), ERROR_OUTOFMEMORY);
        rm_mem_fail_after(0);
        assert_int_equal(f.count, 0);
    }
    rm_mem_fail_after(1);
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoRestart), ERROR_OUTOFMEMORY);
    rm_mem_fail_after(0);
    assert_int_equal(rm_filters_write(&f, NULL, 0, &needed), ERROR_SUCCESS);
    assert_int_equal(needed, 0);

    /* a replacement of a process filter needs no memory; a module's lookup does */
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoRestart), 0);
    assert_int_equal(rm_filters_add(&f, APP, NULL, NULL, RmNoRestart), 0);
    rm_mem_fail_after(1);
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoShutdown), 0);
    rm_mem_fail_after(1);
    assert_int_equal(rm_filters_add(&f, APP, NULL, NULL, RmNoShutdown), ERROR_OUTOFMEMORY);
    rm_mem_fail_after(1);
    assert_int_equal(rm_filters_remove(&f, APP, NULL, NULL), ERROR_OUTOFMEMORY);
    rm_mem_fail_after(0);
    assert_int_equal(f.count, 2);
    assert_int_equal(rm_filters_action_for(&f, &proc, NULL, NULL), RmNoShutdown);
    assert_int_equal(rm_filters_action_for(&f, NULL, APP, NULL), RmNoRestart);
    rm_filters_free(&f);
}

/* Records are aligned relative to the buffer's start, wherever the buffer is. */
static void test_write_to_unaligned_buffer(void **state)
{
    struct rm_filters f = {0};
    BYTE raw[512], *buf = raw + 1;
    RM_FILTER_INFO first, second;
    DWORD needed;
    (void)state;

    assert_int_equal(rm_filters_add(&f, NULL, NULL, L"abc", RmNoRestart), 0);
    assert_int_equal(rm_filters_add(&f, NULL, &proc, NULL, RmNoShutdown), 0);
    assert_int_equal(rm_filters_write(&f, buf, sizeof(raw) - 1, &needed), 0);
    assert_int_equal(needed, ((sizeof(RM_FILTER_INFO) + 8 + sizeof(void *) - 1) &
                              ~(sizeof(void *) - 1)) + sizeof(RM_FILTER_INFO));
    memcpy(&first, buf, sizeof(first));
    assert_int_equal(first.FilterTrigger, RmFilterTriggerService);
    assert_ptr_equal(first.strServiceShortName, (WCHAR *)(buf + sizeof(first)));
    assert_memory_equal(buf + sizeof(first), L"abc", 4 * sizeof(WCHAR));
    memcpy(&second, buf + first.cbNextOffset, sizeof(second));
    assert_int_equal(second.FilterTrigger, RmFilterTriggerProcess);
    assert_int_equal(second.Process.dwProcessId, proc.dwProcessId);
    assert_int_equal(second.cbNextOffset, 0);
    rm_filters_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_action_for_no_filters),
        cmocka_unit_test(test_action_for_each_kind),
        cmocka_unit_test(test_action_for_precedence),
        cmocka_unit_test(test_bad_targets),
        cmocka_unit_test(test_out_of_memory_leaves_the_list_whole),
        cmocka_unit_test(test_write_to_unaligned_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
