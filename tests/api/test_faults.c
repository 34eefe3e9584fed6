/*
 * test_faults.c - processes that die at the worst moment, and calls that must return
 * within their bound whatever the processes they deal with do:
 *   - 1,000 sessions whose primary is killed while we are joined to them: every joined
 *     handle then gets ERROR_INVALID_HANDLE, every slot is reclaimed, no object and no
 *     handle is left behind;
 *   - a secondary killed while it holds a session's lock, in the middle of a batch: the
 *     lock comes back abandoned, the session holds whole batches only and stays usable;
 *   - holders that exit while RmGetList and RmShutdown run;
 *   - a service deleted while RmShutdown waits for it to stop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "holders.h"
#include "store.h"
#include "sys/nt.h"  /* declarations only: the handle table's layout */

/* Handles this process holds, from the system handle table (ntdll looked up here, not
 * through the DLL). Wine quirk: GetProcessHandleCount answers 0 there, so it cannot see
 * a leak; the table works on Windows and Wine alike. */
static unsigned own_handles(void)
{
    rm_NtQuerySystemInformation_fn query = (rm_NtQuerySystemInformation_fn)(void (*)(void))
        GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation");
    ULONG size = 1 << 22, ret = 0;
    struct rm_nt_handle_table *t = NULL;
    ULONG_PTR i;
    unsigned n = 0;
    LONG status;

    assert_non_null(query);
    for (;;) {
        free(t);
        t = malloc(size);
        assert_non_null(t);
        status = query(RM_SystemExtendedHandleInformation, t, size, &ret);
        if (status != STATUS_INFO_LENGTH_MISMATCH)
            break;
        size *= 2;
    }
    assert_true(RM_NT_SUCCESS(status));
    for (i = 0; i < t->NumberOfHandles; i++)
        if (t->Handles[i].UniqueProcessId == GetCurrentProcessId())
            n++;
    free(t);
    return n;
}

static void kill_and_wait(HANDLE process)
{
    TerminateProcess(process, 9);
    assert_int_equal(WaitForSingleObject(process, TU_WAIT_MS), WAIT_OBJECT_0);
}

/* TRUE if a named section of this session still exists (someone holds it open). */
static BOOL store_exists(const WCHAR *key)
{
    WCHAR name[TU_OBJECT_NAME_CHARS], what[64];
    HANDLE h;
    _snwprintf(what, 64, L"Session.%ls", key);
    tu_object_name(name, what);
    h = OpenFileMappingW(FILE_MAP_READ, FALSE, name);
    if (h)
        CloseHandle(h);
    return h != NULL;
}

/*
 * 1,000 start/join/kill cycles. A process start costs tens of milliseconds under Wine, so
 * one child starts BATCH sessions at a time and is killed with all of them: 40 real kills
 * of a real process, 1,000 sessions started, joined from here and orphaned.
 */
