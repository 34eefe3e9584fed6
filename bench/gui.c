/*
 * gui.c - RmShutdown and RmRestart of cooperative windowed apps (rmbenchhold.exe gui),
 * each holding a file of its own. Every round registers the files in a new session,
 * lists the apps, shuts them down, and restarts them.
 *
 * What is compared is each app's own exit time (GetProcessTimes) with the moment the
 * engine moves on: RmShutdown's return for the last app, and the status callback that
 * follows each app's stop (the engine reports one step per app, in list order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "bench.h"

#define MAX_APPS 32
#define MAX_ROUNDS 64
#define READY_TIMEOUT_MS 60000

/* Wall-clock time as a FILETIME value (100 ns units), the clock of GetProcessTimes. The
 * precise variant: GetSystemTimeAsFileTime may tick only every 15.6 ms. */
static ULONGLONG wall_now(void)
{
    FILETIME ft;
    ULARGE_INTEGER u;

    GetSystemTimePreciseAsFileTime(&ft);
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    return u.QuadPart;
}

static ULONGLONG callback_at[2 * MAX_APPS + 8];
static unsigned callbacks;

static void on_progress(UINT percent)
{
    (void)percent;
    if (callbacks < ARRAYSIZE(callback_at))
        callback_at[callbacks] = wall_now();
    callbacks++;
}

static double ms_between(ULONGLONG from, ULONGLONG to)
{
    return ((double)(LONGLONG)(to - from)) / 10000.0;
}

static ULONGLONG exit_time(HANDLE process)
{
    FILETIME created, exited, kernel, user;
    ULARGE_INTEGER u;

    if (!GetProcessTimes(process, &created, &exited, &kernel, &user))
        return 0;
    u.LowPart = exited.dwLowDateTime;
    u.HighPart = exited.dwHighDateTime;
    return u.QuadPart;
}

struct gui_world {
    unsigned apps;
    WCHAR dir[MAX_PATH];
    WCHAR *files[MAX_APPS];
    HANDLE ready[MAX_APPS];
};

static DWORD start_apps(struct gui_world *g)
{
    WCHAR exe[MAX_PATH], line[1024], name[64], path[MAX_PATH], tmp[MAX_PATH];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    unsigned i;

    GetTempPathW(MAX_PATH, tmp);
    _snwprintf(g->dir, MAX_PATH, L"%lsrmbench-gui-%lu", tmp, GetCurrentProcessId());
    g->dir[MAX_PATH - 1] = 0;
    CreateDirectoryW(g->dir, NULL);
    bench_bin_path(exe, L"rmbenchhold.exe");
    for (i = 0; i < g->apps; i++) {
        _snwprintf(path, MAX_PATH, L"%ls\\app%u.dat", g->dir, i);
        path[MAX_PATH - 1] = 0;
        _snwprintf(name, 64, L"rmbench-gui-%lu-%u", GetCurrentProcessId(), i);
        if (!(g->files[i] = _wcsdup(path)) ||
            !(g->ready[i] = CreateEventW(NULL, TRUE, FALSE, name)))
            return ERROR_OUTOFMEMORY;
        _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" gui \"%ls\" %ls %lu", exe, path, name,
                   GetCurrentProcessId());
        line[ARRAYSIZE(line) - 1] = 0;
        ZeroMemory(&si, sizeof(si));
        si.cb = sizeof(si);
        if (!CreateProcessW(exe, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
            return GetLastError();
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    return ERROR_SUCCESS;
}

static DWORD wait_ready(const struct gui_world *g)
{
    DWORD r = WaitForMultipleObjects(g->apps, g->ready, TRUE, READY_TIMEOUT_MS);
    return r < WAIT_OBJECT_0 + g->apps ? ERROR_SUCCESS : ERROR_TIMEOUT;
}

/* A session with the apps' files registered, and the apps it lists, opened. */
static DWORD list_apps(const struct gui_world *g, DWORD *session, HANDLE *procs, unsigned *n)
{
    RM_PROCESS_INFO info[MAX_APPS];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    UINT needed = 0, count = MAX_APPS, i;
    DWORD err, reasons;

    *n = 0;
    *session = 0;  /* never a handle RmStartSession gives */
    if ((err = RmStartSession(session, 0, key)))
        return err;
    if ((err = RmRegisterResources(*session, g->apps, (LPCWSTR *)g->files, 0, NULL, 0, NULL)) ||
        (err = RmGetList(*session, &needed, &count, info, &reasons)))
        return err;
    for (i = 0; i < count; i++)
        procs[(*n)++] = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                                    info[i].Process.dwProcessId);
    return count == g->apps ? ERROR_SUCCESS : ERROR_INVALID_DATA;
}

static void close_all(HANDLE *procs, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++)
        if (procs[i])
            CloseHandle(procs[i]);
}

