/*
 * shutdown.c - RmShutdown: works the list out again, refuses when a reboot is needed,
 * applies the filters, and stops what is left in the documented order: windowed apps,
 * console apps, other apps, services (dependents first), Explorer.
 *
 * Nothing is stopped unless it can all be done: reboot reasons, RmShutdownOnlyRegistered
 * with an unregistered app, and (without RmForceShutdown) a windowed app that refuses or
 * does not answer WM_QUERYENDSESSION or an app we have no polite way to close, all end
 * the call before the first app is closed. Terminating is only ever done when forced.
 */
#include "engine.h"
#include "../sys/wine.h"

#include <stdio.h>
#include <string.h>

enum phase { PHASE_GUI, PHASE_CONSOLE, PHASE_OTHER, PHASE_SERVICE, PHASE_EXPLORER };

static enum phase phase_of(const RM_PROCESS_INFO *info)
{
    switch (info->ApplicationType) {
    case RmMainWindow:
    case RmOtherWindow:
        return PHASE_GUI;
    case RmConsole:
        return PHASE_CONSOLE;
    case RmService:
        return PHASE_SERVICE;
    case RmExplorer:
        return PHASE_EXPLORER;
    default:
        return PHASE_OTHER;
    }
}

static BOOL uses_windows(const struct rm_app *app)
{
    enum phase p = phase_of(&app->info);
    return p == PHASE_GUI || p == PHASE_EXPLORER;
}

/* Apps this call acts on: current and not masked by a filter. */
static BOOL acting_on(const struct rm_app *app)
{
    return app->current && app->info.AppStatus == RmStatusRunning;
}

static WCHAR *concat_command(const WCHAR *image, const WCHAR *args)
{
    size_t n = wcslen(image) + wcslen(args) + 4;
    WCHAR *cmd = rm_alloc_array(n, sizeof(WCHAR));
    if (cmd)
        _snwprintf(cmd, n, L"\"%ls\" %ls", image, args);
    return cmd;
}

/* How the app may come back: what it registered with RegisterApplicationRestart (asked
 * after WM_QUERYENDSESSION, when apps register; spec §11.1), unless it registered with
 * RESTART_NO_PATCH (RmShutdown always shuts apps down for an update). Under Wine, where
 * the platform cannot tell (E_NOTIMPL), its original command line (sys/wine.c), used only
 * if it then closes cleanly. And as whom: the user it ran as, with its own token, or not
 * at all (user_token.c, spec §10.5 d, e). */
struct restart_plan {
    WCHAR *registered;  /* whole command line, or NULL */
    WCHAR *original;    /* Wine only: when the platform could not say, or NULL */
    HANDLE token;       /* its own token to start it with; NULL: as the caller */
};

static void plan_restart(const struct rm_app *app, struct restart_plan *plan)
{
    WCHAR args[RESTART_MAX_CMD_LINE + 1];
    DWORD size = ARRAYSIZE(args), flags = 0;
    HRESULT hr = E_FAIL;
    HANDLE h;

    ZeroMemory(plan, sizeof(*plan));
    if (!app->image)
        return;
    if (!(h = rm_sys()->OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE,
                                    app->info.Process.dwProcessId)))
        return;
    if (rm_user_token_capture(h, &plan->token) == RM_RUN_AS_NOBODY) {
        rm_sys()->CloseHandle(h);
        return;  /* another user's, or elevated: not restarted */
    }
    hr = rm_sys()->GetApplicationRestartSettings(h, args, &size, &flags);
    rm_sys()->CloseHandle(h);
    if (hr == S_OK && (flags & RESTART_NO_PATCH)) {
        rm_trace("pid %lu registered RESTART_NO_PATCH: not restarted", app->info.Process.dwProcessId);
    } else if (hr == S_OK) {
        args[ARRAYSIZE(args) - 1] = 0;
        plan->registered = concat_command(app->image, args);
    } else if (hr == E_NOTIMPL && rm_sys_is_wine()) {
        if (rm_wine_restart_command(app->info.Process.dwProcessId, &plan->original))
            plan->original = concat_command(app->image, L"");  /* a 64-bit app seen from x86 */
    }
}

static void plan_free(struct restart_plan *plan)
{
    rm_free(plan->registered);
    rm_free(plan->original);
    if (plan->token)
        rm_sys()->CloseHandle(plan->token);
    ZeroMemory(plan, sizeof(*plan));
}

