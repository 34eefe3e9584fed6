/*
 * service_control.c - stopping and starting services through the SCM. A stop is bounded by
 * WaitToKillServiceTimeout (the kill bound) and woken by the host process's exit; a start
 * by the SCM's own start bound (engine.h), not by the kill bound. Every wait sees a cancel
 * within 50 ms.
 */
#include "engine.h"

#define POLL_SLICE_MS 50

/* The service's current state, 0 if it cannot be read. */
static DWORD state_of(SC_HANDLE svc, DWORD *checkpoint)
{
    SERVICE_STATUS_PROCESS st;
    DWORD n;
    if (!rm_sys()->QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&st, sizeof(st), &n))
        return 0;
    if (checkpoint)
        *checkpoint = st.dwCheckPoint;
    return st.dwCurrentState;
}

/* Waits until the service is in `state`, at most service_ms; wakes early when the host
 * process exits (an own-process service stops with it). */
static BOOL wait_state(const struct rm_run *run, SC_HANDLE svc, DWORD state, HANDLE host)
{
    DWORD start = GetTickCount(), waited, slice;

    for (;;) {
        if (state_of(svc, NULL) == state)
            return TRUE;
        waited = GetTickCount() - start;
        if (waited >= run->bounds.service_ms || rm_run_cancelled(run))
            return FALSE;
        slice = min(run->bounds.service_ms - waited, POLL_SLICE_MS);
        if (host)
            rm_sys()->WaitForSingleObject(host, slice);
        else
            Sleep(slice);
    }
}

static SC_HANDLE open_service(const WCHAR *name, DWORD access, SC_HANDLE *scm)
{
    SC_HANDLE svc = NULL;
    if ((*scm = rm_sys()->OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE)) &&
        !(svc = rm_sys()->OpenServiceW(*scm, name, access))) {
        rm_sys()->CloseServiceHandle(*scm);
        *scm = NULL;
    }
    return svc;
}

DWORD rm_service_stop(const struct rm_run *run, const WCHAR *name, HANDLE host)
{
    SERVICE_STATUS st;
    SC_HANDLE scm, svc = open_service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, &scm);
    DWORD err = ERROR_SUCCESS;

    if (!svc)
        return RM_FAIL(GetLastError(), "OpenService to stop");
    if (!rm_sys()->ControlService(svc, SERVICE_CONTROL_STOP, &st))
        err = GetLastError();
    if (err == ERROR_SERVICE_NOT_ACTIVE) {
        err = ERROR_SUCCESS;
    } else if (!err || err == ERROR_SERVICE_CANNOT_ACCEPT_CTRL) {
        /* Asked now, or asked before and still on its way (a stop already pending). */
        err = ERROR_SUCCESS;
        if (!wait_state(run, svc, SERVICE_STOPPED, host))
            err = rm_run_cancelled(run) ? ERROR_CANCELLED : ERROR_TIMEOUT;
    }
    rm_sys()->CloseServiceHandle(svc);
    rm_sys()->CloseServiceHandle(scm);
    return err;
}

/* Until the service runs: the SCM's start bound without progress, renewed by each new
 * checkpoint (a slow service that does start is no failure), within the cap. FALSE when it
 * stopped again, made no progress in time, or the call was cancelled. */
static BOOL wait_started(const struct rm_run *run, SC_HANDLE svc)
{
    DWORD start = GetTickCount(), progress = start, checkpoint = 0, seen = 0, state;

    for (;;) {
        state = state_of(svc, &checkpoint);
        if (state == SERVICE_RUNNING)
            return TRUE;
        if (state == SERVICE_STOPPED && GetTickCount() - start > POLL_SLICE_MS * 4)
            return FALSE;  /* it did not start (a moment allowed for the SCM to move) */
        if (checkpoint != seen) {
            seen = checkpoint;
            progress = GetTickCount();
        }
        if (GetTickCount() - progress >= RM_SERVICE_START_MS ||
            GetTickCount() - start >= RM_SERVICE_START_CAP_MS || rm_run_cancelled(run))
            return FALSE;
        Sleep(POLL_SLICE_MS);
    }
}

DWORD rm_service_start(const struct rm_run *run, const WCHAR *name)
{
    SC_HANDLE scm, svc = open_service(name, SERVICE_START | SERVICE_QUERY_STATUS, &scm);
    DWORD err = ERROR_SUCCESS;

    if (!svc)
        return RM_FAIL(GetLastError(), "OpenService to start");
    if (!rm_sys()->StartServiceW(svc, 0, NULL) && (err = GetLastError()) == ERROR_SERVICE_ALREADY_RUNNING)
        err = ERROR_SUCCESS;
    else if (!err && !wait_started(run, svc))
        err = rm_run_cancelled(run) ? ERROR_CANCELLED : ERROR_TIMEOUT;
    rm_sys()->CloseServiceHandle(svc);
    rm_sys()->CloseServiceHandle(scm);
    return err;
}

BOOL rm_service_host_is_ours(DWORD pid, const WCHAR *const *names, unsigned n)
{
    SC_HANDLE scm = rm_sys()->OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
    struct rm_running_services all;
    BOOL ours, listed;
    DWORD i;
    unsigned k;

    if (!scm)
        return FALSE;
    ours = !rm_services_running(scm, &all);
    for (i = 0; ours && i < all.count; i++) {
        if (all.items[i].ServiceStatusProcess.dwProcessId != pid)
            continue;
        for (listed = FALSE, k = 0; k < n && !listed; k++)
            listed = !_wcsicmp(all.items[i].lpServiceName, names[k]);
        ours = listed;
    }
    rm_free(all.items);  /* NULL when the enumeration failed */
    rm_sys()->CloseServiceHandle(scm);
    return ours;
}
