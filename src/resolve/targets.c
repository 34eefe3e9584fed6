/*
 * targets.c - the registered files as RmGetList looks for them: by identity (volume serial
 * number and file index, the same whatever name or handle reaches the file) for open
 * handles, and by upper-cased full path for loaded modules, whose names the loader gives.
 *
 * The identity is taken in two halves, because its volume half is the costly one (Wine
 * asks its mount manager, another process, for the serial number: about 0.2 ms a file,
 * against 0.02 ms for the index). Each registered file's index is read when the targets
 * are built, into a table sorted by index; the whole identity of a target is read only
 * when an open handle has its index, and then once per call.
 *
 * Reading the indices: a folder that holds many registered files is listed once
 * (dirlist.c), the others are opened one by one (one open, one query, one close each).
 * So 10,000 files of one folder cost one listing, not 10,000 opens. Lookups are binary
 * searches (by index) and hash lookups (by path): they cost about the same for 1 file or
 * 10,000.
 */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "resolve.h"

enum { TARGET_UNKNOWN, TARGET_KNOWN, TARGET_GONE };

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

static ULONGLONG index_of(const struct rm_file_id *id)
{
    return ((ULONGLONG)id->index_high << 32) | id->index_low;
}

BOOL rm_file_identity(HANDLE file, struct rm_file_id *id)
{
    BY_HANDLE_FILE_INFORMATION info;

    if (rm_sys()->GetFileType(file) != FILE_TYPE_DISK || !rm_sys()->GetFileInformationByHandle(file, &info))
        return FALSE;
    id->volume = info.dwVolumeSerialNumber;
    id->index_high = info.nFileIndexHigh;
    id->index_low = info.nFileIndexLow;
    return TRUE;
}

BOOL rm_file_index(HANDLE file, ULONGLONG *index)
{
    const struct rm_sys *nt = rm_sys();
    struct rm_nt_io_status io;
    LARGE_INTEGER value;
    struct rm_file_id id;

    if (!nt->NtQueryInformationFile) {  /* not seen anywhere; the whole query will do */
        if (!rm_file_identity(file, &id))
            return FALSE;
        *index = index_of(&id);
        return TRUE;
    }
    if (!RM_NT_SUCCESS(nt->NtQueryInformationFile(file, &io, &value, sizeof(value),
                                                  RM_FileInternalInformation)))
        return FALSE;
    *index = (ULONGLONG)value.QuadPart;
    return TRUE;
}

static BOOL same_id(const struct rm_file_id *a, const struct rm_file_id *b)
{
    return a->volume == b->volume && a->index_high == b->index_high &&
           a->index_low == b->index_low;
}

static int by_index(const void *a, const void *b)
{
    ULONGLONG x = ((const struct rm_target *)a)->index, y = ((const struct rm_target *)b)->index;
    return x < y ? -1 : x > y;
}

