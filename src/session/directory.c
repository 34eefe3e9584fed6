/*
 * directory.c - the per-user table of open sessions, in named shared memory.
 *
 * It exists to enforce "at most 64 sessions per user" and to forget sessions whose owner
 * died: a slot names its owner by process id and creation time, and a slot whose owner no
 * longer runs is free again (the real DLL keeps such sessions until a reboot).
 *
 * The mapping and its mutex are opened once per process and kept. The first process to
 * take the mutex and find no valid header initialises it (a fresh mapping is all zeros).
 */
#include "session.h"

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static HANDLE dir_mutex;
static HANDLE dir_section;  /* kept open for the life of the process: see open_directory */
static struct rm_dir *dir;

/* On failure (*param = the error) it closes what it opened and returns FALSE, so that the
 * next call tries again: a failure once (out of memory) must not fail every later call. */
static BOOL CALLBACK open_directory(INIT_ONCE *o, void *param, void **context)
{
    WCHAR name[RM_OBJECT_NAME_CHARS];
    const struct rm_security *sec;
    DWORD *err = param;

    (void)o; (void)context;
    if ((*err = rm_security_get(&sec)) || (*err = rm_object_name(name, L"Directory")) ||
        (*err = rm_object_mutex(L"DirectoryLock", TRUE, &dir_mutex)))
        goto failed;
    dir_section = CreateFileMappingW(INVALID_HANDLE_VALUE, (SECURITY_ATTRIBUTES *)&sec->attrs,
                                     PAGE_READWRITE, 0, sizeof(struct rm_dir), name);
    if (!dir_section) {
        *err = RM_FAIL(GetLastError(), "CreateFileMappingW(directory)");
        goto failed;
    }
    dir = MapViewOfFile(dir_section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, sizeof(struct rm_dir));
    if (!dir) {
        *err = RM_FAIL(GetLastError(), "MapViewOfFile(directory)");
        goto failed;
    }
    /* The handle stays open. Wine quirk: a view alone does not keep a named section
     * findable by its name (Windows does), so closing it would let the next process
     * create a fresh, empty directory. */
    return TRUE;
failed:
    if (dir_section)
        CloseHandle(dir_section);
    if (dir_mutex)
        CloseHandle(dir_mutex);
    dir_section = dir_mutex = NULL;
    return FALSE;
}

static DWORD lock_directory(void)
{
    DWORD err = ERROR_SUCCESS;

    InitOnceExecuteOnce(&once, open_directory, &err, NULL);
    if (err)
        return err;
    if ((err = rm_object_lock(dir_mutex)))
        return err;
    if (!rm_dir_is_valid(dir))
        rm_dir_init(dir);
    return ERROR_SUCCESS;
}

/* Frees the slots whose owner is gone; returns how many slots stay in use. */
static unsigned reclaim_dead(void)
{
    unsigned i, used = 0;

    for (i = 0; i < RM_MAX_SESSIONS; i++) {
        struct rm_dir_slot *slot = &dir->slots[i];
        FILETIME start;

        if (slot->state == RM_SLOT_FREE)
            continue;
        start.dwLowDateTime = slot->owner_start_low;
        start.dwHighDateTime = slot->owner_start_high;
        if (slot->state != RM_SLOT_USED || !rm_process_is_alive(slot->owner_pid, &start)) {
            rm_trace("reclaiming session slot %u of dead process %u", i, slot->owner_pid);
            ZeroMemory(slot, sizeof(*slot));
            continue;
        }
        used++;
    }
    return used;
}

DWORD rm_directory_claim(const WCHAR *key, unsigned *slot_out)
{
    FILETIME start = rm_process_self_start();
    DWORD err = lock_directory();
    unsigned i;

    if (err)
        return err;
    reclaim_dead();
    err = ERROR_MAX_SESSIONS_REACHED;
    for (i = 0; i < RM_MAX_SESSIONS; i++) {
        struct rm_dir_slot *slot = &dir->slots[i];
        unsigned c;
        if (slot->state != RM_SLOT_FREE)
            continue;
        slot->owner_pid = GetCurrentProcessId();
        slot->owner_start_low = start.dwLowDateTime;
        slot->owner_start_high = start.dwHighDateTime;
        for (c = 0; c < RM_KEY_CHARS; c++)
            slot->key[c] = (char)key[c];
        slot->state = RM_SLOT_USED;
        *slot_out = i;
        err = ERROR_SUCCESS;
        break;
    }
    rm_object_unlock(dir_mutex);
    return err;
}

void rm_directory_release(unsigned slot_index, const WCHAR *key)
{
    struct rm_dir_slot *slot;
    unsigned c;

    if (slot_index >= RM_MAX_SESSIONS || lock_directory())
        return;
    slot = &dir->slots[slot_index];
    /* Only our own slot: another process may have reclaimed and reused it meanwhile. */
    if (slot->state == RM_SLOT_USED && slot->owner_pid == GetCurrentProcessId()) {
        for (c = 0; c < RM_KEY_CHARS && slot->key[c] == (char)key[c]; c++)
            ;
        if (c == RM_KEY_CHARS)
            ZeroMemory(slot, sizeof(*slot));
    }
    rm_object_unlock(dir_mutex);
}

DWORD rm_directory_count(unsigned *count)
{
    DWORD err = lock_directory();

    *count = 0;
    if (err)
        return err;
    *count = reclaim_dead();
    rm_object_unlock(dir_mutex);
    return ERROR_SUCCESS;
}
