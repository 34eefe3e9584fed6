/* pidset.c - the processes found so far, each once. A list: there are few of them. */
#include "resolve.h"

BOOL rm_pidset_has(const struct rm_pidset *s, DWORD pid)
{
    unsigned i;
    for (i = 0; i < s->n; i++)
        if (s->pids[i] == pid)
            return TRUE;
    return FALSE;
}

DWORD rm_pidset_add(struct rm_pidset *s, DWORD pid)
{
    DWORD err;

    if (rm_pidset_has(s, pid))
        return ERROR_SUCCESS;
    if (!(err = rm_grow((void **)&s->pids, &s->cap, s->n + 1, sizeof(DWORD))))
        s->pids[s->n++] = pid;
    return err;
}

void rm_pidset_free(struct rm_pidset *s)
{
    rm_free(s->pids);
    ZeroMemory(s, sizeof(*s));
}
