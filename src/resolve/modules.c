/*
 * modules.c - processes that have a registered file loaded: as their exe image, or as a
 * DLL. Loaded images do not show up as file handles, so each process's image name and
 * module list are compared (upper-cased full paths) with the targets.
 *
 * Limit: a 32-bit DLL cannot list the modules of 64-bit processes (it still sees their
 * exe image).
 */
#include "resolve.h"

#include <tlhelp32.h>

static BOOL image_is_target(DWORD pid, const struct rm_targets *t)
{
    HANDLE h = rm_sys()->OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    WCHAR path[MAX_PATH * 2];
    DWORD len = ARRAYSIZE(path);
    BOOL hit = FALSE;

    if (!h)
        return FALSE;
    if (rm_sys()->QueryFullProcessImageNameW(h, 0, path, &len))
        hit = rm_targets_has_path(t, path);
    rm_sys()->CloseHandle(h);
    return hit;
}

static BOOL module_is_target(DWORD pid, const struct rm_targets *t)
{
    HANDLE snap = rm_sys()->CreateToolhelp32Snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32, pid);
    MODULEENTRY32W m;
    BOOL hit = FALSE, more;

    if (snap == INVALID_HANDLE_VALUE)
        return FALSE;
    m.dwSize = sizeof(m);
    for (more = rm_sys()->Module32FirstW(snap, &m); more && !hit; more = rm_sys()->Module32NextW(snap, &m))
        hit = rm_targets_has_path(t, m.szExePath);
    rm_sys()->CloseHandle(snap);
    return hit;
}

DWORD rm_modules_find(const struct rm_targets *t, struct rm_pidset *found)
{
    HANDLE snap;
    PROCESSENTRY32W p;
    DWORD err = ERROR_SUCCESS;
    BOOL more;

    if (!t->npaths)
        return ERROR_SUCCESS;
    snap = rm_sys()->CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return RM_FAIL(GetLastError(), "rm_sys()->CreateToolhelp32Snapshot(processes)");
    p.dwSize = sizeof(p);
    for (more = rm_sys()->Process32FirstW(snap, &p); more && !err; more = rm_sys()->Process32NextW(snap, &p)) {
        if (p.th32ProcessID == 0 || rm_pidset_has(found, p.th32ProcessID))
            continue;
        if (image_is_target(p.th32ProcessID, t) || module_is_target(p.th32ProcessID, t))
            err = rm_pidset_add(found, p.th32ProcessID);
    }
    rm_sys()->CloseHandle(snap);
    return err;
}
