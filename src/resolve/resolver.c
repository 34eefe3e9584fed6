/*
 * resolver.c - RmGetList's answer: every process that holds a registered file open, has
 * one loaded, or was registered itself (and still is that process: PID and creation time),
 * each listed once with its RM_PROCESS_INFO; the services registered, hosted in those
 * processes or depending on those, one entry each; and the reboot reasons they bring.
 * Worked out from scratch on every call; only the reading of registrations is incremental.
 */
#include "../rm.h"

static DWORD append(struct rm_affected *a, const RM_PROCESS_INFO *info)
{
    DWORD err = rm_grow((void **)&a->apps, &a->cap, a->count + 1, sizeof(*info));
    if (!err)
        a->apps[a->count++] = *info;
    return err;
}

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

static DWORD cancelled(struct rm_session *s)
{
    return InterlockedCompareExchange(&s->cancel, 0, 0) ? ERROR_CANCELLED : ERROR_SUCCESS;
}

/* Adds one classified entry and keeps its process for the session. */
static DWORD add_entry(struct rm_session *s, struct rm_affected *out, const RM_PROCESS_INFO *info,
                       DWORD reasons, HANDLE keep)
{
    DWORD err = append(out, info);
    if (err) {
        if (keep)
            CloseHandle(keep);
        return err;
    }
    out->reasons |= reasons;
    return keep ? rm_session_keep_process(s, keep, &info->Process) : ERROR_SUCCESS;
}

DWORD rm_resolve(struct rm_session *s, struct rm_affected *out)
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
    if ((err = rm_registrations_refresh(&s->regs, &s->store)))
        return err;
    if ((err = rm_targets_build(&s->regs, &targets)))
        return err;
    /* RmCancelCurrentTask is honoured between the steps. */
    if (!(err = add_registered_processes(&s->regs, &found)) &&
        !(err = cancelled(s)) &&
        !(err = rm_open_files_find(&targets, &found)) &&
        !(err = cancelled(s)) &&
        !(err = rm_modules_find(&targets, &found)) &&
        !(err = cancelled(s)))
        err = rm_services_find(&s->regs, &found, &services);
    rm_targets_free(&targets);

    /* A process that hosts affected services is listed as those services. */
    for (i = 0; i < found.n && !err && !(err = cancelled(s)); i++) {
        reasons = 0;
        if (rm_services_hosted_by(&services, found.pids[i]) ||
            rm_classify_process(found.pids[i], &info, &reasons, &keep))
            continue;  /* a service, or exited meanwhile */
        err = add_entry(s, out, &info, reasons, keep);
    }
    for (i = 0; i < services.count && !err; i++) {
        reasons = 0;
        if (rm_classify_service(&services.items[i], &info, &reasons, &keep))
            continue;  /* its process exited meanwhile */
        err = add_entry(s, out, &info, reasons, keep);
    }
    rm_services_free(&services);
    rm_pidset_free(&found);
    if (err)
        rm_affected_free(out);
    return err;
}

void rm_affected_free(struct rm_affected *a)
{
    rm_free(a->apps);
    ZeroMemory(a, sizeof(*a));
}
