/* pidset.c - the processes found so far, each once. A list: there are few of them. */
#include "../rm.h"

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
    if (rm_pidset_has(s, pid))
        return ERROR_SUCCESS;
    if (s->n == s->cap) {
        unsigned cap = s->cap ? s->cap * 2 : 16;
        DWORD *grown = rm_realloc(s->pids, cap * sizeof(DWORD));
        if (!grown)
            return ERROR_OUTOFMEMORY;
        s->pids = grown;
        s->cap = cap;
    }
    s->pids[s->n++] = pid;
    return ERROR_SUCCESS;
}

void rm_pidset_free(struct rm_pidset *s)
{
    rm_free(s->pids);
    ZeroMemory(s, sizeof(*s));
}
