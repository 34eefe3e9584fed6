/*
 * simsys.c - the simulated Windows of the windows-sim tests (simsys.h). Each fake follows
 * the documentation named at it; anything the world does not describe goes to the real
 * function (files, events, our own process).
 *
 * Handles: a simulated process's handle is a real duplicate of its event, so waits and
 * CloseHandle work as on Windows; a table maps each such handle to its process.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "simsys.h"
#include "sys/sys.h"
#include "resolve/resolve.h"

static struct sim_world world;
static HANDLE dead_release;       /* set at sim_end: opens on a dead server give up */
static struct rm_sys table;
static const struct rm_sys *real;
static WCHAR folder[MAX_PATH];
static unsigned temp_counter;

#define SIM_FIRST_PID 40000u       /* far from Wine's and Windows' small PIDs */
#define SIM_HWND_BASE 0x510000u
#define SIM_SCM ((SC_HANDLE)(ULONG_PTR)0x5c000)
#define SIM_SERVICE_HANDLE(i) ((SC_HANDLE)(ULONG_PTR)(0x5c100 + (i)))
#define SIM_KEY(i) ((HKEY)(ULONG_PTR)(0x5d100 + (i)))

/* ---- handles of simulated processes ---- */

struct mapping {
    HANDLE handle;
    struct sim_process *process;
    BOOL token;                 /* a token of process (NULL: the caller's), not the process */
};
static struct mapping handles[256];

static struct sim_process *by_pid(DWORD pid)
{
    unsigned i;
    for (i = 0; i < world.nprocesses; i++)
        if (world.processes[i].pid == pid)
            return &world.processes[i];
    return NULL;
}

static struct sim_process *by_handle(HANDLE h)
{
    unsigned i;
    for (i = 0; h && i < ARRAYSIZE(handles); i++)
        if (handles[i].handle == h && !handles[i].token)
            return handles[i].process;
    return NULL;
}

static HANDLE new_handle(struct sim_process *p)
{
    HANDLE h = NULL;
    unsigned i;

    if (!DuplicateHandle(GetCurrentProcess(), p->event, GetCurrentProcess(), &h, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return NULL;
    for (i = 0; i < ARRAYSIZE(handles); i++)
        if (!handles[i].handle) {
            handles[i].handle = h;
            handles[i].process = p;
            return h;
        }
    CloseHandle(h);
    SetLastError(ERROR_NO_SYSTEM_RESOURCES);
    return NULL;
}

/* ---- tokens (securitybaseapi.h): a process's user, elevation and integrity ---- */

/* A token handle is a real event handle mapped to the process whose token it is. */
static struct mapping *token_of(HANDLE h)
{
    unsigned i;
    for (i = 0; h && i < ARRAYSIZE(handles); i++)
        if (handles[i].handle == h && handles[i].token)
            return &handles[i];
    return NULL;
}

static HANDLE new_token(struct sim_process *p)
{
    HANDLE h = CreateEventW(NULL, TRUE, FALSE, NULL);
    unsigned i;
    for (i = 0; h && i < ARRAYSIZE(handles); i++)
        if (!handles[i].handle) {
            handles[i].handle = h;
            handles[i].process = p;
            handles[i].token = TRUE;
            return h;
        }
    if (h)
        CloseHandle(h);
    SetLastError(ERROR_NO_SYSTEM_RESOURCES);
    return NULL;
}

/* OpenProcessToken on a simulated process, or on the caller (GetCurrentProcess()). */
static BOOL WINAPI sim_OpenProcessToken(HANDLE process, DWORD access, PHANDLE out)
{
    struct sim_process *p = by_handle(process);
    if (!p && process != GetCurrentProcess())
        return real->OpenProcessToken(process, access, out);
    return (*out = new_token(p)) != NULL;
}

/* GetTokenInformation for TokenUser (the caller's real user, or another SID for
 * other_user), TokenElevation and TokenIntegrityLevel (high when elevated, else medium:
 * "Mandatory Integrity Control"). Other classes: ERROR_INVALID_PARAMETER. */
static BOOL WINAPI sim_GetTokenInformation(HANDLE h, TOKEN_INFORMATION_CLASS cls, LPVOID buf,
                                           DWORD len, PDWORD ret)
{
    static SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY }, label = { SECURITY_MANDATORY_LABEL_AUTHORITY };
    struct mapping *m = token_of(h);
    BOOL elevated;
    HANDLE mine;
    PSID sid;
    BOOL ok;

    if (!m)
        return real->GetTokenInformation(h, cls, buf, len, ret);
    elevated = m->process ? m->process->elevated : world.caller_elevated;
    switch (cls) {
    case TokenUser:
        if (!m->process || !m->process->other_user) {
            if (!real->OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mine))
                return FALSE;
            ok = real->GetTokenInformation(mine, TokenUser, buf, len, ret);
            CloseHandle(mine);
            return ok;
        }
        if (len < sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE ||
            !AllocateAndInitializeSid(&nt, 5, SECURITY_NT_NON_UNIQUE, 1000, 2000, 3000, 1001, 0,
                                      0, 0, &sid)) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        ((TOKEN_USER *)buf)->User.Sid = (BYTE *)buf + sizeof(TOKEN_USER);
        ((TOKEN_USER *)buf)->User.Attributes = 0;
        CopySid(SECURITY_MAX_SID_SIZE, ((TOKEN_USER *)buf)->User.Sid, sid);
        FreeSid(sid);
        *ret = sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE;
        return TRUE;
    case TokenElevation:
        if (len < sizeof(TOKEN_ELEVATION)) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        ((TOKEN_ELEVATION *)buf)->TokenIsElevated = elevated;
        *ret = sizeof(TOKEN_ELEVATION);
        return TRUE;
    case TokenIntegrityLevel:
        if (len < sizeof(TOKEN_MANDATORY_LABEL) + SECURITY_MAX_SID_SIZE ||
            !AllocateAndInitializeSid(&label, 1, elevated ? SECURITY_MANDATORY_HIGH_RID
                                                          : SECURITY_MANDATORY_MEDIUM_RID,
                                      0, 0, 0, 0, 0, 0, 0, &sid)) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        ((TOKEN_MANDATORY_LABEL *)buf)->Label.Sid = (BYTE *)buf + sizeof(TOKEN_MANDATORY_LABEL);
        ((TOKEN_MANDATORY_LABEL *)buf)->Label.Attributes = SE_GROUP_INTEGRITY;
        CopySid(SECURITY_MAX_SID_SIZE, ((TOKEN_MANDATORY_LABEL *)buf)->Label.Sid, sid);
        FreeSid(sid);
        *ret = sizeof(TOKEN_MANDATORY_LABEL) + SECURITY_MAX_SID_SIZE;
        return TRUE;
    default:
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
}

static BOOL WINAPI sim_DuplicateTokenEx(HANDLE h, DWORD access, LPSECURITY_ATTRIBUTES sa,
                                        SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE type,
                                        PHANDLE out)
{
    struct mapping *m = token_of(h);
    if (!m)
        return real->DuplicateTokenEx(h, access, sa, level, type, out);
    return (*out = new_token(m->process)) != NULL;
}

static void exit_process(struct sim_process *p)
{
    unsigned i;
    if (p->exited)
        return;
    p->exited = TRUE;
    SetEvent(p->event);
    /* A service host takes its services with it. */
    for (i = 0; i < world.nservices; i++)
        if (world.services[i].host == p->pid)
            world.services[i].state = SERVICE_STOPPED;
}

/* ---- processes (processthreadsapi.h) ---- */

/* OpenProcess: ERROR_INVALID_PARAMETER for no such process, ERROR_ACCESS_DENIED when the
 * caller may not open it (docs: OpenProcess, "Process Security and Access Rights"). */
static HANDLE WINAPI sim_OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
    struct sim_process *p = by_pid(pid);
    if (!p)
        return real->OpenProcess(access, inherit, pid);
    if (p->exited) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (p->denied) {
        SetLastError(ERROR_ACCESS_DENIED);
        return NULL;
    }
    return new_handle(p);
}

