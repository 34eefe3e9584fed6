/*
 * rm.h - the private header of rstrtmgr.dll: what the modules share, grouped by module.
 *
 * Naming: Rm* names are the exports and live only in api.c; rm_<module>_<verb> are shared
 * between files; file-local helpers are static. Internal functions return Win32 error
 * codes (DWORD), the same codes the API returns.
 *
 * Lock order (never taken the other way round):
 *   handle table (SRW, held only to look up / add / remove)
 *   -> one session's local lock (CRITICAL_SECTION, serialises calls on that handle)
 *   -> the per-user directory mutex (cross-process)
 *   -> one session's store mutex (cross-process)
 */
#ifndef RM_PRIVATE_H
#define RM_PRIVATE_H

#include <windows.h>

#include "restartmanager.h"
#include "session/layout.h"

/* ---- util/trace.c: diagnostics, to OutputDebugString when RSTRTMGR_TRACE is set ---- */

void rm_trace(const char *fmt, ...);
/* Logs a failure with its call site and evaluates to the error code. */
#define RM_FAIL(err, what) rm_fail((err), (what), __FILE__, __LINE__)
DWORD rm_fail(DWORD err, const char *what, const char *file, int line);

/* ---- util/mem.c: the heap, with a hook for tests that inject allocation failures ---- */

void *rm_alloc(size_t size);          /* zeroed; NULL when out of memory */
void *rm_realloc(void *p, size_t size);
/* n elements of size bytes, zeroed; NULL when out of memory or when n * size overflows. */
void *rm_alloc_array(size_t n, size_t size);
/* Makes *array (of *cap elements of elem bytes) hold at least need, doubling;
 * ERROR_OUTOFMEMORY leaves it as it was. */
DWORD rm_grow(void **array, unsigned *cap, unsigned need, size_t elem);
void rm_free(void *p);
/* Tests only: make the n-th allocation from now fail (0 = never). Returns how many
 * allocations the previous setting still had to go (0: its failure happened, or none). */
unsigned rm_mem_fail_after(unsigned n);

/* ---- util/process.c: facts about processes ---- */

/* Creation time of an open process (PROCESS_QUERY_LIMITED_INFORMATION). */
BOOL rm_process_start_time(HANDLE process, FILETIME *start);
/* TRUE if the process with this id and creation time still runs (or we cannot tell). */
BOOL rm_process_is_alive(DWORD pid, const FILETIME *start);
/* This process's creation time. */
FILETIME rm_process_self_start(void);

/* ---- util/text.c ---- */

/* Copies src into dst (cap characters), cut if needed and always NUL-terminated. */
void rm_copy_text(WCHAR *dst, size_t cap, const WCHAR *src);

/* ---- util/cmdline.c ---- */

/* The command line process pid was started with (from its PEB); *out is rm_alloc'ed. */
DWORD rm_process_command_line(DWORD pid, WCHAR **out);

/* ---- util/path.c ---- */

/* The full path of a file name, as GetFullPathNameW gives it; *out is rm_alloc'ed. */
DWORD rm_path_full(const WCHAR *name, WCHAR **out);

/* ---- session/security.c: who we are and who may open our objects ---- */

struct rm_security {
    WCHAR *user_sid;              /* string form of the user's SID */
    SECURITY_ATTRIBUTES attrs;    /* admits only that user and SYSTEM */
};
/* The process-wide security facts, built once. */
DWORD rm_security_get(const struct rm_security **out);

/* ---- session/objects.c: the named kernel objects of sessions ---- */

/* Longest object name we build. */
#define RM_OBJECT_NAME_CHARS 200
/* "Local\RstrtMgr.<ver>.<sid>.<what>" into name (RM_OBJECT_NAME_CHARS). */
DWORD rm_object_name(WCHAR *name, const WCHAR *what);
DWORD rm_object_mutex(const WCHAR *what, BOOL create, HANDLE *out);
/* Bounded wait; ERROR_SEM_TIMEOUT after RM_LOCK_TIMEOUT_MS. Abandoned counts as taken. */
#define RM_LOCK_TIMEOUT_MS 10000
DWORD rm_object_lock(HANDLE mutex);
void rm_object_unlock(HANDLE mutex);

