/* testutil.c - see testutil.h. */
#include <stdio.h>
#include <wchar.h>

#include "testutil.h"

void tu_bin_path(wchar_t path[MAX_PATH], const wchar_t *name)
{
    wchar_t *slash;
    GetModuleFileNameW(NULL, path, MAX_PATH);
    slash = wcsrchr(path, L'\\');
    wcscpy(slash + 1, name);
}

BOOL tu_other_bitness_path(wchar_t path[MAX_PATH], const wchar_t *name)
{
    const wchar_t *mine = sizeof(void *) == 8 ? L"\\x64\\bin\\" : L"\\x86\\bin\\";
    const wchar_t *theirs = sizeof(void *) == 8 ? L"\\x86\\bin\\" : L"\\x64\\bin\\";
    wchar_t *at;

    tu_bin_path(path, name);
    if (!(at = wcsstr(path, mine)))
        return FALSE;
    memcpy(at, theirs, wcslen(theirs) * sizeof(wchar_t));
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

static HANDLE spawn_with(DWORD flags, const wchar_t *exe, const wchar_t *args_fmt, va_list ap)
{
    wchar_t cmd[8192];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    int n;

    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    n = _snwprintf(cmd, 8192, L"\"%ls\" ", exe);
    _vsnwprintf(cmd + n, 8192 - n, args_fmt, ap);
    cmd[8191] = 0;
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, flags, NULL, NULL, &si, &pi)) {
        print_error("CreateProcess(%ls) failed: %lu\n", cmd, GetLastError());
        return NULL;
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* rmfixture.exe beside this test exe, with the given creation flags. */
static HANDLE spawn_fixture(DWORD flags, const wchar_t *args_fmt, va_list ap)
{
    wchar_t exe[MAX_PATH];
    tu_bin_path(exe, L"rmfixture.exe");
    return spawn_with(flags, exe, args_fmt, ap);
}

HANDLE tu_spawn_fixture_console(const wchar_t *args_fmt, ...)
{
    HANDLE h;
    va_list ap;
    va_start(ap, args_fmt);
    h = spawn_fixture(CREATE_NEW_CONSOLE, args_fmt, ap);
    va_end(ap);
    return h;
}

HANDLE tu_spawn_fixture(const wchar_t *args_fmt, ...)
{
    HANDLE h;
    va_list ap;
    va_start(ap, args_fmt);
    h = spawn_fixture(0, args_fmt, ap);
    va_end(ap);
    return h;
}

HANDLE tu_spawn_exe(const wchar_t *exe, const wchar_t *args_fmt, ...)
{
    HANDLE h;
    va_list ap;
    va_start(ap, args_fmt);
    h = spawn_with(0, exe, args_fmt, ap);
    va_end(ap);
    return h;
}

DWORD tu_wait_exit(HANDLE process)
{
    DWORD code = 0xFFFFFFFF;
    if (WaitForSingleObject(process, TU_WAIT_MS) == WAIT_OBJECT_0)
        GetExitCodeProcess(process, &code);
    return code;
}

HANDLE tu_event(wchar_t name[64])
{
    static LONG counter;
    _snwprintf(name, 64, L"Local\\rmtest-%lu-%ld", GetCurrentProcessId(),
               InterlockedIncrement(&counter));
    name[63] = 0;
    return CreateEventW(NULL, TRUE, FALSE, name);
}

BOOL tu_wait_event(HANDLE event, HANDLE process)
{
    HANDLE both[2] = {event, process};
    return WaitForMultipleObjects(process ? 2 : 1, both, FALSE, TU_WAIT_MS) == WAIT_OBJECT_0;
}

void tu_temp_path(wchar_t path[MAX_PATH], const wchar_t *tag)
{
    static LONG counter;
    wchar_t dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(path, MAX_PATH, L"%lsrmtest-%lu-%ld-%ls", dir, GetCurrentProcessId(),
               InterlockedIncrement(&counter), tag);
    path[MAX_PATH - 1] = 0;
}

BOOL tu_create_file(const wchar_t *path)
{
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    WriteFile(h, "rstrtmgr test\r\n", 15, &n, NULL);
    CloseHandle(h);
    return TRUE;
}

BOOL tu_read_key(const wchar_t *path, WCHAR key[CCH_RM_SESSION_KEY + 1])
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, 0, NULL);
    DWORD n = 0;
    BOOL ok;
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    ok = ReadFile(h, key, CCH_RM_SESSION_KEY * sizeof(WCHAR), &n, NULL) &&
         n == CCH_RM_SESSION_KEY * sizeof(WCHAR);
    key[CCH_RM_SESSION_KEY] = 0;
    CloseHandle(h);
    return ok;
}

