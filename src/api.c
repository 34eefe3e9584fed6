/*
 * api.c - the twelve exports of rstrtmgr.dll, and nothing else.
 *
 * Each export checks its arguments first (ERROR_BAD_ARGUMENTS), then the handle
 * (ERROR_INVALID_HANDLE) and the caller's role (ERROR_SESSION_CREDENTIAL_CONFLICT for a
 * joined handle where only the primary may call), and only then calls into the modules.
 * Codes pass through unchanged. See docs/decisions.md for every choice the spec leaves open.
 */
#include <string.h>

#include "engine/engine.h"

/* The engine's part of a session (engine/task.c). */
static struct rm_task *task_of(const struct rm_session *s)
{
    return s->task;
}

/* A call RmCancelCurrentTask can reach (RmGetList, RmShutdown, RmRestart): in flight from
 * here, before it waits for the session, so that a cancel made meanwhile is not lost; then
 * the session's owner (bounded: session.h), its cancel flag the one the engine reads. */
static DWORD call_enter(DWORD handle, enum rm_role role, struct rm_call *call,
                        struct rm_session **out)
{
    DWORD err = rm_session_check(handle, role, out);

    if (err)
        return err;
    rm_call_begin(task_of(*out), call);
    if ((err = rm_session_own(*out, &call->cancel))) {
        rm_call_end(task_of(*out), call);
        rm_session_release(*out);
        return err;
    }
    task_of(*out)->cancel = &call->cancel;
    return ERROR_SUCCESS;
}

static void call_leave(struct rm_session *s, struct rm_call *call)
{
    task_of(s)->cancel = NULL;
    rm_call_end(task_of(s), call);
    rm_session_leave(s);
}

/* Longest service name the SCM accepts. */
#define RM_MAX_SERVICE_NAME 256

/* Returned by the exports whose part of the DLL is not written yet: never a fake success. */
static DWORD not_implemented(struct rm_session *s, const char *what)
{
    rm_trace("%s is not implemented yet", what);
    if (s)
        rm_session_leave(s);
    return ERROR_CALL_NOT_IMPLEMENTED;
}

static BOOL valid_text(const WCHAR *text, size_t max_chars)
{
    size_t n;
    if (!text || !text[0])
        return FALSE;
    for (n = 0; n <= max_chars && text[n]; n++)
        ;
    return n <= max_chars;
}

/* Exactly one of the three filter targets, and a name that a session can hold. */
static BOOL one_target(LPCWSTR module, const RM_UNIQUE_PROCESS *process, LPCWSTR service)
{
    if ((module != NULL) + (process != NULL) + (service != NULL) != 1)
        return FALSE;
    return (!module || valid_text(module, RM_RECORD_MAX_CHARS)) &&
           (!service || valid_text(service, RM_MAX_SERVICE_NAME));
}

/***********************************************************************
 *           RmStartSession (rstrtmgr.@)
 *
 * Starts a session; writes its handle and its 32-character key (+ NUL).
 */
DWORD WINAPI RmStartSession(DWORD *pSessionHandle, DWORD dwSessionFlags,
                            WCHAR strSessionKey[])
{
    DWORD handle, err;
    WCHAR key[RM_KEY_CHARS + 1];

    if (!pSessionHandle || !strSessionKey || dwSessionFlags != 0)
        return ERROR_BAD_ARGUMENTS;
    if ((err = rm_session_start(&handle, key, rm_task_new(), rm_task_free)))
        return err;
    memcpy(strSessionKey, key, sizeof(key));
    *pSessionHandle = handle;
    return ERROR_SUCCESS;
}

/***********************************************************************
 *           RmJoinSession (rstrtmgr.@)
 *
 * Joins the session with this key, started by this user in any process.
 */
DWORD WINAPI RmJoinSession(DWORD *pSessionHandle, const WCHAR strSessionKey[])
{
    WCHAR key[RM_KEY_CHARS + 1];
    DWORD handle, err;

    if (!pSessionHandle || !strSessionKey || rm_key_parse(strSessionKey, key))
        return ERROR_BAD_ARGUMENTS;
    if ((err = rm_session_join(&handle, key, rm_task_new(), rm_task_free)))
        return err;
    *pSessionHandle = handle;
    return ERROR_SUCCESS;
}

/***********************************************************************
 *           RmEndSession (rstrtmgr.@)
 *
 * The primary ends the session; a joined handle only leaves it.
 */
