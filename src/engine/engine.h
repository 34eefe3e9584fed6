/*
 * engine.h - the engine: filters, RmShutdown, RmRestart, progress and cancellation, and
 * the record of what was done. Depends on util/, sys/, session/ and resolve/.
 */
#ifndef RM_ENGINE_H
#define RM_ENGINE_H

#include "../resolve/resolve.h"

/* ---- engine/filters.c: what the caller asked us not to shut down or not to restart ---- */

struct rm_filter {
    RM_FILTER_ACTION action;
    RM_FILTER_TRIGGER trigger;
    WCHAR *name;                 /* full module path or service short name; NULL for a process */
    RM_UNIQUE_PROCESS process;   /* RmFilterTriggerProcess */
};
struct rm_filters {
    struct rm_filter *items;
    unsigned count, cap;
};
/* Exactly one of module, process and service; a later call for the same target replaces
 * the action. ERROR_BAD_ARGUMENTS for no or several targets, an empty name or another
 * action; ERROR_OUTOFMEMORY leaves the filters as they were. */
DWORD rm_filters_add(struct rm_filters *f, const WCHAR *module, const RM_UNIQUE_PROCESS *process,
                     const WCHAR *service, RM_FILTER_ACTION action);
/* ERROR_FILE_NOT_FOUND when no filter names that target. */
DWORD rm_filters_remove(struct rm_filters *f, const WCHAR *module, const RM_UNIQUE_PROCESS *process,
                        const WCHAR *service);
/* Writes the RmGetFilterList buffer; ERROR_MORE_DATA with *needed set when cap is too small. */
/* Each RM_FILTER_INFO is followed by its string; records start at pointer-aligned offsets
 * and the last one's cbNextOffset is 0. Nothing is written on ERROR_MORE_DATA. */
DWORD rm_filters_write(const struct rm_filters *f, BYTE *buf, DWORD cap, DWORD *needed);
/* The action a filter sets for an app: matched by its process identity, its image path
 * (full Win32 path, any case) or, for a service, its short name; any may be NULL.
 * RmInvalidFilterAction when none applies. If several match: process, then service, then
 * image path. */
RM_FILTER_ACTION rm_filters_action_for(const struct rm_filters *f, const RM_UNIQUE_PROCESS *process,
                                       const WCHAR *image_path, const WCHAR *service);
void rm_filters_free(struct rm_filters *f);

/* ---- engine/apps.c: what RmShutdown and RmRestart did to each app, across calls ---- */

struct rm_app {
    RM_PROCESS_INFO info;       /* as reported; AppStatus is an OR of RM_APP_STATUS bits */
    WCHAR *service;             /* the service's full name; NULL for a process */
    BOOL current;               /* in the list the running RmShutdown acts on */
    unsigned stop_order;        /* when it was stopped (1, 2, ...); 0 if it was not */
    WCHAR *image;               /* full path of its exe; NULL for services or when unknown */
    WCHAR *restart;             /* whole command line to start it again; NULL if we cannot */
    HANDLE token;               /* its own primary token, to start it again with; NULL: the
                                 * caller's is the same (user, elevation, integrity) */
    BOOL console;               /* a console program: restart it with a console of its own */
    BOOL published;             /* last_published is in the session's shared log */
    RM_PROCESS_INFO last_published;
};
struct rm_apps {
    struct rm_app *items;
    unsigned count, cap;
};
/* Marks the apps of a fresh list as current, adding the ones not known yet (same process
 * and service, by its full name, taken from fresh); the others stop being current. */
DWORD rm_apps_update(struct rm_apps *apps, struct rm_affected *fresh);
/* Appends to the session's log every app whose reported state changed since it was last
 * published; on failure, they are tried again by the next call. A NULL store (tests of
 * the engine alone) publishes nothing. */
DWORD rm_apps_publish(struct rm_apps *apps, struct rm_store *store);
/* What RmGetList reports once the session has a record (`done`, read from the log): what
 * RM stopped, the entries still running with their history OR-ed in, then the fresh
 * entries not merged. A record of an app that is no longer found and that RM did not stop
 * is left out. Replaces fresh's array. */
DWORD rm_apps_report(const struct rm_outcomes *done, struct rm_affected *fresh);
void rm_apps_free(struct rm_apps *apps);

/* ---- engine/bounds.c: how long the engine waits for anything ---- */

struct rm_bounds {
    DWORD query_ms;     /* one window's answer to WM_QUERYENDSESSION / WM_ENDSESSION */
    DWORD app_ms;       /* an app's exit once asked to close */
    DWORD service_ms;   /* a service's stop, or its start */
};
/* The defaults, or the registry values Windows uses for the same waits. */
void rm_bounds_get(struct rm_bounds *b);

/* ---- engine/task.c: the engine's part of one session handle ---- */

