/*
 * world.c - the benchmark's reproducible world: a folder of registered files
 * (reg\f00000.dat ...), of which the first held_max are held, and P holder processes
 * (rmbenchhold.exe hold), each with K files of its own open and a few DLLs loaded.
 * Registered file j (j < held_max) is held by holder j mod P, so the held files are spread
 * over as many processes as they can be: the hard case for whoever has to name them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "bench.h"

/* Bound on the world's start: 100 Wine processes take a few seconds. */
#define START_TIMEOUT_MS 120000

void bench_bin_path(WCHAR path[MAX_PATH], const WCHAR *name)
{
    WCHAR *slash;
    GetModuleFileNameW(NULL, path, MAX_PATH);
    slash = wcsrchr(path, L'\\');
    wcscpy(slash + 1, name);
}

static DWORD create_files(struct bench_world *w)
{
    WCHAR path[MAX_PATH];
    unsigned j;

    if (!(w->paths = calloc(w->registered, sizeof(*w->paths))))
        return ERROR_OUTOFMEMORY;
    for (j = 0; j < w->registered; j++) {
        HANDLE f;
        DWORD n;
        _snwprintf(path, MAX_PATH, L"%ls\\reg\\f%05u.dat", w->dir, j);
        path[MAX_PATH - 1] = 0;
        if (!(w->paths[j] = _wcsdup(path)))
            return ERROR_OUTOFMEMORY;
        f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        if (f == INVALID_HANDLE_VALUE)
            return GetLastError();
        WriteFile(f, "rmbench\n", 8, &n, NULL);
        CloseHandle(f);
    }
    return ERROR_SUCCESS;
}

static HANDLE spawn(const WCHAR *cmd)
{
    WCHAR exe[MAX_PATH], line[2048];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;

    bench_bin_path(exe, L"rmbenchhold.exe");
    _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" %ls", exe, cmd);
    line[ARRAYSIZE(line) - 1] = 0;
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    /* No console: a holder needs none, and a console would add a conhost per holder. */
    if (!CreateProcessW(exe, line, NULL, NULL, FALSE, DETACHED_PROCESS, NULL, NULL, &si, &pi))
        return NULL;
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* Waits until every holder is up; a holder that exits first fails the start at once. */
static DWORD wait_ready(const struct bench_world *w, HANDLE ready, unsigned *up)
{
    double start = bench_now_ms();
    DWORD code;
    unsigned i;

    while (*up < w->processes) {
        if (WaitForSingleObject(ready, 1000) == WAIT_OBJECT_0) {
            (*up)++;
            continue;
        }
        for (i = 0; i < w->processes; i++)
            if (WaitForSingleObject(w->procs[i], 0) == WAIT_OBJECT_0) {
                GetExitCodeProcess(w->procs[i], &code);
                fprintf(stderr, "rmbench: holder %u exited with %lu\n", i, code);
                return code ? code : ERROR_PROCESS_ABORTED;
            }
        if (bench_now_ms() - start > START_TIMEOUT_MS)
            return ERROR_TIMEOUT;
    }
    return ERROR_SUCCESS;
}

DWORD bench_world_up(struct bench_world *w, unsigned processes, unsigned files_per_process,
                     unsigned held_max, unsigned max_files)
{
    WCHAR tmp[MAX_PATH], sub[MAX_PATH], ready_name[64], quit_name[64], cmd[1024];
    HANDLE ready = NULL;
    DWORD err, self = GetCurrentProcessId();
    unsigned i, up = 0;

    ZeroMemory(w, sizeof(*w));
    w->processes = processes;
    w->files_per_process = files_per_process;
    w->held_max = held_max;
    w->registered = held_max + max_files;
    GetTempPathW(MAX_PATH, tmp);
    _snwprintf(w->dir, MAX_PATH, L"%lsrmbench-%lu", tmp, self);
    w->dir[MAX_PATH - 1] = 0;
    CreateDirectoryW(w->dir, NULL);
    _snwprintf(sub, MAX_PATH, L"%ls\\reg", w->dir);
    CreateDirectoryW(sub, NULL);
    _snwprintf(sub, MAX_PATH, L"%ls\\own", w->dir);
    CreateDirectoryW(sub, NULL);
    if ((err = create_files(w)))
        return err;
    bench_bin_path(w->plugin, L"rmbenchplug.dll");
    w->plugin_files[0] = w->plugin;

    _snwprintf(ready_name, 64, L"rmbench-ready-%lu", self);
    _snwprintf(quit_name, 64, L"rmbench-quit-%lu", self);
    if (!(ready = CreateSemaphoreW(NULL, 0, (LONG)processes + 1, ready_name)) ||
        !(w->quit = CreateEventW(NULL, TRUE, FALSE, quit_name)) ||
        !(w->procs = calloc(processes ? processes : 1, sizeof(HANDLE)))) {
        err = GetLastError();
        goto out;
    }
    /* All at once, then wait: Wine starts them in parallel. */
    for (i = 0; i < processes; i++) {
        _snwprintf(cmd, ARRAYSIZE(cmd), L"hold \"%ls\\own\" %u %u \"%ls\\reg\" %u %u %lu %ls %ls",
                   w->dir, i, files_per_process, w->dir, held_max, processes, self, ready_name,
                   quit_name);
        if (!(w->procs[i] = spawn(cmd))) {
            err = GetLastError();
            goto out;
        }
    }
    err = wait_ready(w, ready, &up);
out:
    if (ready)
        CloseHandle(ready);
    if (err)
        fprintf(stderr, "rmbench: the world did not start (%u of %u holders up): %lu\n", up,
                processes, err);
    return err;
}

WCHAR **bench_world_files(const struct bench_world *w, unsigned f, unsigned h)
{
    return w->paths + (w->held_max - h);
}

void bench_world_down(struct bench_world *w)
{
    WCHAR path[MAX_PATH];
    unsigned i, k;

    if (w->quit)
        SetEvent(w->quit);
    for (i = 0; w->procs && i < w->processes; i++) {
        if (!w->procs[i])
            continue;
        if (WaitForSingleObject(w->procs[i], 10000) != WAIT_OBJECT_0)
            TerminateProcess(w->procs[i], 1);
        CloseHandle(w->procs[i]);
    }
    for (i = 0; w->paths && i < w->registered; i++) {
        if (w->paths[i])
            DeleteFileW(w->paths[i]);
        free(w->paths[i]);
    }
    for (i = 0; i < w->processes; i++)
        for (k = 0; k < w->files_per_process; k++) {
            _snwprintf(path, MAX_PATH, L"%ls\\own\\p%u-%u.dat", w->dir, i, k);
            path[MAX_PATH - 1] = 0;
            DeleteFileW(path);
        }
    _snwprintf(path, MAX_PATH, L"%ls\\reg", w->dir);
    RemoveDirectoryW(path);
    _snwprintf(path, MAX_PATH, L"%ls\\own", w->dir);
    RemoveDirectoryW(path);
    RemoveDirectoryW(w->dir);
    free(w->paths);
    free(w->procs);
    if (w->quit)
        CloseHandle(w->quit);
    ZeroMemory(w, sizeof(*w));
}
