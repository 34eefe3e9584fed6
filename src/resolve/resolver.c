/*
 * resolver.c - RmGetList's answer: every process that holds a registered file open, has
 * one loaded, or was registered itself (and still is that process: PID and creation time),
 * each listed once with its RM_PROCESS_INFO; the services registered, hosted in those
 * processes or depending on those, one entry each; and the reboot reasons they bring.
 * Worked out from scratch on every call; only the reading of registrations is incremental.
 */
#include "resolve.h"

/* Registered processes that are still the process that was registered (one we may not
 * look at is listed too: classification says why it cannot be stopped). */
static DWORD add_registered_processes(const struct rm_registrations *r, struct rm_pidset *found)
{
    DWORD err = ERROR_SUCCESS;
    unsigned i;

    for (i = 0; i < r->nprocesses && !err; i++)
        if (rm_process_is_alive(r->processes[i].dwProcessId, &r->processes[i].ProcessStartTime))
            err = rm_pidset_add(found, r->processes[i].dwProcessId);
    return err;
}

static DWORD cancelled(volatile LONG *cancel)
{
    return cancel && InterlockedCompareExchange(cancel, 0, 0) ? ERROR_CANCELLED : ERROR_SUCCESS;
}

/* Adds one classified entry with the handle that keeps its process (may be NULL). */
static DWORD add_entry(struct rm_affected *out, const RM_PROCESS_INFO *info, DWORD reasons,
                       HANDLE keep, const WCHAR *service)
{
    WCHAR *name = NULL;
    DWORD err = rm_grow((void **)&out->apps, &out->cap, out->count + 1, sizeof(*info));

    if (!err)
        err = rm_grow((void **)&out->keep, &out->cap_keep, out->count + 1, sizeof(HANDLE));
    if (!err)
        err = rm_grow((void **)&out->services, &out->cap_services, out->count + 1, sizeof(WCHAR *));
    if (!err && service && !(name = rm_text_dup(service)))
        err = ERROR_OUTOFMEMORY;
    if (err) {
        if (keep)
            rm_sys()->CloseHandle(keep);
        return err;
    }
    out->apps[out->count] = *info;
    out->keep[out->count] = keep;
    out->services[out->count] = name;
    out->count++;
    out->reasons |= reasons;
    return ERROR_SUCCESS;
}

/* The file system's own answer where it has one; the handle walk where the platform does
 * not implement it (Wine). */
static DWORD find_open_files(struct rm_targets *t, struct rm_pidset *found)
{
    DWORD err = rm_file_users_find(t, found);
    return err == ERROR_NOT_SUPPORTED ? rm_open_files_find(t, found) : err;
}

DWORD rm_resolve(const struct rm_registrations *r, volatile LONG *cancel, struct rm_affected *out)
{
    struct rm_targets targets;
    struct rm_services services;
    struct rm_pidset found;
    RM_PROCESS_INFO info;
    HANDLE keep;
    DWORD err, reasons;
    unsigned i;

    ZeroMemory(out, sizeof(*out));
    ZeroMemory(&found, sizeof(found));
    ZeroMemory(&services, sizeof(services));
    if ((err = rm_targets_build(r, &targets)))
        return err;
    /* RmCancelCurrentTask is honoured between the steps. */
    if (!(err = add_registered_processes(r, &found)) &&
        !(err = cancelled(cancel)) &&
        !(err = find_open_files(&targets, &found)) &&
        !(err = cancelled(cancel)) &&
        !(err = rm_modules_find(&targets, &found)) &&
        !(err = cancelled(cancel)))
        err = rm_services_find(r, &found, &services);
    rm_targets_free(&targets);

    /* A process that hosts affected services is listed as those services. */
    for (i = 0; i < found.n && !err && !(err = cancelled(cancel)); i++) {
        reasons = 0;
        if (rm_services_hosted_by(&services, found.pids[i]) ||
            rm_classify_process(found.pids[i], &info, &reasons, &keep))
            continue;  /* a service, or exited meanwhile */
        err = add_entry(out, &info, reasons, keep, NULL);
    }
    for (i = 0; i < services.count && !err; i++) {
        reasons = 0;
        if (rm_classify_service(&services.items[i], &info, &reasons, &keep))
            continue;  /* its process exited meanwhile */
        err = add_entry(out, &info, reasons, keep, services.items[i].name);
    }
    rm_services_free(&services);
    rm_pidset_free(&found);
    if (err)
        rm_affected_free(out);
    return err;
}

void rm_affected_free(struct rm_affected *a)
{
    unsigned i;
    for (i = 0; a->keep && i < a->count; i++)
        if (a->keep[i])
            rm_sys()->CloseHandle(a->keep[i]);
    for (i = 0; a->services && i < a->count; i++)
        rm_free(a->services[i]);
    rm_free(a->services);
    rm_free(a->keep);
    rm_free(a->apps);
    ZeroMemory(a, sizeof(*a));
}