DWORD WINAPI RmEndSession(DWORD dwSessionHandle)
{
    struct rm_session *s;

    /* A call still running on the handle is asked to stop first (as RmCancelCurrentTask
     * would), so that ending waits for it only briefly (docs/decisions.md). */
    if (!rm_session_check(dwSessionHandle, RM_ANY_HANDLE, &s)) {
        rm_task_cancel(task_of(s));
        rm_session_release(s);
    }
    return rm_session_end(dwSessionHandle);
}

/***********************************************************************
 *           RmRegisterResources (rstrtmgr.@)
 *
 * Adds files, processes and services to the session, all of the batch or none of it.
 */
DWORD WINAPI RmRegisterResources(DWORD dwSessionHandle, UINT nFiles, LPCWSTR rgsFileNames[],
                                 UINT nApplications, RM_UNIQUE_PROCESS rgApplications[],
                                 UINT nServices, LPCWSTR rgsServiceNames[])
{
    struct rm_session *s;
    DWORD err;
    UINT i;

    if ((nFiles && !rgsFileNames) || (nApplications && !rgApplications) ||
        (nServices && !rgsServiceNames))
        return ERROR_BAD_ARGUMENTS;
    for (i = 0; i < nFiles; i++)
        if (!valid_text(rgsFileNames[i], RM_RECORD_MAX_CHARS))
            return ERROR_BAD_ARGUMENTS;
    for (i = 0; i < nServices; i++)
        if (!valid_text(rgsServiceNames[i], RM_MAX_SERVICE_NAME))
            return ERROR_BAD_ARGUMENTS;
    /* Only the shared store is written (under its own mutex): no need to wait for a call
     * running on this handle. */
    if ((err = rm_session_check(dwSessionHandle, RM_ANY_HANDLE, &s)))
        return err;
    err = rm_session_register(s, nFiles, rgsFileNames, nApplications, rgApplications,
                              nServices, rgsServiceNames);
    rm_session_release(s);
    return err;
}

/***********************************************************************
 *           RmGetList (rstrtmgr.@)
 *
 * Lists the applications and services that use the registered resources.
 */
DWORD WINAPI RmGetList(DWORD dwSessionHandle, UINT *pnProcInfoNeeded, UINT *pnProcInfo,
                       RM_PROCESS_INFO rgAffectedApps[], LPDWORD lpdwRebootReasons)
{
    struct rm_affected affected;
    struct rm_session *s;
    struct rm_call call;
    DWORD err;

    if (!pnProcInfoNeeded || !pnProcInfo || !lpdwRebootReasons ||
        (*pnProcInfo && !rgAffectedApps))
        return ERROR_BAD_ARGUMENTS;
    if ((err = call_enter(dwSessionHandle, RM_ANY_HANDLE, &call, &s)))
        return err;
    if (!(err = rm_session_refresh(s)))
        err = rm_engine_list(task_of(s), &s->store, &s->regs, &affected);
    call_leave(s, &call);
    if (err)
        return err;
    *lpdwRebootReasons = affected.reasons;
    *pnProcInfoNeeded = affected.count;
    if (*pnProcInfo < affected.count) {
        *pnProcInfo = 0;  /* nothing written: the caller retries with the needed count */
        err = ERROR_MORE_DATA;
    } else {
        if (affected.count)
            memcpy(rgAffectedApps, affected.apps, affected.count * sizeof(RM_PROCESS_INFO));
        *pnProcInfo = affected.count;
    }
    rm_affected_free(&affected);
    return err;
}

/***********************************************************************
 *           RmShutdown (rstrtmgr.@)
 */
DWORD WINAPI RmShutdown(DWORD dwSessionHandle, ULONG lActionFlags,
                        RM_WRITE_STATUS_CALLBACK fnStatus)
{
    struct rm_session *s;
    struct rm_call call;
    DWORD err;

    if (lActionFlags & ~(ULONG)(RmForceShutdown | RmShutdownOnlyRegistered))
        return ERROR_BAD_ARGUMENTS;
    if ((err = call_enter(dwSessionHandle, RM_PRIMARY_ONLY, &call, &s)))
        return err;
    if (!(err = rm_session_refresh(s)))
        err = rm_engine_shutdown(task_of(s), &s->store, &s->regs, lActionFlags, fnStatus);
    call_leave(s, &call);
    return err;
}

/***********************************************************************
 *           RmRestart (rstrtmgr.@)
 */
