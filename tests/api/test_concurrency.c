/*
 * test_concurrency.c - many callers at once:
 *   - 64 sessions, 8 threads on each (half on the primary handle, half on a handle joined
 *     in this process) and 4 other processes joined to 4 of them, registering 10,000 files
 *     in all, one per call, all started by one event, while the main thread keeps calling
 *     RmGetList on every session: every file is kept exactly once, no call fails, and all
 *     of it ends within its bound (a deadlock fails the test instead of hanging it);
 *   - RmEndSession on a handle while another thread is inside a call on it: it asks that
 *     call to stop and waits for it (bounded), then ends (docs/decisions.md);
 *   - RmEndSession while threads keep registering on the same handles: each of their
 *     calls either succeeds or says ERROR_INVALID_HANDLE.
 * Lock order under test: docs/hardening.md.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "store.h"

enum { SESSIONS = 64, THREADS = 8, PROCS = 4, PROC_FILES = 68, TOTAL = 10000 };

static HANDLE spawn_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    /* A small stack: 512 threads must fit the address space of an x86 process. */
    HANDLE t = CreateThread(NULL, 64 * 1024, fn, arg, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    assert_non_null(t);
    return t;
}

/* Waits for any number of threads, 64 at a time, all within one deadline. */
static void wait_all(HANDLE *t, unsigned n, DWORD deadline_ms)
{
    DWORD start = GetTickCount();
    unsigned i;
    for (i = 0; i < n; i += 64) {
        DWORD left, waited = GetTickCount() - start;
        unsigned chunk = n - i < 64 ? n - i : 64;
        left = waited < deadline_ms ? deadline_ms - waited : 0;
        assert_int_equal(WaitForMultipleObjects(chunk, t + i, TRUE, left), WAIT_OBJECT_0);
    }
}

struct writer {
    DWORD handle;
    unsigned session, thread, files;
    DWORD err;
};

static HANDLE go;

static DWORD WINAPI writer_thread(void *arg)
{
    struct writer *w = arg;
    WCHAR name[64];
    LPCWSTR one[1] = {name};
    unsigned i;

    WaitForSingleObject(go, TU_WAIT_MS);
    for (i = 0; i < w->files && !w->err; i++) {
        _snwprintf(name, 64, L"C:\\s%u\\t%u\\f%u", w->session, w->thread, i);
        w->err = RmRegisterResources(w->handle, 1, one, 0, NULL, 0, NULL);
    }
    return 0;
}

static void test_64_sessions_8_threads_10000_files_while_listing(void **state)
{
    static struct writer w[SESSIONS * THREADS];
    static HANDLE threads[SESSIONS * THREADS];
    static char seen[THREADS + 1][PROC_FILES + 32];
    WCHAR keys[SESSIONS][CCH_RM_SESSION_KEY + 1];
    DWORD primary[SESSIONS], joined[SESSIONS], t0;
    HANDLE procs[PROCS];
    unsigned before = tu_live_sessions(), n, i, s, total = 0, lists = 0, per, extra;
    (void)state;

    n = SESSIONS - before;  /* 64 unless a process of this user holds some */
    print_message("%u sessions, %u threads, %u processes\n", n, n * THREADS, PROCS);
    assert_true(n >= PROCS);
    for (s = 0; s < n; s++) {
        assert_int_equal(RmStartSession(&primary[s], 0, keys[s]), ERROR_SUCCESS);
        assert_int_equal(RmJoinSession(&joined[s], keys[s]), ERROR_SUCCESS);
    }
    assert_int_equal(tu_live_sessions(), SESSIONS);

    go = CreateEventW(NULL, TRUE, FALSE, NULL);
    per = (TOTAL - PROCS * PROC_FILES) / (n * THREADS);
    extra = (TOTAL - PROCS * PROC_FILES) % (n * THREADS);
    for (i = 0; i < n * THREADS; i++) {
        w[i].session = i / THREADS;
        w[i].thread = i % THREADS;
        w[i].handle = i % 2 ? joined[w[i].session] : primary[w[i].session];
        w[i].files = per + (i < extra ? 1 : 0);
        w[i].err = 0;
        total += w[i].files;
        threads[i] = spawn_thread(writer_thread, &w[i]);
    }
    for (i = 0; i < PROCS; i++) {
        procs[i] = tu_spawn_fixture(L"register-loop %ls %u C:\\s%u\\p", keys[i], PROC_FILES, i);
        assert_non_null(procs[i]);
        total += PROC_FILES;
    }
    assert_int_equal(total, TOTAL);

    t0 = GetTickCount();
    SetEvent(go);
    /* The primary lists while everyone writes. */
    while (WaitForMultipleObjects(n * THREADS < 64 ? n * THREADS : 64, threads, TRUE, 0) == WAIT_TIMEOUT ||
           WaitForMultipleObjects(PROCS, procs, TRUE, 0) == WAIT_TIMEOUT) {
        UINT need, count = 0;
        DWORD reasons;
        assert_int_equal(RmGetList(primary[lists % n], &need, &count, NULL, &reasons), ERROR_SUCCESS);
        lists++;
        assert_true(GetTickCount() - t0 < 180000);
    }
    wait_all(threads, n * THREADS, 120000);
    for (i = 0; i < PROCS; i++) {
        assert_int_equal(tu_wait_exit(procs[i]), 0);
        CloseHandle(procs[i]);
    }
    print_message("%u registrations and %u RmGetList calls in %lu ms\n", total, lists,
                  GetTickCount() - t0);
    for (i = 0; i < n * THREADS; i++) {
        if (w[i].err)
            fail_msg("session %u thread %u: %lu", w[i].session, w[i].thread, w[i].err);
        CloseHandle(threads[i]);
    }

    /* Exactly what was registered, each once, in every session. */
    for (s = 0; s < n; s++) {
        struct tu_store regs;
        unsigned expect = 0, sess, th, f;

        assert_int_equal(tu_store_read(keys[s], &regs), 0);
        assert_false(regs.corrupt);
        memset(seen, 0, sizeof(seen));
        for (i = 0; i < regs.nfiles; i++) {
            if (swscanf(regs.files[i], L"C:\\s%u\\t%u\\f%u", &sess, &th, &f) == 3) {
                assert_true(th < THREADS && f < PROC_FILES + 32);
            } else if (swscanf(regs.files[i], L"C:\\s%u\\p-%u", &sess, &f) == 2) {
                th = THREADS;
                assert_true(f < PROC_FILES);
            } else {
                fail_msg("unexpected name %ls", regs.files[i]);
            }
            assert_int_equal(sess, s);
            if (seen[th][f])
                fail_msg("%ls registered twice", regs.files[i]);
            seen[th][f] = 1;
        }
        for (i = s * THREADS; i < (s + 1) * THREADS; i++)
            expect += w[i].files;
        if (s < PROCS)
            expect += PROC_FILES;
        assert_int_equal(regs.nfiles, expect);
        tu_store_free(&regs);
        assert_int_equal(RmEndSession(joined[s]), ERROR_SUCCESS);
        assert_int_equal(RmEndSession(primary[s]), ERROR_SUCCESS);
    }
    assert_int_equal(tu_live_sessions(), before);
    CloseHandle(go);
}

