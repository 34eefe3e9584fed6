/*
 * test_sim_engine.c - windows-sim: RmShutdown and RmRestart's engine against a simulated
 * Windows (simsys.c), for what only Windows shows: the documented Ctrl+C (group 0, never a
 * non-zero group, never a typed key or a remote thread), restart only by registration,
 * hung and refusing windows, services stopped through the SCM, dependents first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "simsys.h"
#include "engine/engine.h"

/* Every test ends here: no Wine-only path ran (this is Windows), and the world goes. */
static void end_test(struct rm_task *t)
{
    assert_int_equal(sim_wine_paths_used(), 0);
    rm_task_free(t);
    sim_end();
}

static const struct rm_app *app_of(const struct rm_task *t, DWORD pid)
{
    unsigned i;
    for (i = 0; i < t->apps.count; i++)
        if (t->apps.items[i].info.Process.dwProcessId == pid)
            return &t->apps.items[i];
    return NULL;
}

/* A console app alone on its console gets exactly one Ctrl+C, through group 0, and the
 * caller, attached for the moment, ignores it. */
static void console_alone_gets_one_ctrl_c(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"log.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    tool->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_true(tool->exited);
    assert_false(tool->terminated);
    assert_int_equal(tool->ctrl_c, 1);
    assert_int_equal(app_of(t, tool->pid)->info.AppStatus & RmStatusStopped, RmStatusStopped);
    end_test(t);
}

/* Sharing its console with a process nobody named: group 0 would signal that one too, and
 * a non-zero group is never received; so nothing is sent, the app is reported not
 * stopped, and the bystander is untouched. */
static void console_shared_with_bystander_not_signalled(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"out.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    struct sim_process *shell = sim_add_process(SIM_CONSOLE, L"shell.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    tool->uses[0] = w->file;
    shell->console = tool->console;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(shell->ctrl_c, 0);
    assert_int_equal(tool->ctrl_c, 0);
    assert_false(tool->exited);
    assert_false(shell->exited);
    assert_int_equal(app_of(t, tool->pid)->info.AppStatus, RmStatusRunning | RmStatusErrorOnStop);
    end_test(t);
}

/* The same, forced: the target is terminated, the bystander still untouched. */
static void console_shared_forced_terminates_only_target(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"out2.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    struct sim_process *shell = sim_add_process(SIM_CONSOLE, L"shell.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    tool->uses[0] = w->file;
    shell->console = tool->console;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_true(tool->terminated);
    assert_false(shell->exited);
    assert_int_equal(shell->ctrl_c, 0);
    end_test(t);
}

