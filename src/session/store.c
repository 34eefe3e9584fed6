/*
 * store.c - one session's shared registrations: a named section of RM_STORE_SIZE bytes,
 * reserved (SEC_RESERVE) and committed only as far as records reach, plus a named mutex.
 *
 * The primary creates both and keeps them open for the life of the session, so what a
 * joiner registered survives the joiner. Every access maps the header, checks it, maps as
 * far as the records it reads or writes reach, and unmaps it all again: 64 sessions busy
 * at once in one process must fit an x86 address space.
 *
 * Writers append records past `used` and only then advance `used` and `count` (the commit
 * point), so a writer that dies half-way leaves nothing half-written behind.
 *
 * Wine quirk: none here; commitment of a SEC_RESERVE section made through one view is seen
 * through every other view, in every process, as on Windows (measured on Wine 8.0).
 */
#include <stdio.h>

#include "session.h"

static DWORD store_names(const WCHAR *key, WCHAR *section, WCHAR *mutex)
{
    WCHAR what[64];
    DWORD err;

    _snwprintf(what, ARRAYSIZE(what), L"Session.%ls", key);
    what[ARRAYSIZE(what) - 1] = 0;
    if ((err = rm_object_name(section, what)))
        return err;
    _snwprintf(mutex, 64, L"Session.%ls.Lock", key);
    mutex[63] = 0;
    return ERROR_SUCCESS;
}

DWORD rm_store_create(struct rm_store *s, const WCHAR *key)
{
    WCHAR section[RM_OBJECT_NAME_CHARS], mutex[64];
    const struct rm_security *sec;
    struct rm_store_header *h;
    FILETIME start = rm_process_self_start();
    DWORD err;

    ZeroMemory(s, sizeof(*s));
    if ((err = rm_security_get(&sec)) || (err = store_names(key, section, mutex)))
        return err;
    s->section = CreateFileMappingW(INVALID_HANDLE_VALUE, (SECURITY_ATTRIBUTES *)&sec->attrs,
                                    PAGE_READWRITE | SEC_RESERVE, 0, RM_STORE_SIZE, section);
    if (!s->section)
        return RM_FAIL(GetLastError(), "CreateFileMappingW(session)");
    if (GetLastError() == ERROR_ALREADY_EXISTS) {
        /* 128 random bits never collide; someone made this object before us. */
        rm_store_close(s);
        return RM_FAIL(ERROR_WRITE_FAULT, "session object already exists");
    }
    if ((err = rm_object_mutex(mutex, TRUE, &s->mutex)))
        goto fail;
    h = MapViewOfFile(s->section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, RM_STORE_SIZE);
    if (!h) {
        err = RM_FAIL(GetLastError(), "MapViewOfFile(session)");
        goto fail;
    }
    if (!VirtualAlloc(h, sizeof(*h), MEM_COMMIT, PAGE_READWRITE))
        err = RM_FAIL(ERROR_OUTOFMEMORY, "VirtualAlloc(session header)");
    else
        rm_store_header_init(h, RM_STORE_SIZE, GetCurrentProcessId(), start.dwLowDateTime,
                             start.dwHighDateTime);
    UnmapViewOfFile(h);
    if (err)
        goto fail;
    return ERROR_SUCCESS;
fail:
    rm_store_close(s);
    return err;
}

DWORD rm_store_open(struct rm_store *s, const WCHAR *key)
{
    WCHAR section[RM_OBJECT_NAME_CHARS], mutex[64];
    DWORD err;

    ZeroMemory(s, sizeof(*s));
    if ((err = store_names(key, section, mutex)))
        return err;
    s->section = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, section);
    if (!s->section)
        return ERROR_SESSION_CREDENTIAL_CONFLICT;  /* no session has this key */
    if (rm_object_mutex(mutex, FALSE, &s->mutex)) {
        rm_store_close(s);
        return ERROR_SESSION_CREDENTIAL_CONFLICT;
    }
    return ERROR_SUCCESS;
}

