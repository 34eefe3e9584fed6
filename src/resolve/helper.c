/*
 * helper.c - the modules of 64-bit processes, for the 32-bit DLL. A 32-bit process cannot
 * read a 64-bit loader list with any documented call (Toolhelp fails; the WOW64 calls
 * NtWow64QueryInformationProcess64 / NtWow64ReadVirtualMemory64 are undocumented, and Wine
 * 8 lacks the first: measured). So a small 64-bit program shipped beside the DLL,
 * rmhelper64.exe (src/helper/), lists them with Toolhelp, one run per RmGetList for all
 * 64-bit processes, and writes records to a pipe:
 *
 *     DWORD pid, WORD kind, WORD length (characters), then length WCHARs
 *     kind 1: a module of pid (its path); kind 2: pid's list is complete
 *
 * The helper is found beside this DLL (GetModuleFileName of our module; when the DLL is in
 * SysWOW64, so is the helper: scripts/install-into-prefix.sh puts it there). It inherits
 * only the pipe's write end (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), gets no window, and is
 * ended after RM_HELPER_TIMEOUT_MS or once its output exceeds MAX_OUTPUT.
 */
#include <stdio.h>
#include <string.h>

#include "resolve.h"

#define KIND_MODULE 1
#define KIND_DONE 2
#define MAX_OUTPUT (16u << 20)
/* Longest command line CreateProcessW takes, in characters. */
#define MAX_COMMAND 32767

struct record {
    DWORD pid;
    WORD kind, length;
};

static BOOL helper_path(WCHAR path[MAX_PATH])
{
    HMODULE self = NULL;
    WCHAR *slash;
    DWORD n;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                            GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)helper_path, &self))
        return FALSE;
    n = GetModuleFileNameW(self, path, MAX_PATH);
    if (!n || n >= MAX_PATH || !(slash = wcsrchr(path, L'\\')) ||
        (size_t)(slash + 1 - path) + ARRAYSIZE(RM_HELPER_EXE) > MAX_PATH)
        return FALSE;
    wcscpy(slash + 1, RM_HELPER_EXE);
    return TRUE;
}

/* "path" modules pid pid ... */
static WCHAR *command_line(const WCHAR *exe, const struct rm_pidset *pids)
{
    size_t cap = wcslen(exe) + 16 + (size_t)pids->n * 11, at;
    WCHAR *cmd;
    unsigned i;

    if (cap > MAX_COMMAND || !(cmd = rm_alloc_array(cap, sizeof(WCHAR))))
        return NULL;
    at = (size_t)_snwprintf(cmd, cap, L"\"%ls\" modules", exe);
    for (i = 0; i < pids->n; i++)
        at += (size_t)_snwprintf(cmd + at, cap - at, L" %lu", pids->pids[i]);
    return cmd;
}

/* *process: the helper, or NULL when it could not be started (ERROR_SUCCESS then too:
 * the caller reports what was not listed). Only a want of memory is an error. */
static DWORD start(const WCHAR *exe, WCHAR *cmd, HANDLE out, HANDLE *process)
{
    const struct rm_sys *os = rm_sys();
    STARTUPINFOEXW si;
    PROCESS_INFORMATION pi;
    SIZE_T size = 0;
    BOOL ok;

    *process = NULL;
    ZeroMemory(&si, sizeof(si));
    si.StartupInfo.cb = sizeof(si);
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdOutput = out;
    InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    if (!(si.lpAttributeList = rm_alloc(size)))
        return ERROR_OUTOFMEMORY;
    ok = InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &size) &&
         UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                   &out, sizeof(out), NULL, NULL) &&
         os->CreateProcessW(exe, cmd, NULL, NULL, TRUE,
                            CREATE_NO_WINDOW | EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                            &si.StartupInfo, &pi);
    if (!ok)
        RM_FAIL(GetLastError(), "start rmhelper64.exe");
    DeleteProcThreadAttributeList(si.lpAttributeList);
    rm_free(si.lpAttributeList);
    if (ok) {
        os->CloseHandle(pi.hThread);
        *process = pi.hProcess;
    }
    return ERROR_SUCCESS;
}

