/*
 * open_files.c - processes that hold a registered file open.
 *
 * One snapshot of the system handle table (SystemExtendedHandleInformation: full-width
 * PIDs); for each file handle a duplicate, whose file index is looked up in the targets
 * (one cheap query and a binary search). Only a handle whose index is a target's is asked
 * for its whole identity (with the volume, the costly query) to confirm the match. No
 * names are asked for, and the snapshot is taken once however many files are registered,
 * so the cost is one pass over the handles.
 *
 * Asking anything of a duplicated handle can block forever: a synchronous named pipe with
 * a read pending blocks queries on its file object. So the queries run on an inspector
 * thread and the walk waits for it with a bound. An inspector stuck on one handle for
 * RM_HANDLE_QUERY_TIMEOUT_MS is abandoned (it cleans up after itself whenever the handle
 * wakes up) and a new one carries on with the handles after it.
 *
 * Wine quirks: the table's type index for files differs from what NtQueryObject reports,
 * so it is learnt from a file handle of our own; the Object field is always NULL.
 */
#include <string.h>

#include "resolve.h"

#define CLAIM_STOP 0x40000000L

static volatile rm_index_query_fn index_query = rm_file_index;

void rm_open_files_set_query(rm_index_query_fn query)
{
    index_query = query ? query : rm_file_index;
}

/* Work shared by the walk and one inspector thread. An abandoned inspector may outlive
 * the call, so the job owns everything the inspector reads. */
struct inspect_job {
    LONG refs;                /* the walk's and the inspector's */
    unsigned count;
    HANDLE *handles;          /* duplicates; each closed by whoever finishes with it */
    DWORD *pids;
    ULONGLONG *indices;       /* the targets' file indices, sorted (the job's own copy) */
    unsigned nindices;
    struct rm_file_id *ids;   /* results, valid where ok[i]: handles with a target's index */
    BYTE *ok;
    volatile LONG claim;      /* next index to take; CLAIM_STOP: take no more */
    volatile LONG finished;   /* items done (the inspector goes in order) */
    HANDLE done;              /* the inspector has nothing more to take */
};

static void job_release(struct inspect_job *job)
{
    unsigned i;
    if (InterlockedDecrement(&job->refs))
        return;
    for (i = 0; i < job->count; i++)
        if (job->handles[i])
            rm_sys()->CloseHandle(job->handles[i]);
    if (job->done)
        rm_sys()->CloseHandle(job->done);
    rm_free(job->handles);
    rm_free(job->pids);
    rm_free(job->indices);
    rm_free(job->ids);
    rm_free(job->ok);
    rm_free(job);
}

static struct inspect_job *job_new(unsigned count, const ULONGLONG *indices, unsigned nindices)
{
    struct inspect_job *job = rm_alloc(sizeof(*job));
    if (!job)
        return NULL;
    job->refs = 1;
    job->count = count;
    job->handles = rm_alloc_array(count ? count : 1, sizeof(HANDLE));
    job->pids = rm_alloc_array(count ? count : 1, sizeof(DWORD));
    job->ids = rm_alloc_array(count ? count : 1, sizeof(struct rm_file_id));
    job->ok = rm_alloc_array(count ? count : 1, 1);
    job->indices = rm_alloc_array(nindices ? nindices : 1, sizeof(ULONGLONG));
    job->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (job->indices)
        memcpy(job->indices, indices, nindices * sizeof(ULONGLONG));
    job->nindices = nindices;
    if (!job->handles || !job->pids || !job->ids || !job->ok || !job->indices || !job->done) {
        job->count = 0;
        job_release(job);
        return NULL;
    }
    return job;
}

