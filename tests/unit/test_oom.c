/*
 * test_oom.c - out of memory on every allocation that can fail. The exports (api.c) are
 * compiled into this program with the static core, so rm_mem_fail_after reaches every
 * allocation they make. Each call is repeated with its 1st, 2nd, ... allocation failing
 * until a run makes no allocation fail. A run that hit a failure must return
 * ERROR_OUTOFMEMORY and leave everything as it was (no session, handle, registration or
 * filter appears or goes), or succeed with the full answer: never a short one.
 */
#include <string.h>
#include <wchar.h>

#include "util/util.h"
#include "store.h"

#define MAX_RUNS 400

/* Counted with the tests' own reader (tests/support/store.c), not the core's. */
static unsigned registered(const WCHAR *key)
{
    struct tu_store r;
    unsigned n;
    assert_int_equal(tu_store_read(key, &r), 0);
    assert_false(r.corrupt);
    n = r.nfiles + r.nprocesses + r.nservices;
    tu_store_free(&r);
    return n;
}

/* Runs op with its n-th allocation failing, n = 1, 2, ...; check judges each run. Returns
 * how many runs hit a failure. */
typedef DWORD (*op_fn)(void);
typedef void (*check_fn)(DWORD err, BOOL failed);

static unsigned sweep(const char *what, op_fn op, check_fn check)
{
    unsigned n, failures = 0;
    DWORD err;
    BOOL failed;

    for (n = 1; n <= MAX_RUNS; n++) {
        rm_mem_fail_after(n);
        err = op();
        failed = rm_mem_fail_after(0) == 0;
        if (err != ERROR_SUCCESS && err != ERROR_OUTOFMEMORY)
            print_message("%s: allocation %u failing gave %lu\n", what, n, err);
        check(err, failed);
        if (!failed)
            break;
        failures++;
    }
    print_message("%s: %u allocation(s) made to fail, one at a time\n", what, failures);
    assert_true(n <= MAX_RUNS);
    return failures;
}

/* ---- RmStartSession ---- */

static unsigned sessions_before;
static DWORD started;

static DWORD op_start(void)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    started = 0xdeadbeef;
    return RmStartSession(&started, 0, key);
}

static void check_start(DWORD err, BOOL failed)
{
    if (!err) {
        assert_int_equal(tu_live_sessions(), sessions_before + 1);
        assert_int_equal(RmEndSession(started), 0);
        return;
    }
    assert_true(failed);
    assert_int_equal(err, ERROR_OUTOFMEMORY);
    assert_int_equal(started, 0xdeadbeef);
    assert_int_equal(tu_live_sessions(), sessions_before);
}

static void test_oom_RmStartSession(void **state)
{
    (void)state;
    sessions_before = tu_live_sessions();
    assert_true(sweep("RmStartSession", op_start, check_start) >= 1);
    assert_int_equal(tu_live_sessions(), sessions_before);
}

/* ---- RmJoinSession ---- */

static WCHAR pkey[CCH_RM_SESSION_KEY + 1];
static DWORD primary;

static DWORD op_join(void)
{
    started = 0xdeadbeef;
    return RmJoinSession(&started, pkey);
}

static void check_join(DWORD err, BOOL failed)
{
    if (!err) {
        assert_int_equal(RmEndSession(started), 0);
        return;
    }
    assert_true(failed);
    assert_int_equal(err, ERROR_OUTOFMEMORY);
    assert_int_equal(started, 0xdeadbeef);
}

static void test_oom_RmJoinSession(void **state)
{
    (void)state;
    assert_int_equal(RmStartSession(&primary, 0, pkey), 0);
    assert_true(sweep("RmJoinSession", op_join, check_join) >= 1);
    assert_int_equal(RmEndSession(primary), 0);
}

/* ---- RmRegisterResources ---- */

static unsigned regs_before;

static DWORD op_register(void)
{
    LPCWSTR files[3] = {L"relative\\oom.txt", L"C:\\oom\\a.dll", L"C:\\oom\\..\\b.exe"};
    LPCWSTR services[1] = {L"OomSvc"};
    RM_UNIQUE_PROCESS proc = {1234, {1, 2}};
    return RmRegisterResources(primary, 3, files, 1, &proc, 1, services);
}