/* Records the outcome of stopping one app. */
static void stopped(struct rm_task *s, struct rm_app *app, BOOL clean, struct restart_plan *plan)
{
    app->info.AppStatus = RmStatusStopped;
    app->stop_order = ++s->stops;
    rm_free(app->restart);
    app->restart = NULL;
    if (plan->registered) {
        app->restart = plan->registered;
        plan->registered = NULL;
    } else if (clean && plan->original) {
        app->restart = plan->original;
        plan->original = NULL;
    }
    if (app->token)
        rm_sys()->CloseHandle(app->token);
    app->token = NULL;
    if (app->restart) {
        app->token = plan->token;
        plan->token = NULL;
    }
    if (app->info.ApplicationType != RmService)
        app->info.bRestartable = app->restart != NULL;
    plan_free(plan);
}

static void terminate(const struct rm_run *run, HANDLE process)
{
    rm_sys()->TerminateProcess(process, ERROR_FAIL_SHUTDOWN);
    rm_run_wait_exit(run, process, run->bounds.app_ms);
}

/* Filters, and what is needed later: the image path and the console flag. */
static DWORD prepare(struct rm_task *s, struct rm_app *app)
{
    WCHAR path[MAX_PATH * 2];
    DWORD len = ARRAYSIZE(path);
    HANDLE h = rm_task_kept(s, &app->info.Process);
    RM_FILTER_ACTION action;

    if (!app->image && app->info.ApplicationType != RmService && h &&
        rm_sys()->QueryFullProcessImageNameW(h, 0, path, &len)) {
        if (!(app->image = rm_alloc_array(len + 1, sizeof(WCHAR))))
            return ERROR_OUTOFMEMORY;
        memcpy(app->image, path, (len + 1) * sizeof(WCHAR));
    }
    /* A console program, even one with windows, comes back with a console of its own:
     * sharing the caller's would end it when the caller's console closes. */
    app->console = app->info.ApplicationType == RmConsole ||
                   (app->image && rm_image_is_console(app->image));
    action = rm_filters_action_for(&s->filters, &app->info.Process, app->image, app->service);
    if (action == RmNoShutdown)
        app->info.AppStatus |= RmStatusShutdownMasked;  /* and still Running */
    return ERROR_SUCCESS;
}

/* An app that exited before we got to it was stopped by someone else. */
static BOOL gone(struct rm_app *app, HANDLE h)
{
    if (!h || rm_sys()->WaitForSingleObject(h, 0) != WAIT_OBJECT_0)
        return FALSE;
    app->info.AppStatus = RmStatusStoppedOther;
    return TRUE;
}

/* Closes one app: politely if it agreed (gui: its windows as they were asked, or NULL for
 * a console app), then, only when forced, by termination. */
static BOOL stop_app(struct rm_run *run, struct rm_app *app, BOOL agreed, struct rm_gui_app *gui)
{
    struct rm_task *s = run->task;
    DWORD pid = app->info.Process.dwProcessId;
    HANDLE h = rm_task_kept(s, &app->info.Process);
    struct restart_plan plan;
    BOOL exited = FALSE, clean;

    if (gone(app, h))
        return TRUE;
    if (!h) {
        app->info.AppStatus |= RmStatusErrorOnStop;
        return FALSE;
    }
    plan_restart(app, &plan);
    if (agreed && gui)
        exited = rm_gui_end(run, gui, h);
    else if (agreed && app->console)
        exited = rm_console_ctrl_c(run, pid) &&
                 rm_run_wait_exit(run, h, min(run->bounds.app_ms, RM_APP_STOP_MAX_MS));
    clean = exited = exited || rm_sys()->WaitForSingleObject(h, 0) == WAIT_OBJECT_0;
    if (!exited && run->force && !rm_run_cancelled(run)) {
        terminate(run, h);
        exited = rm_sys()->WaitForSingleObject(h, 0) == WAIT_OBJECT_0;
    }
    if (!exited) {
        app->info.AppStatus |= RmStatusErrorOnStop;  /* and still Running */
        plan_free(&plan);
        return FALSE;
    }
    stopped(s, app, clean, &plan);
    return TRUE;
}

/* The next service to stop: one no other service still to stop depends on. deps[i] is
 * the dependency list of apps->items[i], read once for the whole phase. */
static struct rm_app *next_service(struct rm_apps *apps, WCHAR *const *deps)
{
    unsigned i, j;
    BOOL needed;