/* Reads everything the helper writes until it exits (or the bound). */
static DWORD read_all(HANDLE process, HANDLE in, BYTE **out, DWORD *size)
{
    const struct rm_sys *os = rm_sys();
    DWORD start = GetTickCount(), cap = 64 * 1024, used = 0, avail, n;
    BYTE *buf = rm_alloc(cap);
    BOOL exited = FALSE;

    if (!buf)
        return ERROR_OUTOFMEMORY;
    for (;;) {
        while (PeekNamedPipe(in, NULL, 0, NULL, &avail, NULL) && avail) {
            if (used + avail > cap) {
                BYTE *grown;
                if (used + avail > MAX_OUTPUT)
                    goto stop;
                while (cap < used + avail)
                    cap *= 2;
                if (!(grown = rm_realloc(buf, cap))) {
                    rm_free(buf);
                    return ERROR_OUTOFMEMORY;
                }
                buf = grown;
            }
            if (!os->ReadFile(in, buf + used, avail, &n, NULL) || !n)
                break;
            used += n;
        }
        if (exited)
            break;
        if (GetTickCount() - start > RM_HELPER_TIMEOUT_MS)
            goto stop;
        exited = os->WaitForSingleObject(process, 10) == WAIT_OBJECT_0;  /* read once more */
    }
    *out = buf;
    *size = used;
    return ERROR_SUCCESS;
stop:
    rm_trace("rmhelper64.exe outlived its bound or wrote too much: ended");
    os->TerminateProcess(process, ERROR_TIMEOUT);
    *out = buf;
    *size = used;  /* what it said so far still counts */
    return ERROR_SUCCESS;
}

static DWORD parse(const BYTE *buf, DWORD size, const struct rm_pidset *pids,
                   rm_pid_module_fn fn, void *ctx, struct rm_pidset *listed)
{
    WCHAR path[MAX_PATH * 2];
    struct record r;
    DWORD at = 0, err = ERROR_SUCCESS;

    while (!err && size - at >= sizeof(r)) {
        memcpy(&r, buf + at, sizeof(r));
        at += sizeof(r);
        if (r.length >= ARRAYSIZE(path) || size - at < r.length * sizeof(WCHAR))
            break;  /* cut short: the rest is not trusted */
        memcpy(path, buf + at, r.length * sizeof(WCHAR));
        path[r.length] = 0;
        at += r.length * sizeof(WCHAR);
        if (!rm_pidset_has(pids, r.pid))
            continue;  /* not asked for */
        if (r.kind == KIND_DONE)
            err = rm_pidset_add(listed, r.pid);
        else if (r.kind == KIND_MODULE && !fn(ctx, r.pid, path))
            break;
    }
    return err;
}

DWORD rm_helper_modules(const struct rm_pidset *pids, rm_pid_module_fn fn, void *ctx,
                        struct rm_pidset *listed)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    WCHAR exe[MAX_PATH], *cmd;
    HANDLE in = NULL, out = NULL, process;
    BYTE *buf = NULL;
    DWORD size = 0, err;

    if (!helper_path(exe) || rm_sys()->GetFileAttributesW(exe) == INVALID_FILE_ATTRIBUTES) {
        rm_trace("rmhelper64.exe is not beside the DLL: 64-bit processes' modules unread");
        return ERROR_SUCCESS;
    }
    if (!(cmd = command_line(exe, pids)))
        return ERROR_OUTOFMEMORY;
    if (!CreatePipe(&in, &out, &inherit, 0)) {
        rm_free(cmd);
        return RM_FAIL(GetLastError(), "CreatePipe(helper)");
    }
    SetHandleInformation(in, HANDLE_FLAG_INHERIT, 0);
    err = start(exe, cmd, out, &process);
    rm_free(cmd);
    CloseHandle(out);  /* the helper has its own copy */
    if (!process) {
        CloseHandle(in);
        return err;  /* not started: nothing listed, the caller reports them */
    }
    err = read_all(process, in, &buf, &size);
    rm_sys()->CloseHandle(process);
    CloseHandle(in);
    if (!err)
        err = parse(buf, size, pids, fn, ctx, listed);
    rm_free(buf);
    return err;
}