/* ---- session/key.c: session keys ---- */

/* 32 lower-case hex characters from 128 random bits, NUL-terminated. */
DWORD rm_key_generate(WCHAR key[RM_KEY_CHARS + 1]);
/* Checks a caller's key (reads at most 33 characters) and writes its lower-case form;
 * ERROR_BAD_ARGUMENTS when it is not 32 hex digits followed by NUL. */
DWORD rm_key_parse(const WCHAR *in, WCHAR key[RM_KEY_CHARS + 1]);

/* ---- session/directory.c: at most 64 live sessions per user ---- */

/* Claims a slot for a new session of this process; ERROR_MAX_SESSIONS_REACHED when 64
 * live sessions exist. Slots of dead owners are reclaimed first. */
DWORD rm_directory_claim(const WCHAR *key, unsigned *slot);
void rm_directory_release(unsigned slot, const WCHAR *key);
/* Live sessions of this user (reclaims dead ones first); for tests and tools. */
DWORD rm_directory_count(unsigned *count);

/* ---- session/store.c: one session's shared registrations ---- */

struct rm_store {
    HANDLE section;   /* RM_STORE_SIZE bytes, SEC_RESERVE */
    HANDLE mutex;     /* serialises every access to the section */
};

/* A locked, mapped store; from rm_store_lock to rm_store_unlock. */
struct rm_store_view {
    struct rm_store *store;
    volatile struct rm_store_header *header;
    volatile uint8_t *log;      /* the records, right after the header */
    struct rm_store_info info;  /* the header as checked at lock time */
};

DWORD rm_store_create(struct rm_store *s, const WCHAR *key);  /* the primary */
DWORD rm_store_open(struct rm_store *s, const WCHAR *key);    /* a joiner */
void rm_store_close(struct rm_store *s);
DWORD rm_store_lock(struct rm_store *s, struct rm_store_view *v);
void rm_store_unlock(struct rm_store_view *v);
/* Makes room for `bytes` more bytes of records; ERROR_OUTOFMEMORY when the store is full. */
DWORD rm_store_reserve(struct rm_store_view *v, uint32_t bytes, uint8_t **at);
/* Publishes records written at the reserved place: the commit point. */
void rm_store_commit(struct rm_store_view *v, uint32_t bytes, uint32_t records);
void rm_store_mark_ended(struct rm_store_view *v);

/* ---- session/registrations.c: what a session has registered, read back locally ---- */

struct rm_registrations {
    WCHAR **files;              /* full paths, as registered */
    unsigned nfiles, cap_files;
    RM_UNIQUE_PROCESS *processes;
    unsigned nprocesses, cap_processes;
    WCHAR **services;           /* short names */
    unsigned nservices, cap_services;
    uint32_t read_offset;       /* bytes of the store's log already read */
    BOOL corrupt;               /* the log held bytes that are not a record */
};

/* Appends a batch to the store, all or nothing. Files must be full paths already. */
DWORD rm_registrations_append(struct rm_store *s, UINT nfiles, WCHAR *const *files,
                              UINT nprocs, const RM_UNIQUE_PROCESS *procs, UINT nservices,
                              const WCHAR *const *services);
/* Reads whatever was appended since the last call (by any process) into r. */
DWORD rm_registrations_refresh(struct rm_registrations *r, struct rm_store *s);
void rm_registrations_free(struct rm_registrations *r);

/* ---- resolve/targets.c: what RmGetList looks for, built from the registrations ---- */

/* A file's identity: the same for every name and every handle of that file. */
struct rm_file_id {
    DWORD volume;
    DWORD index_high, index_low;
};

/* A registered file that exists, found by its index; its whole identity (with the volume,
 * the costly half) is read only when an open handle has the same index. */
struct rm_target {
    ULONGLONG index;
    unsigned file;              /* its position in the registrations' files */
    unsigned state;             /* unknown, known (id is valid), or gone */
    struct rm_file_id id;
};

