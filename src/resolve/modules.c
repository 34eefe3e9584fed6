/*
 * modules.c - processes that have a registered file loaded: as their exe image, or as a
 * DLL. Loaded images are not file handles, so each process's image path and module list
 * are matched against the targets by file identity (targets.c: the file name first, then
 * the file the path reaches), whatever spelling the process used.
 *
 * Which list, by bitness (ours / the process's):
 *  - the same, or 64 / 32: Toolhelp (TH32CS_SNAPMODULE32 adds a WOW64 process's 32-bit
 *    modules, as documented). Under Wine 8 Toolhelp fails across bitness (error 998,
 *    measured), and a 64-bit DLL reads the process's 32-bit loader list itself (sys/wine.c);
 *  - 32 / 64: no documented 32-bit call reads a 64-bit loader list, so the 64-bit helper
 *    shipped beside the DLL lists them (helper.c), once per call for all such processes.
 *
 * Nothing is read when no registered file could be mapped as an image (targets.c).
 */
#include "resolve.h"
#include "../sys/wine.h"

#include <tlhelp32.h>

/* Toolhelp may fail while the process loads or unloads a module (documented: retry). */
#define SNAPSHOT_TRIES 3

struct scan {
    struct rm_targets *t;
    BOOL wow64;                 /* a 32-bit process's paths */
    BOOL hit;
};

static BOOL on_module(void *ctx, const WCHAR *path)
{
    struct scan *s = ctx;
    s->hit = rm_targets_match_image(s->t, path, s->wow64);
    return !s->hit;
}

/* Lists a process's modules with Toolhelp, calling fn for each until it returns FALSE.
 * ERROR_SUCCESS when the list was read, else why not. */
static DWORD toolhelp_modules(DWORD pid, rm_module_fn fn, void *ctx)
{
    const struct rm_sys *os = rm_sys();
    HANDLE snap = INVALID_HANDLE_VALUE;
    MODULEENTRY32W m;
    DWORD err = ERROR_SUCCESS;
    BOOL more;
    int i;

    for (i = 0; i < SNAPSHOT_TRIES && snap == INVALID_HANDLE_VALUE; i++) {
        snap = os->CreateToolhelp32Snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32, pid);
        if (snap == INVALID_HANDLE_VALUE && (err = GetLastError()) != ERROR_BAD_LENGTH)
            break;
    }
    if (snap == INVALID_HANDLE_VALUE)
        return err ? err : ERROR_BAD_LENGTH;
    m.dwSize = sizeof(m);
    for (more = os->Module32FirstW(snap, &m); more && fn(ctx, m.szExePath);
         more = os->Module32NextW(snap, &m))
        ;
    os->CloseHandle(snap);
    return ERROR_SUCCESS;
}

static BOOL still_running(HANDLE process)
{
    DWORD code;
    return rm_sys()->GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
}

/* One process: its image, then its modules. A 64-bit process seen from a 32-bit DLL goes
 * to `later` (the helper's batch); one whose modules cannot be read at all goes to
 * `denied`. */
static DWORD check_process(DWORD pid, struct rm_targets *t, BOOL self_wow64,
                           struct rm_pidset *found, struct rm_pidset *later,
                           struct rm_pidset *denied)
{
    const struct rm_sys *os = rm_sys();
    HANDLE h = os->OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    WCHAR path[MAX_PATH * 2];
    DWORD len = ARRAYSIZE(path), err = ERROR_SUCCESS, why;
    BOOL wow64 = FALSE;
    struct scan s;

    if (!h)  /* gone; or one we may not even look at, which §11.3 covers on Windows */
        return GetLastError() == ERROR_INVALID_PARAMETER ? ERROR_SUCCESS : rm_pidset_add(denied, pid);
    os->IsWow64Process(h, &wow64);
    s.t = t;
    s.wow64 = wow64;
    s.hit = os->QueryFullProcessImageNameW(h, 0, path, &len) &&
            rm_targets_match_image(t, path, s.wow64);
    if (!s.hit) {
        if (self_wow64 && !wow64) {
            err = rm_pidset_add(later, pid);  /* 64-bit: the helper lists it */
            os->CloseHandle(h);
            return err;
        }
        why = toolhelp_modules(pid, on_module, &s);
        if (why && sizeof(void *) == 8 && wow64 && rm_sys_is_wine())
            why = rm_wine_wow64_modules(pid, on_module, &s);
        if (why && still_running(h)) {
            rm_trace("the modules of process %lu cannot be read (%lu)", pid, why);
            err = rm_pidset_add(denied, pid);
        }
    }
    if (s.hit && !err)
        err = rm_pidset_add(found, pid);
    os->CloseHandle(h);
    return err;
}

/* The helper's answer for one module of a 64-bit process. */
struct batch_scan {
    struct rm_targets *t;
    struct rm_pidset *found;
    DWORD err;
};

static BOOL on_batch_module(void *ctx, DWORD pid, const WCHAR *path)
{
    struct batch_scan *b = ctx;
    if (!rm_pidset_has(b->found, pid) && rm_targets_match_image(b->t, path, FALSE))
        b->err = rm_pidset_add(b->found, pid);
    return !b->err;
}

DWORD rm_modules_find(struct rm_targets *t, struct rm_pidset *found, struct rm_pidset *denied)
{
    const struct rm_sys *os = rm_sys();
    struct rm_pidset later, listed;
    struct batch_scan b;
    PROCESSENTRY32W p;
    HANDLE snap;
    DWORD err = ERROR_SUCCESS, i;
    BOOL more, self_wow64 = FALSE;

    if (!t->images)
        return ERROR_SUCCESS;  /* no registered file can be a module or an exe image */
    if (sizeof(void *) == 4)
        os->IsWow64Process(GetCurrentProcess(), &self_wow64);
    snap = os->CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return RM_FAIL(GetLastError(), "CreateToolhelp32Snapshot(processes)");
    ZeroMemory(&later, sizeof(later));
    ZeroMemory(&listed, sizeof(listed));
    p.dwSize = sizeof(p);
    for (more = os->Process32FirstW(snap, &p); more && !err; more = os->Process32NextW(snap, &p))
        if (p.th32ProcessID && !rm_pidset_has(found, p.th32ProcessID))
            err = check_process(p.th32ProcessID, t, self_wow64, found, &later, denied);
    os->CloseHandle(snap);
    if (!err && later.n) {
        b.t = t;
        b.found = found;
        b.err = ERROR_SUCCESS;
        err = rm_helper_modules(&later, on_batch_module, &b, &listed);
        if (!err)
            err = b.err;
        /* What the helper could not list is not silently left out. */
        for (i = 0; !err && i < later.n; i++)
            if (!rm_pidset_has(found, later.pids[i]) && !rm_pidset_has(&listed, later.pids[i]))
                err = rm_pidset_add(denied, later.pids[i]);
    }
    rm_pidset_free(&listed);
    rm_pidset_free(&later);
    return err;
}