/* A windowed app that registered for restart comes back with its own command line. */
static void registered_app_restarts_with_its_command_line(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"doc.txt");
    struct sim_process *app = sim_add_process(SIM_GUI, L"writer.exe");
    struct rm_task *t = rm_task_new();
    WCHAR want[MAX_PATH * 2];
    (void)state;

    app->uses[0] = w->file;
    app->restart_args = L"/restore doc.txt";
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(app->queries, 1);
    assert_int_equal(app->endsession_true, 1);
    assert_true(app->exited);
    assert_false(app->terminated);
    assert_int_equal(rm_engine_restart(t, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(w->created, 1);
    _snwprintf(want, ARRAYSIZE(want), L"\"%ls\" /restore doc.txt", app->image);
    assert_true(wcscmp(w->last_command, want) == 0);
    end_test(t);
}

/* One that did not register is closed but not started again (Windows has no command line
 * to use; only Wine's fallback would invent one). */
static void unregistered_app_not_restarted(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"doc2.txt");
    struct sim_process *app = sim_add_process(SIM_GUI, L"viewer.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    app->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_true(app->exited);
    assert_false(app_of(t, app->pid)->info.bRestartable);
    assert_int_equal(rm_engine_restart(t, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(w->created, 0);
    end_test(t);
}

/* RmShutdownOnlyRegistered with an app that did not register: nothing is stopped. */
static void only_registered_refuses_unregistered(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"doc3.txt");
    struct sim_process *app = sim_add_process(SIM_GUI, L"viewer.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    app->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, RmShutdownOnlyRegistered, NULL), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(app->queries, 0);
    assert_false(app->exited);
    end_test(t);
}

/* A hung window (no answer within HungAppTimeout): not forced, nothing is closed; forced,
 * it is terminated. */
static void hung_window_stops_call_unless_forced(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"hung.txt");
    struct sim_process *app = sim_add_process(SIM_GUI, L"hung.exe");
    struct sim_process *ok = sim_add_process(SIM_GUI, L"fine.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    app->uses[0] = ok->uses[0] = w->file;
    app->query = SIM_HANG;
    app->exits_on_endsession = app->exits_on_close = FALSE;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_false(app->exited);
    assert_false(ok->exited);
    assert_int_equal(ok->endsession_true, 0);
    assert_int_equal(app_of(t, app->pid)->info.AppStatus, RmStatusRunning | RmStatusErrorOnStop);

    assert_int_equal(rm_engine_shutdown(t, NULL, &r, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_true(app->terminated);
    assert_true(ok->exited);
    assert_false(ok->terminated);
    end_test(t);
}

/* A refusing window stops the call before anything is closed. */
static void refusing_window_closes_nothing(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"refuse.txt");
    struct sim_process *no = sim_add_process(SIM_GUI, L"refuser.exe");
    struct sim_process *yes = sim_add_process(SIM_GUI, L"agreer.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    no->uses[0] = yes->uses[0] = w->file;
    no->query = SIM_REFUSE;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(no->queries, 1);
    assert_false(no->exited);
    assert_false(yes->exited);
    assert_int_equal(yes->endsession_true, 0);
    assert_int_equal(yes->closes, 0);
    end_test(t);
}

/* Services go through the SCM, dependents first: registered "Base", "Top" depends on it. */
static void services_stop_dependents_first_and_restart(void **state)
{
    sim_begin();
    struct rm_registrations r;
    struct sim_process *h1 = sim_add_process(SIM_BACKGROUND, L"basehost.exe");
    struct sim_process *h2 = sim_add_process(SIM_BACKGROUND, L"tophost.exe");
    struct sim_service *base = sim_add_service(L"SimBase", h1->pid);
    struct sim_service *top = sim_add_service(L"SimTop", h2->pid);
    static WCHAR name[] = L"SimBase";
    WCHAR *names[1] = { name };
    struct rm_task *t = rm_task_new();
    (void)state;

    top->depends_on = L"SimBase";
    ZeroMemory(&r, sizeof(r));
    r.services = names;
    r.nservices = 1;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(top->stop_order, 1);
    assert_int_equal(base->stop_order, 2);
    assert_false(h1->terminated);
    assert_false(h2->terminated);
    assert_int_equal(rm_engine_restart(t, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(base->starts, 1);
    assert_int_equal(top->starts, 1);
    assert_int_equal(base->state, SERVICE_RUNNING);
    end_test(t);
}

/* A service that does not accept stop is RmCritical: RmShutdown stops nothing and says a
 * reboot is needed. */
static void unstoppable_service_needs_reboot(void **state)
{
    sim_begin();
    struct rm_registrations r;
    struct sim_process *h = sim_add_process(SIM_BACKGROUND, L"stubborn.exe");
    struct sim_service *s = sim_add_service(L"SimStubborn", h->pid);
    static WCHAR name[] = L"SimStubborn";
    WCHAR *names[1] = { name };
    struct rm_task *t = rm_task_new();
    (void)state;

    s->accepts_stop = FALSE;
    ZeroMemory(&r, sizeof(r));
    r.services = names;
    r.nservices = 1;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, RmForceShutdown, NULL), ERROR_FAIL_NOACTION_REBOOT);
    assert_int_equal(s->state, SERVICE_RUNNING);
    assert_false(h->terminated);
    end_test(t);
}

/* A holder we may not open brings RmRebootReasonPermissionDenied: nothing is stopped. */
static void denied_holder_stops_nothing(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"admin.txt");
    struct sim_process *admin = sim_add_process(SIM_GUI, L"admin.exe");
    struct sim_process *mine = sim_add_process(SIM_GUI, L"mine.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    admin->denied = TRUE;
    admin->uses[0] = mine->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, RmForceShutdown, NULL), ERROR_FAIL_NOACTION_REBOOT);
    assert_false(mine->exited);
    assert_int_equal(mine->queries, 0);
    end_test(t);
}

/* ---- restart as the user it ran as (RmRestart's documentation; spec §10.5 d, e) ---- */

struct restart_seen {
    BOOL restartable;           /* bRestartable after the stop */
    DWORD status;               /* AppStatus after RmRestart */
    unsigned created, as_user, with_token;  /* CreateProcessW, ...AsUserW, ...WithTokenW */
    BOOL new_elevated;          /* the restarted process runs elevated */
};

/* One registered windowed app, stopped and restarted by a caller as described. */
static struct restart_seen stop_and_restart(BOOL caller_elevated, BOOL app_elevated,
                                            BOOL other_user, BOOL no_privilege)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"doc.txt");
    struct sim_process *app = sim_add_process(SIM_GUI, L"app.exe");
    struct rm_task *t = rm_task_new();
    struct restart_seen seen;
    unsigned i;

    w->caller_elevated = caller_elevated;
    w->no_assign_privilege = no_privilege;
    app->elevated = app_elevated;
    app->other_user = other_user;
    app->uses[0] = w->file;
    app->restart_args = L"/again";
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_true(app->exited);
    seen.restartable = app_of(t, app->pid)->info.bRestartable;
    assert_int_equal(rm_engine_restart(t, NULL, NULL), ERROR_SUCCESS);
    seen.status = app_of(t, app->pid)->info.AppStatus;
    seen.created = w->created;
    seen.as_user = w->created_as_user;
    seen.with_token = w->created_with_token;
    for (seen.new_elevated = FALSE, i = 1; i < w->nprocesses; i++)
        seen.new_elevated |= w->processes[i].elevated;
    end_test(t);
    return seen;
}

/* An app that runs elevated is stopped but never restarted, even by an elevated caller;
 * another user's app (a "Run as" process) is never started as anyone. */
static void elevated_or_other_users_app_not_restarted(void **state)
{
    struct restart_seen elevated = stop_and_restart(TRUE, TRUE, FALSE, FALSE);
    struct restart_seen other = stop_and_restart(TRUE, FALSE, TRUE, FALSE);
    (void)state;

    assert_false(elevated.restartable);
    assert_int_equal(elevated.status, RmStatusStopped);
    assert_int_equal(elevated.created + elevated.as_user + elevated.with_token, 0);
    assert_false(other.restartable);
    assert_int_equal(other.status, RmStatusStopped);
    assert_int_equal(other.created + other.as_user + other.with_token, 0);
}

/* An elevated installer brings the user's ordinary app back with the app's own token, not
 * by CreateProcessW (which would give it the installer's elevation): CreateProcessAsUserW,
 * or without the privilege that needs, CreateProcessWithTokenW. A caller alike to the app
 * in every way needs no token at all. */
static void restarted_with_its_own_token_where_it_differs(void **state)
{
    struct restart_seen no_privilege = stop_and_restart(TRUE, FALSE, FALSE, TRUE);
    struct restart_seen privileged = stop_and_restart(TRUE, FALSE, FALSE, FALSE);
    struct restart_seen alike = stop_and_restart(FALSE, FALSE, FALSE, FALSE);
    (void)state;

    assert_true(no_privilege.restartable);
    assert_int_equal(no_privilege.status, RmStatusStopped | RmStatusRestarted);
    assert_int_equal(no_privilege.with_token, 1);
    assert_int_equal(no_privilege.created + no_privilege.as_user, 0);
    assert_false(no_privilege.new_elevated);
    assert_int_equal(privileged.as_user, 1);
    assert_int_equal(privileged.created + privileged.with_token, 0);
    assert_false(privileged.new_elevated);
    assert_int_equal(alike.created, 1);
    assert_int_equal(alike.as_user + alike.with_token, 0);
}

/* RESTART_NO_PATCH (spec §11.1): RmShutdown shuts apps down for an update, so an app
 * registered with it is stopped and not restarted. */
static void restart_no_patch_not_restarted(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"nopatch.txt");
    struct sim_process *app = sim_add_process(SIM_GUI, L"nopatch.exe");
    struct sim_process *other = sim_add_process(SIM_GUI, L"patchme.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    app->uses[0] = other->uses[0] = w->file;
    app->restart_args = other->restart_args = L"/again";
    app->restart_flags = RESTART_NO_PATCH;
    other->restart_flags = RESTART_NO_CRASH | RESTART_NO_HANG | RESTART_NO_REBOOT;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_true(app->exited);
    assert_false(app_of(t, app->pid)->info.bRestartable);
    assert_true(app_of(t, other->pid)->info.bRestartable);
    assert_int_equal(rm_engine_restart(t, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(w->created, 1);  /* the other one only */
    assert_int_equal(app_of(t, app->pid)->info.AppStatus, RmStatusStopped);
    assert_int_equal(app_of(t, other->pid)->info.AppStatus, RmStatusStopped | RmStatusRestarted);
    end_test(t);
}

/* ---- issue 14: the shutdown protocol and console apps, Windows' paths ---- */

/* One app refuses: the one that agreed hears WM_ENDSESSION(FALSE) and keeps running, never
 * WM_ENDSESSION(TRUE) or WM_CLOSE (spec §11.2). */
static void called_off_shutdown_tells_the_app_that_agreed(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"both.txt");
    struct sim_process *writer = sim_add_process(SIM_GUI, L"writer.exe");
    struct sim_process *blocker = sim_add_process(SIM_GUI, L"blocker.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    writer->title = L"Writer";
    blocker->title = L"Blocker";
    blocker->query = SIM_REFUSE;
    writer->uses[0] = blocker->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(writer->queries, 1);
    assert_int_equal(writer->endsession_false, 1);
    assert_int_equal(writer->endsession_true, 0);
    assert_int_equal(writer->closes, 0);
    assert_false(writer->exited);
    assert_int_equal(blocker->endsession_false, 0);  /* it refused: nothing is owed */
    end_test(t);
}

static DWORD cancelled_at;

static DWORD WINAPI cancel_soon(void *task)
{
    Sleep(200);
    cancelled_at = GetTickCount();
    rm_task_cancel(task);
    return 0;
}

/* A cancel while a hung window holds WM_QUERYENDSESSION (HungAppTimeout 2 s here) is seen
 * within the 50 ms the bounds promise, and the app that agreed first is told FALSE. */
static void cancel_during_hung_query_is_prompt(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"hung.txt");
    struct sim_process *writer = sim_add_process(SIM_GUI, L"writer.exe");
    struct sim_process *hung = sim_add_process(SIM_GUI, L"hung.exe");
    struct rm_task *t = rm_task_new();
    struct rm_call call;
    HANDLE thread;
    DWORD took;
    (void)state;

    w->timeout_ms = L"2000";
    writer->title = L"Writer";
    hung->title = L"Hung";
    hung->query = SIM_HANG;
    writer->uses[0] = hung->uses[0] = w->file;
    rm_call_begin(t, &call);
    t->cancel = &call.cancel;
    thread = CreateThread(NULL, 0, cancel_soon, t, 0, NULL);
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_CANCELLED);
    took = GetTickCount() - cancelled_at;
    print_message("cancel seen after %lu ms (HungAppTimeout 2000 ms)\n", took);
    assert_true(took < 1000);
    assert_int_equal(writer->endsession_false, 1);
    assert_false(writer->exited);
    assert_false(hung->exited);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    rm_call_end(t, &call);
    assert_int_equal(sim_wine_paths_used(), 0);
    Sleep(2200);  /* the worker left with the hung window ends with its own bound */
    rm_task_free(t);
    sim_end();
}

/* An app that needs WM_CLOSE after WM_ENDSESSION gets it, once. */
static void wm_close_only_to_an_app_still_running(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"close.txt");
    struct sim_process *quick = sim_add_process(SIM_GUI, L"quick.exe");
    struct sim_process *stays = sim_add_process(SIM_GUI, L"stays.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    quick->title = L"Quick";
    stays->title = L"Stays";
    stays->exits_on_endsession = FALSE;
    quick->uses[0] = stays->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(quick->closes, 0);
    assert_int_equal(stays->closes, 1);
    assert_true(quick->exited && stays->exited);
    end_test(t);
}

/* A console caller alone on its console, stopping an app on another console: it leaves
 * its console only with a keeper on it, comes back to it, and neither its Ctrl+C setting
 * nor the caller itself is touched by the signal. */
static void console_caller_keeps_its_console_and_setting(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"own.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    w->caller_console = w->attached = 900;
    tool->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tool->ctrl_c, 1);
    assert_int_equal(w->keepers, 1);
    assert_int_equal(w->caller_console_lost, 0);
    assert_int_equal(w->attached, 900);
    assert_false(w->caller_ignores_ctrl_c);
    end_test(t);
}