static void check_register(DWORD err, BOOL failed)
{
    unsigned now = registered(pkey);
    if (!err) {
        assert_int_equal(now, regs_before + 5);
        regs_before = now;
        return;
    }
    assert_true(failed);
    assert_int_equal(err, ERROR_OUTOFMEMORY);
    assert_int_equal(now, regs_before);  /* all of the batch or none of it */
}

static void test_oom_RmRegisterResources(void **state)
{
    (void)state;
    assert_int_equal(RmStartSession(&primary, 0, pkey), 0);
    regs_before = registered(pkey);
    assert_true(sweep("RmRegisterResources", op_register, check_register) >= 1);
    assert_int_equal(RmEndSession(primary), 0);
}

/* ---- RmGetList: one holder of an open file, one that has a DLL loaded ---- */

static DWORD expect_pids[2];

static DWORD op_list(void)
{
    RM_PROCESS_INFO apps[8];
    UINT need = 0, n = 8, i, j, seen = 0;
    DWORD reasons, err = RmGetList(primary, &need, &n, apps, &reasons);

    if (err)
        return err;
    if (n != 2)
        return ERROR_INVALID_DATA;  /* a short answer would let an installer go on */
    for (i = 0; i < n; i++)
        for (j = 0; j < 2; j++)
            seen += apps[i].Process.dwProcessId == expect_pids[j];
    return seen == 2 ? ERROR_SUCCESS : ERROR_INVALID_DATA;
}

static void check_list(DWORD err, BOOL failed)
{
    if (!err)
        return;
    assert_true(failed);
    assert_int_equal(err, ERROR_OUTOFMEMORY);
}

static void test_oom_RmGetList(void **state)
{
    WCHAR file[MAX_PATH], dll[MAX_PATH], r1[64], r2[64];
    HANDLE e1 = tu_event(r1), e2 = tu_event(r2), holder, loader;
    LPCWSTR files[2] = {file, dll};
    (void)state;

    tu_temp_path(file, L"oom-held.dat");
    assert_true(tu_create_file(file));
    tu_bin_path(dll, L"rmfixture_dll.dll");
    holder = tu_spawn_fixture(L"hold \"%ls\" %ls", file, r1);
    loader = tu_spawn_fixture(L"load \"%ls\" %ls", dll, r2);
    assert_true(tu_wait_event(e1, holder));
    assert_true(tu_wait_event(e2, loader));
    expect_pids[0] = GetProcessId(holder);
    expect_pids[1] = GetProcessId(loader);

    assert_int_equal(RmStartSession(&primary, 0, pkey), 0);
    assert_int_equal(RmRegisterResources(primary, 2, files, 0, NULL, 0, NULL), 0);
    assert_int_equal(op_list(), 0);  /* the whole answer, before any failure */
    assert_true(sweep("RmGetList", op_list, check_list) >= 1);
    assert_int_equal(RmEndSession(primary), 0);

    TerminateProcess(holder, 0);
    TerminateProcess(loader, 0);
    WaitForSingleObject(holder, TU_WAIT_MS);
    WaitForSingleObject(loader, TU_WAIT_MS);
    CloseHandle(holder); CloseHandle(loader); CloseHandle(e1); CloseHandle(e2);
    DeleteFileW(file);
}

/* ---- the filter calls ---- */

static BYTE filters_before[1024], filters_now[1024];
static DWORD filter_bytes;

/* Always through one buffer, then copied: the records hold pointers into it. */
static void filter_list(BYTE *out, DWORD *bytes)
{
    static BYTE buf[1024];
    assert_int_equal(RmGetFilterList(primary, buf, sizeof(buf), bytes), 0);
    memcpy(out, buf, *bytes);
}

static DWORD op_add_filters(void)
{
    RM_UNIQUE_PROCESS p = {4321, {7, 8}};
    DWORD err;
    if ((err = RmAddFilter(primary, L"rel\\tool.exe", NULL, NULL, RmNoRestart)) ||
        (err = RmAddFilter(primary, NULL, NULL, L"FilteredSvc", RmNoShutdown)))
        return err;
    return RmAddFilter(primary, NULL, &p, NULL, RmNoRestart);
}

