/*
 * close_console.c - one Ctrl+C to a console app. A process can only signal the console it
 * is attached to, so we attach to the target's for a moment and come back to ours. The
 * dance is process-wide state: one lock serialises it.
 *
 * Windows (the documented way): attached to the target's console, CTRL_C_EVENT to group 0
 * reaches every process on that console, ourselves included. So it is sent only when
 * nobody but the target (and we) is on that console: otherwise processes the caller did
 * not name would be signalled, and the app is reported not stopped (terminated only when
 * forced). A non-zero group is never used: with CTRL_C_EVENT it succeeds and nobody
 * receives it. Under Wine, where neither group reaches every target, sys/wine.c picks one
 * delivery that can work; the same rules about who shares the console apply.
 *
 * The caller is left as it was:
 *  - our own copy of the signal is taken by a handler of ours, placed first, so neither
 *    the caller's handlers nor its default handler (ExitProcess) see it; the caller's
 *    SetConsoleCtrlHandler(NULL, TRUE/FALSE) setting is never touched;
 *  - we leave our console only when the target is on another one, and only with a keeper
 *    on ours (a console ends with its last process): the system's find.exe, started on our
 *    console reading a pipe of ours, which we attach back through and which ends when we
 *    close that pipe (find.exe, not cmd.exe: cmd sets the console's title, measured under
 *    Wine 8). Without a keeper we do not leave (the app is reported not stopped).
 */
#include "engine.h"
#include "../sys/wine.h"

#include <stdio.h>

static SRWLOCK console_lock = SRWLOCK_INIT;

/* ---- our own copy of the signal ---- */

/* How long an expected copy of our own stays expected (it normally arrives within
 * milliseconds; it never does when the caller ignores Ctrl+C altogether). */
#define OWN_COPY_MS 30000
static volatile LONG own_copies;
static volatile DWORD own_copies_since;

static BOOL WINAPI take_own_copy(DWORD type)
{
    LONG n;

    if (type != CTRL_C_EVENT || GetTickCount() - own_copies_since > OWN_COPY_MS)
        return FALSE;
    do {
        if ((n = own_copies) <= 0)
            return FALSE;  /* not ours: the caller's handlers decide */
    } while (InterlockedCompareExchange(&own_copies, n - 1, n) != n);
    return TRUE;
}

/* Before a send that reaches us too. The handler stays registered for the life of the
 * process (a copy may arrive after we return), so the DLL stays loaded. */
static void expect_own_copy(void)
{
    HMODULE pinned;

    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       (LPCWSTR)(void *)take_own_copy, &pinned);
    /* Removed and added again: handlers are called last added first. */
    rm_sys()->SetConsoleCtrlHandler(take_own_copy, FALSE);
    rm_sys()->SetConsoleCtrlHandler(take_own_copy, TRUE);
    own_copies_since = GetTickCount();
    InterlockedIncrement(&own_copies);
}

static void no_own_copy(void)
{
    InterlockedDecrement(&own_copies);
}

/* ---- consoles ---- */

/* The processes on the console we are attached to (rm_alloc'ed, *n of them), NULL if we
 * have none or cannot tell. */
static DWORD *console_processes(DWORD *n)
{
    DWORD cap = 16, got, *pids = NULL;
    int tries;

    for (tries = 0; tries < 8; tries++) {
        rm_free(pids);
        if (!(pids = rm_alloc_array(cap, sizeof(DWORD))))
            return NULL;
        if (!(got = rm_sys()->GetConsoleProcessList(pids, cap)))
            break;
        if (got <= cap) {
            *n = got;
            return pids;
        }
        cap = got + 16;  /* more came meanwhile: ask again with room for them */
    }
    rm_free(pids);
    return NULL;
}

/* On the console we are attached to: is pid there (*has), and is anyone there besides
 * pid and us (TRUE also when we cannot tell)? */
static BOOL others_on_console(DWORD pid, BOOL *has)
{
    DWORD n = 0, i, self = GetCurrentProcessId(), *pids = console_processes(&n);
    BOOL others = pids == NULL;

    *has = FALSE;
    for (i = 0; pids && i < n; i++) {
        if (pids[i] == pid)
            *has = TRUE;
        else if (pids[i] != self)
            others = TRUE;
    }
    rm_free(pids);
    return others;
}

/* Attached to the target's console: one Ctrl+C, or none when others share it. */
static BOOL signal_attached(DWORD pid)
{
    BOOL has, sent, own_copy = TRUE;

    if (others_on_console(pid, &has) || !has) {
        rm_trace("PID %lu shares its console with processes not named: no Ctrl+C", pid);
        return FALSE;
    }
    expect_own_copy();
    if (rm_sys_is_wine())
        sent = rm_wine_console_signal(pid, &own_copy);
    else if (!(sent = rm_sys()->GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0)))
        RM_FAIL(GetLastError(), "GenerateConsoleCtrlEvent");
    if (!sent || !own_copy)
        no_own_copy();
    return sent;
}