/* More processes on the caller's console than the 16 a fixed buffer held: the caller still
 * comes back to it, and the app on its own console is signalled once. */
static void console_caller_with_a_crowded_console(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"crowd.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    unsigned i;
    (void)state;

    w->caller_console = w->attached = 900;
    for (i = 0; i < 16; i++)
        sim_add_process(SIM_CONSOLE, L"shell.exe")->console = 900;  /* 16 + caller + keeper = 18 */
    tool->uses[0] = w->file;
    {
        struct rm_task *t = rm_task_new();
        assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
        rm_task_free(t);
    }
    assert_int_equal(tool->ctrl_c, 1);
    assert_int_equal(w->attached, 900);
    assert_int_equal(w->caller_console_lost, 0);
    for (i = 2; i < w->nprocesses; i++)
        assert_int_equal(w->processes[i].ctrl_c, 0);
    assert_int_equal(sim_wine_paths_used(), 0);
    sim_end();
}

/* The target shares the caller's console, with nobody else: one Ctrl+C reaches both, the
 * caller's copy is taken by the DLL's handler; no keeper, the caller never leaves. */
static void console_target_on_the_callers_console(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"shared.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    w->caller_console = w->attached = tool->console;
    tool->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(tool->ctrl_c, 1);
    assert_int_equal(w->keepers, 0);
    assert_int_equal(w->attached, tool->console);
    end_test(t);
}

