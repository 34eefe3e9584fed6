/*
 * session.c - sessions as the API sees them: start, join, end, and entering a session for
 * a call (look up, check the caller's role, lock, check the session still lives).
 *
 * A primary owns the session's store and its directory slot. A joined handle holds the
 * store open and a handle to the primary's process: when that process is gone, or the
 * primary ended the session, the joined handle is good for nothing but RmEndSession.
 */
#include <string.h>

#include "session.h"

static void session_free(struct rm_session *s)
{
    if (s->free_task)
        s->free_task(s->task);
    rm_store_close(&s->store);
    if (s->owner)
        CloseHandle(s->owner);
    rm_registrations_free(&s->regs);
    DeleteCriticalSection(&s->lock);
    SecureZeroMemory(s->key, sizeof(s->key));
    rm_free(s);
}

static struct rm_session *session_new(BOOL primary, void *task, void (*free_task)(void *))
{
    struct rm_session *s = task ? rm_alloc(sizeof(*s)) : NULL;
    if (!s) {
        if (task && free_task)
            free_task(task);
        return NULL;
    }
    s->primary = primary;
    s->slot = RM_MAX_SESSIONS;
    s->task = task;
    s->free_task = free_task;
    InitializeCriticalSection(&s->lock);
    InitializeConditionVariable(&s->idle);
    return s;
}

void rm_session_release(struct rm_session *s)
{
    if (s && InterlockedDecrement(&s->refs) == 0)
        session_free(s);
}

DWORD rm_session_start(DWORD *handle, WCHAR key[RM_KEY_CHARS + 1], void *task,
                       void (*free_task)(void *task))
{
    struct rm_session *s = session_new(TRUE, task, free_task);
    DWORD err;

    if (!s)
        return ERROR_OUTOFMEMORY;
    if ((err = rm_key_generate(s->key)) || (err = rm_store_create(&s->store, s->key)) ||
        (err = rm_directory_claim(s->key, &s->slot)))
        goto fail;
    if ((err = rm_handles_add(s))) {
        rm_directory_release(s->slot, s->key);
        goto fail;
    }
    memcpy(key, s->key, sizeof(s->key));
    *handle = s->handle;
    rm_trace("session %lu started", s->handle);
    return ERROR_SUCCESS;
fail:
    session_free(s);
    return err;
}

/* Opens the primary's process as named in the store, checking it is that very process. */
static DWORD open_owner(struct rm_session *s)
{
    struct rm_store_view v;
    FILETIME start, actual;
    DWORD err, pid;

    if ((err = rm_store_lock(&s->store, &v)))
        return err;
    pid = v.info.owner_pid;
    start.dwLowDateTime = v.info.owner_start_low;
    start.dwHighDateTime = v.info.owner_start_high;
    err = v.info.state == RM_STORE_OPEN ? ERROR_SUCCESS : ERROR_SESSION_CREDENTIAL_CONFLICT;
    rm_store_unlock(&v);
    if (err)
        return err;
    s->owner = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!s->owner || !rm_process_start_time(s->owner, &actual) ||
        actual.dwLowDateTime != start.dwLowDateTime ||
        actual.dwHighDateTime != start.dwHighDateTime ||
        WaitForSingleObject(s->owner, 0) == WAIT_OBJECT_0)
        return ERROR_SESSION_CREDENTIAL_CONFLICT;  /* its primary is gone */
    return ERROR_SUCCESS;
}

DWORD rm_session_join(DWORD *handle, const WCHAR key[RM_KEY_CHARS + 1], void *task,
                      void (*free_task)(void *task))
{
    struct rm_session *s = session_new(FALSE, task, free_task);
    DWORD err;

    if (!s)
        return ERROR_OUTOFMEMORY;
    memcpy(s->key, key, sizeof(s->key));
    if ((err = rm_store_open(&s->store, s->key)) || (err = open_owner(s)) ||
        (err = rm_handles_add(s))) {
        session_free(s);
        return err;
    }
    *handle = s->handle;
    rm_trace("session joined as handle %lu", s->handle);
    return ERROR_SUCCESS;
}

/* A joined handle lives while its primary runs and has not ended the session. */
static DWORD check_alive(struct rm_session *s)
{
    struct rm_store_view v;
    DWORD err;

    if (s->primary)
        return ERROR_SUCCESS;
    if (WaitForSingleObject(s->owner, 0) == WAIT_OBJECT_0)
        return ERROR_INVALID_HANDLE;
    if ((err = rm_store_lock(&s->store, &v)))
        return err;
    err = v.info.state == RM_STORE_OPEN ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
    rm_store_unlock(&v);
    return err;
}

