/*
 * folder.c - the files below a --recursive folder: one walk, bounded by a count of files,
 * with progress on stderr when it takes long. Directory junctions and symbolic links to
 * folders are not followed (they lead elsewhere, or in circles); the links themselves are
 * listed like files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "rmctl.h"

/* Progress starts after this long (RMCTL_PROGRESS_AFTER_MS overrides it) and is redrawn at
 * most this often. */
#define PROGRESS_AFTER_MS 1000
#define PROGRESS_EVERY_MS 250

struct walk {
    struct rmctl_folder *f;
    UINT max_files, cap, folders, unlisted;
    DWORD start, shown, after;
    DWORD first_error;
    wchar_t *first_unlisted;
};

static wchar_t *join(const wchar_t *dir, const wchar_t *name)
{
    size_t n = wcslen(dir), m = wcslen(name);
    wchar_t *p = malloc((n + m + 2) * sizeof(wchar_t));
    if (!p)
        return NULL;
    wmemcpy(p, dir, n);
    n -= n && dir[n - 1] == L'\\';  /* a root keeps its backslash once */
    p[n] = L'\\';
    wmemcpy(p + n + 1, name, m + 1);
    return p;
}

static void progress(struct walk *w, BOOL last)
{
    DWORD now = GetTickCount();
    if (!last && (now - w->start < w->after || (w->shown && now - w->shown < PROGRESS_EVERY_MS)))
        return;
    if (last && !w->shown)
        return;
    w->shown = now ? now : 1;
    fwprintf(stderr, L"\rrmctl: %ls: %u files in %u folders, %.1f s%ls", w->f->path, w->f->nfiles,
             w->folders, (now - w->start) / 1000.0, last ? L"\n" : L"");
    fflush(stderr);
}

static BOOL add_file(struct walk *w, wchar_t *path)
{
    if (w->f->nfiles == w->cap) {
        UINT cap = w->cap ? w->cap * 2 : 256;
        LPCWSTR *grown = realloc(w->f->files, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        w->f->files = grown;
        w->cap = cap;
    }
    w->f->files[w->f->nfiles++] = path;
    return TRUE;
}

/* A folder that could not be listed (or not to its end): counted, the first one named. */
static void unlisted(struct walk *w, const wchar_t *dir, DWORD err)
{
    if (!w->unlisted++) {
        w->first_error = err;
        w->first_unlisted = _wcsdup(dir);
    }
}

static BOOL push(wchar_t ***stack, UINT *depth, UINT *cap, wchar_t *path)
{
    if (*depth == *cap) {
        wchar_t **grown = realloc(*stack, (*cap * 2 + 16) * sizeof(*grown));
        if (!grown)
            return FALSE;
        *stack = grown;
        *cap = *cap * 2 + 16;
    }
    (*stack)[(*depth)++] = path;
    return TRUE;
}

/* Lists one folder: its files into the list, its subfolders onto the stack. */
static int list_folder(struct walk *w, wchar_t *dir, wchar_t ***stack, UINT *depth, UINT *cap)
{
    WIN32_FIND_DATAW fd;
    wchar_t *pattern = join(dir, L"*"), *path;
    HANDLE find;
    int code = RMCTL_OK;

    if (!pattern)
        return RMCTL_ERROR;
    find = FindFirstFileExW(pattern, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL,
                            FIND_FIRST_EX_LARGE_FETCH);
    free(pattern);
    if (find == INVALID_HANDLE_VALUE) {
        unlisted(w, dir, GetLastError());
        return RMCTL_OK;
    }
    w->folders++;
    do {
        BOOL folder = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        if (folder && (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L"..")))
            continue;
        if (folder && (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
            continue;  /* a junction or link to a folder: elsewhere, maybe in a circle */
        if (!folder && w->f->nfiles == w->max_files)
            code = RMCTL_TOO_MANY_FILES;
        else if (!(path = join(dir, fd.cFileName)) ||
                 !(folder ? push(stack, depth, cap, path) : add_file(w, path))) {
            free(path);
            code = RMCTL_ERROR;  /* out of memory */
        }
        progress(w, FALSE);
    } while (!code && FindNextFileW(find, &fd));
    if (!code && GetLastError() != ERROR_NO_MORE_FILES)
        unlisted(w, dir, GetLastError());
    FindClose(find);
    return code;
}

int rmctl_walk(struct rmctl_folder *f, UINT max_files)
{
    struct walk w = { 0 };
    wchar_t **stack = NULL, *dir, after[16];
    UINT depth = 0, cap = 0;
    DWORD attrs, len;
    int code = RMCTL_OK;

    if (!(len = GetFullPathNameW(f->name, 0, NULL, NULL)) ||
        !(f->path = calloc(len + 1, sizeof(wchar_t))) || !GetFullPathNameW(f->name, len, f->path, NULL)) {
        fwprintf(stderr, L"rmctl: --recursive %ls: not a usable path\n", f->name);
        return RMCTL_ERROR;
    }
    len = (DWORD)wcslen(f->path);
    if (len > 3 && f->path[len - 1] == L'\\')
        f->path[len - 1] = 0;
    attrs = GetFileAttributesW(f->path);
    if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY)) {
        fwprintf(stderr, L"rmctl: --recursive %ls: %ls\n", f->name,
                 attrs == INVALID_FILE_ATTRIBUTES ? L"no such folder" : L"not a folder (name files without --recursive)");
        return RMCTL_ERROR;
    }

    w.f = f;
    w.max_files = max_files;
    w.start = GetTickCount();
    w.after = PROGRESS_AFTER_MS;
    if (GetEnvironmentVariableW(L"RMCTL_PROGRESS_AFTER_MS", after, ARRAYSIZE(after)) &&
        after[0] >= L'0' && after[0] <= L'9')
        w.after = wcstoul(after, NULL, 10);
    if (!(dir = _wcsdup(f->path)))
        return RMCTL_ERROR;
    for (;;) {
        code = list_folder(&w, dir, &stack, &depth, &cap);
        free(dir);
        if (code || !depth)
            break;
        dir = stack[--depth];
    }
    while (depth)
        free(stack[--depth]);
    free(stack);
    progress(&w, TRUE);

    if (code == RMCTL_TOO_MANY_FILES)
        fwprintf(stderr, L"rmctl: %ls holds more than %u files; stopped there and did nothing "
                 L"(--max-files N raises the limit)\n", f->path, max_files);
    else if (code)
        fwprintf(stderr, L"rmctl: %ls: out of memory after %u files\n", f->path, f->nfiles);
    else if (w.unlisted)
        fwprintf(stderr, L"rmctl: warning: %u folder(s) below %ls could not be listed, their files "
                 L"are not included (first: %ls, error %lu)\n", w.unlisted, f->path,
                 w.first_unlisted ? w.first_unlisted : L"?", w.first_error);
    free(w.first_unlisted);
    return code;
}