static BOOL WINAPI sim_CloseHandle(HANDLE h)
{
    unsigned i;
    for (i = 0; h && i < ARRAYSIZE(handles); i++)
        if (handles[i].handle == h)
            ZeroMemory(&handles[i], sizeof(handles[i]));
    return CloseHandle(h);
}

static BOOL WINAPI sim_DuplicateHandle(HANDLE sp, HANDLE src, HANDLE tp, LPHANDLE out,
                                       DWORD access, BOOL inherit, DWORD options)
{
    struct sim_process *p = sp == GetCurrentProcess() ? by_handle(src) : NULL;
    if (!p)
        return real->DuplicateHandle(sp, src, tp, out, access, inherit, options);
    return (*out = new_handle(p)) != NULL;
}

static BOOL WINAPI sim_GetProcessTimes(HANDLE h, LPFILETIME start, LPFILETIME exit_time,
                                       LPFILETIME kernel, LPFILETIME user)
{
    struct sim_process *p = by_handle(h);
    if (!p)
        return real->GetProcessTimes(h, start, exit_time, kernel, user);
    *start = p->start;
    ZeroMemory(exit_time, sizeof(*exit_time));
    ZeroMemory(kernel, sizeof(*kernel));
    ZeroMemory(user, sizeof(*user));
    return TRUE;
}

static BOOL WINAPI sim_GetExitCodeProcess(HANDLE h, LPDWORD code)
{
    struct sim_process *p = by_handle(h);
    if (!p)
        return real->GetExitCodeProcess(h, code);
    *code = p->exited ? 1 : STILL_ACTIVE;
    return TRUE;
}

static BOOL WINAPI sim_QueryFullProcessImageNameW(HANDLE h, DWORD flags, LPWSTR out, PDWORD len)
{
    struct sim_process *p = by_handle(h);
    size_t n;
    if (!p)
        return real->QueryFullProcessImageNameW(h, flags, out, len);
    n = wcslen(p->image);
    if (n + 1 > *len) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    memcpy(out, p->image, (n + 1) * sizeof(WCHAR));
    *len = (DWORD)n;
    return TRUE;
}

/* The caller runs in terminal session 1. */
static BOOL WINAPI sim_ProcessIdToSessionId(DWORD pid, DWORD *session)
{
    struct sim_process *p = by_pid(pid);
    if (pid == GetCurrentProcessId()) {
        *session = 1;
        return TRUE;
    }
    if (!p || p->exited) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *session = p->session;
    return TRUE;
}

static BOOL WINAPI sim_IsWow64Process(HANDLE h, PBOOL wow64)
{
    struct sim_process *p = by_handle(h);
    if (!p)
        return real->IsWow64Process(h, wow64);
    *wow64 = p->wow64;
    return TRUE;
}

static BOOL WINAPI sim_TerminateProcess(HANDLE h, UINT code)
{
    struct sim_process *p = by_handle(h);
    if (!p)
        return real->TerminateProcess(h, code);
    p->terminated = TRUE;
    exit_process(p);
    return TRUE;
}

/* Reading another process's memory is what the Wine-only paths do (its PEB). */
static BOOL WINAPI sim_ReadProcessMemory(HANDLE h, LPCVOID at, LPVOID buf, SIZE_T n, SIZE_T *done)
{
    if (!by_handle(h))
        return real->ReadProcessMemory(h, at, buf, n, done);
    world.peb_reads++;
    SetLastError(ERROR_ACCESS_DENIED);
    return FALSE;
}

static HANDLE WINAPI sim_CreateRemoteThread(HANDLE h, LPSECURITY_ATTRIBUTES sa, SIZE_T stack,
                                            LPTHREAD_START_ROUTINE start, LPVOID arg, DWORD flags,
                                            LPDWORD tid)
{
    (void)sa; (void)stack; (void)start; (void)arg; (void)flags; (void)tid; (void)h;
    world.remote_threads++;
    SetLastError(ERROR_ACCESS_DENIED);
    return NULL;
}

/* A restarted app is a new process of the same image. */
static BOOL WINAPI sim_CreateProcessW(LPCWSTR app, LPWSTR cmd, LPSECURITY_ATTRIBUTES pa,
                                      LPSECURITY_ATTRIBUTES ta, BOOL inherit, DWORD flags,
                                      LPVOID env, LPCWSTR dir, LPSTARTUPINFOW si,
                                      LPPROCESS_INFORMATION pi)
{
    unsigned i;
    (void)pa; (void)ta; (void)inherit; (void)env; (void)dir; (void)si;
    world.created++;
    wcsncpy(world.last_command, cmd ? cmd : L"", ARRAYSIZE(world.last_command) - 1);
    /* A console program started without creation flags shares its creator's console
     * (CreateProcess docs): the DLL's keeper of the caller's console. */
    if (!app && cmd && wcsstr(cmd, L"find.exe") && !(flags & (CREATE_NEW_CONSOLE | DETACHED_PROCESS))) {
        struct sim_process *p = sim_add_process(SIM_CONSOLE, NULL);
        p->console = world.attached;
        p->exits_on_ctrl_c = FALSE;
        world.keepers++;
        pi->hProcess = new_handle(p);
        pi->hThread = new_handle(p);
        pi->dwProcessId = p->pid;
        pi->dwThreadId = p->pid + 1;
        return TRUE;
    }
    for (i = 0; i < world.nprocesses; i++)
        if (app && !_wcsicmp(world.processes[i].image, app)) {
            struct sim_process *p = sim_add_process(world.processes[i].kind, NULL);
            wcscpy(p->image, app);
            p->elevated = world.caller_elevated;  /* as the caller */
            pi->hProcess = new_handle(p);
            pi->hThread = new_handle(p);
            pi->dwProcessId = p->pid;
            pi->dwThreadId = p->pid + 1;
            return TRUE;
        }
    SetLastError(ERROR_FILE_NOT_FOUND);
    return FALSE;
}