/* One round: shutdown, measured against the apps' exits, then restart. */
static DWORD round_of(struct gui_world *g, double *shutdown_ms, double *lag_ms, double *app_lags,
                      unsigned *napp_lags, double *restart_ms)
{
    HANDLE procs[MAX_APPS];
    ULONGLONG t0, t1, last_exit = 0, e;
    double r0;
    DWORD session, err;
    unsigned n = 0, i;

    if ((err = list_apps(g, &session, procs, &n)))
        goto out;
    for (i = 0; i < g->apps; i++)
        ResetEvent(g->ready[i]);
    callbacks = 0;
    t0 = wall_now();
    err = RmShutdown(session, 0, on_progress);
    t1 = wall_now();
    if (err)
        goto out;
    for (i = 0; i < n; i++) {
        if (WaitForSingleObject(procs[i], 0) != WAIT_OBJECT_0) {
            err = ERROR_FAIL_SHUTDOWN;  /* RmShutdown said it stopped them all */
            goto out;
        }
        e = exit_time(procs[i]);
        if (e > last_exit)
            last_exit = e;
        /* Callbacks: 0, one per question, one per stop (list order), 100. */
        if (callbacks == 2 + 2 * n)
            app_lags[(*napp_lags)++] = ms_between(e, callback_at[1 + n + i]);
    }
    *shutdown_ms = ms_between(t0, t1);
    *lag_ms = ms_between(last_exit, t1);
    r0 = bench_now_ms();
    err = RmRestart(session, 0, NULL);
    *restart_ms = bench_now_ms() - r0;
    if (!err)
        err = wait_ready(g);
out:
    close_all(procs, n);
    RmEndSession(session);
    return err;
}

/* Closes whatever the last round restarted, and removes the files. */
static void stop_apps(struct gui_world *g)
{
    HANDLE procs[MAX_APPS];
    DWORD session;
    unsigned n = 0, i;

    if (!list_apps(g, &session, procs, &n))
        RmShutdown(session, RmForceShutdown, NULL);
    RmEndSession(session);
    for (i = 0; i < n; i++)
        WaitForSingleObject(procs[i], 10000);
    close_all(procs, n);
    for (i = 0; i < g->apps; i++) {
        if (g->files[i])
            DeleteFileW(g->files[i]);
        free(g->files[i]);
        if (g->ready[i])
            CloseHandle(g->ready[i]);
    }
    RemoveDirectoryW(g->dir);
}

DWORD bench_gui_run(unsigned apps, unsigned rounds, struct bench_gui_result *out)
{
    static double shutdown_ms[MAX_ROUNDS], lag_ms[MAX_ROUNDS], restart_ms[MAX_ROUNDS];
    static double app_lags[MAX_ROUNDS * MAX_APPS];
    struct gui_world g;
    unsigned r, napp_lags = 0;
    DWORD err;

    ZeroMemory(out, sizeof(*out));
    ZeroMemory(&g, sizeof(g));
    g.apps = apps > MAX_APPS ? MAX_APPS : apps;
    rounds = rounds > MAX_ROUNDS ? MAX_ROUNDS : rounds;
    if (!(err = start_apps(&g)))
        err = wait_ready(&g);
    for (r = 0; r < rounds && !err; r++)
        err = round_of(&g, &shutdown_ms[r], &lag_ms[r], app_lags, &napp_lags, &restart_ms[r]);
    stop_apps(&g);
    if (err) {
        fprintf(stderr, "rmbench: the GUI rounds failed after %u of %u: %lu\n", r, rounds, err);
        return err;
    }
    out->apps = g.apps;
    out->rounds = rounds;
    bench_stat_of(shutdown_ms, rounds, &out->shutdown_ms);
    bench_stat_of(lag_ms, rounds, &out->lag_ms);
    bench_stat_of(app_lags, napp_lags, &out->app_lag_ms);
    bench_stat_of(restart_ms, rounds, &out->restart_ms);
    return ERROR_SUCCESS;
}