struct rm_kept_process {
    HANDLE handle;
    RM_UNIQUE_PROCESS id;
};
struct rm_task {
    struct rm_filters filters;  /* primary only: RmAddFilter's filters */
    struct rm_apps apps;        /* primary only: what RmShutdown acted on, and how to restart it */
    BOOL shut_down;             /* RmShutdown ran (RmRestart is out of sequence before) */
    unsigned stops;             /* how many apps RmShutdown stopped so far */
    volatile LONG cancel;       /* RmCancelCurrentTask asked the running call to stop */
    struct rm_kept_process *kept;  /* processes reported to the caller, kept until the end */
    unsigned nkept, cap_kept;
};
struct rm_task *rm_task_new(void);
void rm_task_free(void *task);   /* the session's free_task */
/* The handle kept for a process reported earlier (the task owns it), or NULL. */
HANDLE rm_task_kept(const struct rm_task *t, const RM_UNIQUE_PROCESS *id);
/* Takes every handle of a fresh list (once per process) for the life of the session. */
DWORD rm_task_keep(struct rm_task *t, struct rm_affected *fresh);
/* The resolver's list for this task, its handles kept. */
DWORD rm_task_resolve(struct rm_task *t, const struct rm_registrations *r, struct rm_affected *out);

/* ---- engine/progress.c: the status callback and cancellation of one running call ---- */

struct rm_run {
    struct rm_task *task;
    RM_WRITE_STATUS_CALLBACK callback;
    unsigned steps, done;       /* work items of the call, and how many are done */
    UINT reported;              /* the last percentage given to the callback */
    BOOL force;                 /* RmForceShutdown */
    struct rm_bounds bounds;
};
/* Starts a call: clears an earlier cancel and reports 0. */
void rm_run_begin(struct rm_run *run, struct rm_task *t, RM_WRITE_STATUS_CALLBACK cb);
void rm_run_set_steps(struct rm_run *run, unsigned steps);
void rm_run_step(struct rm_run *run);      /* one item done: a percentage below 100 */
void rm_run_end(struct rm_run *run);       /* reports 100 */
BOOL rm_run_cancelled(const struct rm_run *run);
/* Waits for a process to exit, at most ms, waking for a cancel; TRUE if it exited. */
BOOL rm_run_wait_exit(const struct rm_run *run, HANDLE process, DWORD ms);

/* ---- engine/close_gui.c: closing a windowed app as Windows' own shutdown does ---- */

enum rm_gui_answer { RM_GUI_AGREED, RM_GUI_REFUSED, RM_GUI_NO_ANSWER };
/* WM_QUERYENDSESSION(ENDSESSION_CLOSEAPP) to each top-level window of pid, each answer
 * bounded by query_ms. */
enum rm_gui_answer rm_gui_query(DWORD pid, DWORD query_ms);
/* WM_ENDSESSION(TRUE, ENDSESSION_CLOSEAPP) to each window, then WM_CLOSE to the windows
 * still there; TRUE if the process exited within the bounds. */
BOOL rm_gui_end(const struct rm_run *run, DWORD pid, HANDLE process);

/* ---- engine/close_console.c ---- */

/* Delivers CTRL_C_EVENT to the console of process pid; FALSE if it could not. */
BOOL rm_console_ctrl_c(DWORD pid);

/* ---- engine/service_control.c: stopping and starting services through the SCM ---- */

/* Stops a service and waits (bounded by service_ms) until it has stopped; ERROR_TIMEOUT
 * when it will not. */
DWORD rm_service_stop(const struct rm_run *run, const WCHAR *name, HANDLE host);
/* Starts a service and waits (bounded) until it runs. */
DWORD rm_service_start(const struct rm_run *run, const WCHAR *name);
/* TRUE if every running service hosted by pid is among `names` (n of them). */
BOOL rm_service_host_is_ours(DWORD pid, const WCHAR *const *names, unsigned n);

/* ---- engine/user_token.c: restarting an app as the user it ran as (spec §10.5 d, e) ---- */

enum rm_run_as {
    RM_RUN_AS_CALLER,   /* the caller's token is the same: user, elevation, integrity */
    RM_RUN_AS_TOKEN,    /* its own token (a primary copy in *token) */
    RM_RUN_AS_NOBODY    /* another user's, elevated (Windows), or unreadable: no restart */
};
/* Reads the token of a running process (PROCESS_QUERY_LIMITED_INFORMATION) before it is
 * stopped; *token is set for RM_RUN_AS_TOKEN only (the caller closes it). */
enum rm_run_as rm_user_token_capture(HANDLE process, HANDLE *token);
/* CreateProcess with `token` (NULL: as the caller); flags gain CREATE_UNICODE_ENVIRONMENT.
 * FALSE with GetLastError() set when it could not. */
BOOL rm_user_token_start(HANDLE token, const WCHAR *image, WCHAR *cmd, DWORD flags,
                         const WCHAR *dir, STARTUPINFOW *si, PROCESS_INFORMATION *pi);

/* ---- engine/shutdown.c and engine/restart.c ---- */

/* Each publishes what it did into the session's store when it ends (rm_apps_publish;
 * store may be NULL for tests of the engine alone). */
DWORD rm_engine_shutdown(struct rm_task *t, struct rm_store *store, const struct rm_registrations *r,
                         ULONG flags, RM_WRITE_STATUS_CALLBACK cb);
DWORD rm_engine_restart(struct rm_task *t, struct rm_store *store, RM_WRITE_STATUS_CALLBACK cb);
/* RmGetList, for any handle: the resolver's list, with the session's record merged in. */
DWORD rm_engine_list(struct rm_task *t, struct rm_store *store, struct rm_registrations *r,
                     struct rm_affected *out);

#endif
