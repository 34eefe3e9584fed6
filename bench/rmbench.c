/*
 * rmbench.c - the benchmark of RmGetList and RmShutdown (issue 6). Not a test: it
 * measures, prints a table with the ratios the issue sets as targets, and writes JSON.
 *
 * In one run: a world of P holder processes (K open files each, a few DLLs loaded) and
 * registered files of which H are held; the floor (a raw handle snapshot plus one module
 * list per process); RmRegisterResources of F files, 1,000 a call; RmGetList for each
 * (F, H), with the caller's peak memory; a profile of the resolver's steps (rmprofile.exe,
 * which links the core); RmShutdown + RmRestart of cooperative GUI apps.
 *
 * Usage: rmbench [--processes P] [--files-per-process K] [--files 1,64,2048,10000]
 *                [--held 0,8,128] [--reps N] [--memory-reps N] [--gui-apps N]
 *                [--gui-rounds N] [--no-profile] [--out results.json]
 * Exit code: 0 when everything was measured (whether the targets hold is in the report).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "bench.h"

#define BATCH 1000
#define LIST_CAP 1024
#define PROFILE_TIMEOUT_MS 1800000

struct options {
    unsigned processes, files_per_process, reps, memory_reps, gui_apps, gui_rounds;
    unsigned files[BENCH_MAX_SIZES], nfiles;
    unsigned held[BENCH_MAX_SIZES], nheld;
    BOOL profile;
    const WCHAR *out;
};

static unsigned parse_list(const WCHAR *text, unsigned *out)
{
    unsigned n = 0;
    WCHAR *end;
    while (*text && n < BENCH_MAX_SIZES) {
        out[n++] = (unsigned)wcstoul(text, &end, 10);
        text = *end == L',' ? end + 1 : end + wcslen(end);
    }
    return n;
}

static BOOL parse(int argc, WCHAR **argv, struct options *o)
{
    int i;

    ZeroMemory(o, sizeof(*o));
    o->processes = 100;
    o->files_per_process = 20;
    o->reps = 9;
    o->memory_reps = 3;
    o->gui_apps = 10;
    o->gui_rounds = 5;
    o->nfiles = parse_list(L"1,64,2048,10000", o->files);
    o->nheld = parse_list(L"0,8,128", o->held);
    o->profile = TRUE;
    o->out = L"results.json";
    for (i = 1; i < argc; i++) {
        const WCHAR *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!wcscmp(a, L"--no-profile")) {
            o->profile = FALSE;
            continue;
        }
        if (!v)
            return FALSE;
        i++;
        if (!wcscmp(a, L"--processes"))
            o->processes = (unsigned)_wtoi(v);
        else if (!wcscmp(a, L"--files-per-process"))
            o->files_per_process = (unsigned)_wtoi(v);
        else if (!wcscmp(a, L"--files"))
            o->nfiles = parse_list(v, o->files);
        else if (!wcscmp(a, L"--held"))
            o->nheld = parse_list(v, o->held);
        else if (!wcscmp(a, L"--reps"))
            o->reps = (unsigned)_wtoi(v);
        else if (!wcscmp(a, L"--memory-reps"))
            o->memory_reps = (unsigned)_wtoi(v);
        else if (!wcscmp(a, L"--gui-apps"))
            o->gui_apps = (unsigned)_wtoi(v);
        else if (!wcscmp(a, L"--gui-rounds"))
            o->gui_rounds = (unsigned)_wtoi(v);
        else if (!wcscmp(a, L"--out"))
            o->out = v;
        else
            return FALSE;
    }
    if (o->reps < 1)
        o->reps = 1;
    if (o->reps > BENCH_MAX_REPS)
        o->reps = BENCH_MAX_REPS;
    return o->processes > 0 && o->nfiles > 0 && o->nheld > 0;
}

static unsigned largest(const unsigned *v, unsigned n)
{
    unsigned i, m = 0;
    for (i = 0; i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

static void progress(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("rmbench: ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

/* ---- RmRegisterResources ---- */

