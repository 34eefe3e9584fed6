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
    case ERROR_ACCESS_DENIED: return L"access denied (is one of the names a folder? --recursive FOLDER looks inside one)";
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

/* One JSON object, without its closing brace (a folder's entry adds members). */
static void json_entry(const wchar_t *resource, const RM_PROCESS_INFO *a, BOOL *first)
{
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
    *first = FALSE;
}

/* One table row, ending in the service and the resource. */
static void table_row(const wchar_t *resource, const RM_PROCESS_INFO *a)
{
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

void rmctl_print_users(const wchar_t *resource, const RM_PROCESS_INFO *apps, UINT n, BOOL json,
                       BOOL *first)
{
    UINT i;

    for (i = 0; i < n; i++) {
        if (json) {
            json_entry(resource, &apps[i], first);
            wprintf(L"}");
        } else {
            table_row(resource, &apps[i]);
        }
    }
}

/* Where a row's last column starts: the widths of rmctl_print_table_header's columns. */
#define RESOURCE_COLUMN 65

void rmctl_print_folder_users(const struct rmctl_folder *f, const struct rmctl_user *users, UINT n,
                              BOOL json, BOOL *first)
{
    wchar_t cwd[MAX_PATH + 16];
    UINT i, j;

    for (i = 0; i < n; i++) {
        const struct rmctl_user *u = &users[i];
        if (json) {
            json_entry(f->path, &u->info, first);
            wprintf(L", \"files\": [");
            for (j = 0; j < u->nfiles; j++) {
                wprintf(j ? L", " : L"");
                json_string(u->files[j]);
            }
            wprintf(L"], \"current_directory\": ");
            if (u->cwd)
                json_string(u->cwd);
            else
                wprintf(L"null");
            wprintf(L"}");
            continue;
        }
        /* The first file (or the directory it sits in) on the row, the others below it. */
        swprintf(cwd, ARRAYSIZE(cwd), L"current directory %ls", u->cwd ? u->cwd : L"");
        table_row(u->nfiles ? u->files[0] : cwd, &u->info);
        for (j = 1; j < u->nfiles; j++)
            wprintf(L"%*ls%ls\n", RESOURCE_COLUMN, L"", u->files[j]);
        if (u->cwd && u->nfiles)
            wprintf(L"%*ls%ls\n", RESOURCE_COLUMN, L"", cwd);
    }
}

/* Files named per application in close's sentences; more are counted. */
#define SENTENCES_PER_USER 10

void rmctl_print_folder_sentences(const struct rmctl_folder *f, const struct rmctl_user *users,
                                  UINT n)
{
    UINT i, j;

    if (!n)
        wprintf(L"%ls: nothing below it is used, and no process sits in it\n", f->path);
    for (i = 0; i < n; i++) {
        const struct rmctl_user *u = &users[i];
        for (j = 0; j < u->nfiles && j < SENTENCES_PER_USER; j++)
            rmctl_print_sentences(u->files[j], &u->info, 1);
        if (u->nfiles > SENTENCES_PER_USER)
            wprintf(L"... and %u more files below %ls are used by %ls (PID %lu)\n",
                    u->nfiles - SENTENCES_PER_USER, f->path, u->info.strAppName,
                    u->info.Process.dwProcessId);
        if (u->cwd)
            wprintf(L"%ls is the current directory of %ls (PID %lu)\n", u->cwd,
                    u->info.strAppName, u->info.Process.dwProcessId);
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