static BOOL job_has_index(const struct inspect_job *job, ULONGLONG index)
{
    unsigned lo = 0, hi = job->nindices;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (job->indices[mid] == index)
            return TRUE;
        if (job->indices[mid] < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return FALSE;
}

static DWORD WINAPI inspector(void *arg)
{
    struct inspect_job *job = arg;
    for (;;) {
        LONG c = job->claim;
        ULONGLONG index;
        HANDLE h;
        if ((c & CLAIM_STOP) || (unsigned)c >= job->count)
            break;
        if (InterlockedCompareExchange(&job->claim, c + 1, c) != c)
            continue;
        h = job->handles[c];
        /* Either query may block: see above. The costly one only for a likely match. */
        job->ok[c] = index_query(h, &index) && job_has_index(job, index) &&
                     rm_file_identity(h, &job->ids[c]);
        job->handles[c] = NULL;
        rm_sys()->CloseHandle(h);
        InterlockedIncrement(&job->finished);
    }
    SetEvent(job->done);
    job_release(job);
    return 0;
}

static void collect(const struct inspect_job *job, unsigned from, unsigned to,
                    struct rm_targets *t, struct rm_pidset *found, DWORD *err)
{
    unsigned i;
    for (i = from; i < to && !*err; i++)
        if (job->ok[i] && rm_targets_match(t, &job->ids[i]))
            *err = rm_pidset_add(found, job->pids[i]);
}

/* Runs inspectors over every handle of the job; abandons any that get stuck. */
static DWORD inspect_all(struct inspect_job *job, struct rm_targets *t,
                         struct rm_pidset *found)
{
    DWORD err = ERROR_SUCCESS;

    while (job) {
        struct inspect_job *rest = NULL;
        HANDLE thread;
        LONG seen = -1, claimed;
        unsigned i, finished;

        InterlockedIncrement(&job->refs);  /* the inspector's */
        thread = CreateThread(NULL, 64 * 1024, inspector, job, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (!thread) {
            job_release(job);
            job_release(job);
            return RM_FAIL(GetLastError(), "CreateThread(inspector)");
        }
        rm_sys()->CloseHandle(thread);
        while (rm_sys()->WaitForSingleObject(job->done, RM_HANDLE_QUERY_TIMEOUT_MS) == WAIT_TIMEOUT) {
            if (job->finished != seen) {
                seen = job->finished;  /* moving: wait on */
                continue;
            }
            /* Stuck on one handle: take back everything it has not claimed. */
            claimed = InterlockedOr(&job->claim, CLAIM_STOP) & ~CLAIM_STOP;
            rm_trace("a handle query blocked; moving on without it");
            if ((unsigned)claimed < job->count) {
                unsigned n = job->count - (unsigned)claimed;
                if (!(rest = job_new(n, job->indices, job->nindices))) {
                    err = ERROR_OUTOFMEMORY;
                    break;
                }
                for (i = 0; i < n; i++) {
                    rest->handles[i] = job->handles[claimed + i];
                    rest->pids[i] = job->pids[claimed + i];
                    job->handles[claimed + i] = NULL;
                }
            }
            break;
        }
        finished = (unsigned)job->finished;
        collect(job, 0, finished, t, found, &err);
        job_release(job);
        job = rest;
        if (err && job) {
            job_release(job);
            job = NULL;
        }
    }
    return err;
}

/* The size the last snapshot needed: the next one starts there, so that the buffer is
 * not much larger than the table (the memory of a call stays near the table's size). */
static volatile LONG last_snapshot_size;

/* The system handle table, in a buffer grown until it fits. */
static DWORD snapshot(struct rm_nt_handle_table **out)
{
    const struct rm_sys *nt = rm_sys();
    ULONG last = (ULONG)last_snapshot_size, size = last ? last + (last >> 3) : 1 << 16, ret = 0;
    void *buf = NULL;
    LONG status;

    *out = NULL;
    if (!nt->NtQuerySystemInformation)
        return RM_FAIL(ERROR_CALL_NOT_IMPLEMENTED, "NtQuerySystemInformation missing");
    for (;;) {
        rm_free(buf);
        if (!(buf = rm_alloc(size)))
            return ERROR_OUTOFMEMORY;
        status = nt->NtQuerySystemInformation(RM_SystemExtendedHandleInformation, buf, size, &ret);
        if (status != STATUS_INFO_LENGTH_MISMATCH)
            break;
        /* Wine quirk: ReturnLength can be 0; grow by ourselves, with room for new handles. */
        if (size > (1u << 30)) {
            rm_free(buf);
            return RM_FAIL(ERROR_OUTOFMEMORY, "handle table too large");
        }
        size = ret > size ? ret + (ret >> 3) : size * 2;
    }
    if (!RM_NT_SUCCESS(status)) {
        rm_free(buf);
        return RM_FAIL(ERROR_NOT_SUPPORTED, "SystemExtendedHandleInformation");
    }
    *out = buf;
    InterlockedExchange(&last_snapshot_size,
                        (LONG)(FIELD_OFFSET(struct rm_nt_handle_table, Handles) +
                               (*out)->NumberOfHandles * sizeof(struct rm_nt_handle_entry)));
    return ERROR_SUCCESS;
}

/* A file handle of our own, to learn which type index the table gives files. */
static HANDLE open_probe(void)
{
    WCHAR path[MAX_PATH];
    HMODULE self = NULL;

    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, (LPCWSTR)(void *)open_probe, &self);
    if (!GetModuleFileNameW(self, path, MAX_PATH))
        return INVALID_HANDLE_VALUE;
    return rm_sys()->CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, 0, NULL);
}

