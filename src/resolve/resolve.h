/*
 * resolve.h - the resolver: from a session's registrations to the applications and
 * services that use them (RmGetList's answer). A function of the registrations and a
 * cancel flag; it keeps nothing between calls. Depends on util/, sys/ and session/ (for
 * struct rm_registrations).
 */
#ifndef RM_RESOLVE_H
#define RM_RESOLVE_H

#include "../session/session.h"

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

/* ---- resolve/file_users.c: processes using a target, asked of the file system ---- */

/* Adds the processes that have a target open, as the file system reports them
 * (FileProcessIdsUsingFileInformation, spec §11.3); never the caller itself.
 * ERROR_NOT_SUPPORTED when the platform does not implement the class (then, and only
 * then, rm_open_files_find walks the handle table). */
DWORD rm_file_users_find(const struct rm_targets *t, struct rm_pidset *found);

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
    HANDLE *keep;               /* keep[i]: a handle to apps[i]'s process, so that its PID
                                 * cannot be reused under the caller; NULL if none. Owned
                                 * by the list until a caller takes it (sets it NULL). */
    WCHAR **services;           /* services[i]: apps[i]'s full service name (its
                                 * strServiceShortName holds 63 characters), NULL for a
                                 * process; owned like keep */
    unsigned count, cap, cap_keep, cap_services;
    DWORD reasons;
};
/* Works out every affected application from scratch. *cancel (RmCancelCurrentTask) is
 * read between the steps: ERROR_CANCELLED when set. */
DWORD rm_resolve(const struct rm_registrations *r, volatile LONG *cancel, struct rm_affected *out);
/* Frees the list and closes the handles nobody took. */
void rm_affected_free(struct rm_affected *a);

#endif
