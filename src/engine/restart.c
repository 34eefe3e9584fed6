/*
 * restart.c - RmRestart: brings back what RmShutdown stopped, in the reverse order
 * (Explorer, services, console apps, windowed apps), apps with the command line captured
 * when they were stopped and as the user they ran as (user_token.c), services through the
 * SCM by their full names. Items a filter masks stay down; apps we have no command line
 * for stay down too (they are not restartable). Statuses are OR-ed onto Stopped (spec §4):
 * Stopped | Restarted, Stopped | ErrorOnRestart, Stopped | RestartMasked.
 */
#include "engine.h"

#include <string.h>

/* The stopped app stopped last that is still to restart, or NULL. */
static struct rm_app *next_to_restart(struct rm_apps *apps)
{
    struct rm_app *best = NULL;
    unsigned i;

    for (i = 0; i < apps->count; i++) {
        struct rm_app *a = &apps->items[i];
        if (a->info.AppStatus == RmStatusStopped && a->stop_order &&
            (!best || a->stop_order > best->stop_order))
            best = a;
    }
    return best;
}

static DWORD start_app(const struct rm_app *app)
{
    WCHAR *cmd, *dir = NULL, *slash;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD err = ERROR_SUCCESS;
    size_t n = wcslen(app->restart) + 1;

    if (!(cmd = rm_alloc_array(n, sizeof(WCHAR))))
        return ERROR_OUTOFMEMORY;
    memcpy(cmd, app->restart, n * sizeof(WCHAR));
    /* The working directory is not something an app can register: its own folder is the
     * choice that keeps relative lookups of most apps working. */
    if (app->image && (dir = rm_alloc_array(wcslen(app->image) + 1, sizeof(WCHAR)))) {
        wcscpy(dir, app->image);
        if ((slash = wcsrchr(dir, L'\\')))
            slash[slash == dir + 2 && dir[1] == L':' ? 1 : 0] = 0;
    }
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    rm_trace("restarting %ls%ls", cmd, app->console ? L" in a new console" : L"");
    if (rm_user_token_start(app->token, app->image, cmd,
                            app->console ? CREATE_NEW_CONSOLE : 0, dir, &si, &pi)) {
        rm_sys()->CloseHandle(pi.hThread);
        rm_sys()->CloseHandle(pi.hProcess);
    } else {
        err = RM_FAIL(GetLastError(), "CreateProcess to restart");
    }
    rm_free(dir);
    rm_free(cmd);
    return err;
}

static void restart_one(struct rm_run *run, struct rm_app *app, BOOL *failed)
{
    struct rm_task *s = run->task;
    RM_FILTER_ACTION action;
    DWORD err;
    BOOL service = app->info.ApplicationType == RmService;

    action = rm_filters_action_for(&s->filters, &app->info.Process, app->image, app->service);
    if (action == RmNoRestart || action == RmNoShutdown) {
        app->info.AppStatus |= RmStatusRestartMasked;
        return;
    }
    if (!service && !app->restart) {
        app->stop_order = 0;  /* not restartable: it stays stopped */
        return;
    }
    err = !service ? start_app(app)
          : app->service ? rm_service_start(run, app->service) : ERROR_SERVICE_DOES_NOT_EXIST;
    app->info.AppStatus |= err ? RmStatusErrorOnRestart : RmStatusRestarted;
    if (err)
        *failed = TRUE;
}

DWORD rm_engine_restart(struct rm_task *s, struct rm_store *store, RM_WRITE_STATUS_CALLBACK cb)
{
    struct rm_run run;
    struct rm_app *app;
    unsigned i, steps = 0;
    BOOL failed = FALSE;
    DWORD err = ERROR_SUCCESS;

    rm_run_begin(&run, s, cb);
    if ((err = rm_apps_publish(&s->apps, store)))
        return err;  /* an earlier call's record first */
    for (i = 0; i < s->apps.count; i++)
        if (s->apps.items[i].info.AppStatus == RmStatusStopped && s->apps.items[i].stop_order)
            steps++;
    rm_run_set_steps(&run, steps);
    while ((app = next_to_restart(&s->apps))) {
        if (rm_run_cancelled(&run)) {
            err = ERROR_CANCELLED;
            break;
        }
        restart_one(&run, app, &failed);
        rm_run_step(&run);
    }
    if (!err) {
        rm_run_end(&run);
        err = failed ? ERROR_FAIL_RESTART : ERROR_SUCCESS;
    }
    rm_apps_publish(&s->apps, store);  /* as in RmShutdown: the call's answer stands */
    return err;
}
