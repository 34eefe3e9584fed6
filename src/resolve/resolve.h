/*
 * resolve.h - the resolver: from a session's registrations to the applications and
 * services that use them (RmGetList's answer). A function of the registrations and a
 * cancel flag; it keeps nothing between calls. Depends on util/, sys/ and session/ (for
 * struct rm_registrations).
 */
#ifndef RM_RESOLVE_H
#define RM_RESOLVE_H

#include "../session/session.h"

/* ---- resolve/remote.c: what a path names; opens that do not block on a dead server ---- */

enum rm_path_kind {
    RM_PATH_LOCAL,      /* C:\..., \\?\C:\..., \\?\Volume{...}\... */
    RM_PATH_REMOTE,     /* \\server\share\..., \\?\UNC\... */
    RM_PATH_DEVICE      /* \\.\pipe\..., \\.\COM1, \\.\mailslot\...: never opened */
};
enum rm_path_kind rm_path_kind(const WCHAR *path);
/* Bound on one open of a remote path (the SMB client's own timeout is tens of seconds). */
#define RM_REMOTE_OPEN_TIMEOUT_MS 2000
/* The servers that did not answer during one call. */
struct rm_remote {
    WCHAR **dead;
    unsigned ndead, cap;
};
/* CreateFileW(path, access, all sharing, OPEN_EXISTING, flags), bounded for remote paths:
 * *timed_out when its server did not answer in time (now or earlier in this call). */
HANDLE rm_open_any(struct rm_remote *r, const WCHAR *path, DWORD access, DWORD flags,
                   BOOL *timed_out);
BOOL rm_remote_is_dead(const struct rm_remote *r, const WCHAR *path);
void rm_remote_free(struct rm_remote *r);

/* ---- resolve/targets.c: what RmGetList looks for, built from the registrations ---- */

/* A file's identity: the same for every name and every handle of that file. */
struct rm_file_id {
    DWORD volume;
    DWORD index_high, index_low;
};

/* A set of upper-cased names (hash set, grown as needed). */
struct rm_nameset {
    WCHAR **slots;
    unsigned cap, count;
};

/* A registered file that exists, found by its index; its whole identity (with the volume,
 * the costly half) is read only when an open handle or a module has the same index. */
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
    unsigned images;            /* how many existing files could be mapped as an image (exe
                                 * or DLL): module lists are read only when one could */
    struct rm_nameset names;    /* long and 8.3 file names of those: the modules' pre-filter */
    struct rm_nameset paths;    /* full paths of those that exist but cannot be opened:
                                 * compared as text, the one thing left to compare */
    struct rm_remote remote;    /* servers that did not answer in this call */
};

/* ERROR_ACCESS_DENIED when a registered path is a directory (as the real DLL). Files that
 * do not exist are left out: nothing can be using them. The targets borrow r's paths. */
DWORD rm_targets_build(const struct rm_registrations *r, struct rm_targets *t);
/* TRUE if some target has this file index: the cheap first half of a match. */
BOOL rm_targets_has_index(const struct rm_targets *t, ULONGLONG index);
/* TRUE if the file of this identity is a target (reads the target's identity on first
 * need, hence not const). */
BOOL rm_targets_match(struct rm_targets *t, const struct rm_file_id *id);
/* TRUE if the file a loaded module or an exe image was mapped from (its path as the loader
 * gives it, in any spelling) is a target: its file name must be a target's long or 8.3
 * name (no open, no allocation), then the file at that path must have a target's
 * identity. wow64_process: the path is a 32-bit process's, whose system folder is
 * SysWOW64 (file system redirection); else it is opened with redirection off. */
BOOL rm_targets_match_image(struct rm_targets *t, const WCHAR *path, BOOL wow64_process);
/* The cheap half alone: TRUE if path's file name is a target's long or 8.3 name (or, for
 * a target that could not be opened, path is its full path). */
BOOL rm_targets_may_match_image(const struct rm_targets *t, const WCHAR *path);
void rm_targets_free(struct rm_targets *t);
/* The identity of an open file; FALSE for anything that is not a disk file. */
BOOL rm_file_identity(HANDLE file, struct rm_file_id *id);
/* Only the file index of an open file (NtQueryInformationFile, FileInternalInformation):
 * one query, without the volume. FALSE if the handle has none. */
BOOL rm_file_index(HANDLE file, ULONGLONG *index);
/* Smallest file that can be mapped as an image: its DOS header (IMAGE_DOS_HEADER). */
#define RM_IMAGE_MIN_BYTES 64

