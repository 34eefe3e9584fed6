/*
 * wine.c - the paths that exist only because Wine 8 lacks something Windows has. Each runs
 * only under Wine (rm_sys_is_wine), and says what was measured there. On Windows the
 * documented path runs instead, in the caller's file.
 *
 *  - rm_wine_restart_command: Wine's GetApplicationRestartSettings returns E_NOTIMPL for
 *    every process (measured, Wine 8.0), so no app could ever be restarted; an app's
 *    original command line stands in (engine/shutdown.c uses it only if the app closed
 *    cleanly). Windows: only what the app registered (spec §11.1).
 *  - rm_wine_console_signal: Wine delivers CTRL_C_EVENT to group 0 only to the sender's own
 *    group, and a process's group is the one of the process that started it (measured:
 *    a target started by another process got neither event). A Ctrl+C typed into its
 *    console reaches it whoever started it (the console host signals the console's
 *    processes); only when the console does not process Ctrl+C as a signal is the target's
 *    PID used as the group (reaches a target that leads its own group). One of the two,
 *    never both: many programs abort hard on a second Ctrl+C. Windows: group 0 reaches
 *    every process on the console we attached to, and a non-zero group with CTRL_C_EVENT is
 *    never received (engine/close_console.c).
 *  - rm_wine_ctrl_routine_thread: a console program started without a terminal by a
 *    process that had none has no console under Wine, so nothing can attach to it
 *    (measured: AttachConsole fails with ERROR_INVALID_HANDLE); a thread at kernelbase's
 *    CtrlRoutine delivers the signal as Windows' console host would. On Windows a remote
 *    thread is never used (security software flags them).
 *  - rm_wine_wow64_modules: Wine 8's Toolhelp cannot list the modules of a process of the
 *    other bitness (CreateToolhelp32Snapshot fails with error 998, measured both ways). A
 *    64-bit DLL reads a 32-bit process's loader list from its 32-bit PEB instead. Where that
 *    PEB is differs from Windows too (measured): ProcessWow64Information gives 1, not its
 *    address; ProcessBasicInformation gives a 64-bit PEB with no loader list, and the
 *    32-bit PEB is the page after it. That page is used only when it names the same image
 *    base as the 64-bit PEB. Windows: TH32CS_SNAPMODULE32 lists them (resolve/modules.c).
 *  - rm_wine_elevated_by_default: Wine runs every process with the user's full token
 *    (measured, Wine 8.0: TokenElevation 1, TokenElevationTypeFull, integrity 0x3000 for a
 *    plain CreateProcess; TokenLinkedToken gives the limited one), so an elevated app is
 *    the user's ordinary app there and is restarted, with its own token. Windows: an app
 *    that runs elevated is never restarted (RmRestart's documentation; spec §10.5 d).
 *  - rm_wine_ignores_token_of_create_process_with_token: Wine's CreateProcessWithTokenW
 *    ignores the token (measured: a child started with the limited token ran elevated,
 *    as its caller), which would restart an app above the level it ran at; only
 *    CreateProcessAsUserW is used there (it honours the token, measured).
 *  - rm_wine_enum_windows: Wine's EnumWindows, in a prefix where no desktop runs yet,
 *    starts one (explorer.exe /desktop) and hands it the caller's standard error handle,
 *    which it keeps for its whole life: a script reading the caller's output through a
 *    pipe never sees EOF (measured, Wine 8.0). EnumDesktopWindows on the thread's desktop
 *    lists the same windows and starts nothing (measured: 2 and 2 with a window app
 *    running; 0 and no explorer.exe without). Without a desktop no window exists, so the
 *    answer is the same. Windows always has a desktop: EnumWindows runs there.
 */
#include <string.h>
#include <wchar.h>

#include "wine.h"
#include "../util/util.h"

DWORD rm_wine_restart_command(DWORD pid, WCHAR **out)
{
    *out = NULL;
    if (!rm_sys_is_wine())
        return ERROR_NOT_SUPPORTED;
    return rm_process_command_line(pid, out);
}

/* Writes a Ctrl+C key press into the console we are attached to: the key going down only
 * (measured, Wine 8: the console host signals once per Ctrl+C record, so a press written
 * with its release reached every process twice). */