void rm_store_close(struct rm_store *s)
{
    if (s->section)
        CloseHandle(s->section);
    if (s->mutex)
        CloseHandle(s->mutex);
    s->section = s->mutex = NULL;
}

/* Maps the first `bytes` bytes of the section in place of the current view. A view covers
 * only the header and the records a call reads or writes, not the 64 MiB the section
 * reserves: 64 sessions busy at once in one x86 process would not fit its address space. */
static DWORD map_view(struct rm_store_view *v, uint32_t bytes)
{
    void *base;

    if (v->header)
        UnmapViewOfFile((void *)v->header);
    v->header = NULL;
    v->log = NULL;
    base = MapViewOfFile(v->store->section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, bytes);
    if (!base)
        return RM_FAIL(GetLastError() == ERROR_NOT_ENOUGH_MEMORY ? ERROR_OUTOFMEMORY
                                                                  : GetLastError(),
                       "MapViewOfFile(session)");
    v->header = base;
    v->log = (volatile uint8_t *)base + sizeof(struct rm_store_header);
    return ERROR_SUCCESS;
}

DWORD rm_store_lock(struct rm_store *s, struct rm_store_view *v)
{
    DWORD err;

    ZeroMemory(v, sizeof(*v));
    if ((err = rm_object_lock(s->mutex)))
        return err;
    v->store = s;
    if ((err = map_view(v, sizeof(struct rm_store_header))))
        goto fail;
    if (!VirtualAlloc((void *)v->header, sizeof(struct rm_store_header), MEM_COMMIT, PAGE_READWRITE) ||
        !rm_store_header_read(v->header, RM_STORE_SIZE, &v->info)) {
        err = RM_FAIL(ERROR_WRITE_FAULT, "session header");
        goto fail;
    }
    /* Our view must be committed as far as the header says records reach. */
    if (v->info.used &&
        ((err = map_view(v, (uint32_t)sizeof(struct rm_store_header) + v->info.used)) ||
         !VirtualAlloc((void *)v->log, v->info.used, MEM_COMMIT, PAGE_READWRITE))) {
        err = err ? err : RM_FAIL(ERROR_WRITE_FAULT, "session records");
        goto fail;
    }
    return ERROR_SUCCESS;
fail:
    if (v->header)
        UnmapViewOfFile((void *)v->header);
    rm_object_unlock(s->mutex);
    ZeroMemory(v, sizeof(*v));
    return err;
}

void rm_store_unlock(struct rm_store_view *v)
{
    if (!v->store)
        return;
    if (v->header)
        UnmapViewOfFile((void *)v->header);
    rm_object_unlock(v->store->mutex);
    ZeroMemory(v, sizeof(*v));
}

DWORD rm_store_reserve(struct rm_store_view *v, uint32_t bytes, uint8_t **at)
{
    uint32_t capacity = RM_STORE_SIZE - (uint32_t)sizeof(struct rm_store_header);
    DWORD err;

    *at = NULL;
    if (bytes > capacity - v->info.used)
        return RM_FAIL(ERROR_OUTOFMEMORY, "session store full");
    /* The view grows to cover the new records; the lock is held, so nothing moves. */
    if ((err = map_view(v, (uint32_t)sizeof(struct rm_store_header) + v->info.used + bytes)))
        return err;
    if (!VirtualAlloc((void *)(v->log + v->info.used), bytes, MEM_COMMIT, PAGE_READWRITE))
        return RM_FAIL(ERROR_OUTOFMEMORY, "VirtualAlloc(session records)");
    *at = (uint8_t *)(v->log + v->info.used);
    return ERROR_SUCCESS;
}

void rm_store_commit(struct rm_store_view *v, uint32_t bytes, uint32_t records)
{
    v->info.used += bytes;
    v->info.count += records;
    /* The records' bytes become visible before the counters that publish them. */
    MemoryBarrier();
    v->header->count = v->info.count;
    v->header->used = v->info.used;
}

void rm_store_mark_ended(struct rm_store_view *v)
{
    v->header->state = RM_STORE_ENDED;
    v->info.state = RM_STORE_ENDED;
}
