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
    DWORD query_ms;     /* one window's answer to WM_QUERYENDSESSION / WM_ENDSESSION, and the
                         * moment an app has to exit by itself before WM_CLOSE */
    DWORD app_ms;       /* an app's exit once asked to close */
    DWORD service_ms;   /* a service's stop */
};
/* The defaults, or the registry values Windows uses for the same waits. */
void rm_bounds_get(struct rm_bounds *b);
/* The documented forced bound (spec §10.3): from the order to close (WM_ENDSESSION or
 * Ctrl+C) to termination, an app gets at most this long, whatever the registry says. */
#define RM_APP_STOP_MAX_MS 30000
/* A service's start (RmRestart) is not its stop: the SCM's own start bound
 * (ServicesPipeTimeout's default), renewed while the service reports progress (a new
 * dwCheckPoint), never longer than RM_SERVICE_START_CAP_MS in all. */
#define RM_SERVICE_START_MS 30000
#define RM_SERVICE_START_CAP_MS 120000

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
    volatile LONG *cancel;      /* the cancel flag of the call that has the task now (NULL:
                                 * none, or a caller that cannot be cancelled) */
    SRWLOCK calls_lock;         /* guards calls */
    struct rm_call *calls;      /* calls on this handle in flight (progress.c) */
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

/* One call of RmShutdown, RmRestart or RmGetList from the moment it enters the export (before
 * it waits for the session) until it returns. RmCancelCurrentTask cancels every call in
 * flight on the handle, and nothing else: a cancel made while none is in flight is dropped,
 * one made while a call still waits for the session is kept for that call. */
struct rm_call {
    volatile LONG cancel;
    struct rm_call *next;
};
void rm_call_begin(struct rm_task *t, struct rm_call *c);
void rm_call_end(struct rm_task *t, struct rm_call *c);
/* RmCancelCurrentTask, RmEndSession: sets the cancel flag of every call in flight. */
void rm_task_cancel(struct rm_task *t);

struct rm_run {
    struct rm_task *task;
    RM_WRITE_STATUS_CALLBACK callback;
    unsigned steps, done;       /* work items of the call, and how many are done */
    UINT reported;              /* the last percentage given to the callback */
    BOOL force;                 /* RmForceShutdown */
    struct rm_bounds bounds;
    volatile LONG *cancel;      /* the task's, or never_cancelled */
    volatile LONG never_cancelled;
};
/* Starts a call (its cancel flag is the task's running call's) and reports 0. The callback
 * is only ever called with no lock of ours held (the session is owned, not locked:
 * session.h). */
void rm_run_begin(struct rm_run *run, struct rm_task *t, RM_WRITE_STATUS_CALLBACK cb);
void rm_run_set_steps(struct rm_run *run, unsigned steps);
void rm_run_step(struct rm_run *run);      /* one item done: a percentage below 100 */
void rm_run_end(struct rm_run *run);       /* reports 100 */
BOOL rm_run_cancelled(const struct rm_run *run);
/* Waits for a process to exit, at most ms, waking for a cancel; TRUE if it exited. */
BOOL rm_run_wait_exit(const struct rm_run *run, HANDLE process, DWORD ms);
/* Waits for an object (a thread, say), at most ms, in slices of 50 ms that look for a cancel;
 * WAIT_OBJECT_0, WAIT_TIMEOUT, or WAIT_ABANDONED when the call was cancelled. */
DWORD rm_run_wait(const struct rm_run *run, HANDLE object, DWORD ms);
/* Milliseconds left until deadline (a GetTickCount value), at most ms; 0 when past. */
DWORD rm_ms_left(DWORD deadline, DWORD ms);

/* ---- engine/close_gui.c: closing a windowed app as Windows' own shutdown does ---- */

#define RM_GUI_MAX_WINDOWS 64
/* One windowed app's top-level windows as they were asked, and which of them answered
 * TRUE: each of those is owed a WM_ENDSESSION (spec §11.2), TRUE or FALSE. */
struct rm_gui_app {
    DWORD pid;
    HWND windows[RM_GUI_MAX_WINDOWS];
    BOOL owed[RM_GUI_MAX_WINDOWS];
    unsigned count;
};
enum rm_gui_answer { RM_GUI_AGREED, RM_GUI_REFUSED, RM_GUI_NO_ANSWER };
/* WM_QUERYENDSESSION(ENDSESSION_CLOSEAPP) to each top-level window of pid, each answer
 * bounded by query_ms and a cancel seen within 50 ms (NO_ANSWER then). */
enum rm_gui_answer rm_gui_query(const struct rm_run *run, DWORD pid, struct rm_gui_app *app);
/* WM_ENDSESSION(TRUE, ENDSESSION_CLOSEAPP) to each window that agreed; then, if the process
 * has not exited by itself within query_ms, WM_CLOSE to its windows still there; TRUE if
 * it exited within the bounds (RM_APP_STOP_MAX_MS in all). */
BOOL rm_gui_end(const struct rm_run *run, struct rm_gui_app *app, HANDLE process);
/* The shutdown is called off: WM_ENDSESSION(FALSE) to every window still owed one; the
 * app keeps running. Never waits. */
void rm_gui_call_off(struct rm_gui_app *app);

/* ---- engine/close_console.c ---- */

/* Delivers exactly one CTRL_C_EVENT to process pid, never to the caller or to a process
 * the caller did not name; FALSE if it could not (sys/wine.c's ways only under Wine). */
BOOL rm_console_ctrl_c(const struct rm_run *run, DWORD pid);

/* ---- engine/service_control.c: stopping and starting services through the SCM ---- */

/* Stops a service and waits (bounded by service_ms) until it has stopped; ERROR_TIMEOUT
 * when it will not. */
DWORD rm_service_stop(const struct rm_run *run, const WCHAR *name, HANDLE host);
/* Starts a service and waits until it runs: RM_SERVICE_START_MS without progress, never
 * more than RM_SERVICE_START_CAP_MS (the stop bound is not used). */
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
