/*
 * users.c - who uses which file below a --recursive folder. RmGetList answers for a whole
 * session, not per file. So all files go into one session; when anybody uses them, the list
 * is halved into two sessions, and so on, down to single files, only along halves that have
 * users (when the first half has none, the second has them all, unasked): k used files out
 * of n cost at most 2 k log2(n / k) + 1 RmGetList calls, and an unused folder one call. The
 * processes whose current directory is in the folder are registered as processes, in one
 * more session, for their names and types.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rmctl.h"

struct users {
    struct rmctl_user *items;
    UINT n, cap;
};

static BOOL same_user(const RM_PROCESS_INFO *a, const RM_PROCESS_INFO *b)
{
    return a->Process.dwProcessId == b->Process.dwProcessId &&
           !CompareFileTime(&a->Process.ProcessStartTime, &b->Process.ProcessStartTime) &&
           !wcscmp(a->strServiceShortName, b->strServiceShortName);
}

/* The entry of this application (or service), made when it is new; NULL on no memory. */
static struct rmctl_user *user_of(struct users *u, const RM_PROCESS_INFO *info)
{
    UINT i;
    for (i = 0; i < u->n; i++)
        if (same_user(&u->items[i].info, info))
            return &u->items[i];
    if (u->n == u->cap) {
        UINT cap = u->cap ? u->cap * 2 : 8;
        struct rmctl_user *grown = realloc(u->items, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        u->items = grown;
        u->cap = cap;
    }
    memset(&u->items[u->n], 0, sizeof(u->items[u->n]));
    u->items[u->n].info = *info;
    return &u->items[u->n++];
}

static BOOL add_file(struct rmctl_user *user, LPCWSTR file)
{
    if (user->nfiles == user->cap) {
        UINT cap = user->cap ? user->cap * 2 : 4;
        LPCWSTR *grown = realloc(user->files, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        user->files = grown;
        user->cap = cap;
    }
    user->files[user->nfiles++] = file;
    return TRUE;
}

/* Who uses any of these files (or processes), in a session of its own. */
static DWORD list_users(LPCWSTR *files, UINT nfiles, RM_UNIQUE_PROCESS *procs, UINT nprocs,
                        RM_PROCESS_INFO **apps, UINT *n)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD session, err, reasons;

    *apps = NULL;
    *n = 0;
    if ((err = RmStartSession(&session, 0, key)))
        return err;
    if (!(err = RmRegisterResources(session, nfiles, files, nprocs, procs, 0, NULL)))
        err = rmctl_get_list(session, apps, n, &reasons);
    RmEndSession(session);
    return err;
}

/* files[0..n) have these users: down to single files, halves with users only. */
static DWORD split(struct users *u, LPCWSTR *files, UINT n, const RM_PROCESS_INFO *apps, UINT napps)
{
    RM_PROCESS_INFO *half_apps;
    UINT i, half, nhalf = 0;
    DWORD err = ERROR_SUCCESS;

    if (!napps)
        return ERROR_SUCCESS;
    if (n == 1) {
        for (i = 0; i < napps; i++) {
            struct rmctl_user *user = user_of(u, &apps[i]);
            if (!user || !add_file(user, files[0]))
                return ERROR_OUTOFMEMORY;
        }
        return ERROR_SUCCESS;
    }
    for (half = 0; half < 2 && !err; half++) {
        LPCWSTR *part = files + (half ? n / 2 : 0);
        UINT count = half ? n - n / 2 : n / 2;
        if (half && !nhalf)  /* nobody uses the first half: these users are all the second's */
            return split(u, part, count, apps, napps);
        if (!(err = list_users(part, count, NULL, 0, &half_apps, &nhalf)))
            err = split(u, part, count, half_apps, nhalf);
        free(half_apps);
    }
    return err;
}

DWORD rmctl_folder_users(const struct rmctl_folder *f, struct rmctl_user **users, UINT *n)
{
    struct users u = { 0 };
    RM_PROCESS_INFO *apps = NULL;
    RM_UNIQUE_PROCESS *procs = NULL;
    UINT napps = 0, i, j;
    DWORD err = ERROR_SUCCESS;

    if (f->nfiles && !(err = list_users(f->files, f->nfiles, NULL, 0, &apps, &napps)))
        err = split(&u, f->files, f->nfiles, apps, napps);
    free(apps);
    apps = NULL;
    if (!err && f->ncwds) {
        if (!(procs = calloc(f->ncwds, sizeof(*procs))))
            err = ERROR_OUTOFMEMORY;
        for (i = 0; !err && i < f->ncwds; i++)
            procs[i] = f->cwds[i].process;
        if (!err)
            err = list_users(NULL, 0, procs, f->ncwds, &apps, &napps);
        /* Every entry of such a process (a service host has one per service) sits there. */
        for (i = 0; !err && i < napps; i++)
            for (j = 0; j < f->ncwds; j++)
                if (apps[i].Process.dwProcessId == f->cwds[j].process.dwProcessId &&
                    !CompareFileTime(&apps[i].Process.ProcessStartTime,
                                     &f->cwds[j].process.ProcessStartTime)) {
                    struct rmctl_user *user = user_of(&u, &apps[i]);
                    if (!user)
                        err = ERROR_OUTOFMEMORY;
                    else
                        user->cwd = f->cwds[j].dir;
                }
        free(apps);
        free(procs);
    }
    if (err) {
        rmctl_free_users(u.items, u.n);
        u.items = NULL;
        u.n = 0;
    }
    *users = u.items;
    *n = u.n;
    return err;
}

void rmctl_free_users(struct rmctl_user *users, UINT n)
{
    UINT i;
    for (i = 0; i < n; i++)
        free(users[i].files);
    free(users);
}
