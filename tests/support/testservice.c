/*
 * testservice.c - services in the test prefix, each running rmfixture.exe in its
 * "service" mode. Wine lets any user create services; names (and display names, which
 * the SCM also keeps unique) carry the test's PID and the time so that runs never collide,
 * even with what a failed run left behind. Every wait is bounded by TU_WAIT_MS.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "testutil.h"

void tu_service_name(wchar_t name[64], const wchar_t *tag)
{
    static LONG counter;
    /* Wine reuses PIDs from one run to the next: the tick count tells runs apart. */
    _snwprintf(name, 64, L"rmtest_%lu_%lx_%ld_%ls", GetCurrentProcessId(), GetTickCount(),
               InterlockedIncrement(&counter), tag);
    name[63] = 0;
}

static SC_HANDLE open_scm(void)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    if (!scm)
        print_error("OpenSCManager failed: %lu\n", GetLastError());
    return scm;
}

void tu_service_display(const wchar_t *name, wchar_t display[128])
{
    _snwprintf(display, 128, L"Display name of %ls", name);
    display[127] = 0;
}

BOOL tu_service_create(const wchar_t *name, const wchar_t *how, const wchar_t *file,
                       const wchar_t *deps)
{
    wchar_t exe[MAX_PATH], cmd[2 * MAX_PATH + 200], display[128];
    SC_HANDLE scm = open_scm(), svc;

    if (!scm)
        return FALSE;
    tu_bin_path(exe, L"rmfixture.exe");
    tu_service_display(name, display);
    _snwprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" service %ls %ls%ls%ls%ls", exe, name, how,
               file ? L" \"" : L"", file ? file : L"", file ? L"\"" : L"");
    cmd[ARRAYSIZE(cmd) - 1] = 0;
    svc = CreateServiceW(scm, name, display, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
                         SERVICE_DEMAND_START, SERVICE_ERROR_IGNORE, cmd, NULL, NULL, deps,
                         NULL, NULL);
    if (!svc)
        print_error("CreateService(%ls) failed: %lu\n", name, GetLastError());
    else
        CloseServiceHandle(svc);
    CloseServiceHandle(scm);
    return svc != NULL;
}

/* Polls the service's state until it is `state` or the bound passes; returns its PID. */
static DWORD wait_state(SC_HANDLE svc, DWORD state)
{
    SERVICE_STATUS_PROCESS st;
    DWORD n, waited;
    for (waited = 0; waited < TU_WAIT_MS; waited += 50) {
        if (!QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&st, sizeof(st), &n))
            return 0;
        if (st.dwCurrentState == state)
            return state == SERVICE_STOPPED ? 1 : st.dwProcessId;
        Sleep(50);
    }
    return 0;
}

DWORD tu_service_start(const wchar_t *name)
{
    SC_HANDLE scm = open_scm(), svc;
    DWORD pid = 0;

    if (!scm)
        return 0;
    if ((svc = OpenServiceW(scm, name, SERVICE_START | SERVICE_QUERY_STATUS))) {
        if (StartServiceW(svc, 0, NULL))
            pid = wait_state(svc, SERVICE_RUNNING);
        else
            print_error("StartService(%ls) failed: %lu\n", name, GetLastError());
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    return pid;
}

void tu_service_pair(const wchar_t *base, const wchar_t *dep, const wchar_t *file)
{
    wchar_t deps[260];

    memset(deps, 0, sizeof(deps));  /* a double-NUL-terminated list of one */
    wcsncpy(deps, base, ARRAYSIZE(deps) - 2);
    assert_true(tu_service_create(base, L"stop", file, NULL));
    assert_true(tu_service_create(dep, L"stop", file, deps));
    assert_true(tu_service_start(base) != 0);
    assert_true(tu_service_start(dep) != 0);
}

DWORD tu_service_pid(const wchar_t *name)
{
    SC_HANDLE scm = open_scm(), svc;
    SERVICE_STATUS_PROCESS st;
    DWORD n, pid = 0;

    if (!scm)
        return 0;
    if ((svc = OpenServiceW(scm, name, SERVICE_QUERY_STATUS))) {
        if (QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&st, sizeof(st), &n) &&
            st.dwCurrentState == SERVICE_RUNNING)
            pid = st.dwProcessId;
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    return pid;
}

void tu_service_remove(const wchar_t *name)
{
    SC_HANDLE scm = open_scm(), svc;
    SERVICE_STATUS st;
    DWORD pid;
    HANDLE p;

    if (!scm)
        return;
    if ((svc = OpenServiceW(scm, name, SERVICE_ALL_ACCESS))) {
        pid = tu_service_pid(name);
        /* One that will not stop is killed: no fixture outlives its test. */
        if (pid && !(ControlService(svc, SERVICE_CONTROL_STOP, &st) &&
                     wait_state(svc, SERVICE_STOPPED)) &&
            (p = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pid))) {
            TerminateProcess(p, 1);
            WaitForSingleObject(p, TU_WAIT_MS);
            CloseHandle(p);
        }
        DeleteService(svc);
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
}
