/*
 * bench.h - what the files of rmbench.exe share: the clock and statistics, the world of
 * fixture processes, the floor, memory sampling, the GUI shutdown round and the report.
 *
 * rmbench is a caller of the DLL (through its import library), like an installer. Only
 * the floor looks below the API: it takes the raw handle snapshot the resolver also
 * takes, with the declarations of src/nt.h.
 */
#ifndef RM_BENCH_H
#define RM_BENCH_H

#include <windows.h>

#include "restartmanager.h"

#define BENCH_MAX_SIZES 8
#define BENCH_MAX_REPS 64

/* ---- stats.c: the clock, and median and spread of repeated measurements ---- */

double bench_now_ms(void);                 /* a monotonic clock, in ms */

struct bench_stat {
    unsigned n;
    double median, min, max;
    double spread;                         /* (max - min) / median */
};
/* Sorts samples in place. */
void bench_stat_of(double *samples, unsigned n, struct bench_stat *out);

/* ---- world.c: the fixture processes and the files ---- */

struct bench_world {
    unsigned processes;         /* P holders */
    unsigned files_per_process; /* K files each holds of its own */
    unsigned held_max;          /* registered files held, at most (the largest H) */
    unsigned registered;        /* registered files created: held_max + the largest F */
    WCHAR dir[MAX_PATH];        /* everything lives under it */
    WCHAR **paths;              /* registered files; the first held_max are held */
    HANDLE *procs;              /* the holders */
    HANDLE quit;                /* set: the holders exit */
    WCHAR plugin[MAX_PATH];     /* the DLL the first holder has loaded */
    WCHAR *plugin_files[1];     /* { plugin }: the "1 loaded DLL" case's registration */
};
DWORD bench_world_up(struct bench_world *w, unsigned processes, unsigned files_per_process,
                     unsigned held_max, unsigned max_files);
void bench_world_down(struct bench_world *w);
/* The F paths of which exactly H are held: a slice of w->paths. */
WCHAR **bench_world_files(const struct bench_world *w, unsigned f, unsigned h);
/* "<folder of rmbench.exe>\name". */
void bench_bin_path(WCHAR path[MAX_PATH], const WCHAR *name);

/* ---- floor.c: the least any answer costs, measured without the DLL ---- */

struct bench_floor_sample {
    double snapshot_ms;         /* one SystemExtendedHandleInformation snapshot */
    double modules_ms;          /* a process list and one module list per process */
};
struct bench_world_facts {
    unsigned handles, file_handles, processes, modules;
    unsigned snapshot_bytes;    /* what the snapshot returned */
};
DWORD bench_floor_prepare(struct bench_world_facts *facts);
DWORD bench_floor_measure(struct bench_floor_sample *s);
void bench_floor_free(void);

/* ---- memory.c: the calling process's memory around one call ---- */

struct bench_memory {
    SIZE_T before;              /* private bytes just before the call */
    SIZE_T peak;                /* the highest seen during it */
};
/* Runs fn(arg) while a thread samples the process's private bytes every millisecond, and
 * takes PeakPagefileUsage too where it really is a peak (Windows). */
DWORD bench_memory_during(DWORD (*fn)(void *), void *arg, struct bench_memory *out);
/* The peak extra bytes of one thread made as the resolver makes its inspector (64 KiB of
 * stack reserved) that lives 50 ms doing nothing, the largest of `reps` tries. */
DWORD bench_memory_of_thread(unsigned reps, SIZE_T *bytes);

/* ---- gui.c: RmShutdown and RmRestart of cooperative windowed apps ---- */

struct bench_gui_result {
    unsigned apps, rounds;
    struct bench_stat shutdown_ms;   /* RmShutdown's whole call */
    struct bench_stat lag_ms;        /* the last app's exit -> RmShutdown's return */
    struct bench_stat app_lag_ms;    /* each app's exit -> the engine's next step (callback) */
    struct bench_stat restart_ms;    /* RmRestart's whole call */
};
DWORD bench_gui_run(unsigned apps, unsigned rounds, struct bench_gui_result *out);

/* ---- report.c: the table, the targets and the JSON file ---- */

#define BENCH_MAX_CASES 32

struct bench_getlist {
    unsigned files, held;
    BOOL dll;                   /* the one file is a DLL one holder has loaded (else data) */
    unsigned found;             /* entries RmGetList returned */
    double first_ms;            /* the session's first call, which reads the registrations */
    struct bench_stat ms;       /* the calls after it */
    double samples[BENCH_MAX_REPS];  /* the same, in the order of the rounds */
    SIZE_T mem_extra;           /* peak private bytes during the call over those before it */
    SIZE_T mem_peak;            /* the peak itself */
    SIZE_T mem_budget;          /* 2 x the handle snapshot + what the registered files need */
};
struct bench_register {
    unsigned files;
    struct bench_stat ms;       /* all F files into a fresh session, 1,000 per call */
};
struct bench_results {
    const char *arch;
    WCHAR dll[MAX_PATH];        /* the rstrtmgr.dll that was measured */
    unsigned processes, files_per_process, dlls_per_process, reps;
    struct bench_world_facts facts;
    struct bench_stat floor_ms, snapshot_ms, modules_ms;
    double floor_samples[BENCH_MAX_REPS];  /* in the order of the rounds */
    struct bench_getlist getlist[BENCH_MAX_CASES];
    unsigned ngetlist;
    struct bench_register reg[BENCH_MAX_SIZES];
    unsigned nreg;
    SIZE_T thread_bytes;        /* what one bare thread costs (bench_memory_of_thread) */
    BOOL gui_ran;
    struct bench_gui_result gui;
    char *profile_json;         /* rmprofile's JSON, embedded as it is; NULL if not run */
};
void bench_report_print(const struct bench_results *r);
/* Writes the results, the ratios and whether each target holds. */
DWORD bench_report_json(const struct bench_results *r, const WCHAR *path);

#endif
