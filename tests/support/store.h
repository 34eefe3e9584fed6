/*
 * store.h - the bytes sessions share, as docs/sessions.md ("Bytes") describes them, read
 * (and for the security tests forged) by the tests with code of their own. A test checks
 * what the DLL wrote against the documented format, never with the DLL's own reader.
 */
#ifndef RM_TEST_STORE_H
#define RM_TEST_STORE_H

#include <stdint.h>

#include "testutil.h"

#define TU_OBJECT_NAME_CHARS 200
/* Bytes of a session's section: 64 MiB reserved (docs/decisions.md, "How many"). */
#define TU_STORE_BYTES (64u << 20)

/* "Local\RstrtMgr.2.<this user's SID>.<what>", the name of a session's object. */
void tu_object_name(WCHAR name[TU_OBJECT_NAME_CHARS], const WCHAR *what);
/* This process's user, from its token; LocalFree it. */
PSID tu_user_sid(void);

/* An app record: what RmShutdown / RmRestart last did to one app. */
struct tu_app {
    RM_UNIQUE_PROCESS process;
    DWORD status;               /* AppStatus */
    WCHAR *service;             /* full service name, NULL for a process */
};

/* What a session holds: its records below the commit point, in the order written. */
struct tu_store {
    unsigned nfiles, nprocesses, nservices, napps;
    WCHAR **files, **services;
    RM_UNIQUE_PROCESS *processes;
    struct tu_app *apps;        /* every app record, in the order written */
    BOOL corrupt;  /* a record that is not one ended the reading */
};

/* Reads the session of this key; ERROR_FILE_NOT_FOUND when no process holds it, else
 * ERROR_INVALID_DATA for a header that is not the documented one. tu_store_free it. */
DWORD tu_store_read(const WCHAR *key, struct tu_store *out);
void tu_store_free(struct tu_store *s);

/* Sessions of this user whose owner still runs, from the directory (read under its lock). */
unsigned tu_live_sessions(void);

/* ---- for forging ---- */

struct tu_store_header {
    uint32_t magic, version, header_size, capacity, state, owner_pid, owner_start_low,
             owner_start_high, used, count, reserved[6];
};

/* Writes a process record at dst (20 bytes); returns its size. */
uint32_t tu_put_process_record(uint8_t *dst, DWORD pid, const FILETIME *start);

#endif