static DWORD register_all(DWORD session, WCHAR **files, unsigned n)
{
    DWORD err = ERROR_SUCCESS;
    unsigned i, batch;

    for (i = 0; i < n && !err; i += batch) {
        batch = n - i < BATCH ? n - i : BATCH;
        err = RmRegisterResources(session, batch, (LPCWSTR *)(files + i), 0, NULL, 0, NULL);
    }
    return err;
}

static DWORD measure_register(const struct bench_world *w, unsigned f, unsigned reps,
                              struct bench_register *out)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    double ms[BENCH_MAX_REPS], t0;
    DWORD session, err;
    unsigned i;

    out->files = f;
    for (i = 0; i < reps; i++) {
        if ((err = RmStartSession(&session, 0, key)))
            return err;
        t0 = bench_now_ms();
        err = register_all(session, bench_world_files(w, f, 0), f);
        ms[i] = bench_now_ms() - t0;
        RmEndSession(session);
        if (err)
            return err;
    }
    bench_stat_of(ms, reps, &out->ms);
    return ERROR_SUCCESS;
}

/* ---- RmGetList ---- */

struct list_call {
    DWORD session;
    RM_PROCESS_INFO *buf;
    UINT found;
};

static DWORD get_list(void *arg)
{
    struct list_call *c = arg;
    UINT needed = 0, count = LIST_CAP;
    DWORD reasons, err = RmGetList(c->session, &needed, &count, c->buf, &reasons);
    c->found = needed;
    return err;
}

/* What the registered files need, by the rule of docs/performance.md: two copies of each
 * path (the resolver's upper-cased copy for the module lists, and the session's own copy,
 * which the first call makes) and 128 bytes a file for the tables (its entry in the index
 * table, up to four slots of the path set, the inspector's copy of its index, heap
 * headers). */
static SIZE_T files_need(WCHAR **files, unsigned n)
{
    SIZE_T bytes = 0;
    unsigned i;
    for (i = 0; i < n; i++)
        bytes += 2 * (wcslen(files[i]) + 1) * sizeof(WCHAR) + 128;
    return bytes;
}

/* One RmGetList case: a session with F files of which H are held. */
struct list_case {
    struct list_call call;
    WCHAR **files;
    struct bench_getlist *result;
};

static DWORD open_case(const struct bench_world *w, unsigned f, unsigned h, BOOL dll,
                       struct list_case *c, struct bench_getlist *g)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    double t0;
    DWORD err;

    ZeroMemory(g, sizeof(*g));
    g->files = f;
    g->held = h;
    g->dll = dll;
    c->result = g;
    c->files = dll ? (WCHAR **)w->plugin_files : bench_world_files(w, f, h);
    if (!(c->call.buf = calloc(LIST_CAP, sizeof(RM_PROCESS_INFO))))
        return ERROR_OUTOFMEMORY;
    if ((err = RmStartSession(&c->call.session, 0, key)))
        return err;
    if ((err = register_all(c->call.session, c->files, f)))
        return err;
    /* The first call also reads the registrations into the session. */
    t0 = bench_now_ms();
    err = get_list(&c->call);
    g->first_ms = bench_now_ms() - t0;
    g->found = c->call.found;
    return err;
}

static void close_case(struct list_case *c)
{
    if (c->call.session)
        RmEndSession(c->call.session);
    free(c->call.buf);
    ZeroMemory(c, sizeof(*c));
}

/* Rounds: in each, the floor once, then every case once. Interleaved so that whatever
 * else the machine does weighs on all of them alike, and each round gives one sample of
 * every ratio. */
static DWORD run_rounds(struct list_case *cases, unsigned ncases, unsigned reps,
                        struct bench_results *r)
{
    double snap[BENCH_MAX_REPS], mods[BENCH_MAX_REPS], sorted[BENCH_MAX_REPS], t0;
    struct bench_floor_sample fs;
    DWORD err = ERROR_SUCCESS;
    unsigned i, k;