DWORD rm_session_check(DWORD handle, enum rm_role role, struct rm_session **out)
{
    struct rm_session *s = rm_handles_get(handle);
    DWORD err;

    *out = NULL;
    if (!s)
        return ERROR_INVALID_HANDLE;
    if ((err = check_alive(s)) == ERROR_SUCCESS && role == RM_PRIMARY_ONLY && !s->primary)
        err = ERROR_SESSION_CREDENTIAL_CONFLICT;
    if (err) {
        rm_session_release(s);
        return err;
    }
    *out = s;
    return ERROR_SUCCESS;
}

/* How often a wait for the owner looks for a cancel. */
#define OWN_SLICE_MS 50

DWORD rm_session_own(struct rm_session *s, volatile LONG *cancel)
{
    DWORD self = GetCurrentThreadId(), start = GetTickCount(), waited, err = ERROR_SUCCESS;

    EnterCriticalSection(&s->lock);
    while (s->owner_thread) {
        waited = GetTickCount() - start;
        if (s->owner_thread == self || waited >= RM_LOCK_TIMEOUT_MS) {
            err = ERROR_SEM_TIMEOUT;
            break;
        }
        if (cancel && InterlockedCompareExchange(cancel, 0, 0)) {
            err = ERROR_CANCELLED;
            break;
        }
        SleepConditionVariableCS(&s->idle, &s->lock, min(RM_LOCK_TIMEOUT_MS - waited, OWN_SLICE_MS));
    }
    if (!err)
        s->owner_thread = self;
    LeaveCriticalSection(&s->lock);
    return err;
}

void rm_session_disown(struct rm_session *s)
{
    EnterCriticalSection(&s->lock);
    s->owner_thread = 0;
    LeaveCriticalSection(&s->lock);
    WakeAllConditionVariable(&s->idle);
}

DWORD rm_session_enter(DWORD handle, enum rm_role role, struct rm_session **out)
{
    DWORD err = rm_session_check(handle, role, out);

    if (err)
        return err;
    if ((err = rm_session_own(*out, NULL))) {
        rm_session_release(*out);
        *out = NULL;
    }
    return err;
}

void rm_session_leave(struct rm_session *s)
{
    rm_session_disown(s);
    rm_session_release(s);
}

DWORD rm_session_end(DWORD handle)
{
    struct rm_session *s = rm_handles_remove(handle);
    struct rm_store_view v;
    BOOL owned;

    if (!s)
        return ERROR_INVALID_HANDLE;
    /* Waits, bounded, for a call still running on this handle (api.c has asked it to stop).
     * Past the bound, or from inside that call's own callback, the session ends all the
     * same: what follows touches only the shared objects, each under its own mutex, and the
     * running call keeps its reference until it returns. */
    owned = rm_session_own(s, NULL) == ERROR_SUCCESS;
    if (s->primary) {
        /* Joined handles must see the end even while they keep the store open. */
        if (rm_store_lock(&s->store, &v) == ERROR_SUCCESS) {
            rm_store_mark_ended(&v);
            rm_store_unlock(&v);
        }
        rm_directory_release(s->slot, s->key);
    }
    if (owned)
        rm_session_disown(s);
    rm_trace("session handle %lu ended", handle);
    rm_session_release(s);
    return ERROR_SUCCESS;
}

DWORD rm_session_register(struct rm_session *s, UINT nfiles, LPCWSTR files[], UINT nprocs,
                          const RM_UNIQUE_PROCESS *procs, UINT nservices, LPCWSTR services[])
{
    WCHAR **full = NULL;
    DWORD err = ERROR_SUCCESS;
    UINT i, done = 0;

    if (nfiles && !(full = rm_alloc_array(nfiles, sizeof(*full))))
        return ERROR_OUTOFMEMORY;
    for (; done < nfiles; done++)
        if ((err = rm_path_full(files[done], &full[done])))
            goto out;
    err = rm_registrations_append(&s->store, nfiles, full, nprocs, procs, nservices, services);
out:
    for (i = 0; i < done; i++)
        rm_free(full[i]);
    rm_free(full);
    return err;
}

DWORD rm_session_refresh(struct rm_session *s)
{
    return rm_registrations_refresh(&s->regs, &s->store);
}