/* ---- resolve/dirlist.c: the plain files of a folder and their indices, in one listing ---- */

/* One plain file of the folder (len and short_len in characters, not terminated; size in
 * bytes); return FALSE to stop the listing. */
typedef BOOL (*rm_dir_entry_fn)(void *ctx, const WCHAR *name, unsigned len,
                                const WCHAR *short_name, unsigned short_len, ULONGLONG index,
                                ULONGLONG size);
/* Calls fn for each entry of folder dir that is neither a folder nor a reparse point and
 * has a file index; *volume receives the folder's volume serial number (its entries' too;
 * 0 if unknown). ERROR_SUCCESS when the whole folder was read, ERROR_CANCELLED when fn
 * stopped it, else why the folder could not be read. */
DWORD rm_dir_list(const WCHAR *dir, rm_dir_entry_fn fn, void *ctx, DWORD *volume);

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
DWORD rm_file_users_find(struct rm_targets *t, struct rm_pidset *found);

/* ---- resolve/open_files.c: processes with an open handle to a target ---- */

/* Bound on one handle's queries: a synchronous pipe with a read pending blocks them. */
#define RM_HANDLE_QUERY_TIMEOUT_MS 250
/* Adds to found the processes with a handle to a target, to denied those whose handles
 * may not be duplicated (PROCESS_DUP_HANDLE refused). */
DWORD rm_open_files_find(struct rm_targets *t, struct rm_pidset *found, struct rm_pidset *denied);
/* Tests and tools: replace the first per-handle query (NULL restores rm_file_index), to
 * make one block as a pipe does on Windows, or to time them. */
typedef BOOL (*rm_index_query_fn)(HANDLE file, ULONGLONG *index);
void rm_open_files_set_query(rm_index_query_fn query);

/* ---- resolve/modules.c: processes that have a target loaded as exe or DLL ---- */

/* Adds to found every process whose exe image or one of whose loaded modules is a target,
 * whatever the spelling of either path and whichever the bitness of the process; adds to
 * denied every running process whose modules could not be read. */
DWORD rm_modules_find(struct rm_targets *t, struct rm_pidset *found, struct rm_pidset *denied);

/* ---- resolve/helper.c: the modules of 64-bit processes, for a 32-bit DLL ---- */

/* The helper's program, beside the DLL (also in SysWOW64 when the DLL is installed there). */
#define RM_HELPER_EXE L"rmhelper64.exe"
/* Bound on one run of the helper (start, lists, exit); it is ended when it takes longer. */
#define RM_HELPER_TIMEOUT_MS 5000
/* One module of process pid; return FALSE to stop. */
typedef BOOL (*rm_pid_module_fn)(void *ctx, DWORD pid, const WCHAR *path);
/* Runs the 64-bit helper once for the processes of pids and calls fn for each module it
 * lists; *listed receives the processes whose whole list was read. ERROR_SUCCESS also
 * when the helper is missing or failed (then *listed says what was not read). */
DWORD rm_helper_modules(const struct rm_pidset *pids, rm_pid_module_fn fn, void *ctx,
                        struct rm_pidset *listed);

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

/* What one call learns once for all the processes it classifies: many processes run one
 * image (its version resource and PE header are read once), and our own session. Zeroed
 * before use (or pass NULL), freed with rm_classify_cache_free. */
#define RM_CLASSIFY_CACHE_IMAGES 8
struct rm_classify_cache {
    struct {
        WCHAR *image;
        BOOL has_description, console;
        WCHAR description[CCH_RM_MAX_APP_NAME + 1];
    } images[RM_CLASSIFY_CACHE_IMAGES];
    unsigned nimages, next;
    BOOL has_session;
    DWORD my_session;
};
void rm_classify_cache_free(struct rm_classify_cache *cache);
/* Fills info for pid (and ORs reboot reasons); *keep receives a handle to the process
 * that the session keeps, so the PID cannot be reused under the caller (NULL if it could
 * not be opened). `uninspected`: we could not tell whether it uses a registered file (its
 * handles or modules could not be read), so it is RmCritical with PermissionDenied.
 * ERROR_NOT_FOUND when the process is gone. */
DWORD rm_classify_process(DWORD pid, BOOL uninspected, struct rm_classify_cache *cache,
                          RM_PROCESS_INFO *info, DWORD *reasons, HANDLE *keep);

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