/* CreateProcessAsUserW: a token not derived from the caller's needs
 * SeAssignPrimaryTokenPrivilege, ERROR_PRIVILEGE_NOT_HELD without it (docs:
 * CreateProcessAsUserW); CreateProcessWithTokenW needs SeImpersonatePrivilege, which an
 * elevated caller holds. The new process runs with the token's elevation. */
static BOOL start_with_token(HANDLE token, LPCWSTR app, LPWSTR cmd, DWORD flags, LPCWSTR dir,
                             LPSTARTUPINFOW si, LPPROCESS_INFORMATION pi, unsigned *counter)
{
    struct mapping *m = token_of(token);
    struct sim_process *p;
    if (!m || !sim_CreateProcessW(app, cmd, NULL, NULL, FALSE, flags, NULL, dir, si, pi))
        return FALSE;
    world.created--;  /* counted by the caller's counter instead */
    (*counter)++;
    p = by_pid(pi->dwProcessId);
    p->elevated = m->process ? m->process->elevated : world.caller_elevated;
    p->other_user = m->process && m->process->other_user;
    return TRUE;
}

static BOOL WINAPI sim_CreateProcessAsUserW(HANDLE token, LPCWSTR app, LPWSTR cmd,
                                            LPSECURITY_ATTRIBUTES pa, LPSECURITY_ATTRIBUTES ta,
                                            BOOL inherit, DWORD flags, LPVOID env, LPCWSTR dir,
                                            LPSTARTUPINFOW si, LPPROCESS_INFORMATION pi)
{
    (void)pa; (void)ta; (void)inherit; (void)env;
    if (world.no_assign_privilege) {
        SetLastError(ERROR_PRIVILEGE_NOT_HELD);
        return FALSE;
    }
    return start_with_token(token, app, cmd, flags, dir, si, pi, &world.created_as_user);
}

static BOOL WINAPI sim_CreateProcessWithTokenW(HANDLE token, DWORD logon, LPCWSTR app, LPWSTR cmd,
                                               DWORD flags, LPVOID env, LPCWSTR dir,
                                               LPSTARTUPINFOW si, LPPROCESS_INFORMATION pi)
{
    (void)logon; (void)env;
    if (!world.caller_elevated) {
        SetLastError(ERROR_PRIVILEGE_NOT_HELD);
        return FALSE;
    }
    return start_with_token(token, app, cmd, flags, dir, si, pi, &world.created_with_token);
}

/* GetApplicationRestartSettings (spec §11.1): S_OK with the registered command line and
 * flags; NULL buffer: S_OK and the size; too small: ERROR_INSUFFICIENT_BUFFER; not
 * registered: HRESULT_FROM_WIN32(ERROR_NOT_FOUND). */
static HRESULT WINAPI sim_GetApplicationRestartSettings(HANDLE h, PWSTR buf, PDWORD size,
                                                        PDWORD flags)
{
    struct sim_process *p = by_handle(h);
    DWORD need;
    if (!p)
        return real->GetApplicationRestartSettings(h, buf, size, flags);
    if (!p->restart_args)
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    need = (DWORD)wcslen(p->restart_args) + 1;
    if (flags)
        *flags = p->restart_flags;
    if (!buf) {
        *size = need;
        return S_OK;
    }
    if (*size < need) {
        *size = need;
        return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
    }
    memcpy(buf, p->restart_args, need * sizeof(WCHAR));
    *size = need;
    return S_OK;
}

/* ---- the process list (tlhelp32.h); the snapshot handle is a real event ---- */

struct snapshot {
    HANDLE handle;
    DWORD flags, pid;
    unsigned next;
};
static struct snapshot snapshots[8];

static struct snapshot *snapshot_of(HANDLE h)
{
    unsigned i;
    for (i = 0; h && i < ARRAYSIZE(snapshots); i++)
        if (snapshots[i].handle == h)
            return &snapshots[i];
    return NULL;
}

static HANDLE WINAPI sim_CreateToolhelp32Snapshot(DWORD flags, DWORD pid)
{
    unsigned i;
    if ((flags & (TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32)) && !by_pid(pid))
        return real->CreateToolhelp32Snapshot(flags, pid);
    for (i = 0; i < ARRAYSIZE(snapshots); i++)
        if (!snapshots[i].handle) {
            snapshots[i].handle = CreateEventW(NULL, TRUE, FALSE, NULL);
            snapshots[i].flags = flags;
            snapshots[i].pid = pid;
            snapshots[i].next = 0;
            return snapshots[i].handle;
        }
    SetLastError(ERROR_NO_SYSTEM_RESOURCES);
    return INVALID_HANDLE_VALUE;
}

static BOOL WINAPI sim_Process32NextW(HANDLE h, LPPROCESSENTRY32W e)
{
    struct snapshot *s = snapshot_of(h);
    if (!s)
        return real->Process32NextW(h, e);
    while (s->next < world.nprocesses && world.processes[s->next].exited)
        s->next++;
    if (s->next >= world.nprocesses) {
        SetLastError(ERROR_NO_MORE_FILES);
        return FALSE;
    }
    ZeroMemory(e, sizeof(*e));
    e->dwSize = sizeof(*e);
    e->th32ProcessID = world.processes[s->next].pid;
    wcsncpy(e->szExeFile, wcsrchr(world.processes[s->next].image, L'\\') + 1, MAX_PATH - 1);
    s->next++;
    return TRUE;
}

static BOOL WINAPI sim_Process32FirstW(HANDLE h, LPPROCESSENTRY32W e)
{
    struct snapshot *s = snapshot_of(h);
    if (!s)
        return real->Process32FirstW(h, e);
    s->next = 0;
    return sim_Process32NextW(h, e);
}

/* A module snapshot lists the exe, then the modules the test gave (Module32FirstW:
 * "retrieves information about the first module"). From a 64-bit caller,
 * TH32CS_SNAPMODULE32 is what includes a WOW64 process's 32-bit modules
 * (CreateToolhelp32Snapshot docs); without it they are not listed. */
static BOOL module_entry(struct snapshot *s, LPMODULEENTRY32W e)
{
    struct sim_process *p = by_pid(s->pid);
    const WCHAR *path;

    if (!p || (sizeof(void *) == 8 && p->wow64 && !(s->flags & TH32CS_SNAPMODULE32))) {
        SetLastError(ERROR_NO_MORE_FILES);
        return FALSE;
    }
    if (s->next == 0)
        path = p->image;
    else if (s->next <= SIM_MAX_USES && p->modules[s->next - 1])
        path = p->modules[s->next - 1];
    else {
        SetLastError(ERROR_NO_MORE_FILES);
        return FALSE;
    }
    s->next++;
    ZeroMemory(e, sizeof(*e));
    e->dwSize = sizeof(*e);
    e->th32ProcessID = p->pid;
    wcsncpy(e->szExePath, path, MAX_PATH - 1);
    return TRUE;
}

