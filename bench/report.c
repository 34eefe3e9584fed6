/*
 * report.c - the benchmark's results as a table on stdout and as a JSON file, with the
 * ratios of issue 6 and whether each target holds. Each ratio is the median of its
 * per-round ratios (both sides measured in the same round), so that the speed and the
 * load of the machine cancel out.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define MB(x) ((double)(x) / (1024.0 * 1024.0))

struct target {
    const char *name;       /* JSON key */
    const char *what;       /* for the table */
    double value, limit;
    BOOL measured;          /* both sides of the ratio were measured */
    BOOL ok;
};

/* A case of data files (dll FALSE), or the one loaded DLL (dll TRUE, f 1, h 0). */
static const struct bench_getlist *find_of(const struct bench_results *r, unsigned f, unsigned h,
                                           BOOL dll)
{
    unsigned i;
    for (i = 0; i < r->ngetlist; i++)
        if (r->getlist[i].files == f && r->getlist[i].held == h && r->getlist[i].dll == dll)
            return &r->getlist[i];
    return NULL;
}

static const struct bench_getlist *find_case(const struct bench_results *r, unsigned f, unsigned h)
{
    return find_of(r, f, h, FALSE);
}

static const struct bench_getlist *largest_case(const struct bench_results *r)
{
    const struct bench_getlist *best = NULL;
    unsigned i;
    for (i = 0; i < r->ngetlist; i++) {
        const struct bench_getlist *g = &r->getlist[i];
        if (!g->dll && (!best || g->files > best->files ||
                        (g->files == best->files && g->held > best->held)))
            best = g;
    }
    return best;
}

/* The median of the per-round ratios num[i] / den[i] (0 when there are none). */
static double paired(const double *num, const double *den, unsigned n)
{
    double q[BENCH_MAX_REPS];
    struct bench_stat s;
    unsigned i, k = 0;

    for (i = 0; num && den && i < n; i++)
        if (den[i] > 0)
            q[k++] = num[i] / den[i];
    bench_stat_of(q, k, &s);
    return s.median;
}

/* A target that is the median of the per-round ratios num[i] / den[i]: both were
 * measured in the same round, under the same load. */
static void ratio(struct target *t, const char *name, const char *what, const double *num,
                  const double *den, unsigned n, double limit)
{
    double q[BENCH_MAX_REPS];
    struct bench_stat s;
    unsigned i, k = 0;

    t->name = name;
    t->what = what;
    t->limit = limit;
    for (i = 0; num && den && i < n; i++)
        if (den[i] > 0)
            q[k++] = num[i] / den[i];
    bench_stat_of(q, k, &s);
    t->measured = k > 0;
    t->value = s.median;
    t->ok = t->measured && t->value <= limit;
}

/* Peak extra memory over its budget, the worst case; without_thread: less what one bare
 * thread costs (the inspector thread of each call; Wine makes a thread cost ~1 MiB). */
static void memory_target(const struct bench_results *r, struct target *t, BOOL without_thread)
{
    double worst = 0;
    unsigned i;

    t->name = without_thread ? "memory_extra_without_thread_over_budget" : "memory_extra_over_budget";
    t->what = without_thread ? "RmGetList peak extra memory less one thread / budget"
                             : "RmGetList peak extra memory / budget (worst case)";
    t->limit = 1;
    t->measured = r->ngetlist > 0;
    t->ok = t->measured;
    for (i = 0; i < r->ngetlist; i++) {
        const struct bench_getlist *g = &r->getlist[i];
        SIZE_T extra = g->mem_extra;
        double q;
        if (without_thread)
            extra = extra > r->thread_bytes ? extra - r->thread_bytes : 0;
        q = g->mem_budget ? (double)extra / (double)g->mem_budget : 0;
        if (q > worst)
            worst = q;
        t->ok = t->ok && extra <= g->mem_budget;
    }
    t->value = worst;
}

/* The targets of issues 6 and 13; returns how many were filled in. */
static unsigned targets_of(const struct bench_results *r, struct target *t)
{
    const struct bench_getlist *one = find_case(r, 1, 0), *big = find_case(r, 2048, 128);
    const struct bench_getlist *mid = find_case(r, 2048, 0), *top = find_case(r, 10000, 0);
    const struct bench_getlist *dll = find_of(r, 1, 0, TRUE);
    double worst;
    unsigned n = 0;

    /* Issue 13: a data file needs no module lists, so no more than the floor; a loaded DLL
     * needs them, so the floor and half of it again. */
    ratio(&t[n++], "getlist_1_over_floor", "RmGetList(1 data file) / floor", one ? one->samples : NULL,
          r->floor_samples, r->reps, 1.0);
    ratio(&t[n++], "getlist_dll_over_floor", "RmGetList(1 loaded DLL) / floor",
          dll ? dll->samples : NULL, r->floor_samples, r->reps, 1.5);
    ratio(&t[n++], "getlist_2048_128_over_getlist_1", "RmGetList(2048 files, 128 held) / RmGetList(1)",
          big ? big->samples : NULL, one ? one->samples : NULL, r->reps, 1.5);
    /* Linear in files: t(10000) / t(2048) stays below 10000 / 2048 whatever the constant
     * part is; a files x handles loop would go far above it. */
    ratio(&t[n++], "getlist_10000_over_2048", "RmGetList(10000) / RmGetList(2048), linear <= 4.88",
          top ? top->samples : NULL, mid ? mid->samples : NULL, r->reps, 10000.0 / 2048.0);
    /* The worst of the last app's exit and each app's exit, to the engine moving on. */
    worst = r->gui.lag_ms.max > r->gui.app_lag_ms.max ? r->gui.lag_ms.max : r->gui.app_lag_ms.max;
    t[n].name = "shutdown_lag_ms";
    t[n].what = "RmShutdown: app's exit -> engine moves on (worst, ms)";
    t[n].value = worst;
    t[n].limit = 50;
    t[n].measured = r->gui_ran;
    t[n].ok = r->gui_ran && worst <= 50;
    n++;
    memory_target(r, &t[n++], FALSE);
    memory_target(r, &t[n++], TRUE);
    return n;
}