    for (i = 0; i < reps && !err; i++) {
        if ((err = bench_floor_measure(&fs)))
            break;
        snap[i] = fs.snapshot_ms;
        mods[i] = fs.modules_ms;
        r->floor_samples[i] = fs.snapshot_ms + fs.modules_ms;
        for (k = 0; k < ncases && !err; k++) {
            t0 = bench_now_ms();
            err = get_list(&cases[k].call);
            cases[k].result->samples[i] = bench_now_ms() - t0;
        }
        progress("round %u of %u done", i + 1, reps);
    }
    if (err)
        return err;
    bench_stat_of(snap, reps, &r->snapshot_ms);
    bench_stat_of(mods, reps, &r->modules_ms);
    memcpy(sorted, r->floor_samples, reps * sizeof(double));
    bench_stat_of(sorted, reps, &r->floor_ms);
    for (k = 0; k < ncases; k++) {
        memcpy(sorted, cases[k].result->samples, reps * sizeof(double));
        bench_stat_of(sorted, reps, &cases[k].result->ms);
    }
    return ERROR_SUCCESS;
}

/* Peak memory, in calls of their own: the sampling thread must not slow the timed ones. */
static DWORD measure_memory(struct list_case *c, unsigned reps, const struct bench_results *r)
{
    struct bench_getlist *g = c->result;
    struct bench_memory mem;
    DWORD err = ERROR_SUCCESS;
    unsigned i;

    for (i = 0; i < reps && !err; i++) {
        if ((err = bench_memory_during(get_list, &c->call, &mem)))
            break;
        if (mem.peak - mem.before > g->mem_extra)
            g->mem_extra = mem.peak - mem.before;
        if (mem.peak > g->mem_peak)
            g->mem_peak = mem.peak;
    }
    g->mem_budget = 2 * (SIZE_T)r->facts.snapshot_bytes + files_need(c->files, g->files);
    return err;
}

static DWORD measure_getlists(const struct bench_world *w, const struct options *o,
                              struct bench_results *r)
{
    static struct list_case cases[BENCH_MAX_CASES];
    DWORD err = ERROR_SUCCESS;
    unsigned i, j, n = 0;

    for (i = 0; i < o->nfiles && !err; i++)
        for (j = 0; j < o->nheld && !err && n < BENCH_MAX_CASES; j++) {
            if (o->held[j] > o->files[i])
                continue;
            progress("RmGetList, %u files, %u held: a session and its first call", o->files[i],
                     o->held[j]);
            err = open_case(w, o->files[i], o->held[j], FALSE, &cases[n], &r->getlist[n]);
            n++;
        }
    /* And one DLL that one holder has loaded: found only through module lists. */
    if (!err && n < BENCH_MAX_CASES) {
        progress("RmGetList, 1 loaded DLL: a session and its first call");
        err = open_case(w, 1, 0, TRUE, &cases[n], &r->getlist[n]);
        n++;
    }
    r->ngetlist = n;
    if (!err)
        err = run_rounds(cases, n, o->reps, r);
    for (i = 0; i < n && !err; i++) {
        progress("RmGetList, %u files, %u held: memory", cases[i].result->files,
                 cases[i].result->held);
        err = measure_memory(&cases[i], o->memory_reps, r);
    }
    /* The resolver starts an inspector thread per call; what a bare thread costs here is
     * reported apart (under Wine it is about 1 MiB, on Windows a few KiB). */
    if (!err)
        err = bench_memory_of_thread(o->memory_reps, &r->thread_bytes);
    for (i = 0; i < n; i++)
        close_case(&cases[i]);
    return err;
}

/* ---- the profile, by rmprofile.exe (it links the core and times each step) ---- */

static char *read_all(const WCHAR *path)
{
    FILE *f = _wfopen(path, L"rb");
    char *text = NULL;
    long n;

    if (!f)
        return NULL;
    if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET) &&
        (text = calloc((size_t)n + 1, 1)) && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

static DWORD run_profile(const struct bench_world *w, const struct options *o,
                         struct bench_results *r)
{
    WCHAR exe[MAX_PATH], out[MAX_PATH], line[2048];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = ERROR_TIMEOUT;
    unsigned i;
    int n;

