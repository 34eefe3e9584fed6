/*
 * process.c - facts about processes that the session registry needs: creation times
 * (with the process id, the identity of a process) and whether a process still runs.
 */
#include <string.h>

#include "sys.h"
#include "../util/util.h"

BOOL rm_process_start_time(HANDLE process, FILETIME *start)
{
    FILETIME exit_time, kernel, user;
    return rm_sys()->GetProcessTimes(process, start, &exit_time, &kernel, &user);
}

FILETIME rm_process_self_start(void)
{
    FILETIME start = {0, 0};
    rm_process_start_time(GetCurrentProcess(), &start);
    return start;
}

BOOL rm_process_is_alive(DWORD pid, const FILETIME *start)
{
    HANDLE h = rm_sys()->OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    FILETIME actual;
    DWORD code;
    BOOL alive;

    if (!h)
        /* No such process: dead. Any other refusal: it exists and we may not look. */
        return GetLastError() != ERROR_INVALID_PARAMETER;
    alive = rm_process_start_time(h, &actual) &&
            actual.dwLowDateTime == start->dwLowDateTime &&
            actual.dwHighDateTime == start->dwHighDateTime &&
            rm_sys()->GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    rm_sys()->CloseHandle(h);
    return alive;
}

BOOL rm_process_facts_unopened(DWORD pid, FILETIME *start, WCHAR *name, size_t cap)
{
    const struct rm_sys *nt = rm_sys();
    ULONG size = 256 * 1024, ret = 0;
    const struct rm_nt_process_entry *e;
    BYTE *buf = NULL;
    BOOL found = FALSE;
    LONG status;
    size_t n;

    if (!nt->NtQuerySystemInformation || !cap)
        return FALSE;
    for (;;) {  /* the list grows as processes start: a few tries with room to spare */
        if (!(buf = rm_alloc(size)))
            return FALSE;
        status = nt->NtQuerySystemInformation(RM_SystemProcessInformation, buf, size, &ret);
        if (status != STATUS_INFO_LENGTH_MISMATCH || size >= (64u << 20))
            break;
        rm_free(buf);
        size = ret > size ? ret + ret / 4 : size * 2;
    }
    for (e = (const struct rm_nt_process_entry *)buf; RM_NT_SUCCESS(status) && !found;
         e = (const struct rm_nt_process_entry *)((const BYTE *)e + e->NextEntryOffset)) {
        if ((DWORD)(ULONG_PTR)e->UniqueProcessId == pid) {
            found = TRUE;
            start->dwLowDateTime = e->CreateTime.LowPart;
            start->dwHighDateTime = (DWORD)e->CreateTime.HighPart;
            n = e->ImageNameBuffer ? e->ImageNameLength / sizeof(WCHAR) : 0;
            if (n >= cap)
                n = cap - 1;
            if (n)
                memcpy(name, e->ImageNameBuffer, n * sizeof(WCHAR));
            name[n] = 0;
        }
        if (!e->NextEntryOffset || e->NextEntryOffset > size ||
            (const BYTE *)e + e->NextEntryOffset + sizeof(*e) > buf + size)
            break;
    }
    rm_free(buf);
    return found;
}