static BOOL WINAPI sim_Module32FirstW(HANDLE h, LPMODULEENTRY32W e)
{
    struct snapshot *s = snapshot_of(h);
    if (!s)
        return real->Module32FirstW(h, e);
    s->next = 0;
    return module_entry(s, e);
}

static BOOL WINAPI sim_Module32NextW(HANDLE h, LPMODULEENTRY32W e)
{
    struct snapshot *s = snapshot_of(h);
    if (!s)
        return real->Module32NextW(h, e);
    return module_entry(s, e);
}

static BOOL WINAPI sim_CloseSnapshotOrHandle(HANDLE h)
{
    struct snapshot *s = snapshot_of(h);
    if (s)
        s->handle = NULL;
    return sim_CloseHandle(h);
}

/* ---- windows (winuser.h): one visible, unowned top-level window per SIM_GUI process ---- */

static struct sim_process *by_hwnd(HWND hwnd)
{
    ULONG_PTR v = (ULONG_PTR)hwnd;
    unsigned i;
    if (v < SIM_HWND_BASE || (v - SIM_HWND_BASE) % 4)
        return NULL;
    i = (unsigned)((v - SIM_HWND_BASE) / 4);
    return i < world.nprocesses && world.processes[i].kind == SIM_GUI ? &world.processes[i] : NULL;
}

/* Only the world's windows exist: a test never sees the real desktop's. */
static BOOL WINAPI sim_EnumWindows(WNDENUMPROC fn, LPARAM arg)
{
    unsigned i;
    for (i = 0; i < world.nprocesses; i++)
        if (world.processes[i].kind == SIM_GUI && !world.processes[i].exited &&
            !fn((HWND)(ULONG_PTR)(SIM_HWND_BASE + 4 * i), arg))
            break;
    return TRUE;
}

static DWORD WINAPI sim_GetWindowThreadProcessId(HWND hwnd, LPDWORD pid)
{
    struct sim_process *p = by_hwnd(hwnd);
    if (pid)
        *pid = p ? p->pid : 0;
    return p ? p->pid + 1 : 0;
}

static BOOL WINAPI sim_IsWindowVisible(HWND hwnd)
{
    return by_hwnd(hwnd) != NULL;
}

static BOOL WINAPI sim_IsWindow(HWND hwnd)
{
    struct sim_process *p = by_hwnd(hwnd);
    return p && !p->exited;
}

static HWND WINAPI sim_GetWindow(HWND hwnd, UINT cmd)
{
    (void)hwnd; (void)cmd;
    return NULL;  /* no owner */
}

static int WINAPI sim_GetClassNameW(HWND hwnd, LPWSTR out, int cap)
{
    (void)hwnd;
    wcsncpy(out, L"SimWindow", (size_t)cap - 1);
    out[cap - 1] = 0;
    return (int)wcslen(out);
}

static int WINAPI sim_GetWindowTextW(HWND hwnd, LPWSTR out, int cap)
{
    struct sim_process *p = by_hwnd(hwnd);
    wcsncpy(out, p && p->title ? p->title : L"", (size_t)cap - 1);
    out[cap - 1] = 0;
    return (int)wcslen(out);
}

/* WM_QUERYENDSESSION / WM_ENDSESSION as spec §11.2 says: the answer is the app's; a hung
 * app does not answer within the timeout (SendMessageTimeout returns 0, ERROR_TIMEOUT). */
static LRESULT WINAPI sim_SendMessageTimeoutW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp,
                                              UINT flags, UINT timeout, PDWORD_PTR result)
{
    struct sim_process *p = by_hwnd(hwnd);
    (void)lp; (void)flags;
    if (!p || p->exited) {
        SetLastError(ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    if (result)
        *result = 0;
    if (msg == WM_QUERYENDSESSION) {
        p->queries++;
        if (p->query == SIM_HANG) {
            Sleep(timeout);
            SetLastError(ERROR_TIMEOUT);
            return 0;
        }
        if (result)
            *result = p->query == SIM_AGREE;
        return 1;
    }
    if (msg == WM_ENDSESSION) {
        if (wp) {
            p->endsession_true++;
            if (p->exits_on_endsession)
                exit_process(p);
        } else {
            p->endsession_false++;
        }
        return 1;
    }
    return 1;
}

/* SendNotifyMessage (winuser docs): to another thread's window it returns at once; the
 * app gets the message all the same. */
static BOOL WINAPI sim_SendNotifyMessageW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    DWORD_PTR ignored;
    return sim_SendMessageTimeoutW(hwnd, msg, wp, lp, 0, 0, &ignored) != 0;
}

static BOOL WINAPI sim_PostMessageW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    struct sim_process *p = by_hwnd(hwnd);
    (void)wp; (void)lp;
    if (!p || p->exited) {
        SetLastError(ERROR_INVALID_WINDOW_HANDLE);
        return FALSE;
    }
    if (msg == WM_CLOSE) {
        p->closes++;
        if (p->exits_on_close)
            exit_process(p);
    }
    return TRUE;
}

/* ---- consoles (MicrosoftDocs/win32, console docs) ---- */

