/*
 * innoprobe.c - what the Inno Setup test driver (run.sh) cannot do from a shell: start a
 * fixture app and know when it is ready, see it come back after the installer restarted
 * it, and look at processes by their Windows PIDs.
 *
 *   launch STATE [console] EXE ARGS...
 *       Creates a named event, starts "EXE ARGS" (every ARG "{READY}" becomes the event's
 *       name; "console": in a console of its own, as a shell starts a console app), waits
 *       for the app to set the event, and appends "pid N" and "keeper M" to the file
 *       STATE. Then it stays (at most KEEP_MS) holding the event, so that an app restarted
 *       with the same command line finds it too: each time the event is set again it
 *       appends "again N", N being a new process running EXE. "failed CODE" when the app
 *       died before it was ready.
 *   alive PID            exit code 0 if that process runs, 1 if not
 *   pids EXE             prints the PIDs of the processes running EXE (full path, any case)
 *   kill PID...          terminates those processes (and nothing else)
 *   rm-check             loads rstrtmgr.dll from the system directory, as Inno Setup does,
 *                        and asks it who uses a file this process holds open: our DLL
 *                        lists this process, Wine's stub lists nobody (exit code 1)
 */
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "restartmanager.h"

#define READY_MS 30000
#define KEEP_MS 150000
#define MAX_PIDS 64

static void append(const wchar_t *state, const char *fmt, unsigned long value)
{
    HANDLE f = CreateFileW(state, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_ALWAYS, 0, NULL);
    char line[64];
    DWORD n;
    int len = snprintf(line, sizeof(line), fmt, value);

    if (f == INVALID_HANDLE_VALUE)
        return;
    WriteFile(f, line, (DWORD)len, &n, NULL);
    CloseHandle(f);
}

/* PIDs of the processes whose image is `exe` (a full path), at most max. */
static unsigned pids_of(const wchar_t *exe, DWORD *pids, unsigned max)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0), h;
    PROCESSENTRY32W p;
    wchar_t path[MAX_PATH * 2];
    DWORD len;
    unsigned n = 0;
    BOOL more;

    if (snap == INVALID_HANDLE_VALUE)
        return 0;
    p.dwSize = sizeof(p);
    for (more = Process32FirstW(snap, &p); more && n < max; more = Process32NextW(snap, &p)) {
        if (!(h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, p.th32ProcessID)))
            continue;
        len = ARRAYSIZE(path);
        if (QueryFullProcessImageNameW(h, 0, path, &len) && !_wcsicmp(path, exe))
            pids[n++] = p.th32ProcessID;
        CloseHandle(h);
    }
    CloseHandle(snap);
    return n;
}

/* Appends one argument to a command line, quoted when it needs to be (no quotes inside). */
static void add_arg(wchar_t *cmd, size_t cap, const wchar_t *arg)
{
    size_t n = wcslen(cmd);
    BOOL quote = !arg[0] || wcspbrk(arg, L" \t") != NULL;
    _snwprintf(cmd + n, cap - n, quote ? L"%ls\"%ls\"" : L"%ls%ls", n ? L" " : L"", arg);
    cmd[cap - 1] = 0;
}

static int cmd_launch(int argc, wchar_t **argv)
{
    const wchar_t *state;
    wchar_t name[64], exe[MAX_PATH], cmd[8192] = L"";
    DWORD flags = 0, code = 0, known[MAX_PIDS], found[MAX_PIDS], start;
    unsigned nknown = 0, nfound, i, j;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    HANDLE ready, both[2];
    int a = 3;

    if (argc < 4)
        return 2;
    state = argv[2];
    if (!wcscmp(argv[a], L"console")) {
        flags = CREATE_NEW_CONSOLE;
        a++;
    }
    if (a >= argc || !GetFullPathNameW(argv[a], MAX_PATH, exe, NULL))
        return 2;
    _snwprintf(name, ARRAYSIZE(name), L"Local\\rminno-%lu", GetCurrentProcessId());
    name[ARRAYSIZE(name) - 1] = 0;
    /* Auto-reset: each restart of the app is seen once. */
    if (!(ready = CreateEventW(NULL, FALSE, FALSE, name)))
        return 3;
    add_arg(cmd, ARRAYSIZE(cmd), exe);
    for (a++; a < argc; a++)
        add_arg(cmd, ARRAYSIZE(cmd), wcscmp(argv[a], L"{READY}") ? argv[a] : name);

    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, flags, NULL, NULL, &si, &pi)) {
        append(state, "failed %lu\n", GetLastError());
        return 1;
    }
    CloseHandle(pi.hThread);
    both[0] = ready;
    both[1] = pi.hProcess;
    if (WaitForMultipleObjects(2, both, FALSE, READY_MS) != WAIT_OBJECT_0) {
        GetExitCodeProcess(pi.hProcess, &code);
        append(state, "failed %lu\n", code);
        return 1;
    }
    CloseHandle(pi.hProcess);
    known[nknown++] = pi.dwProcessId;
    append(state, "pid %lu\n", pi.dwProcessId);
    append(state, "keeper %lu\n", GetCurrentProcessId());

    /* Keep the event alive for restarts, and say who came back. */
    for (start = GetTickCount(); GetTickCount() - start < KEEP_MS;) {
        if (WaitForSingleObject(ready, 1000) != WAIT_OBJECT_0)
            continue;
        nfound = pids_of(exe, found, MAX_PIDS);
        for (i = 0; i < nfound; i++) {
            for (j = 0; j < nknown && known[j] != found[i]; j++)
                ;
            if (j == nknown && nknown < MAX_PIDS) {
                known[nknown++] = found[i];
                append(state, "again %lu\n", found[i]);
            }
        }
    }
    return 0;
}

