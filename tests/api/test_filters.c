/*
 * test_filters.c - RmAddFilter, RmRemoveFilter and RmGetFilterList through the DLL: one
 * filter per target (the last call wins), removal, the primary-only rule, and the exact
 * layout of RmGetFilterList's buffer (records linked by cbNextOffset, strings inside the
 * buffer, nothing written past or, when too small, into it).
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "testutil.h"

#define MODULE L"C:\\Program Files\\Filtered App\\app.exe"
#define SERVICE L"FilteredSvc"
#define GUARD 0xAB

static const RM_UNIQUE_PROCESS process_a = {4242, {0x11111111, 0x01d00000}};

static size_t align_up(size_t n)
{
    return (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

/* The bytes a record with a string of len characters takes, before the padding that
 * aligns the next record (the last record has none). */
static size_t string_record(size_t len)
{
    return sizeof(RM_FILTER_INFO) + (len + 1) * sizeof(WCHAR);
}

static DWORD start(WCHAR key[CCH_RM_SESSION_KEY + 1])
{
    DWORD h;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    return h;
}

/* RmGetFilterList as a client drives it: ask the size, then fetch. *count gets the
 * number of records; the buffer is the caller's to free (NULL when empty). */
static BYTE *get_filters(DWORD h, DWORD *size, unsigned *count)
{
    DWORD needed = 0xdeadbeef, err;
    BYTE *buf;
    DWORD at = 0;

    *count = 0;
    err = RmGetFilterList(h, NULL, 0, &needed);
    assert_int_equal(err, needed ? ERROR_MORE_DATA : ERROR_SUCCESS);
    *size = needed;
    if (!needed)
        return NULL;
    buf = malloc(needed);
    assert_non_null(buf);
    err = RmGetFilterList(h, buf, needed, &needed);
    assert_int_equal(err, ERROR_SUCCESS);
    assert_int_equal(needed, *size);
    for (;;) {
        RM_FILTER_INFO *r = (RM_FILTER_INFO *)(buf + at);
        (*count)++;
        if (!r->cbNextOffset)
            break;
        at += r->cbNextOffset;
        assert_true(at < needed);
    }
    return buf;
}

/* The record at index i, walking cbNextOffset. */
static RM_FILTER_INFO *record(BYTE *buf, unsigned i)
{
    BYTE *at = buf;
    while (i--) {
        assert_int_not_equal(((RM_FILTER_INFO *)at)->cbNextOffset, 0);
        at += ((RM_FILTER_INFO *)at)->cbNextOffset;
    }
    return (RM_FILTER_INFO *)at;
}

