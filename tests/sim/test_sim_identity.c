/*
 * test_sim_identity.c - windows-sim: issue 13's Windows paths. Loaded modules matched by
 * file identity under any spelling; a WOW64 process's modules through Toolhelp's 32-bit
 * list (no PEB read); a holder the caller may not open named from SystemProcessInformation;
 * processes that cannot be inspected reported where the handle walk ran and not where the
 * file system answered; a dead server bounded; a pipe name never opened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "simsys.h"
#include "resolve/resolve.h"

static WCHAR paths[4][MAX_PATH];
static WCHAR *files[4] = { paths[0], paths[1], paths[2], paths[3] };

static struct rm_registrations regs(unsigned n)
{
    struct rm_registrations r;
    ZeroMemory(&r, sizeof(r));
    r.files = files;
    r.nfiles = n;
    return r;
}

/* Loaded by its 8.3 name, registered by the long one (and the other way round): found by
 * identity, while a DLL of the same name that is another file is not. */
static void module_found_by_identity_under_any_spelling(void **state)
{
    struct sim_world *w = sim_begin();
    struct sim_process *by_short = sim_add_process(SIM_GUI, L"host1.exe");
    struct sim_process *twin = sim_add_process(SIM_GUI, L"host2.exe");
    WCHAR short_name[MAX_PATH], other[MAX_PATH];
    struct rm_registrations r = regs(1);
    struct rm_affected a;
    (void)state;

    sim_temp_image(L"plugin with a long name.dll", paths[0]);
    assert_true(GetShortPathNameW(paths[0], short_name, MAX_PATH) > 0);
    sim_temp_file(L"twin", other);  /* a folder of that name */
    DeleteFileW(other);
    assert_true(CreateDirectoryW(other, NULL));
    sim_temp_image(L"twin\\plugin with a long name.dll", other);
    by_short->modules[0] = short_name;
    twin->modules[0] = other;
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_non_null(sim_find(&a, by_short->pid));
    assert_null(sim_find(&a, twin->pid));
    assert_int_equal(a.count, 1);
    rm_affected_free(&a);
    wcscpy(paths[0], short_name);  /* registered by the 8.3 name */
    by_short->modules[0] = NULL;
    twin->modules[0] = NULL;
    sim_temp_image(L"plugin with a long name.dll", paths[1]);
    by_short->modules[0] = paths[1];
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 1);
    assert_non_null(sim_find(&a, by_short->pid));
    assert_int_equal(w->peb_reads, 0);
    rm_affected_free(&a);
    DeleteFileW(other);
    other[wcslen(other) - wcslen(L"\\plugin with a long name.dll")] = 0;
    RemoveDirectoryW(other);
    sim_end();
}

/* A 32-bit process on 64-bit Windows: its modules come from Toolhelp's 32-bit list
 * (TH32CS_SNAPMODULE32), never from reading its memory (a Wine-only path). */
static void wow64_module_found_through_toolhelp(void **state)
{
    struct sim_world *w = sim_begin();
    struct sim_process *p = sim_add_process(SIM_GUI, L"old32.exe");
    struct rm_registrations r = regs(1);
    struct rm_affected a;
    (void)state;

    sim_temp_image(L"shared32.dll", paths[0]);
    p->wow64 = TRUE;
    p->modules[0] = paths[0];
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 1);
    assert_int_equal(a.apps[0].Process.dwProcessId, p->pid);
    assert_int_equal(w->peb_reads, 0);
    assert_int_equal(w->handle_walks, 0);
    rm_affected_free(&a);
    sim_end();
}

/* A holder the caller may not open: RmCritical, PermissionDenied, and still named with
 * its image and its creation time, read from SystemProcessInformation. */
