/*
 * apps.c - the session's memory of what RmShutdown acted on. The resolver works its list
 * out from scratch on every call; this record is what lets a later RmGetList say that an
 * app was stopped, masked or restarted, and what lets RmRestart bring it back.
 */
#include "engine.h"

#include <string.h>

static BOOL same_app(const RM_PROCESS_INFO *a, const RM_PROCESS_INFO *b)
{
    return a->Process.dwProcessId == b->Process.dwProcessId &&
           !CompareFileTime(&a->Process.ProcessStartTime, &b->Process.ProcessStartTime) &&
           !wcscmp(a->strServiceShortName, b->strServiceShortName);
}

static struct rm_app *find(const struct rm_apps *apps, const RM_PROCESS_INFO *info)
{
    unsigned i;
    for (i = 0; i < apps->count; i++)
        if (same_app(&apps->items[i].info, info))
            return &apps->items[i];
    return NULL;
}

DWORD rm_apps_update(struct rm_apps *apps, const struct rm_affected *fresh)
{
    struct rm_app *app;
    unsigned i;
    DWORD err;

    for (i = 0; i < apps->count; i++)
        apps->items[i].current = FALSE;
    for (i = 0; i < fresh->count; i++) {
        if (!(app = find(apps, &fresh->apps[i]))) {
            if ((err = rm_grow((void **)&apps->items, &apps->cap, apps->count + 1, sizeof(*app))))
                return err;
            app = &apps->items[apps->count++];
            ZeroMemory(app, sizeof(*app));
        }
        /* Still running: what the resolver says now is the truth (a retry after a
         * failed stop starts again from Running). */
        app->info = fresh->apps[i];
        app->current = TRUE;
    }
    return ERROR_SUCCESS;
}

DWORD rm_apps_report(const struct rm_apps *apps, struct rm_affected *fresh)
{
    RM_PROCESS_INFO *list;
    unsigned i, n = 0;

    if (!apps->count)
        return ERROR_SUCCESS;
    if (!(list = rm_alloc_array((size_t)apps->count + fresh->count, sizeof(*list))))
        return ERROR_OUTOFMEMORY;
    for (i = 0; i < apps->count; i++)
        list[n++] = apps->items[i].info;
    for (i = 0; i < fresh->count; i++)
        if (!find(apps, &fresh->apps[i]))
            list[n++] = fresh->apps[i];
    /* Every handle was taken by the task before (rm_task_keep): none is lost here. */
    rm_free(fresh->keep);
    fresh->keep = NULL;
    fresh->cap_keep = 0;
    rm_free(fresh->apps);
    fresh->apps = list;
    fresh->count = fresh->cap = n;
    return ERROR_SUCCESS;
}

DWORD rm_engine_list(struct rm_task *t, const struct rm_registrations *r, struct rm_affected *out)
{
    DWORD err;

    InterlockedExchange(&t->cancel, 0);
    if ((err = rm_task_resolve(t, r, out)))
        return err;
    if ((err = rm_apps_report(&t->apps, out)))
        rm_affected_free(out);
    return err;
}

void rm_apps_free(struct rm_apps *apps)
{
    unsigned i;
    for (i = 0; i < apps->count; i++) {
        rm_free(apps->items[i].image);
        rm_free(apps->items[i].restart);
    }
    rm_free(apps->items);
    ZeroMemory(apps, sizeof(*apps));
}
