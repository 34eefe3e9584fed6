/*
 * test_open_files.c - the handle walk never hangs: when the query on one handle blocks
 * forever (as a synchronous pipe with a pending read makes it on Windows; Wine does not
 * block there, so the block is made here), the walk abandons it within its bound and
 * still finds the holders of the handles after it.
 */
#include <string.h>

#include "testutil.h"
#include "engine/engine.h"

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

static void test_open_files_abandons_a_blocked_query(void **state)
{
    WCHAR blocker_path[MAX_PATH], target_path[MAX_PATH], ready_name[64];
    HANDLE blocker, ready = tu_event(ready_name), child;
    struct rm_registrations regs;
    struct rm_targets targets;
    struct rm_pidset found;
    WCHAR *files[1];
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

    memset(&regs, 0, sizeof(regs));
    files[0] = target_path;
    regs.files = files;
    regs.nfiles = 1;
    assert_int_equal(rm_targets_build(&regs, &targets), 0);
    memset(&found, 0, sizeof(found));
    release_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    rm_open_files_set_query(blocking_query);

    assert_int_equal(rm_open_files_find(&targets, &found), 0);

    rm_open_files_set_query(NULL);
    print_message("blocked queries: %ld, holders found: %u\n", blocked_calls, found.n);
    assert_true(blocked_calls >= 1);
    assert_true(rm_pidset_has(&found, GetProcessId(child)));
    assert_false(rm_pidset_has(&found, GetCurrentProcessId()));
    /* Let the abandoned inspector finish; it frees what it holds. */
    SetEvent(release_event);
    Sleep(50);

    rm_pidset_free(&found);
    rm_targets_free(&targets);
    TerminateProcess(child, 0);
    WaitForSingleObject(child, TU_WAIT_MS);
    CloseHandle(child);
    CloseHandle(ready);
    CloseHandle(blocker);
    DeleteFileW(blocker_path);
    DeleteFileW(target_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_files_abandons_a_blocked_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