DWORD WINAPI RmRestart(DWORD dwSessionHandle, DWORD dwRestartFlags,
                       RM_WRITE_STATUS_CALLBACK fnStatus)
{
    struct rm_session *s;
    struct rm_call call;
    DWORD err;

    if (dwRestartFlags != 0)
        return ERROR_BAD_ARGUMENTS;
    if ((err = call_enter(dwSessionHandle, RM_PRIMARY_ONLY, &call, &s)))
        return err;
    err = task_of(s)->shut_down ? rm_engine_restart(task_of(s), &s->store, fnStatus)
                                : ERROR_REQUEST_OUT_OF_SEQUENCE;
    call_leave(s, &call);
    return err;
}

/***********************************************************************
 *           RmCancelCurrentTask (rstrtmgr.@)
 *
 * Must not wait for the call it cancels, so it does not take the session's lock.
 */
DWORD WINAPI RmCancelCurrentTask(DWORD dwSessionHandle)
{
    struct rm_session *s;
    DWORD err;

    if ((err = rm_session_check(dwSessionHandle, RM_PRIMARY_ONLY, &s)))
        return err;
    rm_task_cancel(task_of(s));  /* every call in flight sees it at its next safe point */
    rm_session_release(s);
    return ERROR_SUCCESS;
}

/***********************************************************************
 *           RmAddFilter (rstrtmgr.@)
 *
 * Asks that one module, process or service not be shut down or not be restarted; a later
 * call for the same target replaces the action.
 */
DWORD WINAPI RmAddFilter(DWORD dwSessionHandle, LPCWSTR strModuleName,
                         RM_UNIQUE_PROCESS *pProcess, LPCWSTR strServiceShortName,
                         RM_FILTER_ACTION FilterAction)
{
    struct rm_session *s;
    DWORD err;

    if (!one_target(strModuleName, pProcess, strServiceShortName) ||
        (FilterAction != RmNoRestart && FilterAction != RmNoShutdown))
        return ERROR_BAD_ARGUMENTS;
    if ((err = rm_session_enter(dwSessionHandle, RM_PRIMARY_ONLY, &s)))
        return err;
    err = rm_filters_add(&task_of(s)->filters, strModuleName, pProcess, strServiceShortName,
                         FilterAction);
    rm_session_leave(s);
    return err;
}

/***********************************************************************
 *           RmRemoveFilter (rstrtmgr.@)
 *
 * Drops the filter of one target; ERROR_FILE_NOT_FOUND when it has none.
 */
DWORD WINAPI RmRemoveFilter(DWORD dwSessionHandle, LPCWSTR strModuleName,
                            RM_UNIQUE_PROCESS *pProcess, LPCWSTR strServiceShortName)
{
    struct rm_session *s;
    DWORD err;

    if (!one_target(strModuleName, pProcess, strServiceShortName))
        return ERROR_BAD_ARGUMENTS;
    if ((err = rm_session_enter(dwSessionHandle, RM_PRIMARY_ONLY, &s)))
        return err;
    err = rm_filters_remove(&task_of(s)->filters, strModuleName, pProcess, strServiceShortName);
    rm_session_leave(s);
    return err;
}

/***********************************************************************
 *           RmGetFilterList (rstrtmgr.@)
 *
 * Writes the filters as a chain of RM_FILTER_INFO records with their strings, all in the
 * caller's buffer; ERROR_MORE_DATA and the size needed when it is too small.
 */
DWORD WINAPI RmGetFilterList(DWORD dwSessionHandle, PBYTE pbFilterBuf, DWORD cbFilterBuf,
                             LPDWORD cbFilterBufNeeded)
{
    struct rm_session *s;
    DWORD err, needed = 0;

    if (!cbFilterBufNeeded || (cbFilterBuf && !pbFilterBuf))
        return ERROR_BAD_ARGUMENTS;
    if ((err = rm_session_enter(dwSessionHandle, RM_PRIMARY_ONLY, &s)))
        return err;
    err = rm_filters_write(&task_of(s)->filters, pbFilterBuf, cbFilterBuf, &needed);
    rm_session_leave(s);
    if (err == ERROR_SUCCESS || err == ERROR_MORE_DATA)
        *cbFilterBufNeeded = needed;
    return err;
}

/***********************************************************************
 *           RmReserveHeap (rstrtmgr.@)
 *
 * Undocumented export of the real DLL (one 4-byte argument); its meaning is unknown, so it
 * does nothing and says so.
 */
DWORD WINAPI RmReserveHeap(DWORD unknown)
{
    (void)unknown;
    return not_implemented(NULL, "RmReserveHeap");
}