static void test_filters_empty_list(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    BYTE buf[64];
    DWORD h = start(key), needed = 0xdeadbeef;
    (void)state;

    assert_int_equal(RmGetFilterList(h, NULL, 0, &needed), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    memset(buf, GUARD, sizeof(buf));
    needed = 0xdeadbeef;
    assert_int_equal(RmGetFilterList(h, buf, sizeof(buf), &needed), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(buf[0], GUARD);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_each_kind_and_exact_layout(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h = start(key), size, expected;
    RM_FILTER_INFO *r;
    unsigned count, i;
    BYTE *buf;
    (void)state;

    assert_int_equal(RmAddFilter(h, MODULE, NULL, NULL, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, (RM_UNIQUE_PROCESS *)&process_a, NULL, RmNoShutdown),
                     ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, SERVICE, RmNoRestart), ERROR_SUCCESS);

    expected = (DWORD)(align_up(string_record(wcslen(MODULE))) + sizeof(RM_FILTER_INFO) +
                       string_record(wcslen(SERVICE)));
    buf = get_filters(h, &size, &count);
    print_message("RmGetFilterList: %lu bytes, %u records (record %u bytes)\n",
                  (unsigned long)size, count, (unsigned)sizeof(RM_FILTER_INFO));
    assert_int_equal(size, expected);
    assert_int_equal(count, 3);

    /* The order they were added in; each record at a pointer-aligned offset. */
    r = record(buf, 0);
    assert_int_equal(r->FilterAction, RmNoRestart);
    assert_int_equal(r->FilterTrigger, RmFilterTriggerFile);
    assert_int_equal(r->cbNextOffset, align_up(string_record(wcslen(MODULE))));
    assert_ptr_equal(r->strFilename, (WCHAR *)(buf + sizeof(RM_FILTER_INFO)));
    assert_true(wcscmp(r->strFilename, MODULE) == 0);

    r = record(buf, 1);
    assert_int_equal((BYTE *)r - buf, align_up(string_record(wcslen(MODULE))));
    assert_int_equal(r->FilterAction, RmNoShutdown);
    assert_int_equal(r->FilterTrigger, RmFilterTriggerProcess);
    assert_int_equal(r->cbNextOffset, sizeof(RM_FILTER_INFO));
    assert_int_equal(r->Process.dwProcessId, process_a.dwProcessId);
    assert_memory_equal(&r->Process.ProcessStartTime, &process_a.ProcessStartTime,
                        sizeof(FILETIME));

    r = record(buf, 2);
    assert_int_equal(r->FilterAction, RmNoRestart);
    assert_int_equal(r->FilterTrigger, RmFilterTriggerService);
    assert_int_equal(r->cbNextOffset, 0);
    assert_ptr_equal(r->strServiceShortName, (WCHAR *)((BYTE *)r + sizeof(RM_FILTER_INFO)));
    assert_true(wcscmp(r->strServiceShortName, SERVICE) == 0);
    /* the last string ends the buffer exactly */
    assert_ptr_equal((BYTE *)(r->strServiceShortName + wcslen(SERVICE) + 1), buf + size);

    for (i = 0; i < count; i++)
        assert_int_equal(((BYTE *)record(buf, i) - buf) % sizeof(void *), 0);
    free(buf);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_last_call_wins(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_UNIQUE_PROCESS same = process_a;
    DWORD h = start(key), size;
    unsigned count;
    BYTE *buf;
    (void)state;

    /* the same module in another case, the same service in another case, the same process */
    assert_int_equal(RmAddFilter(h, MODULE, NULL, NULL, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, L"c:\\PROGRAM FILES\\filtered app\\APP.EXE", NULL, NULL,
                                 RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, SERVICE, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, L"filteredsvc", RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, &same, NULL, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, &same, NULL, RmNoShutdown), ERROR_SUCCESS);

    buf = get_filters(h, &size, &count);
    assert_int_equal(count, 3);
    assert_int_equal(record(buf, 0)->FilterAction, RmNoShutdown);
    assert_true(wcscmp(record(buf, 0)->strFilename, MODULE) == 0);  /* first spelling kept */
    assert_int_equal(record(buf, 1)->FilterAction, RmNoRestart);
    assert_true(wcscmp(record(buf, 1)->strServiceShortName, SERVICE) == 0);
    assert_int_equal(record(buf, 2)->FilterAction, RmNoShutdown);
    assert_int_equal(record(buf, 2)->FilterTrigger, RmFilterTriggerProcess);
    free(buf);

    /* another start time is another process */
    same.ProcessStartTime.dwLowDateTime++;
    assert_int_equal(RmAddFilter(h, NULL, &same, NULL, RmNoRestart), ERROR_SUCCESS);
    free(get_filters(h, &size, &count));
    assert_int_equal(count, 4);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_module_stored_as_full_path(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], full[MAX_PATH], upper[MAX_PATH];
    DWORD h = start(key), size;
    unsigned count, i;
    BYTE *buf;
    (void)state;

    assert_true(GetFullPathNameW(L"sub\\..\\tool.exe", MAX_PATH, full, NULL) > 0);
    assert_int_equal(RmAddFilter(h, L"sub\\..\\tool.exe", NULL, NULL, RmNoRestart), ERROR_SUCCESS);
    buf = get_filters(h, &size, &count);
    assert_int_equal(count, 1);
    assert_true(wcscmp(record(buf, 0)->strFilename, full) == 0);
    free(buf);
    /* the full path in any case names the same filter */
    for (i = 0; full[i]; i++)
        upper[i] = towupper(full[i]);
    upper[i] = 0;
    assert_int_equal(RmRemoveFilter(h, upper, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(h, L"tool.exe", NULL, NULL), ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_remove(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_UNIQUE_PROCESS other = process_a;
    DWORD h = start(key), size;
    unsigned count;
    BYTE *buf;
    (void)state;

    assert_int_equal(RmRemoveFilter(h, MODULE, NULL, NULL), ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmAddFilter(h, MODULE, NULL, NULL, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, (RM_UNIQUE_PROCESS *)&process_a, NULL, RmNoRestart),
                     ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, SERVICE, RmNoShutdown), ERROR_SUCCESS);

    /* a target that matches nothing: another start time, another kind with the same name */
    other.ProcessStartTime.dwHighDateTime++;
    assert_int_equal(RmRemoveFilter(h, NULL, &other, NULL), ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmRemoveFilter(h, NULL, NULL, MODULE), ERROR_FILE_NOT_FOUND);

    /* the middle one goes; the others keep their order */
    assert_int_equal(RmRemoveFilter(h, NULL, (RM_UNIQUE_PROCESS *)&process_a, NULL), ERROR_SUCCESS);
    buf = get_filters(h, &size, &count);
    assert_int_equal(count, 2);
    assert_int_equal(record(buf, 0)->FilterTrigger, RmFilterTriggerFile);
    assert_int_equal(record(buf, 1)->FilterTrigger, RmFilterTriggerService);
    free(buf);
    assert_int_equal(RmRemoveFilter(h, NULL, (RM_UNIQUE_PROCESS *)&process_a, NULL),
                     ERROR_FILE_NOT_FOUND);

    assert_int_equal(RmRemoveFilter(h, NULL, NULL, L"FILTEREDSVC"), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(h, MODULE, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(h, MODULE, NULL, NULL), ERROR_FILE_NOT_FOUND);
    buf = get_filters(h, &size, &count);
    assert_null(buf);
    assert_int_equal(size, 0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_joined_handle_is_refused(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h = start(key), j, needed = 0xdeadbeef, size;
    BYTE buf[256];
    unsigned count;
    (void)state;

    assert_int_equal(RmAddFilter(h, NULL, NULL, SERVICE, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(j, MODULE, NULL, NULL, RmNoRestart),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmRemoveFilter(j, NULL, NULL, SERVICE), ERROR_SESSION_CREDENTIAL_CONFLICT);
    memset(buf, GUARD, sizeof(buf));
    assert_int_equal(RmGetFilterList(j, buf, sizeof(buf), &needed),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(needed, 0xdeadbeef);
    assert_int_equal(buf[0], GUARD);
    /* the primary's filters are as they were */
    free(get_filters(h, &size, &count));
    assert_int_equal(count, 1);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_too_small_writes_nothing(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h = start(key), needed, size, i;
    BYTE *buf;
    (void)state;

    assert_int_equal(RmAddFilter(h, MODULE, NULL, NULL, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, SERVICE, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmGetFilterList(h, NULL, 0, &size), ERROR_MORE_DATA);
    assert_true(size > 2 * sizeof(RM_FILTER_INFO));

    buf = malloc(size + 64);
    assert_non_null(buf);
    memset(buf, GUARD, size + 64);
    /* one byte short, a single record's worth, and zero with a buffer */
    needed = 0xdeadbeef;
    assert_int_equal(RmGetFilterList(h, buf, size - 1, &needed), ERROR_MORE_DATA);
    assert_int_equal(needed, size);
    needed = 0xdeadbeef;
    assert_int_equal(RmGetFilterList(h, buf, sizeof(RM_FILTER_INFO), &needed), ERROR_MORE_DATA);
    assert_int_equal(needed, size);
    assert_int_equal(RmGetFilterList(h, buf, 0, &needed), ERROR_MORE_DATA);
    assert_int_equal(needed, size);
    for (i = 0; i < size + 64; i++)
        assert_int_equal(buf[i], GUARD);

    /* exactly the size: everything written, nothing after it */
    needed = 0xdeadbeef;
    assert_int_equal(RmGetFilterList(h, buf, size, &needed), ERROR_SUCCESS);
    assert_int_equal(needed, size);
    for (i = size; i < size + 64; i++)
        assert_int_equal(buf[i], GUARD);
    assert_int_equal(((RM_FILTER_INFO *)buf)->FilterTrigger, RmFilterTriggerFile);
    free(buf);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_bad_names_change_nothing(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], *name;
    DWORD h = start(key), size;
    unsigned count;
    (void)state;

    name = malloc((32768 + 1) * sizeof(WCHAR));
    assert_non_null(name);
    assert_int_equal(RmAddFilter(h, L"", NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(h, NULL, NULL, L"", RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(h, L"", NULL, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(h, NULL, NULL, L""), ERROR_BAD_ARGUMENTS);
    /* service names: 256 characters at most */
    wmemset(name, L's', 257);
    name[257] = 0;
    assert_int_equal(RmAddFilter(h, NULL, NULL, name, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(h, NULL, NULL, name), ERROR_BAD_ARGUMENTS);
    /* module paths: 32767 characters at most */
    wmemset(name, L'm', 32768);
    name[32768] = 0;
    assert_int_equal(RmAddFilter(h, name, NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetFilterList(h, NULL, 0, &size), ERROR_SUCCESS);
    assert_int_equal(size, 0);

    wmemset(name, L's', 256);
    name[256] = 0;
    assert_int_equal(RmAddFilter(h, NULL, NULL, name, RmNoRestart), ERROR_SUCCESS);
    free(get_filters(h, &size, &count));
    assert_int_equal(count, 1);
    assert_int_equal(size, string_record(256));
    free(name);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static void test_filters_many_and_freed_with_the_session(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], name[32];
    DWORD h = start(key), size;
    unsigned count, i;
    BYTE *buf;
    (void)state;

    for (i = 0; i < 1000; i++) {
        _snwprintf(name, 32, L"svc%u", i);
        assert_int_equal(RmAddFilter(h, NULL, NULL, name, RmNoShutdown), ERROR_SUCCESS);
    }
    buf = get_filters(h, &size, &count);
    assert_int_equal(count, 1000);
    assert_true(wcscmp(record(buf, 999)->strServiceShortName, L"svc999") == 0);
    free(buf);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    assert_int_equal(RmGetFilterList(h, NULL, 0, &size), ERROR_INVALID_HANDLE);

    h = start(key);
    assert_int_equal(RmGetFilterList(h, NULL, 0, &size), ERROR_SUCCESS);
    assert_int_equal(size, 0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filters_empty_list),
        cmocka_unit_test(test_filters_each_kind_and_exact_layout),
        cmocka_unit_test(test_filters_last_call_wins),
        cmocka_unit_test(test_filters_module_stored_as_full_path),
        cmocka_unit_test(test_filters_remove),
        cmocka_unit_test(test_filters_joined_handle_is_refused),
        cmocka_unit_test(test_filters_too_small_writes_nothing),
        cmocka_unit_test(test_filters_bad_names_change_nothing),
        cmocka_unit_test(test_filters_many_and_freed_with_the_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