    bench_bin_path(exe, L"rmprofile.exe");
    _snwprintf(out, MAX_PATH, L"%ls\\profile.json", w->dir);
    out[MAX_PATH - 1] = 0;
    n = _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" \"%ls\\reg\" %u \"%ls\" %u", exe, w->dir,
                   w->held_max, out, o->reps);
    /* The same cases as the targets: the smallest, and the largest F with each H. */
    for (i = 0; i < r->ngetlist && n > 0 && n < (int)ARRAYSIZE(line) - 32; i++) {
        const struct bench_getlist *g = &r->getlist[i];
        if ((g->files == 1 && g->held == 0) || (g->files == 2048 && g->held == 128) ||
            (g->files == 10000 && g->held == 128) || (g->files == 10000 && g->held == 0))
            n += _snwprintf(line + n, ARRAYSIZE(line) - n, L" %u:%u", g->files, g->held);
    }
    line[ARRAYSIZE(line) - 1] = 0;
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    fflush(stdout);
    if (!CreateProcessW(exe, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return GetLastError();
    if (WaitForSingleObject(pi.hProcess, PROFILE_TIMEOUT_MS) == WAIT_OBJECT_0)
        GetExitCodeProcess(pi.hProcess, &code);
    else
        TerminateProcess(pi.hProcess, ERROR_TIMEOUT);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    if (!code && !(r->profile_json = read_all(out)))
        code = ERROR_READ_FAULT;
    DeleteFileW(out);
    return code;
}

int wmain(int argc, WCHAR **argv)
{
    static struct bench_results r;
    struct bench_floor_sample fs;
    struct bench_world w;
    struct options o;
    DWORD err;
    unsigned i;

    if (!parse(argc, argv, &o)) {
        fprintf(stderr, "usage: rmbench [--processes P] [--files-per-process K] [--files 1,64,2048,10000]\n"
                        "               [--held 0,8,128] [--reps N] [--memory-reps N] [--gui-apps N]\n"
                        "               [--gui-rounds N] [--no-profile] [--out results.json]\n");
        return ERROR_BAD_ARGUMENTS;
    }
    r.arch = sizeof(void *) == 8 ? "x64" : "x86";
    /* Which DLL the loader gave us: ours beside the exe, or (on Windows, without it) the
     * system's. */
    GetModuleFileNameW(GetModuleHandleW(L"rstrtmgr.dll"), r.dll, MAX_PATH);
    r.processes = o.processes;
    r.files_per_process = o.files_per_process;
    r.dlls_per_process = 3;
    r.reps = o.reps;

    progress("starting %u holders with %u files each", o.processes, o.files_per_process);
    if ((err = bench_world_up(&w, o.processes, o.files_per_process, largest(o.held, o.nheld),
                              largest(o.files, o.nfiles))))
        goto out;
    progress("the world's facts, and a first floor");
    if ((err = bench_floor_prepare(&r.facts)) || (err = bench_floor_measure(&fs)))
        goto out;
    for (i = 0; i < o.nfiles && !err; i++) {
        progress("RmRegisterResources, %u files", o.files[i]);
        err = measure_register(&w, o.files[i], o.reps, &r.reg[r.nreg++]);
    }
    if (!err)
        err = measure_getlists(&w, &o, &r);
    if (!err && o.profile) {
        progress("profile of the resolver's steps (rmprofile.exe)");
        err = run_profile(&w, &o, &r);
    }
    if (!err && o.gui_apps && o.gui_rounds) {
        progress("RmShutdown and RmRestart of %u GUI apps, %u rounds", o.gui_apps, o.gui_rounds);
        if (!(err = bench_gui_run(o.gui_apps, o.gui_rounds, &r.gui)))
            r.gui_ran = TRUE;
    }
out:
    bench_world_down(&w);
    bench_floor_free();
    if (err) {
        fprintf(stderr, "rmbench: failed: %lu\n", err);
        return (int)err;
    }
    bench_report_print(&r);
    if ((err = bench_report_json(&r, o.out)))
        fprintf(stderr, "rmbench: could not write %ls: %lu\n", o.out, err);
    else
        printf("\nrmbench: results written to %ls\n", o.out);
    return (int)err;
}
