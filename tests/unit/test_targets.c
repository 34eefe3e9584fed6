/*
 * test_targets.c - the registered files as the resolver looks for them: a folder with many
 * registered files is read by one listing, the others file by file; both give each file's
 * index as an open handle does, the same path twice is looked for once, missing files are
 * left out, a directory refuses the call, and a held file among many is found by its
 * holder's handle.
 */
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "testutil.h"
#include "engine/engine.h"

#define MANY 24   /* well above the count from which a folder is listed */

struct folder_of_files {
    WCHAR dir[MAX_PATH];
    WCHAR *paths[MANY];
    WCHAR store[MANY][MAX_PATH];
};

static void make_folder(struct folder_of_files *f, const WCHAR *tag)
{
    unsigned i;
    tu_temp_path(f->dir, tag);
    assert_true(CreateDirectoryW(f->dir, NULL));
    for (i = 0; i < MANY; i++) {
        _snwprintf(f->store[i], MAX_PATH, L"%ls\\file%02u.dat", f->dir, i);
        f->paths[i] = f->store[i];
        assert_true(tu_create_file(f->paths[i]));
    }
}

static void remove_folder(struct folder_of_files *f)
{
    unsigned i;
    for (i = 0; i < MANY; i++)
        DeleteFileW(f->store[i]);
    RemoveDirectoryW(f->dir);
}

static ULONGLONG index_by_open(const WCHAR *path)
{
    HANDLE h = CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    ULONGLONG index = 0;
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_true(rm_file_index(h, &index));
    CloseHandle(h);
    return index;
}

static void build(WCHAR **files, unsigned n, struct rm_targets *t, DWORD expect)
{
    struct rm_registrations regs;
    memset(&regs, 0, sizeof(regs));
    regs.files = files;
    regs.nfiles = n;
    assert_int_equal(rm_targets_build(&regs, t), expect);
}

/* Many files of one folder (listed), with one spelt in another case, one twice and one
 * missing; every existing file is found by the index an open handle gives. */
static void test_targets_listed_folder_gives_the_indices_of_open(void **state)
{
    struct folder_of_files f;
    WCHAR *files[MANY + 3], upper[MAX_PATH], missing[MAX_PATH];
    struct rm_targets t;
    unsigned i;
    (void)state;

    make_folder(&f, L"listed");
    for (i = 0; i < MANY; i++)
        files[i] = f.paths[i];
    /* file00 again, file01 upper-cased, and a file that does not exist */
    files[MANY] = f.paths[0];
    wcscpy(upper, f.paths[1]);
    for (i = (unsigned)wcslen(f.dir) + 1; upper[i]; i++)
        upper[i] = (WCHAR)towupper(upper[i]);
    files[MANY + 1] = upper;
    _snwprintf(missing, MAX_PATH, L"%ls\\missing.dat", f.dir);
    files[MANY + 2] = missing;

    build(files, MANY + 3, &t, ERROR_SUCCESS);
    print_message("targets: %u with an index, %u paths\n", t.count, t.npaths);
    assert_int_equal(t.count, MANY);  /* each existing file once, whatever its spelling */
    assert_int_equal(t.npaths, MANY);
    for (i = 0; i < MANY; i++) {
        assert_true(rm_targets_has_index(&t, index_by_open(f.paths[i])));
        assert_true(rm_targets_has_path(&t, f.paths[i]));
    }
    assert_false(rm_targets_has_path(&t, missing));
    rm_targets_free(&t);
    remove_folder(&f);
}

/* A few files (opened one by one) give the same as a listing would. */
static void test_targets_few_files_are_opened(void **state)
{
    struct folder_of_files f;
    struct rm_targets t;
    unsigned i;
    (void)state;

    make_folder(&f, L"few");
    build(f.paths, 3, &t, ERROR_SUCCESS);
    assert_int_equal(t.count, 3);
    for (i = 0; i < 3; i++)
        assert_true(rm_targets_has_index(&t, index_by_open(f.paths[i])));
    assert_false(rm_targets_has_index(&t, index_by_open(f.paths[3])));
    rm_targets_free(&t);
    remove_folder(&f);
}

/* A directory registered among many files of its parent still refuses the call. */
static void test_targets_directory_in_a_listed_folder(void **state)
{
    struct folder_of_files f;
    WCHAR *files[MANY + 1], sub[MAX_PATH];
    struct rm_targets t;
    unsigned i;
    (void)state;

    make_folder(&f, L"withdir");
    _snwprintf(sub, MAX_PATH, L"%ls\\subfolder", f.dir);
    assert_true(CreateDirectoryW(sub, NULL));
    for (i = 0; i < MANY; i++)
        files[i] = f.paths[i];
    files[MANY] = sub;
    build(files, MANY + 1, &t, ERROR_ACCESS_DENIED);
    RemoveDirectoryW(sub);
    remove_folder(&f);
}

/* One file of many, held by a child: the walk finds the child by its handle, and only it. */
static void test_targets_held_file_among_many_is_found(void **state)
{
    WCHAR ready_name[64];
    HANDLE ready = tu_event(ready_name), child;
    struct folder_of_files f;
    struct rm_targets t;
    struct rm_pidset found;
    (void)state;

    make_folder(&f, L"held");
    child = tu_spawn_fixture(L"hold %ls %ls", f.paths[MANY / 2], ready_name);
    assert_true(tu_wait_event(ready, child));
    build(f.paths, MANY, &t, ERROR_SUCCESS);
    memset(&found, 0, sizeof(found));
    assert_int_equal(rm_open_files_find(&t, &found), ERROR_SUCCESS);
    print_message("holders found: %u\n", found.n);
    assert_int_equal(found.n, 1);
    assert_true(rm_pidset_has(&found, GetProcessId(child)));
    rm_pidset_free(&found);
    rm_targets_free(&t);
    TerminateProcess(child, 0);
    WaitForSingleObject(child, TU_WAIT_MS);
    CloseHandle(child);
    CloseHandle(ready);
    remove_folder(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets_listed_folder_gives_the_indices_of_open),
        cmocka_unit_test(test_targets_few_files_are_opened),
        cmocka_unit_test(test_targets_directory_in_a_listed_folder),
        cmocka_unit_test(test_targets_held_file_among_many_is_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
