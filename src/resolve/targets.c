/*
 * targets.c - the registered files as RmGetList looks for them: by identity (volume serial
 * number and file index, the same whatever name or handle reaches the file), for open
 * handles and for loaded modules and exe images alike. A module is known only by the path
 * the loader was given (8.3 or long, any case, through a link or another drive); its file
 * name is first looked up among the targets' long and 8.3 names (a hash lookup, no open),
 * and only a module that passes is opened and compared by identity.
 *
 * A registered file that cannot be mapped as an image (shorter than a DOS header, or not
 * starting with "MZ") cannot be a module or an exe image: when no target can, no module
 * list is read at all. The header is read where it is cheap: from the open each file gets
 * anyway, or from a folder listing's size.
 *
 * The identity is taken in two halves, because its volume half is the costly one (Wine
 * asks its mount manager, another process, for the serial number: about 0.2 ms a file,
 * against 0.02 ms for the index). Each registered file's index is read when the targets
 * are built, into a table sorted by index; the whole identity of a target is read only
 * when an open handle or a module has its index, and then once per call, except for the
 * files of a listed folder: every entry of a folder is on the folder's volume, so one
 * query of the folder gives all of theirs.
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

/* The whole identity of a target, read on first need (a remote one with a bounded open). */
static void resolve(struct rm_targets *t, struct rm_target *target)
{
    BOOL timed_out;
    HANDLE h = rm_open_any(&t->remote, t->files[target->file], 0, 0, &timed_out);

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

static WCHAR *upper_copy(const WCHAR *p, size_t n)
{
    WCHAR *u = rm_alloc_array(n + 1, sizeof(WCHAR));
    size_t i;
    if (u)
        for (i = 0; i < n; i++)
            u[i] = (WCHAR)towupper(p[i]);
    return u;
}

/* Hash of the first len characters, upper-cased. */
static unsigned hash_upper(const WCHAR *p, size_t len)
{
    unsigned h = 2166136261u;
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ (WCHAR)towupper(p[i])) * 16777619u;
    return h;
}

/* TRUE if the first len characters of text, upper-cased, are `upper` (whole). */
static BOOL same_upper_n(const WCHAR *upper, const WCHAR *text, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (!upper[i] || upper[i] != (WCHAR)towupper(text[i]))
            return FALSE;
    return !upper[len];
}

