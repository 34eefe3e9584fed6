/*
 * session.h - the session registry: sessions, their keys and named objects, the per-user
 * directory of live sessions and each session's shared store of registrations.
 *
 * Depends on util/ and sys/ only. The engine's part of a session (filters, what RmShutdown
 * did, cancellation, kept process handles) is attached by api.c as an opaque task, so that
 * this layer knows nothing above it.
 *
 * Lock order (never taken the other way round):
 *   handle table (SRW, held only to look up / add / remove)
 *   -> one session's local lock (CRITICAL_SECTION, held only for instants: it guards who
 *      owns the session; a call owns it, lock released, for as long as it runs, so that the
 *      caller's status callback never runs under a lock, and every other call waits for
 *      the owner with a bound, RM_LOCK_TIMEOUT_MS)
 *   -> the per-user directory mutex (cross-process)
 *   -> one session's store mutex (cross-process)
 */
#ifndef RM_SESSION_H
#define RM_SESSION_H

#include <windows.h>

#include "restartmanager.h"
#include "layout.h"
#include "../util/util.h"
#include "../sys/sys.h"

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

/* ---- session/outcomes.c: what RmShutdown and RmRestart did, as every handle reads it ---- */

struct rm_outcome {
    RM_PROCESS_INFO info;       /* as the primary's engine last recorded it */
    WCHAR *service;             /* the service's full name (strServiceShortName holds 63
                                 * characters); NULL for a process */
};
struct rm_outcomes {
    struct rm_outcome *items;
    unsigned count, cap;
};
/* TRUE if both name one app: the same process (PID and creation time) and the same service
 * by its full name, or both no service. */
BOOL rm_same_app(const RM_UNIQUE_PROCESS *a, const WCHAR *service_a, const RM_UNIQUE_PROCESS *b,
                 const WCHAR *service_b);
/* Appends one record per item, all or nothing (ERROR_INVALID_HANDLE once the session ended). */
DWORD rm_outcomes_append(struct rm_store *s, const struct rm_outcome *items, unsigned n);
/* Adds an app record read from the log, replacing the earlier record of the same app. */
DWORD rm_outcomes_fold(struct rm_outcomes *o, const struct rm_record *rec);
void rm_outcomes_free(struct rm_outcomes *o);

/* ---- session/registrations.c: what a session has registered, read back locally ---- */

struct rm_registrations {
    WCHAR **files;              /* full paths, as registered */
    unsigned nfiles, cap_files;
    RM_UNIQUE_PROCESS *processes;
    unsigned nprocesses, cap_processes;
    WCHAR **services;           /* short names */
    unsigned nservices, cap_services;
    struct rm_outcomes outcomes;   /* the engine's records, folded (outcomes.c) */
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

/* ---- session/handles.c and session/session.c: sessions as the API sees them ---- */

struct rm_session {
    LONG refs;                  /* the handle table's reference plus callers' */
    DWORD handle;
    BOOL primary;               /* started here (else joined) */
    CRITICAL_SECTION lock;      /* guards owner_thread; held only for instants */
    CONDITION_VARIABLE idle;    /* signalled when the owner lets go */
    DWORD owner_thread;         /* thread id of the call that owns the session, 0 if none */
    WCHAR key[RM_KEY_CHARS + 1];
    struct rm_store store;
    HANDLE owner;               /* joined: the primary's process, to notice its death */
    unsigned slot;              /* primary: its directory slot */
    struct rm_registrations regs;  /* the registrations read so far */
    void *task;                 /* the engine's part (api.c attaches it), owned */
    void (*free_task)(void *task);
};

/* Adds a session to the table and gives it a handle: never 0, never one still open. */
DWORD rm_handles_add(struct rm_session *s);
/* Looks a handle up and takes a reference; NULL if unknown. */
struct rm_session *rm_handles_get(DWORD handle);
/* Removes a handle; returns the session with the table's reference, NULL if unknown. */
struct rm_session *rm_handles_remove(DWORD handle);
void rm_session_release(struct rm_session *s);

/* Start and join take ownership of task (freed with free_task, also when they fail). */
DWORD rm_session_start(DWORD *handle, WCHAR key[RM_KEY_CHARS + 1], void *task,
                       void (*free_task)(void *task));
DWORD rm_session_join(DWORD *handle, const WCHAR key[RM_KEY_CHARS + 1], void *task,
                      void (*free_task)(void *task));
DWORD rm_session_end(DWORD handle);

/* Who may make a call: any handle, or only the one that started the session. */
enum rm_role { RM_ANY_HANDLE, RM_PRIMARY_ONLY };
/* Looks up, checks the role (ERROR_SESSION_CREDENTIAL_CONFLICT for a joined handle),
 * checks the session is still alive (ERROR_INVALID_HANDLE when the primary ended it or
 * died) and owns it (rm_session_own). On success the caller must rm_session_leave. */
DWORD rm_session_enter(DWORD handle, enum rm_role role, struct rm_session **out);
/* Makes the calling thread the session's owner, waiting for another owner at most
 * RM_LOCK_TIMEOUT_MS (ERROR_SEM_TIMEOUT then, at once if the owner is this very thread: a
 * call made from inside a running call's callback). *cancel (may be NULL) ends the wait
 * with ERROR_CANCELLED within 50 ms. */
DWORD rm_session_own(struct rm_session *s, volatile LONG *cancel);
void rm_session_disown(struct rm_session *s);
/* The same checks without the lock, for calls that must not wait for a running one
 * (RmCancelCurrentTask); the caller must rm_session_release. */
DWORD rm_session_check(DWORD handle, enum rm_role role, struct rm_session **out);
void rm_session_leave(struct rm_session *s);   /* disown and release */

/* Reads what was registered since the last call (by any process) into s->regs. */
DWORD rm_session_refresh(struct rm_session *s);
DWORD rm_session_register(struct rm_session *s, UINT nfiles, LPCWSTR files[], UINT nprocs,
                          const RM_UNIQUE_PROCESS *procs, UINT nservices, LPCWSTR services[]);

#endif