static void denied_holder_named_from_system_process_list(void **state)
{
    struct sim_world *w = sim_begin();
    struct sim_process *admin = sim_add_process(SIM_GUI, L"elevated tool.exe");
    struct sim_process *bystander = sim_add_process(SIM_GUI, L"unrelated.exe");
    struct rm_registrations r = regs(1);
    const RM_PROCESS_INFO *e;
    struct rm_affected a;
    (void)state;

    sim_temp_image(L"in use.dll", paths[0]);
    admin->denied = bystander->denied = TRUE;
    admin->uses[0] = paths[0];
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_non_null(e = sim_find(&a, admin->pid));
    assert_int_equal(e->ApplicationType, RmCritical);
    assert_true(a.reasons & RmRebootReasonPermissionDenied);
    assert_true(wcscmp(e->strAppName, L"elevated tool.exe") == 0);
    assert_int_equal(e->Process.ProcessStartTime.dwLowDateTime, admin->start.dwLowDateTime);
    assert_int_equal(e->Process.ProcessStartTime.dwHighDateTime, admin->start.dwHighDateTime);
    /* The file system named every user: a process we may not look into that it did not
     * name is not one. */
    assert_null(sim_find(&a, bystander->pid));
    assert_int_equal(a.count, 1);
    assert_int_equal(w->handle_walks, 0);
    rm_affected_free(&a);
    sim_end();
}

/* Where the file system cannot answer (the walk runs), a process whose handles and
 * modules cannot be read may be a user: listed as PermissionDenied, not left out. */
static void uninspectable_listed_where_the_walk_ran(void **state)
{
    struct sim_world *w = sim_begin();
    struct sim_process *admin = sim_add_process(SIM_GUI, L"elevated.exe");
    struct rm_registrations r = regs(1);
    const RM_PROCESS_INFO *e;
    struct rm_affected a;
    (void)state;

    w->no_file_ids = TRUE;
    sim_temp_image(L"maybe used.dll", paths[0]);
    admin->denied = TRUE;
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(w->handle_walks, 1);
    assert_non_null(e = sim_find(&a, admin->pid));
    assert_int_equal(e->ApplicationType, RmCritical);
    assert_true(a.reasons & RmRebootReasonPermissionDenied);
    rm_affected_free(&a);
    sim_end();
}

/* Registered files on a server that does not answer: the call returns within the bound,
 * the server is asked once, and a local holder is still found. */
static void dead_server_is_bounded(void **state)
{
    struct sim_world *w = sim_begin();
    struct sim_process *holder = sim_add_process(SIM_GUI, L"editor.exe");
    struct rm_registrations r = regs(3);
    struct rm_affected a;
    DWORD start;
    (void)state;

    w->dead_server = L"\\\\deadserver\\";
    wcscpy(paths[0], L"\\\\deadserver\\share\\app\\a.dll");
    wcscpy(paths[1], L"\\\\deadserver\\share\\app\\b.dll");
    sim_temp_file(L"local.dat", paths[2]);
    holder->uses[0] = paths[2];
    start = GetTickCount();
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    print_message("resolved in %lu ms\n", GetTickCount() - start);
    assert_true(GetTickCount() - start < 2 * RM_REMOTE_OPEN_TIMEOUT_MS + 1000);
    assert_int_equal(w->dead_opens, 1);
    assert_non_null(sim_find(&a, holder->pid));
    rm_affected_free(&a);
    sim_end();
}

/* A registered pipe name is not a file: never opened (that would connect to the pipe). */
static void pipe_name_never_opened(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = regs(2);
    struct rm_affected a;
    (void)state;

    wcscpy(paths[0], L"\\\\.\\pipe\\rmsim-service-pipe");
    wcscpy(paths[1], L"\\\\?\\pipe\\rmsim-other");
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 0);
    assert_int_equal(w->pipe_opens, 0);
    rm_affected_free(&a);
    sim_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(module_found_by_identity_under_any_spelling),
        cmocka_unit_test(wow64_module_found_through_toolhelp),
        cmocka_unit_test(denied_holder_named_from_system_process_list),
        cmocka_unit_test(uninspectable_listed_where_the_walk_ran),
        cmocka_unit_test(dead_server_is_bounded),
        cmocka_unit_test(pipe_name_never_opened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