    for (i = 0; i < apps->count; i++) {
        struct rm_app *a = &apps->items[i];
        if (!acting_on(a) || phase_of(&a->info) != PHASE_SERVICE)
            continue;
        for (needed = FALSE, j = 0; j < apps->count && !needed; j++) {
            const struct rm_app *b = &apps->items[j];
            needed = j != i && acting_on(b) && phase_of(&b->info) == PHASE_SERVICE &&
                     rm_service_list_has(deps ? deps[j] : NULL, a->service);
        }
        if (!needed)
            return a;
    }
    /* A dependency loop: stop in list order rather than not at all. */
    for (i = 0; i < apps->count; i++)
        if (acting_on(&apps->items[i]) && phase_of(&apps->items[i].info) == PHASE_SERVICE)
            return &apps->items[i];
    return NULL;
}

/* Forced: a service that will not stop goes with its process, but only when that process
 * hosts nothing but services this session stops. */
static BOOL may_kill_host(const struct rm_apps *apps, DWORD pid)
{
    const WCHAR *names[64];
    unsigned i, n = 0;

    for (i = 0; i < apps->count && n < ARRAYSIZE(names); i++)
        if (phase_of(&apps->items[i].info) == PHASE_SERVICE && apps->items[i].current &&
            apps->items[i].service &&
            !(apps->items[i].info.AppStatus & RmStatusShutdownMasked))
            names[n++] = apps->items[i].service;
    return rm_service_host_is_ours(pid, names, n);
}

static BOOL stop_service(struct rm_run *run, struct rm_app *app)
{
    struct rm_task *s = run->task;
    HANDLE h = rm_task_kept(s, &app->info.Process);
    struct restart_plan none;
    DWORD err;

    ZeroMemory(&none, sizeof(none));
    err = app->service ? rm_service_stop(run, app->service, h) : ERROR_SERVICE_DOES_NOT_EXIST;
    if (err == ERROR_TIMEOUT && run->force && h && !rm_run_cancelled(run) &&
        may_kill_host(&s->apps, app->info.Process.dwProcessId)) {
        terminate(run, h);
        err = rm_sys()->WaitForSingleObject(h, 0) == WAIT_OBJECT_0 ? ERROR_SUCCESS : ERROR_TIMEOUT;
    }
    if (err) {
        app->info.AppStatus |= RmStatusErrorOnStop;
        return FALSE;
    }
    stopped(s, app, TRUE, &none);  /* services come back through the SCM */
    return TRUE;
}

/* Services, dependents before what they depend on. Out of memory reading a dependency
 * list only weakens the order: the SCM then refuses to stop a service whose dependent
 * still runs (ErrorOnStop), nothing worse. */
static BOOL stop_services(struct rm_run *run, BOOL *failed)
{
    struct rm_apps *apps = &run->task->apps;
    WCHAR **deps = rm_alloc_array(apps->count + 1, sizeof(WCHAR *));
    struct rm_app *a;
    BOOL ok = TRUE;
    unsigned i;

    for (i = 0; deps && i < apps->count; i++)
        if (acting_on(&apps->items[i]) && phase_of(&apps->items[i].info) == PHASE_SERVICE &&
            apps->items[i].service)
            rm_service_dependencies(apps->items[i].service, &deps[i]);
    while (ok && (a = next_service(apps, deps))) {
        if (rm_run_cancelled(run)) {
            ok = FALSE;
            break;
        }
        if (!stop_service(run, a))
            *failed = TRUE;
        rm_run_step(run);
    }
    for (i = 0; deps && i < apps->count; i++)
        rm_free(deps[i]);
    rm_free(deps);
    return ok;
}

/* Asks every windowed app of a phase first; without force, one refusal stops the call. */
static BOOL query_phase(struct rm_run *run, enum phase phase, BOOL *agreed,
                        struct rm_gui_app *gui, BOOL *refused)
{
    struct rm_apps *apps = &run->task->apps;
    unsigned i;

    for (i = 0; i < apps->count; i++) {
        struct rm_app *a = &apps->items[i];
        if (!acting_on(a) || phase_of(&a->info) != phase)
            continue;
        if (rm_run_cancelled(run))
            return FALSE;
        agreed[i] = rm_gui_query(run, a->info.Process.dwProcessId, &gui[i]) == RM_GUI_AGREED;
        if (rm_run_cancelled(run))
            return FALSE;
        if (!agreed[i] && !run->force) {
            a->info.AppStatus |= RmStatusErrorOnStop;
            *refused = TRUE;
        }
        rm_run_step(run);
    }
    return TRUE;
}

static BOOL stop_phase(struct rm_run *run, enum phase phase, const BOOL *agreed,
                       struct rm_gui_app *gui, BOOL *failed)
{
    struct rm_apps *apps = &run->task->apps;
    struct rm_app *a;
    unsigned i;

