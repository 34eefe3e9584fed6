/*
 * targets.c - the registered files as RmGetList looks for them: by identity (volume serial
 * number and file index, the same whatever name or handle reaches the file) for open
 * handles, and by upper-cased full path for loaded modules, whose names the loader gives.
 * Both are open-addressing hash sets, so a lookup costs the same for 1 file or 10,000.
 */
#include <wctype.h>

#include "../rm.h"

static unsigned hash_id(const struct rm_file_id *id)
{
    unsigned h = id->volume * 2654435761u;
    h ^= id->index_low * 2246822519u;
    h ^= id->index_high * 3266489917u;
    return h ^ (h >> 15);
}

/* Hashes a path as its upper-cased form, so that a lookup needs no upper-cased copy. */
static unsigned hash_path(const WCHAR *p)
{
    unsigned h = 2166136261u;
    for (; *p; p++)
        h = (h ^ (WCHAR)towupper(*p)) * 16777619u;
    return h;
}

/* TRUE if path, upper-cased, is `upper`. */
static BOOL same_upper(const WCHAR *upper, const WCHAR *path)
{
    for (; *upper && *path; upper++, path++)
        if (*upper != (WCHAR)towupper(*path))
            return FALSE;
    return *upper == *path;
}

static unsigned pow2_at_least(unsigned n)
{
    unsigned c = 16;
    while (c < n)
        c *= 2;
    return c;
}

BOOL rm_file_identity(HANDLE file, struct rm_file_id *id)
{
    BY_HANDLE_FILE_INFORMATION info;

    if (GetFileType(file) != FILE_TYPE_DISK || !GetFileInformationByHandle(file, &info))
        return FALSE;
    id->volume = info.dwVolumeSerialNumber;
    id->index_high = info.nFileIndexHigh;
    id->index_low = info.nFileIndexLow;
    return TRUE;
}

static BOOL same_id(const struct rm_file_id *a, const struct rm_file_id *b)
{
    return a->volume == b->volume && a->index_high == b->index_high &&
           a->index_low == b->index_low;
}

/* The empty slot of the id set: no real file has volume serial 0 and file index 0. */
static BOOL empty_id(const struct rm_file_id *a)
{
    return !a->volume && !a->index_high && !a->index_low;
}

static void add_id(struct rm_targets *t, const struct rm_file_id *id)
{
    unsigned i = hash_id(id) & (t->ids_cap - 1);
    while (!empty_id(&t->ids[i])) {
        if (same_id(&t->ids[i], id))
            return;
        i = (i + 1) & (t->ids_cap - 1);
    }
    t->ids[i] = *id;
    t->nids++;
}

BOOL rm_targets_has_id(const struct rm_targets *t, const struct rm_file_id *id)
{
    unsigned i;
    if (!t->nids)
        return FALSE;
    for (i = hash_id(id) & (t->ids_cap - 1); !empty_id(&t->ids[i]); i = (i + 1) & (t->ids_cap - 1))
        if (same_id(&t->ids[i], id))
            return TRUE;
    return FALSE;
}

static WCHAR *upper_copy(const WCHAR *p)
{
    size_t n = wcslen(p), i;
    WCHAR *u = rm_alloc_array(n + 1, sizeof(WCHAR));
    if (u)
        for (i = 0; i < n; i++)
            u[i] = (WCHAR)towupper(p[i]);
    return u;
}

/* Takes ownership of upper (an upper-cased path). */
static void add_path(struct rm_targets *t, WCHAR *upper)
{
    unsigned i = hash_path(upper) & (t->paths_cap - 1);
    while (t->paths[i]) {
        if (!wcscmp(t->paths[i], upper)) {
            rm_free(upper);
            return;
        }
        i = (i + 1) & (t->paths_cap - 1);
    }
    t->paths[i] = upper;
    t->npaths++;
}

/* Allocates nothing: a lookup that could fail for want of memory would be a silent "no",
 * and RmGetList would leave out a process that has the file loaded. */
BOOL rm_targets_has_path(const struct rm_targets *t, const WCHAR *path)
{
    unsigned i;

    if (!t->npaths)
        return FALSE;
    for (i = hash_path(path) & (t->paths_cap - 1); t->paths[i]; i = (i + 1) & (t->paths_cap - 1))
        if (same_upper(t->paths[i], path))
            return TRUE;
    return FALSE;
}

DWORD rm_targets_build(const struct rm_registrations *r, struct rm_targets *t)
{
    unsigned i;
    DWORD err = ERROR_SUCCESS;

    ZeroMemory(t, sizeof(*t));
    t->ids_cap = t->paths_cap = pow2_at_least(r->nfiles * 2 + 1);
    t->ids = rm_alloc_array(t->ids_cap, sizeof(*t->ids));
    t->paths = rm_alloc_array(t->paths_cap, sizeof(*t->paths));
    if (!t->ids || !t->paths) {
        rm_targets_free(t);
        return ERROR_OUTOFMEMORY;
    }
    for (i = 0; i < r->nfiles && !err; i++) {
        DWORD attrs = GetFileAttributesW(r->files[i]);
        struct rm_file_id id;
        WCHAR *upper;
        HANDLE h;

        if (attrs == INVALID_FILE_ATTRIBUTES)
            continue;  /* does not exist: nobody uses it */
        if (attrs & FILE_ATTRIBUTE_DIRECTORY) {
            err = ERROR_ACCESS_DENIED;
            break;
        }
        if (!(upper = upper_copy(r->files[i]))) {
            err = ERROR_OUTOFMEMORY;
            break;
        }
        add_path(t, upper);
        /* No access right is needed to learn a file's identity, and all sharing is
         * allowed, so a file that others hold open can still be opened here. */
        h = CreateFileW(r->files[i], 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                        NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
        if (h == INVALID_HANDLE_VALUE)
            continue;
        if (rm_file_identity(h, &id) && !empty_id(&id))
            add_id(t, &id);
        CloseHandle(h);
    }
    if (err)
        rm_targets_free(t);
    return err;
}

void rm_targets_free(struct rm_targets *t)
{
    unsigned i;
    if (t->paths)
        for (i = 0; i < t->paths_cap; i++)
            rm_free(t->paths[i]);
    rm_free(t->paths);
    rm_free(t->ids);
    ZeroMemory(t, sizeof(*t));
}