static void print_stat_ms(const struct bench_stat *s)
{
    printf("%9.1f %9.1f %9.1f %6.0f%%", s->median, s->min, s->max, s->spread * 100);
}

void bench_report_print(const struct bench_results *r)
{
    struct target t[10];
    unsigned i, n;
    const struct bench_getlist *largest = largest_case(r), *one = find_case(r, 1, 0);

    printf("\nrmbench %s, %ls\n%u holders x %u files, %u DLLs loaded each; %u handles (%u files), "
           "%u processes, %u modules; %u repetitions\n",
           r->arch, r->dll, r->processes, r->files_per_process, r->dlls_per_process, r->facts.handles,
           r->facts.file_handles, r->facts.processes, r->facts.modules, r->reps);
    printf("\n%-44s %9s %9s %9s %7s\n", "ms", "median", "min", "max", "spread");
    printf("%-44s ", "floor: handle snapshot");
    print_stat_ms(&r->snapshot_ms);
    printf("\n%-44s ", "floor: process list + module lists");
    print_stat_ms(&r->modules_ms);
    printf("\n%-44s ", "floor (sum)");
    print_stat_ms(&r->floor_ms);
    printf("\n");
    for (i = 0; i < r->nreg; i++) {
        char label[64];
        snprintf(label, sizeof(label), "RmRegisterResources %u files (1,000 a call)", r->reg[i].files);
        printf("%-44s ", label);
        print_stat_ms(&r->reg[i].ms);
        printf("\n");
    }
    printf("\n%-30s %6s %9s %9s %9s %9s %7s %6s %8s %8s\n", "RmGetList", "found", "first", "median",
           "min", "max", "spread", "x(1)", "mem MiB", "budget");
    for (i = 0; i < r->ngetlist; i++) {
        const struct bench_getlist *g = &r->getlist[i];
        char label[64];
        if (g->dll)
            snprintf(label, sizeof(label), "  1 loaded DLL (1 user)");
        else
            snprintf(label, sizeof(label), "  %5u files, %3u held", g->files, g->held);
        printf("%-30s %6u %9.1f ", label, g->found, g->first_ms);
        print_stat_ms(&g->ms);
        printf(" %6.2f %8.2f %8.2f\n", one ? paired(g->samples, one->samples, r->reps) : 0,
               MB(g->mem_extra), MB(g->mem_budget));
    }
    printf("  (x(1): the median of the per-round ratios to RmGetList(1 file, 0 held))\n");
    if (largest)
        printf("  (peak private bytes of the caller at %u files: %.1f MiB; one bare thread costs "
               "%.2f MiB)\n", largest->files, MB(largest->mem_peak), MB(r->thread_bytes));
    if (r->gui_ran) {
        printf("\n%u GUI apps, %u rounds %17s %9s %9s %9s %7s\n", r->gui.apps, r->gui.rounds, "",
               "median", "min", "max", "spread");
        printf("%-44s ", "RmShutdown (whole call)");
        print_stat_ms(&r->gui.shutdown_ms);
        printf("\n%-44s ", "last app's exit -> RmShutdown returns");
        print_stat_ms(&r->gui.lag_ms);
        printf("\n%-44s ", "each app's exit -> engine's next step");
        print_stat_ms(&r->gui.app_lag_ms);
        printf("\n%-44s ", "RmRestart (whole call)");
        print_stat_ms(&r->gui.restart_ms);
        printf("\n");
    }
    n = targets_of(r, t);
    printf("\ntargets\n");
    for (i = 0; i < n; i++) {
        if (t[i].measured)
            printf("  %-58s %8.2f <= %-6.2f %s\n", t[i].what, t[i].value, t[i].limit,
                   t[i].ok ? "holds" : "DOES NOT HOLD");
        else
            printf("  %-58s not measured in this run\n", t[i].what);
    }
}

/* A path as a JSON string's content: quotes and backslashes escaped, non-ASCII as '?'. */
static void json_text(FILE *f, const WCHAR *p)
{
    for (; *p; p++) {
        if (*p == L'\\' || *p == L'"')
            fputc('\\', f);
        fputc(*p >= 32 && *p < 128 ? (char)*p : '?', f);
    }
}