    if (phase == PHASE_SERVICE)
        return stop_services(run, failed);
    for (i = 0; i < apps->count; i++) {
        a = &apps->items[i];
        if (!acting_on(a) || phase_of(&a->info) != phase)
            continue;
        if (rm_run_cancelled(run))
            return FALSE;
        /* Windowed apps were asked; console apps are asked by the Ctrl+C itself; other
         * apps have no polite way out. */
        if (!stop_app(run, a, uses_windows(a) ? agreed[i] : phase == PHASE_CONSOLE,
                      uses_windows(a) ? &gui[i] : NULL))
            *failed = TRUE;
        rm_run_step(run);
    }
    return TRUE;
}

/* Checks that need nothing stopped: only-registered, and apps we cannot close politely. */
static DWORD precheck(struct rm_run *run, ULONG flags)
{
    struct rm_apps *apps = &run->task->apps;
    DWORD err = ERROR_SUCCESS;
    unsigned i;

    for (i = 0; i < apps->count; i++) {
        struct rm_app *a = &apps->items[i];
        if (!acting_on(a))
            continue;
        if ((flags & RmShutdownOnlyRegistered) && !a->info.bRestartable)
            err = ERROR_FAIL_SHUTDOWN;
        if (phase_of(&a->info) == PHASE_OTHER && !run->force) {
            a->info.AppStatus |= RmStatusErrorOnStop;
            err = ERROR_FAIL_SHUTDOWN;
        }
    }
    return err;
}

static DWORD shutdown_apps(struct rm_run *run, ULONG flags)
{
    struct rm_task *s = run->task;
    static const enum phase order[] = { PHASE_GUI, PHASE_CONSOLE, PHASE_OTHER, PHASE_SERVICE,
                                        PHASE_EXPLORER };
    BOOL *agreed, refused = FALSE, failed = FALSE, ok = TRUE;
    struct rm_gui_app *gui;
    unsigned i, steps = 0;
    DWORD err;

    for (i = 0; i < s->apps.count; i++)
        if (s->apps.items[i].current && (err = prepare(s, &s->apps.items[i])))
            return err;
    if ((err = precheck(run, flags)))
        return err;
    for (i = 0; i < s->apps.count; i++)
        if (acting_on(&s->apps.items[i]))
            steps += uses_windows(&s->apps.items[i]) ? 2 : 1;
    rm_run_set_steps(run, steps);
    agreed = rm_alloc_array(s->apps.count + 1, sizeof(BOOL));
    gui = rm_alloc_array(s->apps.count + 1, sizeof(*gui));
    if (!agreed || !gui) {
        rm_free(agreed);
        rm_free(gui);
        return ERROR_OUTOFMEMORY;
    }

    /* Every windowed app is asked before any is closed. */
    ok = query_phase(run, PHASE_GUI, agreed, gui, &refused) &&
         query_phase(run, PHASE_EXPLORER, agreed, gui, &refused);
    for (i = 0; ok && !refused && i < ARRAYSIZE(order); i++)
        ok = stop_phase(run, order[i], agreed, gui, &failed);
    /* Called off (a refusal, a cancel) before an app that agreed was told to end: it hears
     * WM_ENDSESSION(FALSE) and keeps running (spec §11.2). */
    for (i = 0; i < s->apps.count; i++)
        rm_gui_call_off(&gui[i]);
    rm_free(gui);
    rm_free(agreed);
    if (!ok || rm_run_cancelled(run))
        return ERROR_CANCELLED;
    return refused || failed ? ERROR_FAIL_SHUTDOWN : ERROR_SUCCESS;
}

DWORD rm_engine_shutdown(struct rm_task *s, struct rm_store *store,
                         const struct rm_registrations *r, ULONG flags, RM_WRITE_STATUS_CALLBACK cb)
{
    struct rm_affected fresh;
    struct rm_run run;
    DWORD err, reasons;

    rm_run_begin(&run, s, cb);
    run.force = (flags & RmForceShutdown) != 0;
    /* What an earlier call could not publish goes first: its records must not come after
     * this call's. */
    if ((err = rm_apps_publish(&s->apps, store)) || (err = rm_task_resolve(s, r, &fresh)))
        return err;
    reasons = fresh.reasons;
    err = rm_apps_update(&s->apps, &fresh);
    rm_affected_free(&fresh);
    if (err)
        return err;
    s->shut_down = TRUE;
    if (reasons)
        err = ERROR_FAIL_NOACTION_REBOOT;
    else
        err = shutdown_apps(&run, flags);
    if (err != ERROR_CANCELLED)
        rm_run_end(&run);
    /* The call's own answer stands: apps it stopped stay stopped whatever happens to the
     * record, and the next call on this handle publishes what this one could not. */
    rm_apps_publish(&s->apps, store);
    return err;
}