/* Whether the walk looks at this entry: a file handle (every handle when the type is not
 * known: the index filters them), not the System process's, not our probe. */
static BOOL wanted(const struct rm_nt_handle_entry *e, int file_type, DWORD self, HANDLE probe)
{
    if (file_type >= 0 && e->ObjectTypeIndex != file_type)
        return FALSE;
    if (e->UniqueProcessId == 0 || e->UniqueProcessId == 4)
        return FALSE;
    return !(e->UniqueProcessId == self && e->HandleValue == (ULONG_PTR)probe);
}

DWORD rm_open_files_find(struct rm_targets *t, struct rm_pidset *found)
{
    struct rm_nt_handle_table *table = NULL;
    struct inspect_job *job = NULL;
    ULONGLONG *indices = NULL;
    HANDLE probe, process = NULL;
    DWORD err, self = GetCurrentProcessId(), process_pid = 0;
    ULONG_PTR i, n;
    int file_type = -1;
    unsigned count = 0;

    if (!t->count)
        return ERROR_SUCCESS;  /* no registered file can be opened: nothing can hold one */
    probe = open_probe();
    err = snapshot(&table);
    if (err)
        goto out;
    n = table->NumberOfHandles;
    for (i = 0; i < n; i++)
        if (table->Handles[i].UniqueProcessId == self &&
            table->Handles[i].HandleValue == (ULONG_PTR)probe) {
            file_type = table->Handles[i].ObjectTypeIndex;
            break;
        }
    for (i = 0; i < n; i++)
        count += wanted(&table->Handles[i], file_type, self, probe);
    if (!(indices = rm_alloc_array(t->count, sizeof(*indices)))) {
        err = ERROR_OUTOFMEMORY;
        goto out;
    }
    for (i = 0; i < t->count; i++)
        indices[i] = t->items[i].index;  /* sorted, as the targets are */
    job = job_new(count, indices, t->count);
    rm_free(indices);
    if (!job) {
        err = ERROR_OUTOFMEMORY;
        goto out;
    }
    count = 0;
    for (i = 0; i < n && count < job->count; i++) {
        const struct rm_nt_handle_entry *e = &table->Handles[i];
        DWORD pid = (DWORD)e->UniqueProcessId;
        HANDLE dup;

        if (!wanted(e, file_type, self, probe))
            continue;
        if (pid != process_pid) {
            if (process)
                rm_sys()->CloseHandle(process);
            process_pid = pid;
            process = rm_sys()->OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
        }
        if (!process)
            continue;  /* gone, or not ours to look into */
        if (!rm_sys()->DuplicateHandle(process, (HANDLE)e->HandleValue, GetCurrentProcess(), &dup, 0,
                             FALSE, DUPLICATE_SAME_ACCESS))
            continue;  /* closed meanwhile, or not duplicable */
        job->handles[count] = dup;
        job->pids[count] = pid;
        count++;
    }
    job->count = count;
    /* The table is not needed any more: free it before the queries, so that the call's
     * memory peaks at about the table's size, not at the table and the job together. */
    rm_free(table);
    table = NULL;
    err = inspect_all(job, t, found);
    job = NULL;
out:
    if (process)
        rm_sys()->CloseHandle(process);
    if (probe != INVALID_HANDLE_VALUE)
        rm_sys()->CloseHandle(probe);
    rm_free(table);
    return err;
}