/* Samples in the order of the rounds, so that any ratio can be recomputed per round. */
static void json_samples(FILE *f, const double *v, unsigned n)
{
    unsigned i;
    fprintf(f, "\"rounds_ms\": [");
    for (i = 0; i < n; i++)
        fprintf(f, "%s%.3f", i ? ", " : "", v[i]);
    fprintf(f, "]");
}

static void json_stat(FILE *f, const char *key, const struct bench_stat *s)
{
    fprintf(f, "\"%s\": {\"n\": %u, \"median\": %.3f, \"min\": %.3f, \"max\": %.3f, \"spread\": %.4f}",
            key, s->n, s->median, s->min, s->max, s->spread);
}

DWORD bench_report_json(const struct bench_results *r, const WCHAR *path)
{
    struct target t[10];
    unsigned i, n;
    const struct bench_getlist *one = find_case(r, 1, 0);
    FILE *f = _wfopen(path, L"w");

    if (!f)
        return ERROR_CANNOT_MAKE;
    fprintf(f, "{\n  \"arch\": \"%s\",\n  \"dll\": \"", r->arch);
    json_text(f, r->dll);
    fprintf(f, "\",\n");
    fprintf(f, "  \"world\": {\"processes\": %u, \"files_per_process\": %u, \"dlls_per_process\": %u, "
               "\"handles\": %u, \"file_handles\": %u, \"system_processes\": %u, \"modules\": %u, "
               "\"snapshot_bytes\": %u, \"thread_bytes\": %.0f, \"repetitions\": %u},\n",
            r->processes, r->files_per_process, r->dlls_per_process, r->facts.handles,
            r->facts.file_handles, r->facts.processes, r->facts.modules, r->facts.snapshot_bytes,
            (double)r->thread_bytes, r->reps);
    fprintf(f, "  \"floor_ms\": {");
    json_stat(f, "snapshot", &r->snapshot_ms);
    fprintf(f, ", ");
    json_stat(f, "module_lists", &r->modules_ms);
    fprintf(f, ", ");
    json_stat(f, "total", &r->floor_ms);
    fprintf(f, ", ");
    json_samples(f, r->floor_samples, r->reps);
    fprintf(f, "},\n  \"register_ms\": [");
    for (i = 0; i < r->nreg; i++) {
        fprintf(f, "%s\n    {\"files\": %u, \"batch\": 1000, ", i ? "," : "", r->reg[i].files);
        json_stat(f, "ms", &r->reg[i].ms);
        fprintf(f, "}");
    }
    fprintf(f, "\n  ],\n  \"getlist\": [");
    for (i = 0; i < r->ngetlist; i++) {
        const struct bench_getlist *g = &r->getlist[i];
        fprintf(f, "%s\n    {\"files\": %u, \"held\": %u, \"dll\": %s, \"found\": %u, "
                   "\"first_ms\": %.3f, \"over_getlist_1\": %.4f, ",
                i ? "," : "", g->files, g->held, g->dll ? "true" : "false", g->found, g->first_ms,
                one ? paired(g->samples, one->samples, r->reps) : 0);
        json_stat(f, "ms", &g->ms);
        fprintf(f, ", ");
        json_samples(f, g->samples, r->reps);
        fprintf(f, ", \"memory_extra_bytes\": %.0f, \"memory_peak_bytes\": %.0f, "
                   "\"memory_budget_bytes\": %.0f}",
                (double)g->mem_extra, (double)g->mem_peak, (double)g->mem_budget);
    }
    fprintf(f, "\n  ],\n");
    if (r->gui_ran) {
        fprintf(f, "  \"gui_shutdown\": {\"apps\": %u, \"rounds\": %u, ", r->gui.apps, r->gui.rounds);
        json_stat(f, "shutdown_ms", &r->gui.shutdown_ms);
        fprintf(f, ", ");
        json_stat(f, "exit_to_return_ms", &r->gui.lag_ms);
        fprintf(f, ", ");
        json_stat(f, "app_exit_to_next_step_ms", &r->gui.app_lag_ms);
        fprintf(f, ", ");
        json_stat(f, "restart_ms", &r->gui.restart_ms);
        fprintf(f, "},\n");
    }
    if (r->profile_json)
        fprintf(f, "  \"profile\": %s,\n", r->profile_json);
    n = targets_of(r, t);
    fprintf(f, "  \"targets\": {");
    for (i = 0; i < n; i++) {
        fprintf(f, "%s\n    \"%s\": {\"value\": ", i ? "," : "", t[i].name);
        if (t[i].measured)
            fprintf(f, "%.4f", t[i].value);
        else
            fprintf(f, "null");
        fprintf(f, ", \"limit\": %.4f, \"holds\": %s}", t[i].limit,
                !t[i].measured ? "null" : t[i].ok ? "true" : "false");
    }
    fprintf(f, "\n  }\n}\n");
    fclose(f);
    return ERROR_SUCCESS;
}