static BOOL type_ctrl_c(void)
{
    const struct rm_sys *os = rm_sys();
    HANDLE in = os->CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    INPUT_RECORD key;
    DWORD written = 0;
    BOOL ok;

    if (in == INVALID_HANDLE_VALUE)
        return FALSE;
    ZeroMemory(&key, sizeof(key));
    key.EventType = KEY_EVENT;
    key.Event.KeyEvent.bKeyDown = TRUE;
    key.Event.KeyEvent.wRepeatCount = 1;
    key.Event.KeyEvent.wVirtualKeyCode = 'C';
    key.Event.KeyEvent.uChar.UnicodeChar = 3;  /* what Ctrl+C types */
    key.Event.KeyEvent.dwControlKeyState = LEFT_CTRL_PRESSED;
    ok = os->WriteConsoleInputW(in, &key, 1, &written) && written == 1;
    os->CloseHandle(in);
    return ok;
}

/* Can a key typed into the console we are on become a signal (processed input)? */
static BOOL console_processes_ctrl_c(void)
{
    const struct rm_sys *os = rm_sys();
    HANDLE in = os->CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode = 0;
    BOOL yes;

    if (in == INVALID_HANDLE_VALUE)
        return FALSE;
    yes = os->GetConsoleMode(in, &mode) && (mode & ENABLE_PROCESSED_INPUT);
    os->CloseHandle(in);
    return yes;
}

BOOL rm_wine_console_signal(DWORD pid, BOOL *own_copy)
{
    *own_copy = FALSE;
    if (!rm_sys_is_wine())
        return FALSE;
    /* One delivery, the first that can reach the target whoever started it: a typed key,
     * which the console host turns into a signal to every process on the console (the
     * target and us; the caller made sure nobody else is there). */
    if (console_processes_ctrl_c() && type_ctrl_c()) {
        *own_copy = TRUE;
        return TRUE;
    }
    /* Else the target's PID as the group: reaches it only if it leads its own group. */
    return rm_sys()->GenerateConsoleCtrlEvent(CTRL_C_EVENT, pid);
}

BOOL rm_wine_ctrl_routine_thread(DWORD pid)
{
    const struct rm_sys *os = rm_sys();
    HMODULE kernelbase = GetModuleHandleW(L"kernelbase.dll");
    FARPROC routine = kernelbase ? GetProcAddress(kernelbase, "CtrlRoutine") : NULL;
    BOOL self_wow64 = FALSE, target_wow64 = TRUE;
    HANDLE process, thread = NULL;

    if (!rm_sys_is_wine() || !routine)
        return FALSE;
    if (!(process = os->OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                    PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_VM_READ,
                                    FALSE, pid)))
        return FALSE;
    /* System DLLs sit at the same address in every process of one bitness: only a target
     * of our own bitness can be reached. */
    if (os->IsWow64Process(GetCurrentProcess(), &self_wow64) &&
        os->IsWow64Process(process, &target_wow64) && self_wow64 == target_wow64)
        thread = os->CreateRemoteThread(process, NULL, 0,
                                        (LPTHREAD_START_ROUTINE)(void (*)(void))routine,
                                        (void *)(ULONG_PTR)CTRL_C_EVENT, 0, NULL);
    if (thread)
        os->CloseHandle(thread);
    else
        RM_FAIL(GetLastError(), "CtrlRoutine thread");
    os->CloseHandle(process);
    return thread != NULL;
}

/* Bound on a loader list: no process has this many modules; a list that seems to is
 * being changed under us, or is not a list. */
#define MAX_MODULES 8192

static BOOL read_u32(HANDLE process, ULONG_PTR at, ULONG *out)
{
    SIZE_T n = 0;
    return rm_sys()->ReadProcessMemory(process, (void *)at, out, sizeof(*out), &n) && n == sizeof(*out);
}

static ULONG_PTR wine_peb32(HANDLE process, ULONG_PTR peb64);

