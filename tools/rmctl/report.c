/* report.c - rmctl's output: tables, JSON, sentences, progress and error messages. */
#include <stdio.h>
#include <wchar.h>

#include "rmctl.h"

const wchar_t *rmctl_type_name(RM_APP_TYPE type)
{
    switch (type) {
    case RmMainWindow: return L"window";
    case RmOtherWindow: return L"windows";
    case RmService: return L"service";
    case RmExplorer: return L"explorer";
    case RmConsole: return L"console";
    case RmCritical: return L"critical";
    default: return L"unknown";
    }
}

/* AppStatus is an OR of bits that tell the app's history (Stopped | Restarted): the name
 * of its latest step. */
const wchar_t *rmctl_status_name(ULONG status)
{
    static const struct { ULONG bit; const wchar_t *name; } steps[] = {
        { RmStatusRestartMasked, L"held-back" }, { RmStatusErrorOnRestart, L"not-back" },
        { RmStatusRestarted, L"restarted" }, { RmStatusShutdownMasked, L"kept" },
        { RmStatusErrorOnStop, L"not-closed" }, { RmStatusStoppedOther, L"gone" },
        { RmStatusStopped, L"stopped" }, { RmStatusRunning, L"running" },
    };
    unsigned i;
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (status & steps[i].bit)
            return steps[i].name;
    return L"unknown";
}

const wchar_t *rmctl_error_text(DWORD err)
{
    switch (err) {
    case ERROR_SUCCESS: return L"done";
    case ERROR_FAIL_SHUTDOWN: return L"some applications could not be closed (they refused, hung or ignored the request; try --force)";
    case ERROR_FAIL_NOACTION_REBOOT: return L"a reboot is needed: a critical process, another user's session, or rmctl itself uses the files; nothing was closed";
    case ERROR_FAIL_RESTART: return L"some applications could not be restarted";
    case ERROR_CANCELLED: return L"cancelled";
    case ERROR_ACCESS_DENIED: return L"access denied (is one of the names a directory?)";
    case ERROR_BAD_ARGUMENTS: return L"bad arguments";
    case ERROR_MAX_SESSIONS_REACHED: return L"too many Restart Manager sessions are open";
    case ERROR_OUTOFMEMORY: return L"out of memory";
    default: return L"failed";
    }
}

enum rmctl_exit rmctl_exit_for(DWORD err)
{
    switch (err) {
    case ERROR_SUCCESS: return RMCTL_OK;
    case ERROR_FAIL_SHUTDOWN: return RMCTL_NOT_CLOSED;
    case ERROR_FAIL_NOACTION_REBOOT: return RMCTL_REBOOT;
    case ERROR_FAIL_RESTART: return RMCTL_NOT_RESTARTED;
    case ERROR_CANCELLED: return RMCTL_CANCELLED;
    default: return RMCTL_ERROR;
    }
}

/* A FILETIME as the 100 ns count it is, which JSON readers can compare exactly. */
static unsigned long long ticks(FILETIME t)
{
    return ((unsigned long long)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

static void json_string(const wchar_t *s)
{
    putwchar(L'"');
    for (; *s; s++) {
        if (*s == L'"' || *s == L'\\')
            wprintf(L"\\%lc", *s);
        else if (*s < 0x20)
            wprintf(L"\\u%04x", (unsigned)*s);
        else
            putwchar(*s);
    }
    putwchar(L'"');
}

void rmctl_print_table_header(void)
{
    wprintf(L"%-6ls %-8ls %-8ls %-10ls %-7ls %-20ls %ls\n", L"PID", L"STARTED", L"TYPE",
            L"STATUS", L"RESTART", L"NAME", L"SERVICE / RESOURCE");
}

void rmctl_print_users(const wchar_t *resource, const RM_PROCESS_INFO *apps, UINT n, BOOL json,
                       BOOL *first)
{
    UINT i;

    for (i = 0; i < n; i++) {
        const RM_PROCESS_INFO *a = &apps[i];
        if (json) {
            wprintf(L"%ls\n  {\"resource\": ", *first ? L"" : L",");
            json_string(resource);
            wprintf(L", \"pid\": %lu, \"start_time\": %llu, \"type\": \"%ls\", \"status\": \"%ls\", "
                    L"\"restartable\": %ls, \"session\": %ld, \"name\": ",
                    a->Process.dwProcessId, ticks(a->Process.ProcessStartTime),
                    rmctl_type_name(a->ApplicationType), rmctl_status_name(a->AppStatus),
                    a->bRestartable ? L"true" : L"false", (long)a->TSSessionId);
            json_string(a->strAppName);
            wprintf(L", \"service\": ");
            json_string(a->strServiceShortName);
            wprintf(L"}");
            *first = FALSE;
        } else {
            SYSTEMTIME utc, local;
            wchar_t started[32] = L"-";
            /* The time of day is enough to tell a restarted process; JSON has it whole. */
            if (FileTimeToSystemTime(&a->Process.ProcessStartTime, &utc) &&
                SystemTimeToTzSpecificLocalTime(NULL, &utc, &local))
                swprintf(started, 32, L"%02u:%02u:%02u", local.wHour, local.wMinute, local.wSecond);
            wprintf(L"%-6lu %-8ls %-8ls %-10ls %-7ls %-20ls %ls%ls%ls\n", a->Process.dwProcessId,
                    started, rmctl_type_name(a->ApplicationType), rmctl_status_name(a->AppStatus),
                    a->bRestartable ? L"yes" : L"no", a->strAppName, a->strServiceShortName,
                    a->strServiceShortName[0] && resource[0] ? L" / " : L"", resource);
        }
    }
}

void rmctl_print_sentences(const wchar_t *resource, const RM_PROCESS_INFO *apps, UINT n)
{
    UINT i;
    if (!n)
        wprintf(L"%ls is not used by any application\n", resource);
    for (i = 0; i < n; i++) {
        if (apps[i].strServiceShortName[0])
            wprintf(L"%ls is used by the service %ls (%ls, PID %lu)\n", resource,
                    apps[i].strServiceShortName, apps[i].strAppName, apps[i].Process.dwProcessId);
        else
            wprintf(L"%ls is used by %ls (PID %lu)\n", resource, apps[i].strAppName,
                    apps[i].Process.dwProcessId);
    }
}

void rmctl_progress(UINT percent)
{
    wchar_t bar[21];
    UINT i, filled = percent > 100 ? 20 : percent / 5;

    for (i = 0; i < 20; i++)
        bar[i] = i < filled ? L'#' : L'.';
    bar[20] = 0;
    fwprintf(stderr, L"\r[%ls] %3u%%%ls", bar, percent, percent >= 100 ? L"\n" : L"");
    fflush(stderr);
}