DWORD tu_run_capture(const wchar_t *exe, const wchar_t *args, char *out, size_t cap)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE read_end, write_end;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    wchar_t cmd[8192];
    DWORD code = 0xFFFFFFFF, avail, n, waited = 0;
    size_t used = 0;
    BOOL done = FALSE;

    out[0] = 0;
    if (!CreatePipe(&read_end, &write_end, &sa, 0))
        return code;
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = write_end;
    _snwprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" %ls", exe, args);
    cmd[ARRAYSIZE(cmd) - 1] = 0;
    if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        print_error("CreateProcess(%ls) failed: %lu\n", cmd, GetLastError());
        CloseHandle(read_end);
        CloseHandle(write_end);
        return code;
    }
    CloseHandle(write_end);
    /* Read while it runs (a full pipe would stall it), never longer than the bound. */
    while (!done && waited < 2 * TU_WAIT_MS) {
        done = WaitForSingleObject(pi.hProcess, 50) == WAIT_OBJECT_0;
        waited += 50;
        while (PeekNamedPipe(read_end, NULL, 0, NULL, &avail, NULL) && avail && used + 1 < cap &&
               ReadFile(read_end, out + used, (DWORD)min(avail, cap - used - 1), &n, NULL) && n) {
            used += n;
            out[used] = 0;
        }
    }
    if (done)
        GetExitCodeProcess(pi.hProcess, &code);
    else
        TerminateProcess(pi.hProcess, code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(read_end);
    return code;
}

BOOL tu_read_handle(const wchar_t *path, DWORD *handle)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, 0, NULL);
    DWORD n = 0;
    BOOL ok;
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    SetFilePointer(h, CCH_RM_SESSION_KEY * sizeof(WCHAR), NULL, FILE_BEGIN);
    ok = ReadFile(h, handle, sizeof(*handle), &n, NULL) && n == sizeof(*handle);
    CloseHandle(h);
    return ok;
}

void tu_read_text(const wchar_t *path, char *buf, size_t cap)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, 0, NULL);
    DWORD n = 0;
    assert_true(f != INVALID_HANDLE_VALUE);
    ReadFile(f, buf, (DWORD)cap - 1, &n, NULL);
    buf[n] = 0;
    CloseHandle(f);
}

/* ---- todo_wine ---- */

int rm_test_on_wine(void)
{
    static int on_wine = -1;
    if (on_wine < 0)
        on_wine = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
    return on_wine;
}

int tu_todo_wine_fails(int on_wine, int as_on_windows)
{
    return on_wine ? as_on_windows : !as_on_windows;
}

void tu_todo_wine(int as_on_windows, long long windows_value, long long got, const char *expr,
                  const char *file, int line)
{
    int wine = rm_test_on_wine();

    if (wine)
        print_message("todo_wine: %s:%d %s: Windows gives %lld, Wine gave %lld\n", file, line,
                      expr, windows_value, got);
    if (!tu_todo_wine_fails(wine, as_on_windows))
        return;
    if (wine)
        print_error("%s:%d %s: Wine now gives what Windows gives (%lld): remove the todo_wine "
                    "mark\n", file, line, expr, got);
    else
        print_error("%s:%d %s: %lld, Windows gives %lld\n", file, line, expr, got, windows_value);
    _fail(file, line);
}