/* The same with the caller's shell on that console too: nobody is signalled, the app is
 * reported not stopped, the caller stays where it is. */
static void console_shared_with_the_callers_shell_not_signalled(void **state)
{
    struct sim_world *w = sim_begin();
    struct rm_registrations r = sim_one_file(L"shell.txt");
    struct sim_process *tool = sim_add_process(SIM_CONSOLE, L"tool.exe");
    struct sim_process *shell = sim_add_process(SIM_CONSOLE, L"shell.exe");
    struct rm_task *t = rm_task_new();
    (void)state;

    shell->console = tool->console;
    w->caller_console = w->attached = tool->console;
    tool->uses[0] = w->file;
    assert_int_equal(rm_engine_shutdown(t, NULL, &r, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_int_equal(tool->ctrl_c, 0);
    assert_int_equal(shell->ctrl_c, 0);
    assert_int_equal(app_of(t, tool->pid)->info.AppStatus, RmStatusRunning | RmStatusErrorOnStop);
    assert_int_equal(w->attached, tool->console);
    end_test(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(console_alone_gets_one_ctrl_c),
        cmocka_unit_test(console_shared_with_bystander_not_signalled),
        cmocka_unit_test(console_shared_forced_terminates_only_target),
        cmocka_unit_test(registered_app_restarts_with_its_command_line),
        cmocka_unit_test(unregistered_app_not_restarted),
        cmocka_unit_test(only_registered_refuses_unregistered),
        cmocka_unit_test(hung_window_stops_call_unless_forced),
        cmocka_unit_test(refusing_window_closes_nothing),
        cmocka_unit_test(services_stop_dependents_first_and_restart),
        cmocka_unit_test(unstoppable_service_needs_reboot),
        cmocka_unit_test(denied_holder_stops_nothing),
        cmocka_unit_test(elevated_or_other_users_app_not_restarted),
        cmocka_unit_test(restarted_with_its_own_token_where_it_differs),
        cmocka_unit_test(restart_no_patch_not_restarted),
        cmocka_unit_test(called_off_shutdown_tells_the_app_that_agreed),
        cmocka_unit_test(cancel_during_hung_query_is_prompt),
        cmocka_unit_test(wm_close_only_to_an_app_still_running),
        cmocka_unit_test(console_caller_keeps_its_console_and_setting),
        cmocka_unit_test(console_caller_with_a_crowded_console),
        cmocka_unit_test(console_target_on_the_callers_console),
        cmocka_unit_test(console_shared_with_the_callers_shell_not_signalled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
