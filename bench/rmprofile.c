/*
 * rmprofile.c - where the time of one RmGetList goes: the resolver's steps timed one by
 * one, by calling the core's internal functions (it links rstrtmgr_core statically, as
 * the unit tests do). rmbench runs it while its world is up.
 *
 * Usage: rmprofile REGDIR HMAX OUT.json REPS F:H...
 *   the registered files of case F:H are REGDIR\f<j>.dat for j from HMAX - H, F of them
 *   (the first HMAX files are the held ones, as rmbench lays them out).
 * Prints a table, writes a JSON object to OUT.json. Exit code 0 when every case ran.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "bench.h"
#include "resolve/resolve.h"

#define MAX_CASES 8

/* The first per-handle query (the file index), timed: it runs on the resolver's inspector
 * thread, one handle after the other. */
static volatile LONG queries;
static double query_ms;

static BOOL timed_index(HANDLE file, ULONGLONG *index)
{
    double t0 = bench_now_ms();
    BOOL ok = rm_file_index(file, index);
    query_ms += bench_now_ms() - t0;
    InterlockedIncrement(&queries);
    return ok;
}

enum step { S_TARGETS, S_OPEN_FILES, S_QUERIES, S_MODULES, S_SERVICES, S_CLASSIFY, S_TOTAL, S_COUNT };
static const char *const step_names[S_COUNT] = {
    "targets", "open_files", "index_queries", "modules", "services", "classify", "total",
};

struct case_result {
    unsigned files, held, found, queries;
    struct bench_stat steps[S_COUNT];
};

/* One resolver pass, as rm_resolve runs it, each step timed. */
static DWORD one_pass(struct rm_registrations *regs, double *t, unsigned *found_n)
{
    struct rm_targets targets;
    struct rm_pidset found;
    struct rm_services services;
    RM_PROCESS_INFO info;
    DWORD err, reasons;
    HANDLE keep;
    double t0 = bench_now_ms(), t1;
    unsigned i;

    ZeroMemory(&found, sizeof(found));
    ZeroMemory(&services, sizeof(services));
    queries = 0;
    query_ms = 0;
    if ((err = rm_targets_build(regs, &targets)))
        return err;
    t1 = bench_now_ms();
    t[S_TARGETS] = t1 - t0;
    err = rm_open_files_find(&targets, &found);
    t[S_OPEN_FILES] = bench_now_ms() - t1;
    t[S_QUERIES] = query_ms;
    t1 = bench_now_ms();
    if (!err)
        err = rm_modules_find(&targets, &found);
    t[S_MODULES] = bench_now_ms() - t1;
    t1 = bench_now_ms();
    if (!err)
        err = rm_services_find(regs, &found, &services);
    t[S_SERVICES] = bench_now_ms() - t1;
    t1 = bench_now_ms();
    for (i = 0; i < found.n && !err; i++) {
        reasons = 0;
        if (!rm_services_hosted_by(&services, found.pids[i]) &&
            !rm_classify_process(found.pids[i], &info, &reasons, &keep) && keep)
            CloseHandle(keep);
    }
    t[S_CLASSIFY] = bench_now_ms() - t1;
    t[S_TOTAL] = bench_now_ms() - t0;
    *found_n = found.n;
    rm_services_free(&services);
    rm_pidset_free(&found);
    rm_targets_free(&targets);
    return err;
}

