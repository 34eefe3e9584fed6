/*
 * process.c - facts about processes that the session registry needs: creation times
 * (with the process id, the identity of a process) and whether a process still runs.
 */
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