struct rm_targets {
    WCHAR *const *files;        /* the registrations' paths (not owned) */
    struct rm_target *items;    /* the registered files that can be opened, by index */
    unsigned count;
    WCHAR **paths;              /* hash set of the upper-cased full paths of those that exist */
    unsigned paths_cap, npaths;
};

/* ERROR_ACCESS_DENIED when a registered path is a directory (as the real DLL). Files that
 * do not exist are left out: nothing can be using them. The targets borrow r's paths. */
DWORD rm_targets_build(const struct rm_registrations *r, struct rm_targets *t);
/* TRUE if some target has this file index: the cheap first half of a match. */
BOOL rm_targets_has_index(const struct rm_targets *t, ULONGLONG index);
/* TRUE if the file of this identity is a target (reads the target's identity on first
 * need, hence not const). */
BOOL rm_targets_match(struct rm_targets *t, const struct rm_file_id *id);
BOOL rm_targets_has_path(const struct rm_targets *t, const WCHAR *path);
void rm_targets_free(struct rm_targets *t);
/* The identity of an open file; FALSE for anything that is not a disk file. */
BOOL rm_file_identity(HANDLE file, struct rm_file_id *id);
/* Only the file index of an open file (NtQueryInformationFile, FileInternalInformation):
 * one query, without the volume. FALSE if the handle has none. */
BOOL rm_file_index(HANDLE file, ULONGLONG *index);

/* ---- resolve/dirlist.c: the plain files of a folder and their indices, in one listing ---- */

/* One plain file of the folder (len and short_len in characters, not terminated); return
 * FALSE to stop the listing. */
typedef BOOL (*rm_dir_entry_fn)(void *ctx, const WCHAR *name, unsigned len,
                                const WCHAR *short_name, unsigned short_len, ULONGLONG index);
/* Calls fn for each entry of folder dir that is neither a folder nor a reparse point and
 * has a file index. ERROR_SUCCESS when the whole folder was read, ERROR_CANCELLED when fn
 * stopped it, else why the folder could not be read. */
DWORD rm_dir_list(const WCHAR *dir, rm_dir_entry_fn fn, void *ctx);

/* ---- resolve/pidset.c: the processes found so far ---- */

struct rm_pidset {
    DWORD *pids;
    unsigned n, cap;
};
DWORD rm_pidset_add(struct rm_pidset *s, DWORD pid);  /* a PID already there is kept once */
BOOL rm_pidset_has(const struct rm_pidset *s, DWORD pid);
void rm_pidset_free(struct rm_pidset *s);

/* ---- resolve/open_files.c: processes with an open handle to a target ---- */

/* Bound on one handle's queries: a synchronous pipe with a read pending blocks them. */
#define RM_HANDLE_QUERY_TIMEOUT_MS 250
DWORD rm_open_files_find(struct rm_targets *t, struct rm_pidset *found);
/* Tests and tools: replace the first per-handle query (NULL restores rm_file_index), to
 * make one block as a pipe does on Windows, or to time them. */
typedef BOOL (*rm_index_query_fn)(HANDLE file, ULONGLONG *index);
void rm_open_files_set_query(rm_index_query_fn query);

/* ---- resolve/modules.c: processes that have a target loaded as exe or DLL ---- */

DWORD rm_modules_find(const struct rm_targets *t, struct rm_pidset *found);

/* ---- resolve/services.c: the running services a session affects ---- */

struct rm_service {
    WCHAR name[257];            /* short name (the SCM allows 256 characters) */
    WCHAR display[CCH_RM_MAX_APP_NAME + 1];
    DWORD pid;                  /* the process hosting it */
    BOOL critical;              /* its process hosts a critical system service */
    BOOL unstoppable;           /* it does not accept SERVICE_CONTROL_STOP */
    BOOL denied;                /* we may not stop or start it */
};
struct rm_services {
    struct rm_service *items;
    unsigned count, cap;
};
/* Running services registered by name, hosted in a process of `found`, or depending
 * (transitively) on one of those. */
DWORD rm_services_find(const struct rm_registrations *r, const struct rm_pidset *found,
                       struct rm_services *out);
BOOL rm_services_hosted_by(const struct rm_services *s, DWORD pid);
/* Every running Win32 service with the process hosting it (items: one rm_alloc'ed buffer
 * with their strings). */
