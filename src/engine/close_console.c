/*
 * close_console.c - Ctrl+C to a console app. A process can only signal the console it is
 * attached to, so we leave ours for a moment, attach to the target's, send, and come
 * back. The whole dance is process-wide state: one lock serialises it.
 *
 * Windows (the documented way): attached to the target's console, with our own handling
 * of Ctrl+C set to ignore, CTRL_C_EVENT to group 0 reaches every process on that console.
 * So it is sent only when nobody but the target shares the console: otherwise processes
 * the caller did not name would be signalled, and the app is reported as not stopped.
 * A non-zero group is never used: with CTRL_C_EVENT it succeeds and nobody receives it.
 *
 * Under Wine, where neither works as documented, sys/wine.c delivers it its own ways.
 */
#include "engine.h"
#include "../sys/wine.h"

static SRWLOCK console_lock = SRWLOCK_INIT;

/* A process attached to the console we are on that is neither a nor b: its PID, 0 if there
 * is none, (DWORD)-1 if we cannot tell. */
static DWORD console_process_besides(DWORD a, DWORD b)
{
    DWORD pids[16], n, i;

    n = rm_sys()->GetConsoleProcessList(pids, ARRAYSIZE(pids));
    for (i = 0; i < n && i < ARRAYSIZE(pids); i++)
        if (pids[i] != a && pids[i] != b)
            return pids[i];
    return n && n <= ARRAYSIZE(pids) ? 0 : (DWORD)-1;
}

/* Some other process on our own console, to attach back to afterwards (0 if none). */
static DWORD own_console_peer(void)
{
    DWORD self = GetCurrentProcessId(), peer;

    if (!rm_sys()->GetConsoleWindow() && !rm_sys()->GetStdHandle(STD_INPUT_HANDLE))
        return 0;
    peer = console_process_besides(self, self);
    return peer == (DWORD)-1 ? 0 : peer;
}


/* Pipes and files the caller redirected its standard handles to stay; console handles
 * are the console's business (attaching back gives fresh ones). */
static void restore_std(DWORD which, HANDLE saved)
{
    if (saved && saved != INVALID_HANDLE_VALUE && rm_sys()->GetFileType(saved) != FILE_TYPE_CHAR)
        rm_sys()->SetStdHandle(which, saved);
}

BOOL rm_console_ctrl_c(DWORD pid)
{
    HANDLE in = rm_sys()->GetStdHandle(STD_INPUT_HANDLE), out = rm_sys()->GetStdHandle(STD_OUTPUT_HANDLE),
           err = rm_sys()->GetStdHandle(STD_ERROR_HANDLE);
    const struct rm_sys *os = rm_sys();
    DWORD peer;
    BOOL sent = FALSE, alone = FALSE;

    AcquireSRWLockExclusive(&console_lock);
    peer = own_console_peer();
    os->FreeConsole();
    if (os->AttachConsole(pid)) {
        /* Ignore the event ourselves: it reaches us too. */
        os->SetConsoleCtrlHandler(NULL, TRUE);
        /* Nobody but the target (and us) shares its console. */
        alone = !console_process_besides(pid, GetCurrentProcessId());
        if (rm_sys_is_wine())
            sent = rm_wine_console_signal(pid, alone);
        else if (alone)
            sent = os->GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
        else
            rm_trace("PID %lu shares its console with others: no Ctrl+C", pid);
        if (!sent && alone)
            RM_FAIL(GetLastError(), "GenerateConsoleCtrlEvent");
        os->FreeConsole();
        os->SetConsoleCtrlHandler(NULL, FALSE);
    } else {
        RM_FAIL(GetLastError(), "AttachConsole");
    }
    if (peer)
        rm_sys()->AttachConsole(peer);
    restore_std(STD_INPUT_HANDLE, in);
    restore_std(STD_OUTPUT_HANDLE, out);
    restore_std(STD_ERROR_HANDLE, err);
    ReleaseSRWLockExclusive(&console_lock);
    /* A console program with no console at all (Wine: one started without a terminal)
     * cannot be reached through one. */
    return sent || rm_wine_ctrl_routine_thread(pid);
}
