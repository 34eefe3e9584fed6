/*
 * services.c - the running services a session affects: those registered by short name,
 * every service hosted in a process found to use a registered file, and, transitively,
 * the running services that depend on any of those (stopping a service stops them too).
 *
 * Dependencies are read from each service's `DependOnService` registry value, the store
 * the SCM itself uses: EnumDependentServicesW is a stub in Wine, and reading the registry
 * works the same on Windows. Load-order groups (`DependOnGroup`) are not followed.
 */
#include "../rm.h"

#include <string.h>

/* Hosting one of these makes a process critical (critical-system-services in the docs). */
static const WCHAR *const critical_services[] = { L"RpcSs", L"DcomLaunch", L"PlugPlay" };

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services\\"

struct running {
    ENUM_SERVICE_STATUS_PROCESSW *items;  /* in one buffer with their strings */
    DWORD count;
};

/* Every running Win32 service with the process hosting it. */
static DWORD list_running(SC_HANDLE scm, struct running *out)
{
    DWORD needed = 0, count = 0, size = 0, err = ERROR_SUCCESS;
    BYTE *buf = NULL;
    int tries;

    ZeroMemory(out, sizeof(*out));
    /* The list can grow between the two calls; retry a few times with the larger size. */
    for (tries = 0; tries < 4; tries++) {
        if (EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
                                  buf, size, &needed, &count, NULL, NULL)) {
            out->items = (ENUM_SERVICE_STATUS_PROCESSW *)buf;
            out->count = count;
            return ERROR_SUCCESS;
        }
        if ((err = GetLastError()) != ERROR_MORE_DATA)
            break;
        rm_free(buf);
        size = needed + 4096;
        if (!(buf = rm_alloc(size)))
            return ERROR_OUTOFMEMORY;
    }
    rm_free(buf);
    return RM_FAIL(err, "EnumServicesStatusExW");
}

static BOOL is_critical_name(const WCHAR *name)
{
    unsigned i;
    for (i = 0; i < ARRAYSIZE(critical_services); i++)
        if (!_wcsicmp(name, critical_services[i]))
            return TRUE;
    return FALSE;
}

/* The DependOnService value of a service (a doubly NUL-terminated list), rm_alloc'ed, in
 * *out; NULL when it has none. ERROR_OUTOFMEMORY only when it has one we could not read
 * for want of memory: never a silent "no dependencies". */
static DWORD dependencies_of(const WCHAR *svc, WCHAR **out)
{
    WCHAR path[ARRAYSIZE(SERVICES_KEY) + 260], *deps = NULL;
    DWORD type, size = 0, err = ERROR_SUCCESS;
    HKEY key;

    *out = NULL;
    if (wcslen(svc) >= 256)
        return ERROR_SUCCESS;
    wcscpy(path, SERVICES_KEY);
    wcscat(path, svc);
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, &key))
        return ERROR_SUCCESS;
    if (!RegQueryValueExW(key, L"DependOnService", NULL, &type, NULL, &size) &&
        type == REG_MULTI_SZ && size >= sizeof(WCHAR)) {
        if (!(deps = rm_alloc(size + 2 * sizeof(WCHAR))))  /* zeroed: always doubly terminated */
            err = ERROR_OUTOFMEMORY;
        else if (RegQueryValueExW(key, L"DependOnService", NULL, NULL, (BYTE *)deps, &size)) {
            rm_free(deps);
            deps = NULL;
        }
    }
    RegCloseKey(key);
    *out = deps;
    return err;
}

/* Used to order stops only: out of memory reads as "no", and the SCM then refuses to stop
 * a service whose dependent still runs (ErrorOnStop), rather than anything going wrong. */
BOOL rm_service_depends_on(const WCHAR *svc, const WCHAR *other)
{
    WCHAR *deps, *d;
    BOOL hit = FALSE;

    dependencies_of(svc, &deps);
    for (d = deps; d && *d && !hit; d += wcslen(d) + 1)
        hit = !_wcsicmp(d, other);
    rm_free(deps);
    return hit;
}

/* *hit: the running service `svc` depends on a service of the set. */
static DWORD depends_on_any(const WCHAR *svc, const struct rm_services *set, BOOL *hit)
{
    WCHAR *deps, *d;
    DWORD err = dependencies_of(svc, &deps);
    unsigned i;

    *hit = FALSE;
    for (d = deps; d && *d && !*hit; d += wcslen(d) + 1)
        for (i = 0; i < set->count && !*hit; i++)
            *hit = !_wcsicmp(d, set->items[i].name);
    rm_free(deps);
    return err;
}

