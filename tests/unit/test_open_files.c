/*
 * test_open_files.c - the handle walk never hangs: when the query on one handle blocks
 * forever (as a synchronous pipe with a pending read makes it on Windows; Wine does not
 * block there, so the block is made here), the walk abandons it within its bound and
 * still finds the holders of the handles after it.
 */
#include <string.h>

#include "testutil.h"
#include "engine/engine.h"
#include "sys/sys.h"

static ULONGLONG blocker_index;
static HANDLE release_event;
static volatile LONG blocked_calls;

static BOOL blocking_query(HANDLE file, ULONGLONG *index)
{
    BOOL ok = rm_file_index(file, index);
    if (ok && *index == blocker_index) {
        InterlockedIncrement(&blocked_calls);
        WaitForSingleObject(release_event, INFINITE);  /* a pipe that never wakes */
    }
    return ok;
}

/* The targets of one registered file, and empty sets for what the walk finds. */
static void one_target(WCHAR *path, struct rm_targets *targets, struct rm_pidset *found,
                       struct rm_pidset *denied)
{
    static WCHAR *files[1];
    struct rm_registrations regs;

    memset(&regs, 0, sizeof(regs));
    files[0] = path;
    regs.files = files;
    regs.nfiles = 1;
    assert_int_equal(rm_targets_build(&regs, targets), 0);
    memset(found, 0, sizeof(*found));
    memset(denied, 0, sizeof(*denied));
}

static void test_open_files_abandons_a_blocked_query(void **state)
{
    WCHAR blocker_path[MAX_PATH], target_path[MAX_PATH], ready_name[64];
    HANDLE blocker, ready = tu_event(ready_name), child;
    struct rm_targets targets;
    struct rm_pidset found, denied;
    (void)state;

    tu_temp_path(blocker_path, L"blocker.dat");
    tu_temp_path(target_path, L"target.dat");
    assert_true(tu_create_file(target_path));
    /* We hold the blocker ourselves; a child holds the target. */
    blocker = CreateFileW(blocker_path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(blocker != INVALID_HANDLE_VALUE);
    assert_true(rm_file_index(blocker, &blocker_index));
    child = tu_spawn_fixture(L"hold %ls %ls", target_path, ready_name);
    assert_true(tu_wait_event(ready, child));

    one_target(target_path, &targets, &found, &denied);
    release_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    rm_open_files_set_query(blocking_query);

    assert_int_equal(rm_open_files_find(&targets, &found, &denied), 0);

    rm_open_files_set_query(NULL);
    print_message("blocked queries: %ld, holders found: %u\n", blocked_calls, found.n);
    assert_true(blocked_calls >= 1);
    assert_true(rm_pidset_has(&found, GetProcessId(child)));
    assert_false(rm_pidset_has(&found, GetCurrentProcessId()));

    /* Later calls skip the handle while its inspector is still stuck: no pile of threads
     * stuck on one handle, and the holder is still found each time. */
    blocked_calls = 0;
    rm_open_files_set_query(blocking_query);
    for (int i = 0; i < 3; i++) {
        rm_pidset_free(&found);
        assert_int_equal(rm_open_files_find(&targets, &found, &denied), 0);
        assert_true(rm_pidset_has(&found, GetProcessId(child)));
    }
    print_message("blocked queries in 3 more calls: %ld\n", blocked_calls);
    assert_int_equal(blocked_calls, 0);

    /* Let the abandoned inspector finish; it frees what it holds, and the handle is
     * inspected again from then on. */
    SetEvent(release_event);
    Sleep(100);
    rm_pidset_free(&found);
    assert_int_equal(rm_open_files_find(&targets, &found, &denied), 0);
    rm_open_files_set_query(NULL);
    assert_int_equal(blocked_calls, 1);

    rm_pidset_free(&found);
    assert_int_equal(denied.n, 0);  /* every process could be looked into */
    rm_pidset_free(&denied);
    rm_targets_free(&targets);
    TerminateProcess(child, 0);
    WaitForSingleObject(child, TU_WAIT_MS);
    CloseHandle(child);
    CloseHandle(ready);
    CloseHandle(blocker);
    DeleteFileW(blocker_path);
    DeleteFileW(target_path);
}

/* The walk's duplicates alive at once, counted through the system table. */
static HANDLE alive[4096];
static LONG nalive, most_alive;
static const struct rm_sys *real_sys;
static struct rm_sys counting_sys;

static BOOL WINAPI counting_duplicate(HANDLE sp, HANDLE src, HANDLE tp, LPHANDLE out, DWORD access,
                                      BOOL inherit, DWORD options)
{
    BOOL ok = real_sys->DuplicateHandle(sp, src, tp, out, access, inherit, options);
    if (ok && tp == GetCurrentProcess() && sp != GetCurrentProcess() && nalive < 4096) {
        alive[nalive++] = *out;
        if (nalive > most_alive)
            most_alive = nalive;
    }
    return ok;
}

static BOOL WINAPI counting_close(HANDLE h)
{
    LONG i;
    for (i = 0; i < nalive; i++)
        if (alive[i] == h) {
            alive[i] = alive[--nalive];
            break;
        }
    return real_sys->CloseHandle(h);
}

/* With many file handles in the system, the walk never holds a duplicate of each at once:
 * it duplicates, asks and closes them in batches. */
static void test_open_files_duplicates_in_batches(void **state)
{
    enum { MANY_HANDLES = 700 };
    static HANDLE mine[MANY_HANDLES];
    WCHAR path[MAX_PATH], target_path[MAX_PATH];
    struct rm_targets targets;
    struct rm_pidset found, denied;
    unsigned i;
    (void)state;

    tu_temp_path(path, L"many.dat");
    tu_temp_path(target_path, L"batch-target.dat");
    assert_true(tu_create_file(path));
    assert_true(tu_create_file(target_path));
    for (i = 0; i < MANY_HANDLES; i++) {
        mine[i] = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, 0, NULL);
        assert_true(mine[i] != INVALID_HANDLE_VALUE);
    }
    one_target(target_path, &targets, &found, &denied);
    real_sys = rm_sys_real();
    counting_sys = *real_sys;
    counting_sys.DuplicateHandle = counting_duplicate;
    counting_sys.CloseHandle = counting_close;
    nalive = most_alive = 0;
    rm_sys_install(&counting_sys);
    assert_int_equal(rm_open_files_find(&targets, &found, &denied), 0);
    rm_sys_install(NULL);
    print_message("at most %ld duplicates alive at once, with %u handles of ours to walk\n",
                  most_alive, (unsigned)MANY_HANDLES);
    assert_true(most_alive > 0);
    assert_true(most_alive < MANY_HANDLES / 2);
    rm_pidset_free(&found);
    rm_pidset_free(&denied);
    rm_targets_free(&targets);
    for (i = 0; i < MANY_HANDLES; i++)
        CloseHandle(mine[i]);
    DeleteFileW(path);
    DeleteFileW(target_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_files_abandons_a_blocked_query),
        cmocka_unit_test(test_open_files_duplicates_in_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
