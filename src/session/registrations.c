/*
 * registrations.c - writing a batch of registrations into a session's store, all or
 * nothing, and reading back what any process appended since the last read.
 *
 * The reader keeps its own copy (files, processes, services) and the offset it has read up
 * to, so each refresh costs only what is new. Nothing is removed from a session, so the
 * log only grows. Duplicates are kept as registered; the resolver merges them. The same
 * walk folds the engine's app records (outcomes.c) into r->outcomes.
 */
#include <string.h>

#include "session.h"

static DWORD add_batch_size(uint32_t *total, uint32_t bytes)
{
    if (bytes > RM_STORE_SIZE - *total)
        return RM_FAIL(ERROR_OUTOFMEMORY, "registration batch larger than a session store");
    *total += bytes;
    return ERROR_SUCCESS;
}

DWORD rm_registrations_append(struct rm_store *s, UINT nfiles, WCHAR *const *files,
                              UINT nprocs, const RM_UNIQUE_PROCESS *procs, UINT nservices,
                              const WCHAR *const *services)
{
    struct rm_store_view v;
    uint32_t total = 0, written = 0;
    uint8_t *at;
    DWORD err;
    UINT i;

    for (i = 0; i < nfiles; i++)
        if ((err = add_batch_size(&total, rm_record_text_size((uint32_t)wcslen(files[i])))))
            return err;
    for (i = 0; i < nprocs; i++)
        if ((err = add_batch_size(&total, rm_record_process_size())))
            return err;
    for (i = 0; i < nservices; i++)
        if ((err = add_batch_size(&total, rm_record_text_size((uint32_t)wcslen(services[i])))))
            return err;
    if (total == 0)
        return ERROR_SUCCESS;

    if ((err = rm_store_lock(s, &v)))
        return err;
    if (v.info.state != RM_STORE_OPEN) {
        err = ERROR_INVALID_HANDLE;  /* the primary ended the session meanwhile */
        goto out;
    }
    if ((err = rm_store_reserve(&v, total, &at)))
        goto out;
    for (i = 0; i < nfiles; i++)
        written += rm_record_put_text(at + written, RM_RECORD_FILE, (const uint16_t *)files[i],
                                      (uint32_t)wcslen(files[i]));
    for (i = 0; i < nprocs; i++)
        written += rm_record_put_process(at + written, procs[i].dwProcessId,
                                         procs[i].ProcessStartTime.dwLowDateTime,
                                         procs[i].ProcessStartTime.dwHighDateTime);
    for (i = 0; i < nservices; i++)
        written += rm_record_put_text(at + written, RM_RECORD_SERVICE,
                                      (const uint16_t *)services[i], (uint32_t)wcslen(services[i]));
    rm_store_commit(&v, written, nfiles + nprocs + nservices);
out:
    rm_store_unlock(&v);
    return err;
}

/* Adds one record read from the log to r. */
static DWORD keep_record(struct rm_registrations *r, const struct rm_record *rec)
{
    DWORD err;
    WCHAR *text;

    switch (rec->kind) {
    case RM_RECORD_PROCESS:
        if ((err = rm_grow((void **)&r->processes, &r->cap_processes, r->nprocesses + 1,
                        sizeof(*r->processes))))
            return err;
        r->processes[r->nprocesses].dwProcessId = rec->pid;
        r->processes[r->nprocesses].ProcessStartTime.dwLowDateTime = rec->start_low;
        r->processes[r->nprocesses].ProcessStartTime.dwHighDateTime = rec->start_high;
        r->nprocesses++;
        return ERROR_SUCCESS;
    case RM_RECORD_FILE:
        if ((err = rm_grow((void **)&r->files, &r->cap_files, r->nfiles + 1, sizeof(WCHAR *))))
            return err;
        if (!(text = rm_text_dup((const WCHAR *)rec->text)))
            return ERROR_OUTOFMEMORY;
        r->files[r->nfiles++] = text;
        return ERROR_SUCCESS;
    case RM_RECORD_APP:
        return rm_outcomes_fold(&r->outcomes, rec);
    default: /* RM_RECORD_SERVICE: rm_record_next returns no other kind */
        if ((err = rm_grow((void **)&r->services, &r->cap_services, r->nservices + 1,
                        sizeof(WCHAR *))))
            return err;
        if (!(text = rm_text_dup((const WCHAR *)rec->text)))
            return ERROR_OUTOFMEMORY;
        r->services[r->nservices++] = text;
        return ERROR_SUCCESS;
    }
}

DWORD rm_registrations_refresh(struct rm_registrations *r, struct rm_store *s)
{
    struct rm_store_view v;
    struct rm_record rec;
    uint16_t *text_buf;
    DWORD err;
    int got;

    if (r->corrupt)
        return ERROR_SUCCESS;  /* already read as far as the log makes sense */
    if (!(text_buf = rm_alloc((RM_RECORD_MAX_CHARS + 1) * sizeof(uint16_t))))
        return ERROR_OUTOFMEMORY;
    if ((err = rm_store_lock(s, &v))) {
        rm_free(text_buf);
        return err;
    }
    for (;;) {
        uint32_t offset = r->read_offset;
        got = rm_record_next(v.log, v.info.used, &offset, &rec, text_buf);
        if (got <= 0)
            break;
        /* Advance only past records we kept: a failed allocation is retried next time. */
        if ((err = keep_record(r, &rec)))
            break;
        r->read_offset = offset;
    }
    if (got < 0) {
        /* Only a process that ignores the protocol can write this; keep what came before. */
        r->corrupt = TRUE;
        RM_FAIL(ERROR_INVALID_DATA, "session log holds an invalid record");
    }
    rm_store_unlock(&v);
    rm_free(text_buf);
    return err;
}

static void free_texts(WCHAR **texts, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++)
        rm_free(texts[i]);
    rm_free(texts);
}

void rm_registrations_free(struct rm_registrations *r)
{
    free_texts(r->files, r->nfiles);
    free_texts(r->services, r->nservices);
    rm_free(r->processes);
    rm_outcomes_free(&r->outcomes);
    ZeroMemory(r, sizeof(*r));
}
