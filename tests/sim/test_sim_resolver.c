/*
 * test_sim_resolver.c - windows-sim: the resolver against a simulated Windows (simsys.c),
 * for the paths Wine cannot run: the file system's own answer (§11.3) instead of the handle
 * walk, holders the caller may not open, other terminal sessions, service hosts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "simsys.h"
#include "resolve/resolve.h"

/* §11.3 available: the file system names the holder; the handle table is never walked. */
static void file_ids_answer_without_handle_walk(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"data.db");
    struct sim_process *holder = sim_add_process(SIM_GUI, L"editor.exe");
    struct sim_process *other = sim_add_process(SIM_GUI, L"viewer.exe");
    struct rm_affected a;
    (void)state;

    holder->title = L"Editor";
    holder->uses[0] = w->file;
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 1);
    assert_int_equal(a.apps[0].Process.dwProcessId, holder->pid);
    assert_null(sim_find(&a, other->pid));
    assert_int_equal(a.apps[0].ApplicationType, RmMainWindow);
    assert_true(wcscmp(a.apps[0].strAppName, L"Editor") == 0);
    assert_true(w->file_id_queries >= 1);
    assert_int_equal(w->handle_walks, 0);
    assert_int_equal(sim_wine_paths_used(), 0);
    rm_affected_free(&a);
    sim_end();
}

/* The caller's own query handle is in the file system's answer: never listed. */
static void caller_never_listed_from_file_ids(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"mine.dat");
    struct rm_affected a;
    (void)state;

    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 0);
    assert_int_equal(a.reasons, 0);
    assert_true(w->file_id_queries >= 1);
    rm_affected_free(&a);
    sim_end();
}

/* A platform without the class (as Wine 8): the handle walk answers instead. */
static void missing_class_falls_back_to_handle_walk(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"old.db");
    struct rm_affected a;
    (void)state;

    w->no_file_ids = TRUE;
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(w->handle_walks, 1);
    rm_affected_free(&a);
    sim_end();
}

/* A holder the caller may not open (elevated, another user): reported, never dropped, as
 * RmCritical with RmRebootReasonPermissionDenied (RM_PROCESS_INFO docs). */
static void holder_denied_is_critical_permission_denied(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"locked.dll");
    struct sim_process *admin = sim_add_process(SIM_GUI, L"elevated.exe");
    const RM_PROCESS_INFO *e;
    struct rm_affected a;
    (void)state;

    admin->denied = TRUE;
    admin->uses[0] = w->file;
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_non_null(e = sim_find(&a, admin->pid));
    assert_int_equal(e->ApplicationType, RmCritical);
    assert_true(a.reasons & RmRebootReasonPermissionDenied);
    assert_int_equal(w->handle_walks, 0);
    rm_affected_free(&a);
    sim_end();
}

/* A holder in another terminal session: RmCritical, RmRebootReasonSessionMismatch. */
static void holder_in_other_session_is_session_mismatch(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"shared.ini");
    struct sim_process *p = sim_add_process(SIM_GUI, L"otheruser.exe");
    const RM_PROCESS_INFO *e;
    struct rm_affected a;
    (void)state;

    p->session = 2;
    p->uses[0] = w->file;
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_non_null(e = sim_find(&a, p->pid));
    assert_int_equal(e->ApplicationType, RmCritical);
    assert_int_equal(e->TSSessionId, 2);
    assert_true(a.reasons & RmRebootReasonSessionMismatch);
    assert_int_equal(sim_wine_paths_used(), 0);
    rm_affected_free(&a);
    sim_end();
}

/* A process hosting a service that holds the file is listed as that service (RmService,
 * its short name), not as a process. */
static void service_host_listed_as_service(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"svc.dat");
    struct sim_process *host = sim_add_process(SIM_BACKGROUND, L"svchost-sim.exe");
    struct rm_affected a;
    (void)state;

    host->uses[0] = w->file;
    sim_add_service(L"SimData", host->pid);
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 1);
    assert_int_equal(a.apps[0].ApplicationType, RmService);
    assert_int_equal(a.apps[0].Process.dwProcessId, host->pid);
    assert_true(wcscmp(a.apps[0].strServiceShortName, L"SimData") == 0);
    assert_int_equal(sim_wine_paths_used(), 0);
    rm_affected_free(&a);
    sim_end();
}

/* Restartable means registered with RegisterApplicationRestart (spec §11.1): an app that
 * registered is, one that did not is not. */
static void restartable_only_when_registered(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"doc.txt");
    struct sim_process *reg = sim_add_process(SIM_GUI, L"registered.exe");
    struct sim_process *plain = sim_add_process(SIM_GUI, L"plain.exe");
    const RM_PROCESS_INFO *e;
    struct rm_affected a;
    (void)state;

    reg->uses[0] = plain->uses[0] = w->file;
    reg->restart_args = L"/restore";
    assert_int_equal(rm_resolve(&r, NULL, &a), ERROR_SUCCESS);
    assert_int_equal(a.count, 2);
    assert_non_null(e = sim_find(&a, reg->pid));
    assert_true(e->bRestartable);
    assert_non_null(e = sim_find(&a, plain->pid));
    assert_false(e->bRestartable);
    assert_int_equal(sim_wine_paths_used(), 0);
    rm_affected_free(&a);
    sim_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_ids_answer_without_handle_walk),
        cmocka_unit_test(caller_never_listed_from_file_ids),
        cmocka_unit_test(missing_class_falls_back_to_handle_walk),
        cmocka_unit_test(holder_denied_is_critical_permission_denied),
        cmocka_unit_test(holder_in_other_session_is_session_mismatch),
        cmocka_unit_test(service_host_listed_as_service),
        cmocka_unit_test(restartable_only_when_registered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