static int cmd_alive(const wchar_t *arg)
{
    HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, wcstoul(arg, NULL, 10));
    BOOL alive = h && WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
    if (h)
        CloseHandle(h);
    return alive ? 0 : 1;
}

static int cmd_pids(const wchar_t *arg)
{
    wchar_t exe[MAX_PATH];
    DWORD pids[MAX_PIDS];
    unsigned n, i;

    if (!GetFullPathNameW(arg, MAX_PATH, exe, NULL))
        return 2;
    n = pids_of(exe, pids, MAX_PIDS);
    for (i = 0; i < n; i++)
        printf("%lu\n", pids[i]);
    return 0;
}

static int cmd_kill(int argc, wchar_t **argv)
{
    HANDLE h;
    int i;

    for (i = 2; i < argc; i++)
        if ((h = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, wcstoul(argv[i], NULL, 10)))) {
            TerminateProcess(h, 1);
            WaitForSingleObject(h, 5000);
            CloseHandle(h);
        }
    return 0;
}

static int cmd_rm_check(void)
{
    typedef DWORD (WINAPI *start_fn)(DWORD *, DWORD, WCHAR[]);
    typedef DWORD (WINAPI *register_fn)(DWORD, UINT, LPCWSTR[], UINT, RM_UNIQUE_PROCESS[], UINT,
                                        LPCWSTR[]);
    typedef DWORD (WINAPI *list_fn)(DWORD, UINT *, UINT *, RM_PROCESS_INFO[], LPDWORD);
    typedef DWORD (WINAPI *end_fn)(DWORD);
    wchar_t dll[MAX_PATH], loaded[MAX_PATH] = L"?", file[MAX_PATH];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO apps[8];
    UINT needed = 0, n = ARRAYSIZE(apps);
    DWORD session = 0, reasons = 0, err;
    LPCWSTR files[1] = {file};
    start_fn start;
    register_fn reg;
    list_fn list;
    end_fn end;
    HMODULE m;
    HANDLE f;

    GetSystemDirectoryW(dll, MAX_PATH);
    wcscat(dll, L"\\rstrtmgr.dll");
    if (!(m = LoadLibraryW(dll))) {
        printf("cannot load %ls: %lu\n", dll, GetLastError());
        return 1;
    }
    GetModuleFileNameW(m, loaded, MAX_PATH);
    start = (start_fn)(void *)GetProcAddress(m, "RmStartSession");
    reg = (register_fn)(void *)GetProcAddress(m, "RmRegisterResources");
    list = (list_fn)(void *)GetProcAddress(m, "RmGetList");
    end = (end_fn)(void *)GetProcAddress(m, "RmEndSession");
    if (!start || !reg || !list || !end)
        return 1;
    GetTempPathW(MAX_PATH, file);
    _snwprintf(file + wcslen(file), MAX_PATH - wcslen(file), L"rminno-check-%lu.txt",
               GetCurrentProcessId());
    file[MAX_PATH - 1] = 0;
    f = CreateFileW(file, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS,
                    FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 1;
    memset(key, 0, sizeof(key));
    if (!(err = start(&session, 0, key)) && !(err = reg(session, 1, files, 0, NULL, 0, NULL)))
        err = list(session, &needed, &n, apps, &reasons);
    printf("%d-bit: loaded %ls; RmGetList %lu, %u app(s) use a file this process holds\n",
           (int)sizeof(void *) * 8, loaded, err, err ? 0 : n);
    end(session);
    CloseHandle(f);
    return !err && n >= 1 ? 0 : 1;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc >= 2 && !wcscmp(argv[1], L"launch"))
        return cmd_launch(argc, argv);
    if (argc == 3 && !wcscmp(argv[1], L"alive"))
        return cmd_alive(argv[2]);
    if (argc == 3 && !wcscmp(argv[1], L"pids"))
        return cmd_pids(argv[2]);
    if (argc >= 2 && !wcscmp(argv[1], L"kill"))
        return cmd_kill(argc, argv);
    if (argc == 2 && !wcscmp(argv[1], L"rm-check"))
        return cmd_rm_check();
    fprintf(stderr, "usage: innoprobe launch STATE [console] EXE ARGS... | alive PID | pids EXE | "
                    "kill PID... | rm-check\n");
    return 2;
}
