/*
 * close_console.c - Ctrl+C to a console app. A process can only signal the console it is
 * attached to, so we leave ours for a moment, attach to the target's, send, and come
 * back. The whole dance is process-wide state: one lock serialises it.
 *
 * Which processes get the event: a console signal goes to a process group, and we do not
 * know the target's. Group 0 means "everyone on that console" on Windows and "the
 * sender's own group" under Wine (docs/testbed.md); a target that leads its own group
 * (started with CREATE_NEW_PROCESS_GROUP) is reached through its PID. So: when nobody but
 * the target shares its console, group 0 is sent too; when others do, only the target's
 * own group, so that no process the caller did not name is signalled.
 *
 * Wine quirk: a process's group is the one of the process that started it, so a target
 * started by some other process (a launcher, an installer that restarted it) is in
 * neither the sender's group nor its own, and neither event reaches it. A Ctrl+C typed
 * into its console does: the console host signals the console's processes, as when a
 * user presses the keys. So when the target is alone on its console we type one too.
 *
 * A console program with no console (under Wine: started without a terminal, by a
 * process that had none) gets the signal the way Windows itself delivers one: a thread
 * started in it at kernelbase's CtrlRoutine.
 */
#include "../rm.h"

static SRWLOCK console_lock = SRWLOCK_INIT;

/* A process attached to the console we are on that is neither a nor b: its PID, 0 if there
 * is none, (DWORD)-1 if we cannot tell. */
static DWORD console_process_besides(DWORD a, DWORD b)
{
    DWORD pids[16], n, i;

    n = GetConsoleProcessList(pids, ARRAYSIZE(pids));
    for (i = 0; i < n && i < ARRAYSIZE(pids); i++)
        if (pids[i] != a && pids[i] != b)
            return pids[i];
    return n && n <= ARRAYSIZE(pids) ? 0 : (DWORD)-1;
}

/* Some other process on our own console, to attach back to afterwards (0 if none). */
static DWORD own_console_peer(void)
{
    DWORD self = GetCurrentProcessId(), peer;

    if (!GetConsoleWindow() && !GetStdHandle(STD_INPUT_HANDLE))
        return 0;
    peer = console_process_besides(self, self);
    return peer == (DWORD)-1 ? 0 : peer;
}


/* Windows delivers a console signal by starting a thread in the target at kernelbase's
 * exported CtrlRoutine, which runs the target's handlers (or ends it, as Ctrl+C does). We
 * do the same for a target without a console; system DLLs sit at the same address in
 * every process of one bitness, so only a target of our own bitness is reached. */
static BOOL ctrl_routine_thread(DWORD pid)
{
    HMODULE kernelbase = GetModuleHandleW(L"kernelbase.dll");
    FARPROC routine = kernelbase ? GetProcAddress(kernelbase, "CtrlRoutine") : NULL;
    BOOL self_wow64 = FALSE, target_wow64 = TRUE;
    HANDLE process, thread = NULL;

    if (!routine || !(process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                            PROCESS_VM_OPERATION | PROCESS_VM_WRITE |
                                            PROCESS_VM_READ, FALSE, pid)))
        return FALSE;
    if (IsWow64Process(GetCurrentProcess(), &self_wow64) && IsWow64Process(process, &target_wow64) &&
        self_wow64 == target_wow64)
        thread = CreateRemoteThread(process, NULL, 0, (LPTHREAD_START_ROUTINE)(void (*)(void))routine,
                                    (void *)(ULONG_PTR)CTRL_C_EVENT, 0, NULL);
    if (thread)
        CloseHandle(thread);
    else
        RM_FAIL(GetLastError(), "CtrlRoutine thread");
    CloseHandle(process);
    return thread != NULL;
}

/* Pipes and files the caller redirected its standard handles to stay; console handles
 * are the console's business (attaching back gives fresh ones). */
static void restore_std(DWORD which, HANDLE saved)
{
    if (saved && saved != INVALID_HANDLE_VALUE && GetFileType(saved) != FILE_TYPE_CHAR)
        SetStdHandle(which, saved);
}

/* Writes a Ctrl+C key press into the console we are attached to. */
static BOOL type_ctrl_c(void)
{
    HANDLE in = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    INPUT_RECORD keys[2];
    DWORD written = 0;
    BOOL ok;

    if (in == INVALID_HANDLE_VALUE)
        return FALSE;
    ZeroMemory(keys, sizeof(keys));
    keys[0].EventType = KEY_EVENT;
    keys[0].Event.KeyEvent.bKeyDown = TRUE;
    keys[0].Event.KeyEvent.wRepeatCount = 1;
    keys[0].Event.KeyEvent.wVirtualKeyCode = 'C';
    keys[0].Event.KeyEvent.uChar.UnicodeChar = 3;  /* what Ctrl+C types */
    keys[0].Event.KeyEvent.dwControlKeyState = LEFT_CTRL_PRESSED;
    keys[1] = keys[0];
    keys[1].Event.KeyEvent.bKeyDown = FALSE;
    ok = WriteConsoleInputW(in, keys, 2, &written) && written == 2;
    CloseHandle(in);
    return ok;
}

BOOL rm_console_ctrl_c(DWORD pid)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE),
           err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD peer;
    BOOL sent = FALSE;

    AcquireSRWLockExclusive(&console_lock);
    peer = own_console_peer();
    FreeConsole();
    if (AttachConsole(pid)) {
        /* Ignore the event ourselves in case it reaches us too. */
        SetConsoleCtrlHandler(NULL, TRUE);
        sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, pid);
        /* Nobody but the target (and us) shares its console. */
        if (!console_process_besides(pid, GetCurrentProcessId())) {
            sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0) || sent;
            sent = type_ctrl_c() || sent;
        }
        if (!sent)
            RM_FAIL(GetLastError(), "GenerateConsoleCtrlEvent");
        FreeConsole();
        SetConsoleCtrlHandler(NULL, FALSE);
    } else {
        RM_FAIL(GetLastError(), "AttachConsole");
    }
    if (peer)
        AttachConsole(peer);
    restore_std(STD_INPUT_HANDLE, in);
    restore_std(STD_OUTPUT_HANDLE, out);
    restore_std(STD_ERROR_HANDLE, err);
    ReleaseSRWLockExclusive(&console_lock);
    /* A console program with no console at all (Wine: one started without a terminal)
     * cannot be reached through one. */
    return sent || ctrl_routine_thread(pid);
}