ULONG_PTR rm_wine_peb32(HANDLE process)
{
    const struct rm_sys *os = rm_sys();
    struct rm_nt_basic_information basic;

    if (!rm_sys_is_wine() || sizeof(void *) != 8 || !os->NtQueryInformationProcess ||
        !RM_NT_SUCCESS(os->NtQueryInformationProcess(process, RM_ProcessBasicInformation, &basic,
                                                     sizeof(basic), NULL)))
        return 0;
    return wine_peb32(process, (ULONG_PTR)basic.PebBaseAddress);
}

/* Wine 8: the 32-bit PEB is the page after the 64-bit one, if it names the same image. */
static ULONG_PTR wine_peb32(HANDLE process, ULONG_PTR peb64)
{
    ULONG64 image64 = 0;
    ULONG image32 = 0;
    SIZE_T n;

    if (!peb64 || !rm_sys()->ReadProcessMemory(process, (void *)(peb64 + RM_PEB64_IMAGE_BASE),
                                               &image64, sizeof(image64), &n) ||
        !read_u32(process, peb64 + RM_WINE_PEB32_AFTER_PEB64 + RM_PEB32_IMAGE_BASE, &image32) ||
        !image64 || image64 != image32)
        return 0;
    return peb64 + RM_WINE_PEB32_AFTER_PEB64;
}

DWORD rm_wine_wow64_modules(DWORD pid, rm_module_fn fn, void *ctx)
{
    const struct rm_sys *os = rm_sys();
    WCHAR path[MAX_PATH * 2];
    ULONG_PTR peb32 = 0;
    ULONG ldr, head, entry, buffer;
    USHORT length;
    SIZE_T n;
    DWORD err = ERROR_SUCCESS;
    unsigned count = 0;
    HANDLE h;

    if (!rm_sys_is_wine() || sizeof(void *) != 8 || !os->NtQueryInformationProcess)
        return ERROR_NOT_SUPPORTED;
    if (!(h = os->OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid)))
        return GetLastError();
    if (RM_NT_SUCCESS(os->NtQueryInformationProcess(h, RM_ProcessWow64Information, &peb32,
                                                    sizeof(peb32), NULL)) && peb32 == 1)
        peb32 = rm_wine_peb32(h);  /* see above */
    if (!peb32 || peb32 > 0xFFFFFFFFu ||
        !read_u32(h, peb32 + RM_PEB32_LDR, &ldr) || !ldr) {
        os->CloseHandle(h);
        return ERROR_NOT_SUPPORTED;  /* not a WOW64 process, or not started yet */
    }
    head = ldr + RM_LDR32_LOAD_ORDER;
    if (!read_u32(h, head, &entry))
        err = ERROR_PARTIAL_COPY;
    while (!err && entry != head) {
        if (++count > MAX_MODULES || !read_u32(h, entry + RM_LDR_ENTRY32_FULL_NAME + 4, &buffer) ||
            !os->ReadProcessMemory(h, (void *)(ULONG_PTR)(entry + RM_LDR_ENTRY32_FULL_NAME),
                                   &length, sizeof(length), &n)) {
            err = ERROR_PARTIAL_COPY;
            break;
        }
        length = (USHORT)(length / sizeof(WCHAR) < ARRAYSIZE(path) ? length : 0);
        if (length && buffer &&
            os->ReadProcessMemory(h, (void *)(ULONG_PTR)buffer, path, length, &n) && n == length) {
            path[length / sizeof(WCHAR)] = 0;
            if (!fn(ctx, path))
                break;
        }
        if (!read_u32(h, entry, &entry))
            err = ERROR_PARTIAL_COPY;
    }
    os->CloseHandle(h);
    return err;
}

BOOL rm_wine_elevated_by_default(void)
{
    return rm_sys_is_wine();
}

BOOL rm_wine_ignores_token_of_create_process_with_token(void)
{
    return rm_sys_is_wine();
}

BOOL WINAPI rm_wine_enum_windows(WNDENUMPROC callback, LPARAM arg)
{
    /* The real table's Wine check: a test table that plays Windows keeps real windows. */
    if (!rm_sys_real()->wine_get_version)
        return FALSE;
    return EnumDesktopWindows(GetThreadDesktop(GetCurrentThreadId()), callback, arg);
}
