/*
 * remote.c - what a registered path names, and opens that cannot block the call for long.
 *
 * A registered path may name no file at all: "\\.\pipe\x" is a named pipe (opening it
 * would connect to the pipe as a client, taking an instance its server waits on),
 * "\\.\COM1" a device (GetFullPathNameW turns "C:\dir\COM1" into that), "\\.\mailslot\x"
 * a mailslot. Those are never opened: nothing can be using them as a file.
 *
 * A path on another machine ("\\server\share\..." or "\\?\UNC\...") is opened on a thread
 * of its own, waited for at most RM_REMOTE_OPEN_TIMEOUT_MS: an open on a server that does
 * not answer blocks for the SMB client's own timeout (tens of seconds) per file. A server
 * that did not answer in time is not asked again in the same call. At most
 * MAX_STUCK_OPENS such threads may still be waiting at once, across calls; beyond that a
 * remote open is treated as timed out at once, so they never pile up.
 */
#include <string.h>
#include <wctype.h>

#include "resolve.h"

#define MAX_STUCK_OPENS 4

static volatile LONG stuck_opens;

static BOOL prefix_is(const WCHAR *path, const WCHAR *prefix)
{
    return !_wcsnicmp(path, prefix, wcslen(prefix));
}

static BOOL is_drive(const WCHAR *p)
{
    return iswalpha(p[0]) && p[1] == L':' && (p[2] == L'\\' || p[2] == 0);
}

enum rm_path_kind rm_path_kind(const WCHAR *path)
{
    const WCHAR *rest;

    if (path[0] != L'\\' || path[1] != L'\\')
        return RM_PATH_LOCAL;
    if ((path[2] == L'.' || path[2] == L'?') && path[3] == L'\\') {
        rest = path + 4;
        if (is_drive(rest) || prefix_is(rest, L"Volume{"))
            return RM_PATH_LOCAL;
        return prefix_is(rest, L"UNC\\") ? RM_PATH_REMOTE : RM_PATH_DEVICE;
    }
    return RM_PATH_REMOTE;
}

/* The server part of a remote path: "\\server\" or "\\?\UNC\server\"; its length. */
static size_t server_part(const WCHAR *path)
{
    const WCHAR *start = prefix_is(path, L"\\\\?\\UNC\\") || prefix_is(path, L"\\\\.\\UNC\\")
                             ? path + 8 : path + 2;
    const WCHAR *end = wcschr(start, L'\\');
    return end ? (size_t)(end - path) : wcslen(path);
}

enum { OPEN_WAITING, OPEN_DONE, OPEN_ABANDONED };

struct open_job {
    LONG refs;
    volatile LONG state;
    WCHAR *path;
    DWORD access, flags, error;
    HANDLE result;
};

static void job_release(struct open_job *job)
{
    if (InterlockedDecrement(&job->refs))
        return;
    if (job->result != INVALID_HANDLE_VALUE)
        rm_sys()->CloseHandle(job->result);  /* nobody took it */
    rm_free(job->path);
    rm_free(job);
}

static DWORD WINAPI open_thread(void *arg)
{
    struct open_job *job = arg;
    job->result = rm_sys()->CreateFileW(job->path, job->access,
                                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                        NULL, OPEN_EXISTING, job->flags, NULL);
    job->error = GetLastError();
    if (InterlockedCompareExchange(&job->state, OPEN_DONE, OPEN_WAITING) == OPEN_ABANDONED)
        InterlockedDecrement(&stuck_opens);
    job_release(job);
    return 0;
}

BOOL rm_remote_is_dead(const struct rm_remote *r, const WCHAR *path)
{
    size_t n = server_part(path);
    unsigned i;
    for (i = 0; i < r->ndead; i++)
        if (wcslen(r->dead[i]) == n && !_wcsnicmp(r->dead[i], path, n))
            return TRUE;
    return FALSE;
}

static void mark_dead(struct rm_remote *r, const WCHAR *path)
{
    size_t n = server_part(path);
    WCHAR *copy;

    if (rm_grow((void **)&r->dead, &r->cap, r->ndead + 1, sizeof(WCHAR *)) ||
        !(copy = rm_alloc_array(n + 1, sizeof(WCHAR))))
        return;  /* it will be waited for again: slower, not wrong */
    memcpy(copy, path, n * sizeof(WCHAR));
    r->dead[r->ndead++] = copy;
}

HANDLE rm_open_any(struct rm_remote *r, const WCHAR *path, DWORD access, DWORD flags,
                   BOOL *timed_out)
{
    struct open_job *job;
    HANDLE thread, h;

    *timed_out = FALSE;
    if (rm_path_kind(path) != RM_PATH_REMOTE)
        return rm_sys()->CreateFileW(path, access,
                                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                     NULL, OPEN_EXISTING, flags, NULL);
    if (rm_remote_is_dead(r, path) || stuck_opens >= MAX_STUCK_OPENS) {
        *timed_out = TRUE;
        return INVALID_HANDLE_VALUE;
    }
    if (!(job = rm_alloc(sizeof(*job))) || !(job->path = rm_alloc_array(wcslen(path) + 1, sizeof(WCHAR)))) {
        rm_free(job);
        SetLastError(ERROR_OUTOFMEMORY);
        return INVALID_HANDLE_VALUE;
    }
    wcscpy(job->path, path);
    job->access = access;
    job->flags = flags;
    job->result = INVALID_HANDLE_VALUE;
    job->state = OPEN_WAITING;
    job->refs = 2;
    if (!(thread = CreateThread(NULL, 64 * 1024, open_thread, job, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL))) {
        job->refs = 1;
        job_release(job);
        return INVALID_HANDLE_VALUE;
    }
    rm_sys()->WaitForSingleObject(thread, RM_REMOTE_OPEN_TIMEOUT_MS);
    rm_sys()->CloseHandle(thread);
    /* Counted before it is marked abandoned, so that the thread's decrement (which only
     * an abandoned job makes) can never come first. */
    InterlockedIncrement(&stuck_opens);
    if (InterlockedCompareExchange(&job->state, OPEN_ABANDONED, OPEN_WAITING) == OPEN_WAITING) {
        rm_trace("a remote open did not answer in time: its server is skipped");
        mark_dead(r, path);
        job_release(job);
        *timed_out = TRUE;
        SetLastError(ERROR_SEM_TIMEOUT);
        return INVALID_HANDLE_VALUE;
    }
    InterlockedDecrement(&stuck_opens);  /* it finished */
    h = job->result;
    job->result = INVALID_HANDLE_VALUE;  /* ours now */
    SetLastError(job->error);
    job_release(job);
    return h;
}

void rm_remote_free(struct rm_remote *r)
{
    unsigned i;
    for (i = 0; i < r->ndead; i++)
        rm_free(r->dead[i]);
    rm_free(r->dead);
    ZeroMemory(r, sizeof(*r));
}