struct rm_running_services {
    ENUM_SERVICE_STATUS_PROCESSW *items;
    DWORD count;
};
DWORD rm_services_running(SC_HANDLE scm, struct rm_running_services *out);
/* A service's DependOnService value (a doubly NUL-terminated list), rm_alloc'ed, in *out;
 * NULL when it has none. ERROR_OUTOFMEMORY only when it has one we could not read for
 * want of memory: never a silent "no dependencies". */
DWORD rm_service_dependencies(const WCHAR *svc, WCHAR **out);
/* TRUE if a dependency list (as rm_service_dependencies gives it; NULL = empty) names
 * the service `name`, in any case. */
BOOL rm_service_list_has(const WCHAR *list, const WCHAR *name);
void rm_services_free(struct rm_services *s);

/* ---- resolve/classify.c: one RM_PROCESS_INFO for a process ---- */

/* Fills info for pid (and ORs reboot reasons); *keep receives a handle to the process
 * that the session keeps, so the PID cannot be reused under the caller (NULL if it could
 * not be opened). ERROR_NOT_FOUND when the process is gone. */
DWORD rm_classify_process(DWORD pid, RM_PROCESS_INFO *info, DWORD *reasons, HANDLE *keep);
/* TRUE if a top-level window belongs to process pid and is the app's own (not the
 * invisible IME window every GUI thread has). */
BOOL rm_window_is_app(HWND hwnd, DWORD pid);
/* TRUE if the exe at this path is built for the console subsystem. */
BOOL rm_image_is_console(const WCHAR *image);
/* The same for a service: RmService (or RmCritical when it is critical, cannot be
 * stopped or we may not stop it), its display name and short name. */
DWORD rm_classify_service(const struct rm_service *svc, RM_PROCESS_INFO *info, DWORD *reasons,
                          HANDLE *keep);

/* ---- resolve/resolver.c: RmGetList's answer ---- */

struct rm_affected {
    RM_PROCESS_INFO *apps;
    unsigned count, cap;
    DWORD reasons;
};
struct rm_session;
/* Reads new registrations and works out every affected application from scratch. */
DWORD rm_resolve(struct rm_session *s, struct rm_affected *out);
void rm_affected_free(struct rm_affected *a);

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

/* ---- engine/apps.c: what RmShutdown did to each app, across calls ---- */

struct rm_app {
    RM_PROCESS_INFO info;       /* as reported; AppStatus kept up to date */
    BOOL current;               /* in the list the running RmShutdown acts on */
    unsigned stop_order;        /* when it was stopped (1, 2, ...); 0 if it was not */
    WCHAR *image;               /* full path of its exe; NULL for services or when unknown */
    WCHAR *restart;             /* whole command line to start it again; NULL if we cannot */
    BOOL console;               /* a console program: restart it with a console of its own */
};
struct rm_apps {
    struct rm_app *items;
    unsigned count, cap;
};
/* Marks the apps of a fresh list as current, adding the ones not known yet (same process
 * and service); the others stop being current. */
DWORD rm_apps_update(struct rm_apps *apps, const struct rm_affected *fresh);
/* What RmGetList reports once RmShutdown ran: every app it acted on, with its status,
 * then the fresh entries it did not know (replaces fresh's array). */
DWORD rm_apps_report(const struct rm_apps *apps, struct rm_affected *fresh);
void rm_apps_free(struct rm_apps *apps);

/* ---- engine/bounds.c: how long the engine waits for anything ---- */

struct rm_bounds {
    DWORD query_ms;     /* one window's answer to WM_QUERYENDSESSION / WM_ENDSESSION */
    DWORD app_ms;       /* an app's exit once asked to close */
    DWORD service_ms;   /* a service's stop, or its start */
};
/* The defaults, or the registry values Windows uses for the same waits. */
void rm_bounds_get(struct rm_bounds *b);

/* ---- engine/progress.c: the status callback and cancellation of one running call ---- */