struct keeper {
    HANDLE process, input;
    DWORD pid;
};

static void keeper_stop(struct keeper *k)
{
    if (k->input)
        rm_sys()->CloseHandle(k->input);  /* its input ends: it exits */
    if (k->process)
        rm_sys()->CloseHandle(k->process);
    ZeroMemory(k, sizeof(*k));
}

/* Waits (2 s at most, a cancel seen) until the keeper is on our console: a child attaches
 * while it starts, after CreateProcess has returned. */
static BOOL keeper_attached(const struct rm_run *run, const struct keeper *k)
{
    DWORD n, i, *pids, waited;

    for (waited = 0; waited <= 2000 && !rm_run_cancelled(run); waited += 10) {
        if ((pids = console_processes(&n))) {
            for (i = 0; i < n && pids[i] != k->pid; i++)
                ;
            rm_free(pids);
            if (i < n)
                return TRUE;
        }
        if (rm_sys()->WaitForSingleObject(k->process, 10) == WAIT_OBJECT_0)
            return FALSE;
    }
    return FALSE;
}

static BOOL keeper_start(const struct rm_run *run, struct keeper *k)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    WCHAR dir[MAX_PATH], cmd[MAX_PATH + 32];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    HANDLE read = NULL, nul;
    UINT len = GetSystemDirectoryW(dir, MAX_PATH);
    BOOL ok = FALSE;

    ZeroMemory(k, sizeof(*k));
    if (!len || len >= MAX_PATH)
        return FALSE;
    _snwprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\\find.exe\" \"rstrtmgr\"", dir);
    cmd[ARRAYSIZE(cmd) - 1] = 0;
    nul = rm_sys()->CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                &sa, OPEN_EXISTING, 0, NULL);
    if (nul == INVALID_HANDLE_VALUE)
        return FALSE;
    if (rm_sys()->CreatePipe(&read, &k->input, &sa, 0) &&
        SetHandleInformation(k->input, HANDLE_FLAG_INHERIT, 0)) {
        ZeroMemory(&si, sizeof(si));
        si.cb = sizeof(si);
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = read;
        si.hStdOutput = si.hStdError = nul;
        /* No creation flags: a console program started so shares our console. */
        if (rm_sys()->CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, dir, &si, &pi)) {
            rm_sys()->CloseHandle(pi.hThread);
            k->process = pi.hProcess;
            k->pid = pi.dwProcessId;
            ok = keeper_attached(run, k);
        }
    }
    if (read)
        rm_sys()->CloseHandle(read);
    rm_sys()->CloseHandle(nul);
    if (!ok) {
        RM_FAIL(GetLastError(), "console keeper");
        keeper_stop(k);
    }
    return ok;
}

/* Pipes and files the caller redirected its standard handles to stay; console handles
 * are the console's business (attaching back gives fresh ones). */
static void restore_std(DWORD which, HANDLE saved)
{
    if (saved && saved != INVALID_HANDLE_VALUE && rm_sys()->GetFileType(saved) != FILE_TYPE_CHAR)
        rm_sys()->SetStdHandle(which, saved);
}

BOOL rm_console_ctrl_c(const struct rm_run *run, DWORD pid)
{
    const struct rm_sys *os = rm_sys();
    HANDLE in = os->GetStdHandle(STD_INPUT_HANDLE), out = os->GetStdHandle(STD_OUTPUT_HANDLE),
           err = os->GetStdHandle(STD_ERROR_HANDLE);
    struct keeper keeper;
    BOOL sent = FALSE, has, no_console = FALSE;
    DWORD n, *ours;

    AcquireSRWLockExclusive(&console_lock);
    ZeroMemory(&keeper, sizeof(keeper));
    others_on_console(pid, &has);
    if (has) {
        sent = signal_attached(pid);  /* the target is on our own console */
        goto out;
    }
    if ((ours = console_processes(&n))) {
        rm_free(ours);
        if (!keeper_start(run, &keeper)) {
            rm_trace("no keeper for our console: PID %lu not signalled", pid);
            goto out;
        }
    }
    os->FreeConsole();
    if (os->AttachConsole(pid)) {
        sent = signal_attached(pid);
        os->FreeConsole();
    } else {
        no_console = GetLastError() == ERROR_INVALID_HANDLE;
        RM_FAIL(GetLastError(), "AttachConsole");
    }
    if (keeper.pid && !os->AttachConsole(keeper.pid))
        RM_FAIL(GetLastError(), "AttachConsole back to our console");
    keeper_stop(&keeper);
    restore_std(STD_INPUT_HANDLE, in);
    restore_std(STD_OUTPUT_HANDLE, out);
    restore_std(STD_ERROR_HANDLE, err);
out:
    ReleaseSRWLockExclusive(&console_lock);
    /* A console program with no console at all (Wine: one started without a terminal)
     * cannot be reached through one. */
    return sent || (no_console && rm_wine_ctrl_routine_thread(pid));
}
