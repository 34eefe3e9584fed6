/*
 * pipe_reader.c - reads a program's output as a script or CI runner does: stdout and
 * stderr on one pipe, read until EOF. EOF only comes once every process holding the
 * pipe's write end has closed it, so a background process that inherited it (under Wine:
 * the desktop process explorer.exe, which the first user32 call starts) keeps the reader
 * waiting. This program bounds that wait and names the suspects instead of hanging.
 *
 *   pipe_reader [--hold FILE] BOUND_MS EXE [ARGS...]
 *
 * --hold FILE  creates FILE and keeps it open, so that the program finds this process
 *              using it (rmctl who then classifies it, which enumerates windows).
 * BOUND_MS     how long EOF may take after EXE has exited (and the bound on EXE itself).
 *
 * Prints EXE's output, then "pipe_reader: exit code N, EOF M ms after exit"; or, when no
 * EOF came within the bound, "pipe_reader: NO EOF ..." and the processes started since
 * EXE (the ones that can hold the pipe). Exits 0 on EOF, 1 without, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>
#include <tlhelp32.h>

static ULONGLONG ticks(FILETIME t)
{
    return ((ULONGLONG)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

/* The processes created at or after `since` (FILETIME ticks), but not `self`. */
static void list_newer_processes(ULONGLONG since, DWORD self)
{
    PROCESSENTRY32W pe;
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);

    if (snap == INVALID_HANDLE_VALUE)
        return;
    pe.dwSize = sizeof(pe);
    for (BOOL more = Process32FirstW(snap, &pe); more; more = Process32NextW(snap, &pe)) {
        FILETIME created, unused[3];
        HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pe.th32ProcessID);
        if (!h)
            continue;
        if (pe.th32ProcessID != self && GetProcessTimes(h, &created, &unused[0], &unused[1], &unused[2]) &&
            ticks(created) >= since)
            wprintf(L"pipe_reader:   still running, started since: PID %lu %ls\n", pe.th32ProcessID,
                    pe.szExeFile);
        CloseHandle(h);
    }
    CloseHandle(snap);
}

/* Moves what is in the pipe to our stdout; FALSE at EOF (every write end closed). */
static BOOL drain(HANDLE pipe)
{
    char buf[4096];
    DWORD avail = 0, n;

    while (PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL)) {
        if (!avail)
            return TRUE;
        if (!ReadFile(pipe, buf, avail < sizeof(buf) ? avail : sizeof(buf), &n, NULL))
            break;
        fwrite(buf, 1, n, stdout);
    }
    return GetLastError() != ERROR_BROKEN_PIPE;
}

int wmain(int argc, wchar_t **argv)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    FILETIME now;
    HANDLE read_end, write_end, held = INVALID_HANDLE_VALUE;
    DWORD bound, code = 0xFFFFFFFF, waited = 0, after_exit = 0;
    BOOL exited = FALSE, open = TRUE;
    size_t len = 1;
    wchar_t *cmd;
    int i, first = 1;

    if (argc > 3 && !wcscmp(argv[1], L"--hold")) {
        held = CreateFileW(argv[2], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, OPEN_ALWAYS, 0, NULL);
        if (held == INVALID_HANDLE_VALUE) {
            wprintf(L"pipe_reader: cannot open %ls (error %lu)\n", argv[2], GetLastError());
            return 2;
        }
        first = 3;
    }
    if (argc < first + 2) {
        wprintf(L"usage: pipe_reader [--hold FILE] BOUND_MS EXE [ARGS...]\n");
        return 2;
    }
    bound = wcstoul(argv[first], NULL, 10);
    for (i = first + 1; i < argc; i++)
        len += wcslen(argv[i]) + 3;
    if (!(cmd = calloc(len, sizeof(wchar_t))))
        return 2;
    for (i = first + 1; i < argc; i++) {
        BOOL quote = !argv[i][0] || wcspbrk(argv[i], L" \t");
        wcscat(cmd, i > first + 1 ? L" " : L"");
        wcscat(cmd, quote ? L"\"" : L"");
        wcscat(cmd, argv[i]);
        wcscat(cmd, quote ? L"\"" : L"");
    }

    if (!CreatePipe(&read_end, &write_end, &sa, 0))
        return 2;
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = NULL;
    si.hStdOutput = si.hStdError = write_end;
    GetSystemTimeAsFileTime(&now);
    if (!CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        wprintf(L"pipe_reader: cannot run %ls (error %lu)\n", cmd, GetLastError());
        return 2;
    }
    CloseHandle(write_end);  /* from now on only the child (and what it passes it to) writes */
    fflush(stdout);

    while (open && (exited ? after_exit : waited) < bound) {
        open = drain(read_end);
        if (!exited && WaitForSingleObject(pi.hProcess, 0) == WAIT_OBJECT_0) {
            exited = TRUE;
            GetExitCodeProcess(pi.hProcess, &code);
        }
        if (open) {
            Sleep(20);
            *(exited ? &after_exit : &waited) += 20;
        }
    }
    fflush(stdout);
    if (!exited) {
        wprintf(L"pipe_reader: %ls did not exit within %lu ms\n", cmd, bound);
        TerminateProcess(pi.hProcess, 1);
        return 1;
    }
    if (open) {
        wprintf(L"pipe_reader: NO EOF %lu ms after %ls exited with %lu: another process holds "
                L"the pipe\n", after_exit, cmd, code);
        list_newer_processes(ticks(now), GetCurrentProcessId());
        return 1;
    }
    wprintf(L"pipe_reader: exit code %lu, EOF %lu ms after exit\n", code, after_exit);
    if (held != INVALID_HANDLE_VALUE)
        CloseHandle(held);
    return 0;
}