static BOOL in_set(const struct rm_services *set, const WCHAR *name)
{
    unsigned i;
    for (i = 0; i < set->count; i++)
        if (!_wcsicmp(set->items[i].name, name))
            return TRUE;
    return FALSE;
}

static void copy_truncated(WCHAR *dst, size_t cap, const WCHAR *src)
{
    size_t i;
    for (i = 0; i + 1 < cap && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

/* Whether we may stop and start it, and whether it stops at all. */
static void check_control(SC_HANDLE scm, struct rm_service *s, DWORD controls)
{
    SC_HANDLE h = OpenServiceW(scm, s->name, SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS);
    if (h)
        CloseServiceHandle(h);
    else
        s->denied = GetLastError() == ERROR_ACCESS_DENIED;
    s->unstoppable = !(controls & SERVICE_ACCEPT_STOP);
}

static DWORD add(struct rm_services *set, SC_HANDLE scm, const struct running *all, DWORD i)
{
    const ENUM_SERVICE_STATUS_PROCESSW *e = &all->items[i];
    struct rm_service *s;
    DWORD err, j;

    if (in_set(set, e->lpServiceName))
        return ERROR_SUCCESS;
    if ((err = rm_grow((void **)&set->items, &set->cap, set->count + 1, sizeof(*s))))
        return err;
    s = &set->items[set->count++];
    ZeroMemory(s, sizeof(*s));
    /* The full name for the SCM; RM_PROCESS_INFO gets it cut to CCH_RM_MAX_SVC_NAME. */
    copy_truncated(s->name, ARRAYSIZE(s->name), e->lpServiceName);
    copy_truncated(s->display, ARRAYSIZE(s->display),
                   e->lpDisplayName && e->lpDisplayName[0] ? e->lpDisplayName : e->lpServiceName);
    s->pid = e->ServiceStatusProcess.dwProcessId;
    check_control(scm, s, e->ServiceStatusProcess.dwControlsAccepted);
    /* A process that hosts a critical service is critical, whatever else it hosts. */
    for (j = 0; j < all->count; j++)
        if (all->items[j].ServiceStatusProcess.dwProcessId == s->pid &&
            is_critical_name(all->items[j].lpServiceName))
            s->critical = TRUE;
    return ERROR_SUCCESS;
}

static BOOL is_running(const ENUM_SERVICE_STATUS_PROCESSW *e)
{
    return e->ServiceStatusProcess.dwCurrentState != SERVICE_STOPPED &&
           e->ServiceStatusProcess.dwProcessId != 0;
}

DWORD rm_services_find(const struct rm_registrations *r, const struct rm_pidset *found,
                       struct rm_services *out)
{
    struct running all;
    SC_HANDLE scm;
    DWORD err = ERROR_SUCCESS, i;
    unsigned k, before;

    ZeroMemory(out, sizeof(*out));
    if (!r->nservices && !found->n)
        return ERROR_SUCCESS;
    /* No SCM to ask (a stripped-down system): no service can be affected. */
    if (!(scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE)))
        return ERROR_SUCCESS;
    if ((err = list_running(scm, &all))) {
        CloseServiceHandle(scm);
        return err;
    }
    for (i = 0; i < all.count && !err; i++) {
        const ENUM_SERVICE_STATUS_PROCESSW *e = &all.items[i];
        BOOL registered = FALSE;
        if (!is_running(e))
            continue;
        for (k = 0; k < r->nservices && !registered; k++)
            registered = !_wcsicmp(r->services[k], e->lpServiceName);
        if (registered || rm_pidset_has(found, e->ServiceStatusProcess.dwProcessId))
            err = add(out, scm, &all, i);
    }
    /* Dependents, until no running service depends on one in the set. */
    do {
        before = out->count;
        for (i = 0; i < all.count && !err && out->count; i++) {
            BOOL hit;
            if (is_running(&all.items[i]) && !in_set(out, all.items[i].lpServiceName) &&
                !(err = depends_on_any(all.items[i].lpServiceName, out, &hit)) && hit)
                err = add(out, scm, &all, i);
        }
    } while (!err && out->count != before);

    rm_free(all.items);
    CloseServiceHandle(scm);
    if (err)
        rm_services_free(out);
    return err;
}

BOOL rm_services_hosted_by(const struct rm_services *s, DWORD pid)
{
    unsigned i;
    for (i = 0; i < s->count; i++)
        if (s->items[i].pid == pid)
            return TRUE;
    return FALSE;
}

void rm_services_free(struct rm_services *s)
{
    rm_free(s->items);
    ZeroMemory(s, sizeof(*s));
}