/* ---- RmEndSession while a call runs on the same handle ---- */

static HANDLE inside, release;
static DWORD session;

static void blocking_progress(UINT percent)
{
    if (percent != 0)
        return;
    SetEvent(inside);
    WaitForSingleObject(release, TU_WAIT_MS);
}

static DWORD WINAPI shutdown_thread(void *unused)
{
    (void)unused;
    return RmShutdown(session, 0, blocking_progress);
}

static DWORD WINAPI end_thread(void *unused)
{
    (void)unused;
    return RmEndSession(session);
}

static void test_end_session_waits_for_the_running_call(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    HANDLE a, b;
    DWORD code;
    UINT need, n = 0;
    (void)state;

    inside = CreateEventW(NULL, TRUE, FALSE, NULL);
    release = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_int_equal(RmStartSession(&session, 0, key), ERROR_SUCCESS);
    a = spawn_thread(shutdown_thread, NULL);
    assert_int_equal(WaitForSingleObject(inside, TU_WAIT_MS), WAIT_OBJECT_0);
    b = spawn_thread(end_thread, NULL);
    /* RmShutdown is inside its callback: RmEndSession must not return yet. */
    assert_int_equal(WaitForSingleObject(b, 500), WAIT_TIMEOUT);
    SetEvent(release);
    assert_int_equal(WaitForSingleObject(a, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(b, TU_WAIT_MS), WAIT_OBJECT_0);
    GetExitCodeThread(a, &code);
    assert_int_equal(code, ERROR_CANCELLED);  /* RmEndSession asked it to stop */
    GetExitCodeThread(b, &code);
    assert_int_equal(code, ERROR_SUCCESS);
    assert_int_equal(RmGetList(session, &need, &n, NULL, &code), ERROR_INVALID_HANDLE);
    CloseHandle(a); CloseHandle(b); CloseHandle(inside); CloseHandle(release);
}

/* ---- RmEndSession while other threads keep registering ---- */

struct racer { DWORD handle; volatile LONG ok, gone, other; };

static DWORD WINAPI racer_thread(void *arg)
{
    struct racer *r = arg;
    LPCWSTR one[1] = {L"C:\\race\\file.txt"};
    for (;;) {
        DWORD err = RmRegisterResources(r->handle, 1, one, 0, NULL, 0, NULL);
        if (err == ERROR_SUCCESS)
            InterlockedIncrement(&r->ok);
        else if (err == ERROR_INVALID_HANDLE && InterlockedIncrement(&r->gone) >= 3)
            return 0;
        else if (err != ERROR_INVALID_HANDLE)
            InterlockedIncrement(&r->other);
        if (r->other)
            return 0;
    }
}

/* Waits (bounded) until every racer has registered at least once. */
static void wait_all_registered(struct racer *r, unsigned n)
{
    DWORD t0 = GetTickCount();
    unsigned i = 0;
    while (i < n && GetTickCount() - t0 < TU_WAIT_MS) {
        if (r[i].ok > 0)
            i++;
        else
            Sleep(1);
    }
    assert_int_equal(i, n);
}

static void test_end_session_while_threads_register(void **state)
{
    enum { RACERS = 16 };
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    struct racer r[RACERS];
    HANDLE t[RACERS];
    DWORD h, j;
    unsigned i;
    LONG ok = 0;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    for (i = 0; i < RACERS; i++) {
        memset(&r[i], 0, sizeof(r[i]));
        r[i].handle = i % 2 ? j : h;
        t[i] = spawn_thread(racer_thread, &r[i]);
    }
    /* Each handle is ended while every racer is in its loop of calls on it. */
    wait_all_registered(r, RACERS);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    wait_all(t, RACERS, TU_WAIT_MS);
    for (i = 0; i < RACERS; i++) {
        assert_int_equal(r[i].other, 0);
        assert_true(r[i].ok > 0);
        assert_int_equal(r[i].gone, 3);  /* it saw the end, and stopped there */
        ok += r[i].ok;
        CloseHandle(t[i]);
    }
    print_message("%ld registrations succeeded before the ends\n", ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_64_sessions_8_threads_10000_files_while_listing),
        cmocka_unit_test(test_end_session_waits_for_the_running_call),
        cmocka_unit_test(test_end_session_while_threads_register),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