static void check_add_filters(DWORD err, BOOL failed)
{
    DWORD bytes;
    if (!err)
        return;
    assert_true(failed);
    assert_int_equal(err, ERROR_OUTOFMEMORY);
    /* the calls before the failing one took effect; the failing one changed nothing */
    filter_list(filters_now, &bytes);
    assert_true(bytes <= 3 * (sizeof(RM_FILTER_INFO) + 2 * MAX_PATH));
}

static DWORD op_remove_filter(void)
{
    return RmRemoveFilter(primary, L"rel\\tool.exe", NULL, NULL);
}

static void check_remove_filter(DWORD err, BOOL failed)
{
    DWORD bytes;
    if (!err)
        return;
    assert_true(failed);
    assert_int_equal(err, ERROR_OUTOFMEMORY);
    filter_list(filters_now, &bytes);
    assert_int_equal(bytes, filter_bytes);
    assert_memory_equal(filters_now, filters_before, bytes);
}

static void test_oom_filters(void **state)
{
    (void)state;
    assert_int_equal(RmStartSession(&primary, 0, pkey), 0);
    assert_true(sweep("RmAddFilter", op_add_filters, check_add_filters) >= 1);
    filter_list(filters_before, &filter_bytes);
    assert_true(sweep("RmRemoveFilter", op_remove_filter, check_remove_filter) >= 1);
    assert_int_equal(RmEndSession(primary), 0);
}

/* ---- RmShutdown: its record reaches RmGetList, also when writing it failed ---- */

static DWORD refusing_pid;

static DWORD op_shutdown(void)
{
    return RmShutdown(primary, 0, NULL);
}

/* The app refused: whatever failed for memory at the end of the call (writing the record
 * into the session), the next RmGetList lists it Running | ErrorOnStop. A run stopped
 * earlier by the failure returns ERROR_OUTOFMEMORY, having closed nothing. */
static void check_shutdown(DWORD err, BOOL failed)
{
    RM_PROCESS_INFO apps[4];
    UINT needed = 0, n = 4, i;
    DWORD reasons, status = 0;

    assert_true(err == ERROR_FAIL_SHUTDOWN || (failed && err == ERROR_OUTOFMEMORY));
    assert_int_equal(RmGetList(primary, &needed, &n, apps, &reasons), 0);
    for (i = 0; i < n; i++)
        if (apps[i].Process.dwProcessId == refusing_pid)
            status = apps[i].AppStatus;
    if (err == ERROR_FAIL_SHUTDOWN)
        assert_int_equal(status, RmStatusRunning | RmStatusErrorOnStop);
    else
        assert_true(status == RmStatusRunning || status == (RmStatusRunning | RmStatusErrorOnStop));
}

static void test_oom_RmShutdown_record(void **state)
{
    WCHAR file[MAX_PATH], ready[64];
    HANDLE e = tu_event(ready), holder;
    LPCWSTR files[1] = {file};
    (void)state;

    tu_temp_path(file, L"oom-refuse.dat");
    assert_true(tu_create_file(file));
    holder = tu_spawn_fixture(L"with-file \"%ls\" gui-refuse %ls", file, ready);
    assert_true(tu_wait_event(e, holder));
    refusing_pid = GetProcessId(holder);
    assert_int_equal(RmStartSession(&primary, 0, pkey), 0);
    assert_int_equal(RmRegisterResources(primary, 1, files, 0, NULL, 0, NULL), 0);
    assert_true(sweep("RmShutdown", op_shutdown, check_shutdown) >= 1);
    assert_int_equal(RmEndSession(primary), 0);
    TerminateProcess(holder, 0);
    WaitForSingleObject(holder, TU_WAIT_MS);
    CloseHandle(holder);
    CloseHandle(e);
    DeleteFileW(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_RmStartSession),
        cmocka_unit_test(test_oom_RmJoinSession),
        cmocka_unit_test(test_oom_RmRegisterResources),
        cmocka_unit_test(test_oom_RmGetList),
        cmocka_unit_test(test_oom_filters),
        cmocka_unit_test(test_oom_RmShutdown_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