/* The first target with this index, or t->count. */
static unsigned first_with(const struct rm_targets *t, ULONGLONG index)
{
    unsigned lo = 0, hi = t->count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (t->items[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

BOOL rm_targets_has_index(const struct rm_targets *t, ULONGLONG index)
{
    unsigned i = first_with(t, index);
    return i < t->count && t->items[i].index == index;
}

/* The whole identity of a target, read on first need. */
static void resolve(const struct rm_targets *t, struct rm_target *target)
{
    HANDLE h = rm_sys()->CreateFileW(t->files[target->file], 0,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    target->state = TARGET_GONE;
    if (h == INVALID_HANDLE_VALUE)
        return;
    if (rm_file_identity(h, &target->id))
        target->state = TARGET_KNOWN;
    rm_sys()->CloseHandle(h);
}

BOOL rm_targets_match(struct rm_targets *t, const struct rm_file_id *id)
{
    ULONGLONG index = index_of(id);
    unsigned i;

    for (i = first_with(t, index); i < t->count && t->items[i].index == index; i++) {
        struct rm_target *target = &t->items[i];
        if (target->state == TARGET_UNKNOWN)
            resolve(t, target);
        /* A file replaced since the targets were built has another index: no match. */
        if (target->state == TARGET_KNOWN && same_id(&target->id, id))
            return TRUE;
    }
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

/* From this many registered files in one folder on, the folder is listed instead of
 * opening each file: below it, the listing costs more than the opens it saves. */
#define LIST_MIN_FILES 8
/* A listing stops after this many entries per registered file of the folder (at least
 * LIST_MIN_ENTRIES): a huge folder with few registered files is not read to its end. */
#define LIST_ENTRIES_PER_FILE 64
#define LIST_MIN_ENTRIES 4096
/* Longest file name a folder entry can have (NTFS). */
#define MAX_NAME 255

/* A registered file while the targets are built. */
struct pending {
    WCHAR *upper;           /* upper-cased full path; goes to the path set if the file exists */
    unsigned file;          /* its position in the registrations */
    unsigned name_at;       /* where its file name starts in the path */
    ULONGLONG index;        /* valid when has_index */
    BYTE listed;            /* found by its folder's listing: 0 no, 1 in another case, 2 as is */
    BYTE exists, has_index;
};

/* Folder first (the path up to its last backslash), then name: a folder's files are
 * together and sorted by name, and the same path twice comes out side by side. */
static int by_folder_then_name(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    unsigned n = x->name_at < y->name_at ? x->name_at : y->name_at;
    int c = wcsncmp(x->upper, y->upper, n);

    if (c)
        return c;
    if (x->name_at != y->name_at)
        return x->name_at < y->name_at ? -1 : 1;
    return wcscmp(x->upper + x->name_at, y->upper + y->name_at);
}

/* One registered file opened by itself: does it exist, and its index. */
static DWORD open_one(const struct rm_targets *t, struct pending *p)
{
    const WCHAR *path = t->files[p->file];
    DWORD attrs;
    HANDLE h;

    /* No access right is needed to read a file's index, and all sharing is allowed, so a
     * file that others hold open can still be opened here. Without
     * FILE_FLAG_BACKUP_SEMANTICS a directory fails to open, so the common case costs one
     * open, one query and one close. */
    h = rm_sys()->CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        attrs = rm_sys()->GetFileAttributesW(path);
        if (attrs == INVALID_FILE_ATTRIBUTES)
            return ERROR_SUCCESS;  /* does not exist: nobody uses it */
        if (attrs & FILE_ATTRIBUTE_DIRECTORY)
            return ERROR_ACCESS_DENIED;  /* as the real DLL */
        p->exists = TRUE;  /* it exists but cannot be opened: it may still be loaded */
        return ERROR_SUCCESS;
    }
    p->exists = TRUE;
    p->has_index = (BYTE)rm_file_index(h, &p->index);
    rm_sys()->CloseHandle(h);
    return ERROR_SUCCESS;
}

/* The registered files of one folder, matched against its listing. */
struct folder {
    const struct rm_targets *t;
    struct pending *p;      /* sorted by name, no name twice */
    unsigned n, seen, limit;
    WCHAR upper[MAX_NAME + 1];
};

static struct pending *by_name(const struct folder *f, const WCHAR *upper_name)
{
    unsigned lo = 0, hi = f->n;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        int c = wcscmp(f->p[mid].upper + f->p[mid].name_at, upper_name);
        if (!c)
            return &f->p[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Names are compared as Windows does, in any case; where a case-sensitive folder (Wine
 * on Unix) has two names that differ only in case, the one spelt as registered wins, as
 * it does when the path is opened. */
static void match(struct folder *f, const WCHAR *name, unsigned len, BOOL long_name,
                  ULONGLONG index)
{
    struct pending *p;
    unsigned i;
    BYTE how;

    if (!len || len > MAX_NAME)
        return;
    for (i = 0; i < len; i++)
        f->upper[i] = (WCHAR)towupper(name[i]);
    f->upper[len] = 0;
    if (!(p = by_name(f, f->upper)))
        return;
    how = long_name && !wcsncmp(f->t->files[p->file] + p->name_at, name, len) ? 2 : 1;
    if (how > p->listed) {
        p->listed = how;
        p->index = index;
    }
}

static BOOL on_entry(void *ctx, const WCHAR *name, unsigned len, const WCHAR *short_name,
                     unsigned short_len, ULONGLONG index)
{
    struct folder *f = ctx;
    if (++f->seen > f->limit)
        return FALSE;
    match(f, name, len, TRUE, index);
    match(f, short_name, short_len, FALSE, index);  /* a registered 8.3 name */
    return TRUE;
}

/* Lists the folder of p[0..n) and takes the index of each registered file found in it.
 * The listing's numbers are trusted only if one file, opened by itself, gives the same
 * (they are the same on NTFS, and under Wine, where both are the inode number). */
static void list_folder(const struct rm_targets *t, struct pending *p, unsigned n)
{
    struct folder f;
    struct pending check;
    unsigned len = p[0].name_at - 1, i;
    WCHAR *dir;

    /* "C:\x" is in "C:\", not in "C:" (the current folder of drive C). */
    if (len && t->files[p[0].file][len - 1] == L':')
        len++;
    if (!(dir = rm_alloc_array(len + 1, sizeof(WCHAR))))
        return;  /* each file is opened by itself instead */
    memcpy(dir, t->files[p[0].file], len * sizeof(WCHAR));
    ZeroMemory(&f, sizeof(f));
    f.t = t;
    f.p = p;
    f.n = n;
    f.limit = n * LIST_ENTRIES_PER_FILE > LIST_MIN_ENTRIES ? n * LIST_ENTRIES_PER_FILE
                                                           : LIST_MIN_ENTRIES;
    rm_dir_list(dir, on_entry, &f);  /* an incomplete listing still tells what it saw */
    rm_free(dir);
    for (i = 0; i < n && !p[i].listed; i++)
        ;
    if (i == n)
        return;
    check = p[i];
    check.has_index = FALSE;
    if (open_one(t, &check) || !check.has_index || check.index != p[i].index) {
        rm_trace("a folder listing numbers files differently: opening them one by one");
        for (i = 0; i < n; i++)
            p[i].listed = 0;
        return;
    }
    for (i = 0; i < n; i++)
        if (p[i].listed)
            p[i].exists = p[i].has_index = TRUE;
}

/* Every registered file once: sorted by folder, deduplicated, each folder with many
 * registered files listed, and whatever the listings did not find opened by itself. */
static DWORD resolve_all(const struct rm_targets *t, struct pending *p, unsigned *n)
{
    unsigned i, k, next;
    DWORD err = ERROR_SUCCESS;

    qsort(p, *n, sizeof(*p), by_folder_then_name);
    for (i = k = 0; i < *n; i++) {
        if (k && !by_folder_then_name(&p[k - 1], &p[i])) {
            rm_free(p[i].upper);  /* the same path again */
            continue;
        }
        p[k++] = p[i];
    }
    *n = k;
    for (i = 0; i < *n && !err; i = next) {
        for (next = i + 1; next < *n && p[next].name_at == p[i].name_at &&
                           !wcsncmp(p[next].upper, p[i].upper, p[i].name_at);
             next++)
            ;
        if (next - i >= LIST_MIN_FILES && p[i].name_at > 1)
            list_folder(t, p + i, next - i);
        for (k = i; k < next && !err; k++)
            if (!p[k].listed)
                err = open_one(t, &p[k]);
    }
    return err;
}

static DWORD prepare(const struct rm_registrations *r, struct pending *p)
{
    const WCHAR *slash;
    unsigned i;

    for (i = 0; i < r->nfiles; i++) {
        if (!(p[i].upper = upper_copy(r->files[i])))
            return ERROR_OUTOFMEMORY;
        p[i].file = i;
        slash = wcsrchr(r->files[i], L'\\');
        p[i].name_at = slash ? (unsigned)(slash - r->files[i]) + 1 : 0;
    }
    return ERROR_SUCCESS;
}

DWORD rm_targets_build(const struct rm_registrations *r, struct rm_targets *t)
{
    struct pending *p;
    unsigned i, n = r->nfiles;
    DWORD err;

    ZeroMemory(t, sizeof(*t));
    t->files = r->files;
    t->paths_cap = pow2_at_least(r->nfiles * 2 + 1);
    t->items = rm_alloc_array(r->nfiles ? r->nfiles : 1, sizeof(*t->items));
    t->paths = rm_alloc_array(t->paths_cap, sizeof(*t->paths));
    p = rm_alloc_array(r->nfiles ? r->nfiles : 1, sizeof(*p));
    if (!t->items || !t->paths || !p) {
        rm_free(p);
        rm_targets_free(t);
        return ERROR_OUTOFMEMORY;
    }
    if (!(err = prepare(r, p)))
        err = resolve_all(t, p, &n);
    for (i = 0; i < n; i++) {
        if (!err && p[i].exists) {
            add_path(t, p[i].upper);  /* the set takes it */
            if (p[i].has_index) {
                t->items[t->count].index = p[i].index;
                t->items[t->count].file = p[i].file;
                t->items[t->count].state = TARGET_UNKNOWN;
                t->count++;
            }
        } else {
            rm_free(p[i].upper);
        }
    }
    rm_free(p);
    if (err)
        rm_targets_free(t);
    else
        qsort(t->items, t->count, sizeof(*t->items), by_index);
    return err;
}

void rm_targets_free(struct rm_targets *t)
{
    unsigned i;
    if (t->paths)
        for (i = 0; i < t->paths_cap; i++)
            rm_free(t->paths[i]);
    rm_free(t->paths);
    rm_free(t->items);
    ZeroMemory(t, sizeof(*t));
}
