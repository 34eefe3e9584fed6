/*
 * apps.c - what RmShutdown and RmRestart did to each app. The resolver works its list out
 * from scratch on every call; the primary's engine keeps, per app, what it needs to
 * restart it (this process only), and publishes each app's reported state into the
 * session's shared log (session/outcomes.c), so that every handle of the session, joined
 * ones in other processes too, merges the same record into its RmGetList.
 */
#include "engine.h"

#include <string.h>

static struct rm_app *find(const struct rm_apps *apps, const RM_PROCESS_INFO *info,
                           const WCHAR *service)
{
    unsigned i;
    for (i = 0; i < apps->count; i++)
        if (rm_same_app(&apps->items[i].info.Process, apps->items[i].service, &info->Process,
                        service))
            return &apps->items[i];
    return NULL;
}

DWORD rm_apps_update(struct rm_apps *apps, struct rm_affected *fresh)
{
    struct rm_app *app;
    unsigned i;
    DWORD err;

    for (i = 0; i < apps->count; i++)
        apps->items[i].current = FALSE;
    for (i = 0; i < fresh->count; i++) {
        const WCHAR *service = fresh->services ? fresh->services[i] : NULL;
        if (!(app = find(apps, &fresh->apps[i], service))) {
            if ((err = rm_grow((void **)&apps->items, &apps->cap, apps->count + 1, sizeof(*app))))
                return err;
            app = &apps->items[apps->count++];
            ZeroMemory(app, sizeof(*app));
            app->service = fresh->services ? fresh->services[i] : NULL;  /* taken */
            if (fresh->services)
                fresh->services[i] = NULL;
        }
        /* Still running: what the resolver says now is the truth. Each RmShutdown starts
         * the history of the apps it acts on again from Running (a retry after a failed
         * stop is a new attempt, not a second error). */
        app->info = fresh->apps[i];
        app->current = TRUE;
    }
    return ERROR_SUCCESS;
}

/* Whether an app's reported state must be (re)published: it changed since it was last
 * published; an app never published needs a record only once it has a history. */
static BOOL unpublished(const struct rm_app *app)
{
    if (app->published)
        return memcmp(&app->info, &app->last_published, sizeof(app->info)) != 0;
    return app->info.AppStatus != RmStatusRunning;
}

DWORD rm_apps_publish(struct rm_apps *apps, struct rm_store *store)
{
    struct rm_outcome *batch;
    unsigned i, n = 0;
    DWORD err;

    for (i = 0; store && i < apps->count; i++)
        n += unpublished(&apps->items[i]);
    if (!n)
        return ERROR_SUCCESS;
    if (!(batch = rm_alloc_array(n, sizeof(*batch))))
        return ERROR_OUTOFMEMORY;
    for (n = 0, i = 0; i < apps->count; i++)
        if (unpublished(&apps->items[i])) {
            batch[n].info = apps->items[i].info;
            batch[n].service = apps->items[i].service;  /* borrowed */
            n++;
        }
    if (!(err = rm_outcomes_append(store, batch, n)))
        for (i = 0; i < apps->count; i++) {
            apps->items[i].last_published = apps->items[i].info;
            apps->items[i].published = TRUE;
        }
    rm_free(batch);
    return err;
}

/* The fresh entry of the same app not merged yet, or -1. */
static int fresh_index(const struct rm_affected *fresh, const BOOL *merged,
                       const struct rm_outcome *o)
{
    unsigned j;
    for (j = 0; j < fresh->count; j++)
        if (!merged[j] && rm_same_app(&fresh->apps[j].Process,
                                      fresh->services ? fresh->services[j] : NULL,
                                      &o->info.Process, o->service))
            return (int)j;
    return -1;
}

DWORD rm_apps_report(const struct rm_outcomes *done, struct rm_affected *fresh)
{
    const DWORD stopped = RmStatusStopped | RmStatusStoppedOther;
    RM_PROCESS_INFO *list;
    BOOL *merged;
    unsigned i, n = 0;
    int j;

    if (!done->count)
        return ERROR_SUCCESS;
    list = rm_alloc_array((size_t)done->count + fresh->count, sizeof(*list));
    merged = rm_alloc_array((size_t)fresh->count + 1, sizeof(*merged));
    if (!list || !merged) {
        rm_free(list);
        rm_free(merged);
        return ERROR_OUTOFMEMORY;
    }
    for (i = 0; i < done->count; i++) {
        const struct rm_outcome *o = &done->items[i];
        if (o->info.AppStatus & stopped) {
            list[n++] = o->info;  /* history: what RM stopped stays listed */
        } else if ((o->info.AppStatus & ~(DWORD)RmStatusRunning) &&
                   (j = fresh_index(fresh, merged, o)) >= 0) {
            /* Still running and still using a resource: now's facts, with its history
             * (ErrorOnStop, ShutdownMasked) OR-ed in. One no longer found is left out: an
             * entry only stays while it is true (§9.5). */
            list[n] = fresh->apps[j];
            list[n++].AppStatus = RmStatusRunning | o->info.AppStatus;
            merged[j] = TRUE;
        }
    }
    for (i = 0; i < fresh->count; i++)
        if (!merged[i])
            list[n++] = fresh->apps[i];
    rm_free(merged);
    /* Every handle was taken by the task before (rm_task_keep): none is lost here. */
    for (i = 0; fresh->services && i < fresh->count; i++)
        rm_free(fresh->services[i]);
    rm_free(fresh->services);
    fresh->services = NULL;
    fresh->cap_services = 0;
    rm_free(fresh->keep);
    fresh->keep = NULL;
    fresh->cap_keep = 0;
    rm_free(fresh->apps);
    fresh->apps = list;
    fresh->count = fresh->cap = n;
    return ERROR_SUCCESS;
}

DWORD rm_engine_list(struct rm_task *t, struct rm_store *store, struct rm_registrations *r,
                     struct rm_affected *out)
{
    DWORD err;

    /* The primary's record of an earlier call that could not be published then. */
    if (store && ((err = rm_apps_publish(&t->apps, store)) ||
                  (err = rm_registrations_refresh(r, store))))
        return err;
    if ((err = rm_task_resolve(t, r, out)))
        return err;
    if ((err = rm_apps_report(&r->outcomes, out)))
        rm_affected_free(out);
    return err;
}

void rm_apps_free(struct rm_apps *apps)
{
    unsigned i;
    for (i = 0; i < apps->count; i++) {
        rm_free(apps->items[i].service);
        rm_free(apps->items[i].image);
        rm_free(apps->items[i].restart);
        if (apps->items[i].token)
            rm_sys()->CloseHandle(apps->items[i].token);
    }
    rm_free(apps->items);
    ZeroMemory(apps, sizeof(*apps));
}
