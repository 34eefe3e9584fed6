/*
 * services.c - the running services a session affects: those registered by short name,
 * every service hosted in a process found to use a registered file, and, transitively,
 * the running services that depend on any of those (stopping a service stops them too).
 *
 * Dependencies are read from each service's `DependOnService` registry value, the store
 * the SCM itself uses: EnumDependentServicesW is a stub in Wine, and reading the registry
 * works the same on Windows. Load-order groups (`DependOnGroup`) are not followed.
 */
#include "resolve.h"

#include <string.h>

/* Hosting one of these makes a process critical (critical-system-services in the docs). */
static const WCHAR *const critical_services[] = { L"RpcSs", L"DcomLaunch", L"PlugPlay" };

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services\\"

DWORD rm_services_running(SC_HANDLE scm, struct rm_running_services *out)
{
    DWORD needed = 0, count = 0, size = 0, err = ERROR_SUCCESS;
    BYTE *buf = NULL;
    int tries;

    ZeroMemory(out, sizeof(*out));
    /* The list can grow between the two calls; retry a few times with the larger size. */
    for (tries = 0; tries < 4; tries++) {
        if (rm_sys()->EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
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

DWORD rm_service_dependencies(const WCHAR *svc, WCHAR **out)
{
    WCHAR path[ARRAYSIZE(SERVICES_KEY) + 260], *deps = NULL;
    DWORD type, size = 0, err = ERROR_SUCCESS;
    HKEY key;

    *out = NULL;
    if (wcslen(svc) >= 256)
        return ERROR_SUCCESS;
    wcscpy(path, SERVICES_KEY);
    wcscat(path, svc);
    if (rm_sys()->RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, &key))
        return ERROR_SUCCESS;
    if (!rm_sys()->RegQueryValueExW(key, L"DependOnService", NULL, &type, NULL, &size) &&
        type == REG_MULTI_SZ && size >= sizeof(WCHAR)) {
        if (!(deps = rm_alloc(size + 2 * sizeof(WCHAR))))  /* zeroed: always doubly terminated */
            err = ERROR_OUTOFMEMORY;
        else if (rm_sys()->RegQueryValueExW(key, L"DependOnService", NULL, NULL, (BYTE *)deps, &size)) {
            rm_free(deps);
            deps = NULL;
        }
    }
    rm_sys()->RegCloseKey(key);
    *out = deps;
    return err;
}

BOOL rm_service_list_has(const WCHAR *list, const WCHAR *name)
{
    const WCHAR *d;
    for (d = list; d && *d; d += wcslen(d) + 1)
        if (!_wcsicmp(d, name))
            return TRUE;
    return FALSE;
}

/* TRUE if a dependency list names a service of the set. */
static BOOL names_any(const WCHAR *deps, const struct rm_services *set)
{
    unsigned i;
    for (i = 0; i < set->count; i++)
        if (rm_service_list_has(deps, set->items[i].name))
            return TRUE;
    return FALSE;
}

static BOOL in_set(const struct rm_services *set, const WCHAR *name)
{
    unsigned i;
    for (i = 0; i < set->count; i++)
        if (!_wcsicmp(set->items[i].name, name))
            return TRUE;
    return FALSE;
}

/* Whether we may stop and start it, and whether it stops at all. */
static void check_control(SC_HANDLE scm, struct rm_service *s, DWORD controls)
{
    SC_HANDLE h = rm_sys()->OpenServiceW(scm, s->name, SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS);
    if (h)
        rm_sys()->CloseServiceHandle(h);
    else
        s->denied = GetLastError() == ERROR_ACCESS_DENIED;
    s->unstoppable = !(controls & SERVICE_ACCEPT_STOP);
}

static DWORD add(struct rm_services *set, SC_HANDLE scm, const struct rm_running_services *all,
                 DWORD i)
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
    rm_copy_text(s->name, ARRAYSIZE(s->name), e->lpServiceName);
    rm_copy_text(s->display, ARRAYSIZE(s->display),
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

/* Adds, round after round, the running services whose dependencies name one in the set.
 * Each service's DependOnService is read once, the first time it is needed. */
static DWORD add_dependents(struct rm_services *set, SC_HANDLE scm,
                            const struct rm_running_services *all)
{
    WCHAR **deps = rm_alloc_array(all->count + 1, sizeof(WCHAR *));
    BOOL *read = rm_alloc_array(all->count + 1, sizeof(BOOL));
    DWORD err = deps && read ? ERROR_SUCCESS : ERROR_OUTOFMEMORY, i;
    unsigned before;

    do {
        before = set->count;
        for (i = 0; i < all->count && !err; i++) {
            if (!is_running(&all->items[i]) || in_set(set, all->items[i].lpServiceName))
                continue;
            if (!read[i] && !(err = rm_service_dependencies(all->items[i].lpServiceName, &deps[i])))
                read[i] = TRUE;
            if (!err && names_any(deps[i], set))
                err = add(set, scm, all, i);
        }
    } while (!err && set->count != before);
    for (i = 0; deps && i < all->count; i++)
        rm_free(deps[i]);
    rm_free(deps);
    rm_free(read);
    return err;
}

DWORD rm_services_find(const struct rm_registrations *r, const struct rm_pidset *found,
                       struct rm_services *out)
{
    struct rm_running_services all;
    SC_HANDLE scm;
    DWORD err = ERROR_SUCCESS, i;
    unsigned k;

    ZeroMemory(out, sizeof(*out));
    if (!r->nservices && !found->n)
        return ERROR_SUCCESS;
    /* No SCM to ask (a stripped-down system): no service can be affected. */
    if (!(scm = rm_sys()->OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE)))
        return ERROR_SUCCESS;
    if ((err = rm_services_running(scm, &all))) {
        rm_sys()->CloseServiceHandle(scm);
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
    if (!err && out->count)
        err = add_dependents(out, scm, &all);

    rm_free(all.items);
    rm_sys()->CloseServiceHandle(scm);
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