struct rm_run {
    struct rm_session *session;
    RM_WRITE_STATUS_CALLBACK callback;
    unsigned steps, done;       /* work items of the call, and how many are done */
    UINT reported;              /* the last percentage given to the callback */
    BOOL force;                 /* RmForceShutdown */
    struct rm_bounds bounds;
};
/* Starts a call: clears an earlier cancel and reports 0. */
void rm_run_begin(struct rm_run *run, struct rm_session *s, RM_WRITE_STATUS_CALLBACK cb);
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

/* ---- engine/shutdown.c and engine/restart.c ---- */

DWORD rm_engine_shutdown(struct rm_session *s, ULONG flags, RM_WRITE_STATUS_CALLBACK cb);
DWORD rm_engine_restart(struct rm_session *s, RM_WRITE_STATUS_CALLBACK cb);
/* RmGetList: the resolver's list, with what RmShutdown did merged in. */
DWORD rm_engine_list(struct rm_session *s, struct rm_affected *out);

/* ---- session/handles.c and session/session.c: sessions as the API sees them ---- */

struct rm_session {
    LONG refs;                  /* the handle table's reference plus callers' */
    DWORD handle;
    BOOL primary;               /* started here (else joined) */
    CRITICAL_SECTION lock;      /* serialises calls on this handle in this process */
    WCHAR key[RM_KEY_CHARS + 1];
    struct rm_store store;
    HANDLE owner;               /* joined: the primary's process, to notice its death */
    unsigned slot;              /* primary: its directory slot */
    struct rm_registrations regs;  /* the registrations read so far */
    struct rm_kept_process *kept;  /* processes reported to the caller, kept until the end */
    unsigned nkept, cap_kept;
    struct rm_filters filters;  /* primary only: RmAddFilter's filters */
    struct rm_apps apps;        /* primary only: what RmShutdown acted on */
    BOOL shut_down;             /* RmShutdown ran (RmRestart is out of sequence before) */
    unsigned stops;             /* how many apps RmShutdown stopped so far */
    volatile LONG cancel;       /* RmCancelCurrentTask asked the running call to stop */
};
struct rm_kept_process {
    HANDLE handle;
    RM_UNIQUE_PROCESS id;
};
/* The handle kept for a process reported earlier (the session owns it), or NULL. */
HANDLE rm_session_kept(const struct rm_session *s, const RM_UNIQUE_PROCESS *id);
/* Keeps a process handle for the life of the session, once per process (takes
 * ownership of the handle). */
DWORD rm_session_keep_process(struct rm_session *s, HANDLE process, const RM_UNIQUE_PROCESS *id);

/* Adds a session to the table and gives it a handle: never 0, never one still open. */
DWORD rm_handles_add(struct rm_session *s);
/* Looks a handle up and takes a reference; NULL if unknown. */
struct rm_session *rm_handles_get(DWORD handle);
/* Removes a handle; returns the session with the table's reference, NULL if unknown. */
struct rm_session *rm_handles_remove(DWORD handle);
void rm_session_release(struct rm_session *s);

DWORD rm_session_start(DWORD *handle, WCHAR key[RM_KEY_CHARS + 1]);
DWORD rm_session_join(DWORD *handle, const WCHAR key[RM_KEY_CHARS + 1]);
DWORD rm_session_end(DWORD handle);

/* Who may make a call: any handle, or only the one that started the session. */
enum rm_role { RM_ANY_HANDLE, RM_PRIMARY_ONLY };
/* Looks up, checks the role (ERROR_SESSION_CREDENTIAL_CONFLICT for a joined handle),
 * locks, and checks the session is still alive (ERROR_INVALID_HANDLE when the primary
 * ended it or died). On success the caller must rm_session_leave. */
DWORD rm_session_enter(DWORD handle, enum rm_role role, struct rm_session **out);
/* The same checks without the lock, for calls that must not wait for a running one
 * (RmCancelCurrentTask); the caller must rm_session_release. */
DWORD rm_session_check(DWORD handle, enum rm_role role, struct rm_session **out);
void rm_session_leave(struct rm_session *s);

DWORD rm_session_register(struct rm_session *s, UINT nfiles, LPCWSTR files[], UINT nprocs,
                          const RM_UNIQUE_PROCESS *procs, UINT nservices, LPCWSTR services[]);

#endif