static void test_primary_killed_1000_times_nothing_leaks(void **state)
{
    enum { TOTAL = 1000, BATCH = 25 };
    WCHAR keyfile[MAX_PATH], ready_name[64], keys[BATCH][CCH_RM_SESSION_KEY + 1];
    DWORD joined[BATCH], scratch;
    unsigned handles_before, handles_after;
    LPCWSTR files[1] = {L"C:\\orphan.txt"};
    unsigned before, done = 0, i;
    (void)state;

    /* The DLL opens its per-process objects once; let it do so before counting. */
    assert_int_equal(RmStartSession(&scratch, 0, keys[0]), 0);
    assert_int_equal(RmEndSession(scratch), 0);
    before = tu_live_sessions();
    assert_true(before + BATCH <= 64);
    handles_before = own_handles();
    tu_temp_path(keyfile, L"keys");

    while (done < TOTAL) {
        HANDLE ready = tu_event(ready_name), child;
        HANDLE f;
        DWORD n = 0;

        child = tu_spawn_fixture(L"sessions-keys %u %ls %ls", BATCH, keyfile, ready_name);
        assert_non_null(child);
        assert_true(tu_wait_event(ready, child));
        f = CreateFileW(keyfile, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        assert_true(f != INVALID_HANDLE_VALUE);
        for (i = 0; i < BATCH; i++) {
            assert_true(ReadFile(f, keys[i], CCH_RM_SESSION_KEY * sizeof(WCHAR), &n, NULL));
            keys[i][CCH_RM_SESSION_KEY] = 0;
            assert_int_equal(RmJoinSession(&joined[i], keys[i]), ERROR_SUCCESS);
        }
        CloseHandle(f);
        assert_int_equal(tu_live_sessions(), before + BATCH);

        kill_and_wait(child);
        CloseHandle(child);
        CloseHandle(ready);

        for (i = 0; i < BATCH; i++) {
            UINT need, count = 0;
            DWORD reasons;
            assert_int_equal(RmRegisterResources(joined[i], 1, files, 0, NULL, 0, NULL),
                             ERROR_INVALID_HANDLE);
            assert_int_equal(RmGetList(joined[i], &need, &count, NULL, &reasons), ERROR_INVALID_HANDLE);
            assert_int_equal(RmEndSession(joined[i]), ERROR_SUCCESS);
            /* Nobody holds its objects now: the session is gone from the system. */
            assert_false(store_exists(keys[i]));
            assert_int_equal(RmJoinSession(&scratch, keys[i]), ERROR_SESSION_CREDENTIAL_CONFLICT);
        }
        assert_int_equal(tu_live_sessions(), before);
        done += BATCH;
    }
    handles_after = own_handles();
    print_message("%u sessions orphaned by %u kills; handles here %u -> %u\n", done,
                  done / BATCH, handles_before, handles_after);
    assert_int_equal(handles_after, handles_before);
    DeleteFileW(keyfile);
}

/* A secondary killed while it holds the session's lock, writing a batch. */
static void test_secondary_killed_holding_the_lock(void **state)
{
    enum { BATCH = 2000 };
    WCHAR key[CCH_RM_SESSION_KEY + 1], name[TU_OBJECT_NAME_CHARS], what[64];
    LPCWSTR after[1] = {L"C:\\after-the-kill.txt"};
    struct tu_store regs;
    HANDLE mutex, child = NULL;
    DWORD h, start = GetTickCount(), r = WAIT_TIMEOUT;
    unsigned i, tries = 0, target;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    _snwprintf(what, 64, L"Session.%ls.Lock", key);
    tu_object_name(name, what);
    mutex = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, name);
    assert_non_null(mutex);

    /* Catch the child while it holds the lock, once it is well into its batches (past its
     * join); kill it there. */
    while (r != WAIT_ABANDONED && GetTickCount() - start < TU_WAIT_MS) {
        if (!child) {
            child = tu_spawn_fixture(L"register-batches %ls %u C:\\b\\f", key, BATCH);
            assert_non_null(child);
            tries++;
            assert_int_equal(tu_store_read(key, &regs), 0);
            target = regs.nfiles + 2 * BATCH;
            tu_store_free(&regs);
            do {
                assert_int_equal(tu_store_read(key, &regs), 0);
                i = regs.nfiles;
                tu_store_free(&regs);
            } while (i < target && WaitForSingleObject(child, 10) == WAIT_TIMEOUT &&
                     GetTickCount() - start < TU_WAIT_MS);
        }
        r = WaitForSingleObject(mutex, 0);
        if (r == WAIT_OBJECT_0) {
            ReleaseMutex(mutex);
        } else if (r == WAIT_TIMEOUT) {
            TerminateProcess(child, 9);
            WaitForSingleObject(child, TU_WAIT_MS);
            r = WaitForSingleObject(mutex, TU_WAIT_MS);
            ReleaseMutex(mutex);
            CloseHandle(child);
            child = NULL;
        }
        if (child && WaitForSingleObject(child, 0) == WAIT_OBJECT_0) {
            CloseHandle(child);  /* it finished or failed: another one */
            child = NULL;
        }
    }
    if (child) {
        kill_and_wait(child);
        CloseHandle(child);
    }
    print_message("killed a secondary holding the lock after %u start(s)\n", tries);
    assert_int_equal(r, WAIT_ABANDONED);

    /* Whole batches only, nothing corrupt, and the session still takes registrations. */
    assert_int_equal(RmRegisterResources(h, 1, after, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tu_store_read(key, &regs), 0);
    assert_false(regs.corrupt);
    assert_true(regs.nfiles >= 1);
    assert_int_equal((regs.nfiles - 1) % BATCH, 0);
    for (i = 0; i + 1 < regs.nfiles; i++) {
        int batch = -1, n = -1;
        swscanf(regs.files[i], L"C:\\b\\f-%d-%d", &batch, &n);
        assert_int_equal(n, (int)(i % BATCH));
    }
    assert_true(wcscmp(regs.files[regs.nfiles - 1], L"C:\\after-the-kill.txt") == 0);
    print_message("%u whole batches were kept\n", (regs.nfiles - 1) / BATCH);
    tu_store_free(&regs);
    CloseHandle(mutex);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

/* ---- holders that exit while we work ---- */

enum { HOLDERS = 8 };
static HANDLE holders[HOLDERS];
static volatile LONG killer_done;

static DWORD WINAPI killer(void *arg)
{
    DWORD gap = (DWORD)(ULONG_PTR)arg;
    unsigned i;
    for (i = 0; i < HOLDERS; i++) {
        Sleep(gap);
        TerminateProcess(holders[i], 9);
    }
    InterlockedExchange(&killer_done, 1);
    return 0;
}

/* Holders of file: every other one in `mode` (with the file held), the rest plain holders. */
static void start_holders(const WCHAR *file, const WCHAR *mode)
{
    WCHAR ready_name[64];
    unsigned i;
    for (i = 0; i < HOLDERS; i++) {
        HANDLE ready = tu_event(ready_name);
        if (i % 2 || !mode)
            holders[i] = tu_spawn_fixture(L"hold \"%ls\" %ls", file, ready_name);
        else
            holders[i] = tu_spawn_fixture(L"with-file \"%ls\" %ls %ls", file, mode, ready_name);
        assert_non_null(holders[i]);
        assert_true(tu_wait_event(ready, holders[i]));
        CloseHandle(ready);
    }
}

static void end_holders(void)
{
    unsigned i;
    for (i = 0; i < HOLDERS; i++) {
        TerminateProcess(holders[i], 9);
        WaitForSingleObject(holders[i], TU_WAIT_MS);
        CloseHandle(holders[i]);
    }
}

static DWORD session_for(const WCHAR *file, WCHAR key[CCH_RM_SESSION_KEY + 1])
{
    LPCWSTR files[1] = {file};
    DWORD h;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    return h;
}

static void test_holders_exit_during_RmGetList(void **state)
{
    WCHAR file[MAX_PATH], key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO apps[HOLDERS + 4];
    HANDLE t;
    DWORD h, err, reasons, t0;
    UINT need, n;
    unsigned calls = 0;
    (void)state;

    tu_temp_path(file, L"exiting.dat");
    assert_true(tu_create_file(file));
    start_holders(file, NULL);
    h = session_for(file, key);
    n = ARRAYSIZE(apps);
    assert_int_equal(RmGetList(h, &need, &n, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(need, HOLDERS);

    killer_done = 0;
    t = CreateThread(NULL, 0, killer, (void *)(ULONG_PTR)150, 0, NULL);
    do {
        n = ARRAYSIZE(apps);
        t0 = GetTickCount();
        err = RmGetList(h, &need, &n, apps, &reasons);
        assert_true(err == ERROR_SUCCESS);
        assert_true(need <= HOLDERS);
        assert_true(GetTickCount() - t0 < TU_WAIT_MS);
        calls++;
    } while (!killer_done);
    assert_int_equal(WaitForSingleObject(t, TU_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    end_holders();
    n = ARRAYSIZE(apps);
    assert_int_equal(RmGetList(h, &need, &n, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(need, 0);
    print_message("%u RmGetList calls while %u holders were killed\n", calls, HOLDERS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    DeleteFileW(file);
}

/* The killer starts at the first progress past 0: RmShutdown has found every holder by
 * then (it reports 0 before it looks), so each one dies while the engine deals with it. */
static HANDLE killer_thread;

static void start_killer_on_progress(UINT percent)
{
    if (percent > 0 && !killer_thread)
        killer_thread = CreateThread(NULL, 0, killer, (void *)(ULONG_PTR)100, 0, NULL);
}

static void test_holders_exit_during_RmShutdown(void **state)
{
    WCHAR file[MAX_PATH], key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO apps[HOLDERS + 4];
    HANDLE t;
    DWORD h, err, reasons, t0;
    UINT need, n, i;
    (void)state;

    tu_temp_path(file, L"exiting-shutdown.dat");
    assert_true(tu_create_file(file));
    start_holders(file, L"gui-hang");
    h = session_for(file, key);
    killer_done = 0;
    killer_thread = NULL;
    t0 = GetTickCount();
    err = RmShutdown(h, RmForceShutdown, start_killer_on_progress);
    assert_non_null(t = killer_thread);
    print_message("RmShutdown while holders die: %lu after %lu ms\n", err, GetTickCount() - t0);
    assert_true(err == ERROR_SUCCESS || err == ERROR_FAIL_SHUTDOWN);
    assert_true(GetTickCount() - t0 < 60000);
    assert_int_equal(WaitForSingleObject(t, TU_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    for (i = 0; i < HOLDERS; i++)
        assert_int_equal(WaitForSingleObject(holders[i], TU_WAIT_MS), WAIT_OBJECT_0);
    n = ARRAYSIZE(apps);
    assert_int_equal(RmGetList(h, &need, &n, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(n, HOLDERS);  /* every holder RmShutdown found, none running now */
    for (i = 0; i < n; i++)
        assert_true(apps[i].AppStatus == RmStatusStopped || apps[i].AppStatus == RmStatusStoppedOther);
    end_holders();
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    DeleteFileW(file);
}

static WCHAR doomed[64];

static DWORD WINAPI delete_service_soon(void *unused)
{
    (void)unused;
    Sleep(500);
    tu_service_remove(doomed);
    return 0;
}

/* RmShutdown waits for a service that ignores stop; meanwhile it is deleted. */
static void test_service_deleted_during_RmShutdown(void **state)
{
    WCHAR file[MAX_PATH], key[CCH_RM_SESSION_KEY + 1];
    HANDLE t;
    DWORD h, err, t0;
    (void)state;

    tu_temp_path(file, L"svc-deleted.dat");
    assert_true(tu_create_file(file));
    tu_service_name(doomed, L"doomed");
    assert_true(tu_service_create(doomed, L"ignore", file, NULL));
    assert_true(tu_service_start(doomed) != 0);
    h = session_for(file, key);
    t = CreateThread(NULL, 0, delete_service_soon, NULL, 0, NULL);
    t0 = GetTickCount();
    err = RmShutdown(h, 0, NULL);
    print_message("RmShutdown with its service deleted: %lu after %lu ms\n", err, GetTickCount() - t0);
    assert_true(err == ERROR_SUCCESS || err == ERROR_FAIL_SHUTDOWN);
    assert_true(GetTickCount() - t0 < 30000);  /* the service bound is 20 s at most */
    assert_int_equal(WaitForSingleObject(t, TU_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    tu_service_remove(doomed);
    DeleteFileW(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_primary_killed_1000_times_nothing_leaks),
        cmocka_unit_test(test_secondary_killed_holding_the_lock),
        cmocka_unit_test(test_holders_exit_during_RmGetList),
        cmocka_unit_test(test_holders_exit_during_RmShutdown),
        cmocka_unit_test(test_service_deleted_during_RmShutdown),
    };
    return cmocka_run_group_tests(tests, tu_short_engine_bounds, tu_restore_engine_bounds);
}