static DWORD profile_case(const WCHAR *regdir, unsigned hmax, unsigned f, unsigned h,
                          unsigned reps, struct case_result *out)
{
    static double samples[S_COUNT][BENCH_MAX_REPS];
    struct rm_registrations regs;
    WCHAR **files;
    double t[S_COUNT];
    DWORD err = ERROR_SUCCESS;
    unsigned i, s;

    ZeroMemory(out, sizeof(*out));
    out->files = f;
    out->held = h;
    if (h > hmax || !(files = calloc(f ? f : 1, sizeof(*files))))
        return ERROR_BAD_ARGUMENTS;
    for (i = 0; i < f; i++) {
        WCHAR path[MAX_PATH];
        _snwprintf(path, MAX_PATH, L"%ls\\f%05u.dat", regdir, hmax - h + i);
        path[MAX_PATH - 1] = 0;
        if (!(files[i] = _wcsdup(path)))
            err = ERROR_OUTOFMEMORY;
    }
    ZeroMemory(&regs, sizeof(regs));
    regs.files = files;
    regs.nfiles = f;
    /* A warm-up pass, then the measured ones. */
    if (!err)
        err = one_pass(&regs, t, &out->found);
    for (i = 0; i < reps && !err; i++) {
        err = one_pass(&regs, t, &out->found);
        for (s = 0; s < S_COUNT; s++)
            samples[s][i] = t[s];
    }
    out->queries = (unsigned)queries;
    for (s = 0; s < S_COUNT && !err; s++)
        bench_stat_of(samples[s], reps, &out->steps[s]);
    for (i = 0; i < f; i++)
        free(files[i]);
    free(files);
    return err;
}

static void print_cases(const struct case_result *c, unsigned n)
{
    unsigned i, s;

    printf("\nrmprofile: median ms of each resolver step (steps run as in rm_resolve)\n");
    printf("%-20s", "files/held");
    for (s = 0; s < S_COUNT; s++)
        printf(" %17s", step_names[s]);
    printf(" %8s %7s\n", "queries", "found");
    for (i = 0; i < n; i++) {
        char label[32];
        snprintf(label, sizeof(label), "%u/%u", c[i].files, c[i].held);
        printf("%-20s", label);
        for (s = 0; s < S_COUNT; s++)
            printf(" %17.1f", c[i].steps[s].median);
        printf(" %8u %7u\n", c[i].queries, c[i].found);
    }
    fflush(stdout);
}

static DWORD write_json(const WCHAR *path, const struct case_result *c, unsigned n)
{
    FILE *f = _wfopen(path, L"w");
    unsigned i, s;

    if (!f)
        return ERROR_CANNOT_MAKE;
    fprintf(f, "{\"cases\": [");
    for (i = 0; i < n; i++) {
        fprintf(f, "%s\n    {\"files\": %u, \"held\": %u, \"found\": %u, \"index_queries\": %u, "
                   "\"median_ms\": {",
                i ? "," : "", c[i].files, c[i].held, c[i].found, c[i].queries);
        for (s = 0; s < S_COUNT; s++)
            fprintf(f, "%s\"%s\": %.3f", s ? ", " : "", step_names[s], c[i].steps[s].median);
        fprintf(f, "}}");
    }
    fprintf(f, "\n  ]}");
    fclose(f);
    return ERROR_SUCCESS;
}

int wmain(int argc, WCHAR **argv)
{
    static struct case_result cases[MAX_CASES];
    unsigned hmax, reps, n = 0, f, h;
    DWORD err = ERROR_SUCCESS;
    int i;

    if (argc < 6) {
        fprintf(stderr, "usage: rmprofile REGDIR HMAX OUT.json REPS F:H...\n");
        return ERROR_BAD_ARGUMENTS;
    }
    hmax = (unsigned)_wtoi(argv[2]);
    reps = (unsigned)_wtoi(argv[4]);
    reps = reps < 1 ? 1 : reps > BENCH_MAX_REPS ? BENCH_MAX_REPS : reps;
    rm_open_files_set_query(timed_index);
    for (i = 5; i < argc && n < MAX_CASES && !err; i++) {
        if (swscanf(argv[i], L"%u:%u", &f, &h) != 2)
            return ERROR_BAD_ARGUMENTS;
        err = profile_case(argv[1], hmax, f, h, reps, &cases[n++]);
    }
    rm_open_files_set_query(NULL);
    if (err) {
        fprintf(stderr, "rmprofile: failed: %lu\n", err);
        return (int)err;
    }
    print_cases(cases, n);
    return (int)write_json(argv[3], cases, n);
}