/* AttachConsole: fails with ERROR_INVALID_HANDLE for a process without a console. */
static BOOL WINAPI sim_AttachConsole(DWORD pid)
{
    struct sim_process *p = by_pid(pid);
    if (!p || p->exited || !p->console) {
        SetLastError(p ? ERROR_INVALID_HANDLE : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    world.attached = p->console;
    return TRUE;
}

static BOOL WINAPI sim_FreeConsole(void)
{
    unsigned i, others = 0;
    if (world.attached && world.attached == world.caller_console) {
        for (i = 0; i < world.nprocesses; i++)
            others += world.processes[i].console == world.attached && !world.processes[i].exited;
        if (!others) {
            world.caller_console_lost++;
            world.caller_console = 0;
        }
    }
    world.attached = 0;
    return TRUE;
}

static DWORD WINAPI sim_GetConsoleProcessList(LPDWORD pids, DWORD cap)
{
    DWORD n = 0;
    unsigned i;
    if (!world.attached)
        return 0;
    for (i = 0; i < world.nprocesses; i++)
        if (world.processes[i].console == world.attached && !world.processes[i].exited) {
            if (n < cap)
                pids[n] = world.processes[i].pid;
            n++;
        }
    if (n < cap)
        pids[n] = GetCurrentProcessId();
    return n + 1;
}

static HWND WINAPI sim_GetConsoleWindow(void)
{
    return NULL;
}

/* SetConsoleCtrlHandler: NULL sets or clears ignoring Ctrl+C; a routine is added to the
 * end of the list or removed (handlers run last added first). */
static BOOL WINAPI sim_SetConsoleCtrlHandler(PHANDLER_ROUTINE fn, BOOL add)
{
    unsigned i;
    if (!fn) {
        world.caller_ignores_ctrl_c = add;
        return TRUE;
    }
    for (i = 0; i < world.nhandlers && world.handlers[i] != fn; i++)
        ;
    if (add && i == world.nhandlers && i < ARRAYSIZE(world.handlers))
        world.handlers[world.nhandlers++] = fn;
    else if (!add && i < world.nhandlers) {
        memmove(&world.handlers[i], &world.handlers[i + 1],
                (world.nhandlers - i - 1) * sizeof(world.handlers[0]));
        world.nhandlers--;
    }
    return TRUE;
}

/* The caller's copy of a Ctrl+C: ignored, taken by a handler, or (the default handler)
 * the end of the caller: counted. */
static void signal_caller(void)
{
    unsigned i;
    if (world.caller_ignores_ctrl_c)
        return;
    for (i = world.nhandlers; i-- > 0;)
        if (world.handlers[i](CTRL_C_EVENT))
            return;
    world.caller_signalled++;
}

/* GenerateConsoleCtrlEvent (MicrosoftDocs/win32 generateconsolectrlevent.md): group 0
 * signals every process that shares the caller's console, the caller too; with
 * CTRL_C_EVENT and a non-zero group it "will succeed, but the CTRL+C signal will not be
 * received by processes within the specified process group". */
static BOOL WINAPI sim_GenerateConsoleCtrlEvent(DWORD event, DWORD group)
{
    unsigned i;
    if (!world.attached) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (event != CTRL_C_EVENT || group != 0) {
        world.nonzero_group_signals += group != 0;
        return TRUE;
    }
    for (i = 0; i < world.nprocesses; i++) {
        struct sim_process *p = &world.processes[i];
        if (p->console == world.attached && !p->exited) {
            p->ctrl_c++;
            if (p->exits_on_ctrl_c)
                exit_process(p);
        }
    }
    signal_caller();
    return TRUE;
}

static BOOL WINAPI sim_SetStdHandle(DWORD which, HANDLE h)
{
    (void)which; (void)h;
    return TRUE;  /* the test's own handles stay as they are */
}

/* Opening the console's input to type into it is a Wine-only path: counted. */
static HANDLE WINAPI sim_CreateFileW(LPCWSTR name, DWORD access, DWORD share,
                                     LPSECURITY_ATTRIBUTES sa, DWORD how, DWORD flags, HANDLE tmpl)
{
    if (!_wcsicmp(name, L"CONIN$")) {
        world.typed_keys++;
        SetLastError(ERROR_INVALID_HANDLE);
        return INVALID_HANDLE_VALUE;
    }
    if (!_wcsnicmp(name, L"\\\\.\\pipe\\", 9) || !_wcsnicmp(name, L"\\\\?\\pipe\\", 9))
        world.pipe_opens++;  /* it would connect to the pipe as a client */
    /* A server that does not answer: the SMB client gives up after its own timeout, tens
     * of seconds ("SessTimeout", 60 s by default); then ERROR_BAD_NETPATH. Released at
     * sim_end. */
    if (world.dead_server && !_wcsnicmp(name, world.dead_server, wcslen(world.dead_server))) {
        InterlockedIncrement((volatile LONG *)&world.dead_opens);
        WaitForSingleObject(dead_release, 60000);
        SetLastError(ERROR_BAD_NETPATH);
        return INVALID_HANDLE_VALUE;
    }
    return real->CreateFileW(name, access, share, sa, how, flags, tmpl);
}

static BOOL WINAPI sim_WriteConsoleInputW(HANDLE h, const INPUT_RECORD *r, DWORD n, LPDWORD done)
{
    (void)h; (void)r;
    world.typed_keys += n;
    *done = n;
    return TRUE;
}

/* ---- services (winsvc.h) ---- */

static struct sim_service *service_of(SC_HANDLE h)
{
    ULONG_PTR v = (ULONG_PTR)h - (ULONG_PTR)SIM_SERVICE_HANDLE(0);
    return v < world.nservices ? &world.services[v] : NULL;
}

static SC_HANDLE WINAPI sim_OpenSCManagerW(LPCWSTR machine, LPCWSTR db, DWORD access)
{
    (void)machine; (void)db; (void)access;
    return SIM_SCM;
}

static SC_HANDLE WINAPI sim_OpenServiceW(SC_HANDLE scm, LPCWSTR name, DWORD access)
{
    unsigned i;
    (void)scm; (void)access;
    for (i = 0; i < world.nservices; i++)
        if (!_wcsicmp(world.services[i].name, name))
            return SIM_SERVICE_HANDLE(i);
    SetLastError(ERROR_SERVICE_DOES_NOT_EXIST);
    return NULL;
}

static BOOL WINAPI sim_CloseServiceHandle(SC_HANDLE h)
{
    (void)h;
    return TRUE;
}

static void status_of(const struct sim_service *s, SERVICE_STATUS_PROCESS *st)
{
    ZeroMemory(st, sizeof(*st));
    st->dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    st->dwCurrentState = s->state;
    st->dwControlsAccepted = s->accepts_stop ? SERVICE_ACCEPT_STOP : 0;
    st->dwProcessId = s->state == SERVICE_STOPPED ? 0 : s->host;
}

/* EnumServicesStatusExW: the records, then their strings, in the caller's buffer;
 * ERROR_MORE_DATA with the bytes needed when it is too small. */
static BOOL WINAPI sim_EnumServicesStatusExW(SC_HANDLE scm, SC_ENUM_TYPE level, DWORD type,
                                             DWORD state, LPBYTE buf, DWORD size, LPDWORD needed,
                                             LPDWORD count, LPDWORD resume, LPCWSTR group)
{
    ENUM_SERVICE_STATUS_PROCESSW *e = (ENUM_SERVICE_STATUS_PROCESSW *)buf;
    DWORD need = 0, n = 0;
    WCHAR *text;
    unsigned i;
    (void)scm; (void)level; (void)type; (void)group;
    for (i = 0; i < world.nservices; i++)
        if (state != SERVICE_ACTIVE || world.services[i].state != SERVICE_STOPPED)
            need += sizeof(*e) + (DWORD)(wcslen(world.services[i].name) +
                                         wcslen(world.services[i].display) + 2) * sizeof(WCHAR);
    if (resume)
        *resume = 0;
    if (need > size || !buf) {
        *needed = need;
        *count = 0;
        SetLastError(ERROR_MORE_DATA);
        return FALSE;
    }
    for (i = 0; i < world.nservices; i++)
        if (state != SERVICE_ACTIVE || world.services[i].state != SERVICE_STOPPED)
            n++;
    text = (WCHAR *)(e + n);
    n = 0;
    for (i = 0; i < world.nservices; i++) {
        const struct sim_service *s = &world.services[i];
        if (state == SERVICE_ACTIVE && s->state == SERVICE_STOPPED)
            continue;
        e[n].lpServiceName = text;
        wcscpy(text, s->name);
        text += wcslen(s->name) + 1;
        e[n].lpDisplayName = text;
        wcscpy(text, s->display);
        text += wcslen(s->display) + 1;
        status_of(s, &e[n].ServiceStatusProcess);
        n++;
    }
    *needed = 0;
    *count = n;
    return TRUE;
}

static BOOL WINAPI sim_QueryServiceStatusEx(SC_HANDLE h, SC_STATUS_TYPE level, LPBYTE buf,
                                            DWORD size, LPDWORD needed)
{
    struct sim_service *s = service_of(h);
    (void)level;
    *needed = sizeof(SERVICE_STATUS_PROCESS);
    if (!s || size < sizeof(SERVICE_STATUS_PROCESS)) {
        SetLastError(s ? ERROR_INSUFFICIENT_BUFFER : ERROR_INVALID_HANDLE);
        return FALSE;
    }
    status_of(s, (SERVICE_STATUS_PROCESS *)buf);
    return TRUE;
}

/* ControlService(STOP): ERROR_INVALID_SERVICE_CONTROL when it does not accept stop,
 * ERROR_DEPENDENT_SERVICES_RUNNING while a running service depends on it. */
static BOOL WINAPI sim_ControlService(SC_HANDLE h, DWORD control, LPSERVICE_STATUS st)
{
    struct sim_service *s = service_of(h);
    unsigned i;
    if (!s || control != SERVICE_CONTROL_STOP) {
        SetLastError(ERROR_INVALID_SERVICE_CONTROL);
        return FALSE;
    }
    if (s->state == SERVICE_STOPPED) {
        SetLastError(ERROR_SERVICE_NOT_ACTIVE);
        return FALSE;
    }
    if (!s->accepts_stop) {
        SetLastError(ERROR_INVALID_SERVICE_CONTROL);
        return FALSE;
    }
    for (i = 0; i < world.nservices; i++)
        if (world.services[i].depends_on && !_wcsicmp(world.services[i].depends_on, s->name) &&
            world.services[i].state != SERVICE_STOPPED) {
            SetLastError(ERROR_DEPENDENT_SERVICES_RUNNING);
            return FALSE;
        }
    s->state = SERVICE_STOPPED;
    s->stop_order = ++world.stops;
    ZeroMemory(st, sizeof(*st));
    st->dwCurrentState = SERVICE_STOPPED;
    return TRUE;
}

static BOOL WINAPI sim_StartServiceW(SC_HANDLE h, DWORD argc, LPCWSTR *argv)
{
    struct sim_service *s = service_of(h);
    (void)argc; (void)argv;
    if (!s) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (s->state == SERVICE_RUNNING) {
        SetLastError(ERROR_SERVICE_ALREADY_RUNNING);
        return FALSE;
    }
    s->state = SERVICE_RUNNING;
    s->starts++;
    return TRUE;
}

/* ---- the registry: services' DependOnService; the shutdown timeouts ---- */

static LSTATUS WINAPI sim_RegOpenKeyExW(HKEY root, LPCWSTR path, DWORD opts, REGSAM sam, PHKEY out)
{
    static const WCHAR prefix[] = L"SYSTEM\\CurrentControlSet\\Services\\";
    size_t n = wcslen(prefix);
    unsigned i;
    (void)opts; (void)sam;
    if (root == HKEY_LOCAL_MACHINE && !_wcsnicmp(path, prefix, n))
        for (i = 0; i < world.nservices; i++)
            if (!_wcsicmp(path + n, world.services[i].name)) {
                *out = SIM_KEY(i);
                return ERROR_SUCCESS;
            }
    return ERROR_FILE_NOT_FOUND;
}

static LSTATUS WINAPI sim_RegQueryValueExW(HKEY key, LPCWSTR name, LPDWORD reserved, LPDWORD type,
                                           LPBYTE data, LPDWORD size)
{
    ULONG_PTR i = (ULONG_PTR)key - (ULONG_PTR)SIM_KEY(0);
    const WCHAR *dep;
    DWORD need;
    (void)reserved;
    if (i >= world.nservices || _wcsicmp(name, L"DependOnService") ||
        !(dep = world.services[i].depends_on))
        return ERROR_FILE_NOT_FOUND;
    need = (DWORD)(wcslen(dep) + 2) * sizeof(WCHAR);  /* REG_MULTI_SZ: one name, two NULs */
    if (type)
        *type = REG_MULTI_SZ;
    if (data) {
        if (*size < need) {
            *size = need;
            return ERROR_MORE_DATA;
        }
        ZeroMemory(data, need);
        memcpy(data, dep, wcslen(dep) * sizeof(WCHAR));
    }
    *size = need;
    return ERROR_SUCCESS;
}

static LSTATUS WINAPI sim_RegCloseKey(HKEY key)
{
    (void)key;
    return ERROR_SUCCESS;
}

/* Short waits, as a test's machine sets them: HungAppTimeout and WaitToKill* = 300 ms. */
static LSTATUS WINAPI sim_RegGetValueW(HKEY root, LPCWSTR key, LPCWSTR value, DWORD flags,
                                       LPDWORD type, PVOID data, LPDWORD size)
{
    const WCHAR *ms = world.timeout_ms ? world.timeout_ms : L"300";
    DWORD bytes = (DWORD)((wcslen(ms) + 1) * sizeof(WCHAR));
    (void)root; (void)key; (void)value; (void)flags;
    if (*size < bytes)
        return ERROR_MORE_DATA;
    memcpy(data, ms, bytes);
    *size = bytes;
    if (type)
        *type = REG_SZ;
    return ERROR_SUCCESS;
}

/* ---- ntdll ---- */

static BOOL same_file(HANDLE a, const WCHAR *path)
{
    BY_HANDLE_FILE_INFORMATION x, y;
    HANDLE b = CreateFileW(path, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    BOOL same;
    if (b == INVALID_HANDLE_VALUE)
        return FALSE;
    same = GetFileInformationByHandle(a, &x) && GetFileInformationByHandle(b, &y) &&
           x.dwVolumeSerialNumber == y.dwVolumeSerialNumber &&
           x.nFileIndexHigh == y.nFileIndexHigh && x.nFileIndexLow == y.nFileIndexLow;
    CloseHandle(b);
    return same;
}

/* FileProcessIdsUsingFileInformation (spec §11.3): every process with the file open, the
 * asking one included (it holds the handle asked through); STATUS_INFO_LENGTH_MISMATCH
 * when the buffer cannot hold the list. STATUS_INVALID_INFO_CLASS where the platform
 * lacks it (world.no_file_ids). Every other class is the real one. */
static LONG NTAPI sim_NtQueryInformationFile(HANDLE file, struct rm_nt_io_status *io, PVOID buf,
                                             ULONG len, ULONG cls)
{
    struct rm_nt_process_ids_using_file *ids = buf;
    ULONG_PTR list[SIM_MAX_PROCESSES + 1];
    ULONG n = 0, need, i, k;

    if (cls != RM_FileProcessIdsUsingFileInformation)
        return real->NtQueryInformationFile(file, io, buf, len, cls);
    world.file_id_queries++;
    if (world.no_file_ids)
        return STATUS_INVALID_INFO_CLASS;
    list[n++] = GetCurrentProcessId();
    for (i = 0; i < world.nprocesses; i++)
        for (k = 0; k < SIM_MAX_USES && world.processes[i].uses[k]; k++)
            if (!world.processes[i].exited && same_file(file, world.processes[i].uses[k])) {
                list[n++] = world.processes[i].pid;
                break;
            }
    need = (ULONG)(FIELD_OFFSET(struct rm_nt_process_ids_using_file, ProcessIdList) +
                   n * sizeof(ULONG_PTR));
    if (len < need)
        return STATUS_INFO_LENGTH_MISMATCH;
    ids->NumberOfProcessIdsInList = n;
    memcpy(ids->ProcessIdList, list, n * sizeof(ULONG_PTR));
    io->Information = need;
    return 0;
}

/* The handle table: counted, and empty (simulated processes hold no real handles). */
/* SystemProcessInformation: one entry per running simulated process, denied or not
 * (the list needs no right on the processes: NtQuerySystemInformation docs), each with its
 * creation time and image file name; STATUS_INFO_LENGTH_MISMATCH when it does not fit. */
static LONG sim_process_list(BYTE *buf, ULONG len, PULONG ret)
{
    struct rm_nt_process_entry *e = NULL;
    ULONG need = 0, at = 0, i, n;
    const WCHAR *name;

    for (i = 0; i < world.nprocesses; i++)
        if (!world.processes[i].exited)
            need += sizeof(*e) + MAX_PATH * sizeof(WCHAR);
    if (!need)
        return real->NtQuerySystemInformation(RM_SystemProcessInformation, buf, len, ret);
    if (ret)
        *ret = need;
    if (len < need)
        return STATUS_INFO_LENGTH_MISMATCH;
    for (i = 0; i < world.nprocesses; i++) {
        const struct sim_process *p = &world.processes[i];
        if (p->exited)
            continue;
        if (e)
            e->NextEntryOffset = at - (ULONG)((BYTE *)e - buf);
        e = (struct rm_nt_process_entry *)(buf + at);
        ZeroMemory(e, sizeof(*e));
        name = wcsrchr(p->image, L'\\') ? wcsrchr(p->image, L'\\') + 1 : p->image;
        n = (ULONG)wcslen(name);
        e->CreateTime.LowPart = p->start.dwLowDateTime;
        e->CreateTime.HighPart = (LONG)p->start.dwHighDateTime;
        e->ImageNameLength = (USHORT)(n * sizeof(WCHAR));
        e->ImageNameMaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
        e->ImageNameBuffer = (PWSTR)(buf + at + sizeof(*e));
        memcpy(e->ImageNameBuffer, name, (n + 1) * sizeof(WCHAR));
        e->UniqueProcessId = (HANDLE)(ULONG_PTR)p->pid;
        at += sizeof(*e) + MAX_PATH * sizeof(WCHAR);
    }
    return 0;
}

static LONG NTAPI sim_NtQuerySystemInformation(ULONG cls, PVOID buf, ULONG len, PULONG ret)
{
    struct rm_nt_handle_table *t = buf;
    if (cls == RM_SystemProcessInformation)
        return sim_process_list(buf, len, ret);
    if (cls != RM_SystemExtendedHandleInformation)
        return real->NtQuerySystemInformation(cls, buf, len, ret);
    world.handle_walks++;
    if (len < sizeof(*t))
        return STATUS_INFO_LENGTH_MISMATCH;
    ZeroMemory(t, sizeof(*t));
    if (ret)
        *ret = sizeof(*t);
    return 0;
}

/* ---- the world ---- */

/* A minimal PE image: what classify.c reads of it is the subsystem. */
static void write_image(const WCHAR *path, WORD subsystem)
{
    BYTE file[1024];
    IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)file;
    IMAGE_NT_HEADERS32 *nt;
    HANDLE f;
    DWORD n;

    ZeroMemory(file, sizeof(file));
    dos->e_magic = IMAGE_DOS_SIGNATURE;
    dos->e_lfanew = 0x80;
    nt = (IMAGE_NT_HEADERS32 *)(file + 0x80);
    nt->Signature = IMAGE_NT_SIGNATURE;
    nt->FileHeader.Machine = IMAGE_FILE_MACHINE_I386;
    nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER32);
    nt->OptionalHeader.Magic = IMAGE_NT_OPTIONAL_HDR32_MAGIC;
    nt->OptionalHeader.Subsystem = subsystem;
    f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return;
    WriteFile(f, file, sizeof(file), &n, NULL);
    CloseHandle(f);
}

void sim_temp_file(const WCHAR *name, WCHAR *out)
{
    HANDLE f;
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", folder, name);
    out[MAX_PATH - 1] = 0;
    f = CreateFileW(out, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
}

const RM_PROCESS_INFO *sim_find(const struct rm_affected *a, DWORD pid)
{
    unsigned i;
    for (i = 0; i < a->count; i++)
        if (a->apps[i].Process.dwProcessId == pid)
            return &a->apps[i];
    return NULL;
}

void sim_temp_image(const WCHAR *name, WCHAR *out)
{
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", folder, name);
    out[MAX_PATH - 1] = 0;
    write_image(out, IMAGE_SUBSYSTEM_WINDOWS_GUI);
}

struct rm_registrations sim_one_file(const WCHAR *name)
{
    struct rm_registrations r;
    ZeroMemory(&r, sizeof(r));
    sim_temp_file(name, world.file);
    world.files[0] = world.file;
    r.files = world.files;
    r.nfiles = 1;
    return r;
}

unsigned sim_wine_paths_used(void)
{
    const struct { const char *what; unsigned n; } used[] = {
        { "remote threads", world.remote_threads },
        { "typed Ctrl+C", world.typed_keys },
        { "PEB reads", world.peb_reads },
        { "CTRL_C_EVENT to a non-zero group", world.nonzero_group_signals },
        { "Ctrl+C reaching the caller", world.caller_signalled },
    };
    unsigned i, total = 0;
    for (i = 0; i < ARRAYSIZE(used); i++) {
        if (used[i].n)
            printf("sim: a Windows path used %s (%u)\n", used[i].what, used[i].n);
        total += used[i].n;
    }
    return total;
}

struct sim_process *sim_add_process(enum sim_kind kind, const WCHAR *image_name)
{
    struct sim_process *p = &world.processes[world.nprocesses];
    ULARGE_INTEGER t;

    if (world.nprocesses >= SIM_MAX_PROCESSES)
        return NULL;
    ZeroMemory(p, sizeof(*p));
    p->pid = SIM_FIRST_PID + 8 * world.nprocesses;
    p->kind = kind;
    p->session = 1;
    p->query = SIM_AGREE;
    p->exits_on_endsession = p->exits_on_close = p->exits_on_ctrl_c = TRUE;
    p->console = kind == SIM_CONSOLE ? 100 + world.nprocesses : 0;
    t.QuadPart = 132000000000000000ull + world.nprocesses;
    p->start.dwLowDateTime = t.LowPart;
    p->start.dwHighDateTime = t.HighPart;
    p->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    /* Of the caller's bitness: a 32-bit caller on 64-bit Windows sees WOW64 processes. */
    IsWow64Process(GetCurrentProcess(), &p->wow64);
    if (image_name) {
        _snwprintf(p->image, MAX_PATH, L"%ls\\%ls", folder, image_name);
        write_image(p->image, kind == SIM_CONSOLE ? IMAGE_SUBSYSTEM_WINDOWS_CUI
                                                  : IMAGE_SUBSYSTEM_WINDOWS_GUI);
    }
    world.nprocesses++;
    return p;
}

struct sim_service *sim_add_service(const WCHAR *name, DWORD host)
{
    struct sim_service *s = &world.services[world.nservices++];
    ZeroMemory(s, sizeof(*s));
    s->name = name;
    s->display = name;
    s->host = host;
    s->state = SERVICE_RUNNING;
    s->accepts_stop = TRUE;
    return s;
}

struct sim_world *sim_begin(void)
{
    WCHAR tmp[MAX_PATH];

    ZeroMemory(&world, sizeof(world));
    ZeroMemory(handles, sizeof(handles));
    if (!dead_release)
        dead_release = CreateEventW(NULL, TRUE, FALSE, NULL);
    ResetEvent(dead_release);
    ZeroMemory(snapshots, sizeof(snapshots));
    real = rm_sys_real();
    table = *real;
    table.wine_get_version = NULL;  /* Windows */
    table.OpenProcess = sim_OpenProcess;
    table.CloseHandle = sim_CloseSnapshotOrHandle;
    table.DuplicateHandle = sim_DuplicateHandle;
    table.GetProcessTimes = sim_GetProcessTimes;
    table.GetExitCodeProcess = sim_GetExitCodeProcess;
    table.QueryFullProcessImageNameW = sim_QueryFullProcessImageNameW;
    table.ProcessIdToSessionId = sim_ProcessIdToSessionId;
    table.IsWow64Process = sim_IsWow64Process;
    table.TerminateProcess = sim_TerminateProcess;
    table.ReadProcessMemory = sim_ReadProcessMemory;
    table.CreateRemoteThread = sim_CreateRemoteThread;
    table.CreateProcessW = sim_CreateProcessW;
    table.GetApplicationRestartSettings = sim_GetApplicationRestartSettings;
    table.OpenProcessToken = sim_OpenProcessToken;
    table.GetTokenInformation = sim_GetTokenInformation;
    table.DuplicateTokenEx = sim_DuplicateTokenEx;
    table.CreateProcessAsUserW = sim_CreateProcessAsUserW;
    table.CreateProcessWithTokenW = sim_CreateProcessWithTokenW;
    table.CreateToolhelp32Snapshot = sim_CreateToolhelp32Snapshot;
    table.Process32FirstW = sim_Process32FirstW;
    table.Process32NextW = sim_Process32NextW;
    table.Module32FirstW = sim_Module32FirstW;
    table.Module32NextW = sim_Module32NextW;
    table.EnumWindows = sim_EnumWindows;
    table.GetWindowThreadProcessId = sim_GetWindowThreadProcessId;
    table.IsWindowVisible = sim_IsWindowVisible;
    table.IsWindow = sim_IsWindow;
    table.GetWindow = sim_GetWindow;
    table.GetClassNameW = sim_GetClassNameW;
    table.GetWindowTextW = sim_GetWindowTextW;
    table.SendMessageTimeoutW = sim_SendMessageTimeoutW;
    table.PostMessageW = sim_PostMessageW;
    table.SendNotifyMessageW = sim_SendNotifyMessageW;
    table.AttachConsole = sim_AttachConsole;
    table.FreeConsole = sim_FreeConsole;
    table.GetConsoleProcessList = sim_GetConsoleProcessList;
    table.GetConsoleWindow = sim_GetConsoleWindow;
    table.SetConsoleCtrlHandler = sim_SetConsoleCtrlHandler;
    table.GenerateConsoleCtrlEvent = sim_GenerateConsoleCtrlEvent;
    table.SetStdHandle = sim_SetStdHandle;
    table.WriteConsoleInputW = sim_WriteConsoleInputW;
    table.CreateFileW = sim_CreateFileW;
    table.OpenSCManagerW = sim_OpenSCManagerW;
    table.OpenServiceW = sim_OpenServiceW;
    table.CloseServiceHandle = sim_CloseServiceHandle;
    table.EnumServicesStatusExW = sim_EnumServicesStatusExW;
    table.QueryServiceStatusEx = sim_QueryServiceStatusEx;
    table.ControlService = sim_ControlService;
    table.StartServiceW = sim_StartServiceW;
    table.RegOpenKeyExW = sim_RegOpenKeyExW;
    table.RegQueryValueExW = sim_RegQueryValueExW;
    table.RegCloseKey = sim_RegCloseKey;
    table.RegGetValueW = sim_RegGetValueW;
    table.NtQueryInformationFile = sim_NtQueryInformationFile;
    table.NtQuerySystemInformation = sim_NtQuerySystemInformation;

    GetTempPathW(MAX_PATH, tmp);
    _snwprintf(folder, MAX_PATH, L"%lsrmsim-%lu-%u", tmp, GetCurrentProcessId(), temp_counter++);
    folder[MAX_PATH - 1] = 0;
    CreateDirectoryW(folder, NULL);
    rm_sys_install(&table);
    return &world;
}

void sim_end(void)
{
    WIN32_FIND_DATAW fd;
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    HANDLE find;
    unsigned i;

    rm_sys_install(NULL);
    SetEvent(dead_release);
    for (i = 0; i < ARRAYSIZE(handles); i++)
        if (handles[i].handle)
            CloseHandle(handles[i].handle);
    for (i = 0; i < world.nprocesses; i++)
        CloseHandle(world.processes[i].event);
    _snwprintf(pattern, MAX_PATH, L"%ls\\*", folder);
    if ((find = FindFirstFileW(pattern, &fd)) != INVALID_HANDLE_VALUE) {
        do {
            _snwprintf(path, MAX_PATH, L"%ls\\%ls", folder, fd.cFileName);
            DeleteFileW(path);
        } while (FindNextFileW(find, &fd));
        FindClose(find);
    }
    RemoveDirectoryW(folder);
}
