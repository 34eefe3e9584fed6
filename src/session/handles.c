/*
 * handles.c - the process-local table from session handles (plain DWORDs, as the API has
 * them) to sessions. Handles count up from 1: never 0 (Git for Windows' installer treats
 * a 0 handle as "no session"), never RM's own 0xFFFFFFFF sentinel from the samples, and
 * never a value still open, even after the counter wraps.
 *
 * A looked-up session carries a reference, so RmEndSession on one thread cannot free it
 * under a call running on another.
 */
#include "session.h"

static SRWLOCK table_lock = SRWLOCK_INIT;
static struct rm_session **table;
static unsigned count, cap;
static DWORD next_handle = 1;

static int find(DWORD handle)
{
    unsigned i;
    for (i = 0; i < count; i++)
        if (table[i]->handle == handle)
            return (int)i;
    return -1;
}

DWORD rm_handles_add(struct rm_session *s)
{
    DWORD err = ERROR_SUCCESS;

    AcquireSRWLockExclusive(&table_lock);
    if ((err = rm_grow((void **)&table, &cap, count + 1, sizeof(*table))))
        goto out;
    while (next_handle == 0 || next_handle == 0xFFFFFFFF || find(next_handle) >= 0)
        next_handle++;
    s->handle = next_handle++;
    s->refs = 1;  /* the table's */
    table[count++] = s;
out:
    ReleaseSRWLockExclusive(&table_lock);
    return err;
}

struct rm_session *rm_handles_get(DWORD handle)
{
    struct rm_session *s = NULL;
    int i;

    AcquireSRWLockShared(&table_lock);
    if ((i = find(handle)) >= 0) {
        s = table[i];
        InterlockedIncrement(&s->refs);
    }
    ReleaseSRWLockShared(&table_lock);
    return s;
}

struct rm_session *rm_handles_remove(DWORD handle)
{
    struct rm_session *s = NULL;
    int i;

    AcquireSRWLockExclusive(&table_lock);
    if ((i = find(handle)) >= 0) {
        s = table[i];
        table[i] = table[--count];
    }
    ReleaseSRWLockExclusive(&table_lock);
    return s;
}
