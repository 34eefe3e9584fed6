/*
 * task.c - the engine's part of one session handle, attached to the session by api.c:
 * the filters, the record of what RmShutdown did, the cancel request of the running call,
 * and the handles of the processes reported to the caller (kept until the session ends,
 * so that a PID it was given cannot be reused under it).
 */
#include "engine.h"

struct rm_task *rm_task_new(void)
{
    return rm_alloc(sizeof(struct rm_task));
}

void rm_task_free(void *task)
{
    struct rm_task *t = task;
    unsigned i;

    if (!t)
        return;
    for (i = 0; i < t->nkept; i++)
        rm_sys()->CloseHandle(t->kept[i].handle);
    rm_free(t->kept);
    rm_filters_free(&t->filters);
    rm_apps_free(&t->apps);
    rm_free(t);
}

HANDLE rm_task_kept(const struct rm_task *t, const RM_UNIQUE_PROCESS *id)
{
    unsigned i;
    for (i = 0; i < t->nkept; i++)
        if (t->kept[i].id.dwProcessId == id->dwProcessId &&
            !CompareFileTime(&t->kept[i].id.ProcessStartTime, &id->ProcessStartTime))
            return t->kept[i].handle;
    return NULL;
}

DWORD rm_task_keep(struct rm_task *t, struct rm_affected *fresh)
{
    unsigned i;
    DWORD err;

    for (i = 0; i < fresh->count; i++) {
        HANDLE h = fresh->keep ? fresh->keep[i] : NULL;
        if (!h)
            continue;
        if (rm_task_kept(t, &fresh->apps[i].Process)) {
            rm_sys()->CloseHandle(h);  /* already kept */
        } else {
            if ((err = rm_grow((void **)&t->kept, &t->cap_kept, t->nkept + 1, sizeof(*t->kept))))
                return err;  /* the rest stay with the list, which closes them */
            t->kept[t->nkept].handle = h;
            t->kept[t->nkept].id = fresh->apps[i].Process;
            t->nkept++;
        }
        fresh->keep[i] = NULL;
    }
    return ERROR_SUCCESS;
}

DWORD rm_task_resolve(struct rm_task *t, const struct rm_registrations *r, struct rm_affected *out)
{
    DWORD err = rm_resolve(r, t->cancel, out);

    if (!err && (err = rm_task_keep(t, out)))
        rm_affected_free(out);
    return err;
}
