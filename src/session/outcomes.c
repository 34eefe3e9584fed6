/*
 * outcomes.c - what RmShutdown and RmRestart did to each app, kept in the session's shared
 * log (RM_RECORD_APP records) so that every handle of the session, joined ones in other
 * processes too, reports the same statuses. The primary's engine appends a record for
 * each app whose reported state changed; a reader folds them, the last record of an app
 * winning. Records are checked like every other byte of the log (layout.c).
 */
#include <string.h>

#include "session.h"

BOOL rm_same_app(const RM_UNIQUE_PROCESS *a, const WCHAR *service_a, const RM_UNIQUE_PROCESS *b,
                 const WCHAR *service_b)
{
    if (a->dwProcessId != b->dwProcessId ||
        CompareFileTime(&a->ProcessStartTime, &b->ProcessStartTime))
        return FALSE;
    if (!service_a || !service_b)
        return !service_a && !service_b;
    return !wcscmp(service_a, service_b);
}

static void to_record(const struct rm_outcome *o, struct rm_record *rec)
{
    ZeroMemory(rec, sizeof(*rec));
    rec->pid = o->info.Process.dwProcessId;
    rec->start_low = o->info.Process.ProcessStartTime.dwLowDateTime;
    rec->start_high = o->info.Process.ProcessStartTime.dwHighDateTime;
    rec->app_type = (uint32_t)o->info.ApplicationType;
    rec->status = o->info.AppStatus & RM_RECORD_APP_STATUS_MASK;
    rec->ts_session = o->info.TSSessionId;
    rec->restartable = o->info.bRestartable ? 1 : 0;
    rec->text = (uint16_t *)o->info.strAppName;
    rec->nchars = (uint32_t)wcsnlen(o->info.strAppName, RM_RECORD_APP_NAME_CHARS);
    rec->service = (uint16_t *)o->service;
    rec->nchars_service = o->service ? (uint32_t)wcsnlen(o->service, RM_RECORD_SERVICE_CHARS) : 0;
}

DWORD rm_outcomes_append(struct rm_store *s, const struct rm_outcome *items, unsigned n)
{
    struct rm_store_view v;
    struct rm_record rec;
    uint32_t total = 0, written = 0;
    uint8_t *at;
    unsigned i;
    DWORD err;

    for (i = 0; i < n; i++) {
        to_record(&items[i], &rec);
        total += rm_record_app_size(rec.nchars, rec.nchars_service);  /* n is small: no wrap */
    }
    if (!total)
        return ERROR_SUCCESS;
    if ((err = rm_store_lock(s, &v)))
        return err;
    if (v.info.state != RM_STORE_OPEN)
        err = ERROR_INVALID_HANDLE;
    else if (!(err = rm_store_reserve(&v, total, &at))) {
        for (i = 0; i < n; i++) {
            to_record(&items[i], &rec);
            written += rm_record_put_app(at + written, &rec);
        }
        rm_store_commit(&v, written, n);
    }
    rm_store_unlock(&v);
    return err;
}

DWORD rm_outcomes_fold(struct rm_outcomes *o, const struct rm_record *rec)
{
    struct rm_outcome *item = NULL;
    RM_UNIQUE_PROCESS id;
    WCHAR *service = NULL;
    const WCHAR *name = rec->nchars_service ? (const WCHAR *)rec->service : NULL;
    unsigned i;
    DWORD err;

    id.dwProcessId = rec->pid;
    id.ProcessStartTime.dwLowDateTime = rec->start_low;
    id.ProcessStartTime.dwHighDateTime = rec->start_high;
    for (i = 0; i < o->count && !item; i++)
        if (rm_same_app(&o->items[i].info.Process, o->items[i].service, &id, name))
            item = &o->items[i];
    if (!item) {
        if (name && !(service = rm_text_dup(name)))
            return ERROR_OUTOFMEMORY;
        if ((err = rm_grow((void **)&o->items, &o->cap, o->count + 1, sizeof(*item)))) {
            rm_free(service);
            return err;
        }
        item = &o->items[o->count++];
        ZeroMemory(item, sizeof(*item));
        item->service = service;
        item->info.Process = id;
    }
    item->info.ApplicationType = (RM_APP_TYPE)rec->app_type;
    item->info.AppStatus = rec->status;
    item->info.TSSessionId = rec->ts_session;
    item->info.bRestartable = rec->restartable != 0;
    memcpy(item->info.strAppName, rec->text, (rec->nchars + 1) * sizeof(WCHAR));
    rm_copy_text(item->info.strServiceShortName, ARRAYSIZE(item->info.strServiceShortName),
                 name ? name : L"");
    return ERROR_SUCCESS;
}

void rm_outcomes_free(struct rm_outcomes *o)
{
    unsigned i;
    for (i = 0; i < o->count; i++)
        rm_free(o->items[i].service);
    rm_free(o->items);
    ZeroMemory(o, sizeof(*o));
}