static BOOL set_has(const struct rm_nameset *s, const WCHAR *text, size_t len)
{
    unsigned i;
    if (!s->count)
        return FALSE;
    for (i = hash_upper(text, len) & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
        if (same_upper_n(s->slots[i], text, len))
            return TRUE;
    return FALSE;
}

static void set_put(struct rm_nameset *s, WCHAR *upper)
{
    unsigned i = hash_upper(upper, wcslen(upper)) & (s->cap - 1);
    while (s->slots[i])
        i = (i + 1) & (s->cap - 1);
    s->slots[i] = upper;
    s->count++;
}

/* Adds the first len characters of text, upper-cased (once). */
static DWORD set_add(struct rm_nameset *s, const WCHAR *text, size_t len)
{
    WCHAR *upper;
    unsigned i;

    if (!len || set_has(s, text, len))
        return ERROR_SUCCESS;
    if ((s->count + 1) * 2 > s->cap) {  /* at most half full */
        struct rm_nameset grown;
        grown.cap = s->cap ? s->cap * 2 : 16;
        grown.count = 0;
        if (!(grown.slots = rm_alloc_array(grown.cap, sizeof(WCHAR *))))
            return ERROR_OUTOFMEMORY;
        for (i = 0; i < s->cap; i++)
            if (s->slots[i])
                set_put(&grown, s->slots[i]);
        rm_free(s->slots);
        *s = grown;
    }
    if (!(upper = upper_copy(text, len)))
        return ERROR_OUTOFMEMORY;
    set_put(s, upper);
    return ERROR_SUCCESS;
}

static void set_free(struct rm_nameset *s)
{
    unsigned i;
    for (i = 0; i < s->cap; i++)
        rm_free(s->slots[i]);
    rm_free(s->slots);
    ZeroMemory(s, sizeof(*s));
}

/* The file name of a path: after its last backslash or slash. */
static const WCHAR *file_name_of(const WCHAR *path)
{
    const WCHAR *p, *name = path;
    for (p = path; *p; p++)
        if (*p == L'\\' || *p == L'/')
            name = p + 1;
    return name;
}

/* Allocates nothing: a lookup that could fail for want of memory would be a silent "no",
 * and RmGetList would leave out a process that has the file loaded. */
BOOL rm_targets_may_match_image(const struct rm_targets *t, const WCHAR *path)
{
    const WCHAR *name = file_name_of(path);
    return set_has(&t->names, name, wcslen(name)) || set_has(&t->paths, path, wcslen(path));
}

/* A path as a 32-bit process sees it names, in the system folder, a file of SysWOW64:
 * file system redirection sends its opens there (docs: "File System Redirector"). Where
 * the path is in the system folder, buf receives the SysWOW64 path it reaches; else the
 * path is returned as it is. Wine's 32-bit processes report their system DLLs this way
 * (C:\windows\system32\...); Windows may too. */
static const WCHAR *as_opened_by_32bit(const WCHAR *path, WCHAR *buf, size_t cap)
{
    const struct rm_sys *os = rm_sys();
    WCHAR sys[MAX_PATH], wow[MAX_PATH];
    UINT n = os->GetSystemDirectoryW(sys, ARRAYSIZE(sys)), w;

    if (!n || n >= ARRAYSIZE(sys) || _wcsnicmp(path, sys, n) || path[n] != L'\\')
        return path;
    w = os->GetSystemWow64DirectoryW(wow, ARRAYSIZE(wow));
    if (!w || w >= ARRAYSIZE(wow) || w + wcslen(path + n) + 1 > cap)
        return path;
    memcpy(buf, wow, w * sizeof(WCHAR));
    wcscpy(buf + w, path + n);
    return buf;
}

BOOL rm_targets_match_image(struct rm_targets *t, const WCHAR *path, BOOL wow64_process)
{
    const struct rm_sys *os = rm_sys();
    struct rm_file_id id;
    ULONGLONG index;
    void *redirection = NULL;
    BOOL hit = FALSE, redirected, timed_out;
    WCHAR real_path[MAX_PATH * 2 + 16];
    HANDLE h;

    if (!rm_targets_may_match_image(t, path))
        return FALSE;
    if (set_has(&t->paths, path, wcslen(path)))
        return TRUE;  /* a target we could not open: its text is all we have */
    /* The file the process reached: a 32-bit process's system folder is SysWOW64; a 64-bit
     * process's is System32, which a 32-bit DLL must open with redirection off. */
    if (wow64_process)
        path = as_opened_by_32bit(path, real_path, ARRAYSIZE(real_path));
    redirected = os->Wow64DisableWow64FsRedirection && os->Wow64DisableWow64FsRedirection(&redirection);
    h = rm_path_kind(path) == RM_PATH_DEVICE ? INVALID_HANDLE_VALUE
                                              : rm_open_any(&t->remote, path, 0, 0, &timed_out);
    if (redirected)
        os->Wow64RevertWow64FsRedirection(redirection);
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;  /* gone since it was loaded: not the file registered now */
    hit = rm_file_index(h, &index) && rm_targets_has_index(t, index) &&
          rm_file_identity(h, &id) && rm_targets_match(t, &id);
    os->CloseHandle(h);
    return hit;
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
    BYTE image;             /* it could be mapped as an image (or we could not tell) */
    DWORD volume;           /* from its folder's listing: its whole identity is known */
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

/* TRUE unless the first bytes of an open file show it cannot be mapped as an image: the
 * loader needs a whole DOS header, starting with "MZ". */
static BOOL may_be_image(HANDLE h)
{
    BYTE head[RM_IMAGE_MIN_BYTES];
    DWORD n = 0;

    if (!rm_sys()->ReadFile(h, head, sizeof(head), &n, NULL))
        return TRUE;  /* unreadable (locked range, say): it could be one */
    return n == sizeof(head) && head[0] == 'M' && head[1] == 'Z';
}

/* The long and 8.3 names of a file that could be an image, for the modules' pre-filter,
 * with the name it was registered by (one FindFirstFileW, no listing of its folder). */
static DWORD add_names(struct rm_targets *t, const struct pending *p)
{
    const WCHAR *path = t->files[p->file];
    WIN32_FIND_DATAW found;
    HANDLE h;
    DWORD err = set_add(&t->names, path + p->name_at, wcslen(path + p->name_at));

    if (err || (h = rm_sys()->FindFirstFileW(path, &found)) == INVALID_HANDLE_VALUE)
        return err;
    rm_sys()->FindClose(h);
    found.cFileName[ARRAYSIZE(found.cFileName) - 1] = 0;
    found.cAlternateFileName[ARRAYSIZE(found.cAlternateFileName) - 1] = 0;
    if (!(err = set_add(&t->names, found.cFileName, wcslen(found.cFileName))))
        err = set_add(&t->names, found.cAlternateFileName, wcslen(found.cAlternateFileName));
    return err;
}

/* One registered file opened by itself: does it exist, its index, and whether it could be
 * mapped as an image. */
static DWORD open_one(struct rm_targets *t, struct pending *p)
{
    const WCHAR *path = t->files[p->file];
    DWORD attrs;
    BOOL timed_out;
    HANDLE h;

    /* All sharing is allowed, so a file that others hold open can still be opened here;
     * read access only for its first bytes (never recalling a file stored offline), and
     * where even that is refused, no access right at all: a file's index needs none.
     * Without FILE_FLAG_BACKUP_SEMANTICS a directory fails to open, so the common case
     * costs one open, one read, one query and one close. */
    p->image = TRUE;
    if (rm_path_kind(path) == RM_PATH_DEVICE)
        return ERROR_SUCCESS;  /* a pipe or a device, not a file: never opened (remote.c) */
    h = rm_open_any(&t->remote, path, FILE_READ_DATA, FILE_FLAG_OPEN_NO_RECALL, &timed_out);
    if (h != INVALID_HANDLE_VALUE)
        p->image = (BYTE)may_be_image(h);
    else if (!timed_out)
        h = rm_open_any(&t->remote, path, 0, 0, &timed_out);
    if (timed_out) {
        p->exists = TRUE;  /* its server does not answer: only its text can be compared */
        return ERROR_SUCCESS;
    }
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
    return p->image ? add_names(t, p) : ERROR_SUCCESS;
}

/* The registered files of one folder, matched against its listing. */
struct folder {
    struct rm_targets *t;
    struct pending *p;      /* sorted by name, no name twice */
    unsigned n, seen, limit;
    DWORD err;              /* no memory for a name */
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
static struct pending *match(struct folder *f, const WCHAR *name, unsigned len,
                             BOOL long_name, ULONGLONG index)
{
    struct pending *p;
    unsigned i;
    BYTE how;

    if (!len || len > MAX_NAME)
        return NULL;
    for (i = 0; i < len; i++)
        f->upper[i] = (WCHAR)towupper(name[i]);
    f->upper[len] = 0;
    if (!(p = by_name(f, f->upper)))
        return NULL;
    how = long_name && !wcsncmp(f->t->files[p->file] + p->name_at, name, len) ? 2 : 1;
    if (how > p->listed) {
        p->listed = how;
        p->index = index;
    }
    return p;
}

static BOOL on_entry(void *ctx, const WCHAR *name, unsigned len, const WCHAR *short_name,
                     unsigned short_len, ULONGLONG index, ULONGLONG size)
{
    struct folder *f = ctx;
    struct pending *a, *b;

    if (++f->seen > f->limit)
        return FALSE;
    a = match(f, name, len, TRUE, index);
    b = match(f, short_name, short_len, FALSE, index);  /* a registered 8.3 name */
    if (!a && !b)
        return TRUE;
    /* The size tells whether it could be an image without opening it; many files are
     * listed, so their first bytes are not read. */
    if (a)
        a->image = size >= RM_IMAGE_MIN_BYTES;
    if (b)
        b->image = size >= RM_IMAGE_MIN_BYTES;
    if (size >= RM_IMAGE_MIN_BYTES && !f->err &&
        !(f->err = set_add(&f->t->names, name, len)))
        f->err = set_add(&f->t->names, short_name, short_len);
    return !f->err;
}

/* Lists the folder of p[0..n) and takes the index of each registered file found in it.
 * The listing's numbers are trusted only if one file, opened by itself, gives the same
 * (they are the same on NTFS, and under Wine, where both are the inode number). */
static DWORD list_folder(struct rm_targets *t, struct pending *p, unsigned n)
{
    struct folder f;
    struct pending check;
    unsigned len = p[0].name_at - 1, i;
    DWORD volume = 0;
    WCHAR *dir;

    /* "C:\x" is in "C:\", not in "C:" (the current folder of drive C). */
    if (len && t->files[p[0].file][len - 1] == L':')
        len++;
    if (!(dir = rm_alloc_array(len + 1, sizeof(WCHAR))))
        return ERROR_SUCCESS;  /* each file is opened by itself instead */
    memcpy(dir, t->files[p[0].file], len * sizeof(WCHAR));
    ZeroMemory(&f, sizeof(f));
    f.t = t;
    f.p = p;
    f.n = n;
    f.limit = n * LIST_ENTRIES_PER_FILE > LIST_MIN_ENTRIES ? n * LIST_ENTRIES_PER_FILE
                                                           : LIST_MIN_ENTRIES;
    rm_dir_list(dir, on_entry, &f, &volume);  /* an incomplete listing still tells what it saw */
    rm_free(dir);
    if (f.err)
        return f.err;
    for (i = 0; i < n && !p[i].listed; i++)
        ;
    if (i == n)
        return ERROR_SUCCESS;
    check = p[i];
    check.has_index = FALSE;
    if (open_one(t, &check) || !check.has_index || check.index != p[i].index) {
        rm_trace("a folder listing numbers files differently: opening them one by one");
        for (i = 0; i < n; i++)
            p[i].listed = 0;
        return ERROR_SUCCESS;
    }
    for (i = 0; i < n; i++)
        if (p[i].listed) {
            p[i].exists = p[i].has_index = TRUE;
            p[i].volume = volume;
        }
    return ERROR_SUCCESS;
}

/* Every registered file once: sorted by folder, deduplicated, each folder with many
 * registered files listed, and whatever the listings did not find opened by itself. */
static DWORD resolve_all(struct rm_targets *t, struct pending *p, unsigned *n)
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
        if (next - i >= LIST_MIN_FILES && p[i].name_at > 1 &&
            rm_path_kind(t->files[p[i].file]) == RM_PATH_LOCAL)  /* remote: bounded opens */
            err = list_folder(t, p + i, next - i);
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
        if (!(p[i].upper = upper_copy(r->files[i], wcslen(r->files[i]))))
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
    t->items = rm_alloc_array(r->nfiles ? r->nfiles : 1, sizeof(*t->items));
    p = rm_alloc_array(r->nfiles ? r->nfiles : 1, sizeof(*p));
    if (!t->items || !p) {
        rm_free(p);
        rm_targets_free(t);
        return ERROR_OUTOFMEMORY;
    }
    if (!(err = prepare(r, p)))
        err = resolve_all(t, p, &n);
    for (i = 0; i < n; i++) {
        if (!err && p[i].exists) {
            t->images += p[i].image;
            if (p[i].has_index) {
                t->items[t->count].index = p[i].index;
                t->items[t->count].file = p[i].file;
                t->items[t->count].state = TARGET_UNKNOWN;
                if (p[i].volume) {  /* its folder's listing gave the whole identity */
                    t->items[t->count].id.volume = p[i].volume;
                    t->items[t->count].id.index_high = (DWORD)(p[i].index >> 32);
                    t->items[t->count].id.index_low = (DWORD)p[i].index;
                    t->items[t->count].state = TARGET_KNOWN;
                }
                t->count++;
            } else {
                err = set_add(&t->paths, p[i].upper, wcslen(p[i].upper));
            }
        }
        rm_free(p[i].upper);
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
    rm_remote_free(&t->remote);
    set_free(&t->names);
    set_free(&t->paths);
    rm_free(t->items);
    ZeroMemory(t, sizeof(*t));
}
