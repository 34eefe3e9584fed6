/*
 * layout.h - the bytes that sessions share between processes, and their validation.
 *
 * Plain C with fixed-width fields only (no pointers, no SIZE_T), so that an x86 and an x64
 * process see the same layout, and so that the parsers build and can be fuzzed on Linux.
 * Nothing read from shared memory is trusted: every reader copies a field once into a local,
 * checks it, and only then uses it.
 */
#ifndef RM_SESSION_LAYOUT_H
#define RM_SESSION_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* ---- the per-user directory of open sessions (counts them, finds dead owners) ---- */

#define RM_DIR_MAGIC    0x52444d52u  /* "RMDR" */
#define RM_DIR_VERSION  1u
#define RM_MAX_SESSIONS 64u
#define RM_KEY_CHARS    32u          /* text form of the 128-bit key */

enum rm_slot_state { RM_SLOT_FREE = 0, RM_SLOT_USED = 1 };

struct rm_dir_slot {
    uint32_t state;             /* enum rm_slot_state */
    uint32_t owner_pid;         /* the process that started the session */
    uint32_t owner_start_low;   /* its creation time (FILETIME), against PID reuse */
    uint32_t owner_start_high;
    char     key[RM_KEY_CHARS]; /* lower-case hex, not terminated */
};

struct rm_dir {
    uint32_t magic;
    uint32_t version;
    uint32_t nslots;            /* always RM_MAX_SESSIONS */
    uint32_t reserved;
    struct rm_dir_slot slots[RM_MAX_SESSIONS];
};

/* 1 if the directory header is ours and usable, 0 if it must be (re)initialised. */
int rm_dir_is_valid(const struct rm_dir *dir);
void rm_dir_init(struct rm_dir *dir);

/* ---- one session's store: a header, then an append-only log of registrations ---- */

#define RM_STORE_MAGIC   0x53534d52u  /* "RMSS" */
/* 2: the log also holds what RmShutdown and RmRestart did (RM_RECORD_APP). The version is
 * part of every object name, so DLLs of another layout never share a session. */
#define RM_STORE_VERSION 2u
/* Bytes of the section: reserved up front, committed as records are appended. */
#define RM_STORE_SIZE    (64u << 20)

enum rm_store_state { RM_STORE_OPEN = 1, RM_STORE_ENDED = 2 };

struct rm_store_header {
    uint32_t magic;
    uint32_t version;
    uint32_t header_size;       /* bytes before the first record: sizeof this struct */
    uint32_t capacity;          /* bytes available for records */
    uint32_t state;             /* enum rm_store_state */
    uint32_t owner_pid;         /* the primary installer */
    uint32_t owner_start_low;
    uint32_t owner_start_high;
    uint32_t used;              /* bytes of complete records: the commit point */
    uint32_t count;             /* number of complete records */
    uint32_t reserved[6];
};

/* A copy of the header's fields, taken once and checked. */
struct rm_store_info {
    uint32_t state, owner_pid, owner_start_low, owner_start_high, used, count;
};

/* Copies and checks the header of a section of map_size bytes: 1 valid, 0 not. */
int rm_store_header_read(const volatile struct rm_store_header *h, uint32_t map_size,
                         struct rm_store_info *out);
void rm_store_header_init(struct rm_store_header *h, uint32_t map_size, uint32_t owner_pid,
                          uint32_t owner_start_low, uint32_t owner_start_high);

enum rm_record_kind { RM_RECORD_FILE = 1, RM_RECORD_PROCESS = 2, RM_RECORD_SERVICE = 3,
                      RM_RECORD_APP = 4 };

/* Longest text a record may hold: a \\?\ path (32767) or a service name (256). */
#define RM_RECORD_MAX_CHARS 32767u

/* An app record: what the primary's engine last recorded of one app or service, so that
 * every handle of the session reports it (RM_PROCESS_INFO's fields, and the service's
 * full name where RM_PROCESS_INFO holds 63 characters). */
#define RM_RECORD_APP_NAME_CHARS 255u     /* CCH_RM_MAX_APP_NAME */
#define RM_RECORD_SERVICE_CHARS  256u     /* the SCM's longest service name */
#define RM_RECORD_APP_STATUS_MASK 0xFFu   /* the RM_APP_STATUS bits */

/* A record as read back: its text is copied out, never pointed into shared memory. */
struct rm_record {
    uint32_t kind;
    uint32_t nchars;            /* text records; app records: the app name (may be 0) */
    uint16_t *text;             /* nchars UTF-16 units + NUL, in the caller's buffer */
    uint32_t pid, start_low, start_high;  /* process and app records */
    /* app records only */
    uint32_t app_type, status, ts_session, restartable;
    uint32_t nchars_service;    /* 0 for a process */
    uint16_t *service;          /* nchars_service units + NUL, in the caller's buffer */
};

/* Bytes a record takes in the log (header, payload, padding to 4). */
uint32_t rm_record_text_size(uint32_t nchars);
uint32_t rm_record_process_size(void);
uint32_t rm_record_app_size(uint32_t nchars_app, uint32_t nchars_service);

/* Write a record at dst (which has room for its size); return the bytes written. */
uint32_t rm_record_put_text(uint8_t *dst, uint32_t kind, const uint16_t *text, uint32_t nchars);
uint32_t rm_record_put_process(uint8_t *dst, uint32_t pid, uint32_t start_low,
                               uint32_t start_high);
/* app's kind is ignored; its texts must be within the limits above. */
uint32_t rm_record_put_app(uint8_t *dst, const struct rm_record *app);

/*
 * Reads the record at *offset of a log of `used` bytes. text_buf must hold
 * RM_RECORD_MAX_CHARS + 1 units. Returns 1 and advances *offset when a record was read,
 * 0 at the end of the log, -1 when the bytes at *offset are not a valid record (the log is
 * then not read any further).
 */
int rm_record_next(const volatile uint8_t *log, uint32_t used, uint32_t *offset,
                   struct rm_record *out, uint16_t *text_buf);

#endif
