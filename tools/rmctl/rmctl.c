/*
 * rmctl.c - a command-line tool on top of the Restart Manager API.
 *
 *   rmctl who     [--json] RESOURCE...              who uses these files, processes, services
 *   rmctl close   [--force] [--only-registered] RESOURCE...
 *   rmctl restart [--force] [--only-registered] RESOURCE... [-- COMMAND ARGS...]
 *                 close, run COMMAND (or wait for Enter), restart what was closed
 *
 * RESOURCE: a file name, --pid PID, --service NAME or --recursive DIR (every file below
 * DIR, and the processes whose current directory is in it). Ctrl+C cancels a running close
 * or restart (RmCancelCurrentTask). Exit codes: see rmctl.h and --help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>

#include "rmctl.h"

static const wchar_t usage_text[] =
    L"usage: rmctl COMMAND [OPTIONS] RESOURCE... [-- COMMAND ARGS...]\n"
    L"\n"
    L"Commands:\n"
    L"  who       list the applications and services using the resources\n"
    L"  close     close them (windows, then consoles, then services, then Explorer)\n"
    L"  restart   close them, run COMMAND (or wait for Enter), then start them again\n"
    L"\n"
    L"Resources:\n"
    L"  FILE             a file (a DLL or exe counts when it is loaded)\n"
    L"  --pid PID        a running process\n"
    L"  --service NAME   a service, by its short name\n"
    L"  --recursive DIR  every file below the folder DIR, and the processes whose current\n"
    L"                   directory is DIR or below it\n"
    L"\n"
    L"Options:\n"
    L"  --json             who: print JSON instead of a table\n"
    L"  --max-files N      --recursive: visit at most N files per folder (default 100000)\n"
    L"  --force            close: terminate what does not close when asked\n"
    L"  --only-registered  close: close nothing unless every application can be restarted\n"
    L"  -h, --help         this text (also: rmctl COMMAND --help)\n"
    L"\n"
    L"Exit codes: 0 done, 1 bad command line, 2 not everything could be closed,\n"
    L"3 a reboot is needed (nothing was closed), 4 not everything could be restarted,\n"
    L"5 cancelled, 6 COMMAND failed, 7 a folder holds more than --max-files files,\n"
    L"10 other error.\n";

static const wchar_t *const command_help[] = {
    L"usage: rmctl who [--json] RESOURCE...\n"
    L"Lists, for each resource, the applications and services using it: PID, start time,\n"
    L"type, status, whether it can be restarted, name and service name. For --recursive DIR:\n"
    L"each one with the files below DIR it uses, and the processes sitting in DIR.\n",
    L"usage: rmctl close [--force] [--only-registered] RESOURCE...\n"
    L"Closes every application and service using the resources, politely (as Windows does\n"
    L"when it shuts down); --force terminates what does not close. They are not restarted.\n",
    L"usage: rmctl restart [--force] [--only-registered] RESOURCE... [-- COMMAND ARGS...]\n"
    L"Closes them, runs COMMAND and waits for it (without COMMAND: waits for Enter), then\n"
    L"starts again what it closed. Use it to replace files that running programs hold.\n",
};

static DWORD active_session = (DWORD)-1;

/* rmctl's standard handles as it was started with them; stdout and stderr are kept out of
 * its process parameters (see hide_std_handles). */
static HANDLE std_in, std_out, std_err;

/* Under Wine a process gets the standard handles its starter names (in STARTUPINFO, else
 * the starter's own), without handle inheritance and even when they are not inheritable
 * (measured, Wine 8.0: SetHandleInformation(HANDLE_FLAG_INHERIT, 0) changed nothing).
 * Wine's desktop process, started by the first window call of a prefix, is given our
 * stderr that way and keeps it for its whole life: a reader of our output would never see
 * EOF. So the handles live only in the C runtime (which keeps its own copy for printf),
 * and nothing started on rmctl's behalf, by Wine or the DLL, receives them. On Windows
 * nothing started on our behalf would use them either. */
static void hide_std_handles(void)
{
    std_in = GetStdHandle(STD_INPUT_HANDLE);
    std_out = GetStdHandle(STD_OUTPUT_HANDLE);
    std_err = GetStdHandle(STD_ERROR_HANDLE);
    SetStdHandle(STD_OUTPUT_HANDLE, NULL);
    SetStdHandle(STD_ERROR_HANDLE, NULL);
}

/* An inheritable copy of one of our standard handles for the COMMAND, or NULL. */
static HANDLE for_command(HANDLE h)
{
    HANDLE copy = NULL;
    if (h && h != INVALID_HANDLE_VALUE &&
        !DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &copy, 0, TRUE,
                         DUPLICATE_SAME_ACCESS))
        copy = NULL;
    return copy;
}

/* Under Wine: the desktop process, started now if none runs, gets none of our handles;
 * started later by the COMMAND of restart, it would get the command's stderr, ours. */
static void start_wine_desktop(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (ntdll && GetProcAddress(ntdll, "wine_get_version"))
        GetDesktopWindow();
}

/* Ctrl+C during close or restart: ask the DLL to stop at its next safe point. */
static BOOL WINAPI on_ctrl_c(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        return FALSE;
    if (active_session != (DWORD)-1)
        RmCancelCurrentTask(active_session);
    return TRUE;
}

static BOOL add_process(struct rmctl_request *r, const wchar_t *text)
{
    wchar_t *end;
    unsigned long pid = wcstoul(text, &end, 10);
    FILETIME start, ignored[3];
    HANDLE h;

    if (*end || !pid) {
        fwprintf(stderr, L"rmctl: --pid wants a number, not '%ls'\n", text);
        return FALSE;
    }
    h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!h || !GetProcessTimes(h, &start, &ignored[0], &ignored[1], &ignored[2])) {
        fwprintf(stderr, L"rmctl: no process with PID %lu\n", pid);
        if (h)
            CloseHandle(h);
        return FALSE;
    }
    CloseHandle(h);
    r->processes[r->nprocesses].dwProcessId = pid;
    r->processes[r->nprocesses++].ProcessStartTime = start;
    return TRUE;
}

/* Parses argv[2..]; returns -1 when the command's help was asked for. */
static int parse(int argc, wchar_t **argv, struct rmctl_request *r)
{
    int i;

    ZeroMemory(r, sizeof(*r));
    r->files = calloc((size_t)argc, sizeof(*r->files));
    r->services = calloc((size_t)argc, sizeof(*r->services));
    r->processes = calloc((size_t)argc, sizeof(*r->processes));
    r->folders = calloc((size_t)argc, sizeof(*r->folders));
    r->max_files = RMCTL_DEFAULT_MAX_FILES;
    if (!r->files || !r->services || !r->processes || !r->folders)
        return 0;
    for (i = 2; i < argc; i++) {
        const wchar_t *a = argv[i];
        if (!wcscmp(a, L"-h") || !wcscmp(a, L"--help"))
            return -1;
        else if (!wcscmp(a, L"--json"))
            r->json = TRUE;
        else if (!wcscmp(a, L"--force"))
            r->force = TRUE;
        else if (!wcscmp(a, L"--only-registered"))
            r->only_registered = TRUE;
        else if (!wcscmp(a, L"--pid") && i + 1 < argc) {
            if (!add_process(r, argv[++i]))
                return 0;
        } else if (!wcscmp(a, L"--service") && i + 1 < argc)
            r->services[r->nservices++] = argv[++i];
        else if (!wcscmp(a, L"--recursive") && i + 1 < argc)
            r->folders[r->nfolders++].name = argv[++i];
        else if (!wcscmp(a, L"--max-files") && i + 1 < argc) {
            wchar_t *end;
            r->max_files = (UINT)wcstoul(argv[++i], &end, 10);
            /* wcstoul takes "-1" as 4294967295: only digits are a number of files. */
            if (*end || !r->max_files || !iswdigit(argv[i][0])) {
                fwprintf(stderr, L"rmctl: --max-files wants a positive number, not '%ls'\n", argv[i]);
                return 0;
            }
        }
        else if (!wcscmp(a, L"--")) {
            r->command = argv + i + 1;
            r->ncommand = argc - i - 1;
            break;
        } else if (a[0] == L'-' && a[1] == L'-') {
            fwprintf(stderr, L"rmctl: unknown option %ls\n", a);
            return 0;
        } else
            r->files[r->nfiles++] = a;
    }
    if (!r->nfiles && !r->nprocesses && !r->nservices && !r->nfolders) {
        fwprintf(stderr, L"rmctl: name at least one file, --pid, --service or --recursive\n");
        return 0;
    }
    return 1;
}

/* Walks the --recursive folders and finds the processes sitting in them. */
static int find_folders(struct rmctl_request *r)
{
    UINT i;
    int code;

    for (i = 0; i < r->nfolders; i++)
        if ((code = rmctl_walk(&r->folders[i], r->max_files)))
            return code;
    if (r->nfolders && !rmctl_find_cwds(r->folders, r->nfolders)) {
        fwprintf(stderr, L"rmctl: out of memory\n");
        return RMCTL_ERROR;
    }
    return RMCTL_OK;
}

DWORD rmctl_get_list(DWORD session, RM_PROCESS_INFO **apps, UINT *n, DWORD *reasons)
{
    UINT needed = 0;
    DWORD err;
    int tries;

    *apps = NULL;
    *n = 0;
    for (tries = 0; tries < 5; tries++) {
        err = RmGetList(session, &needed, n, *apps, reasons);
        if (err != ERROR_MORE_DATA)
            return err;
        free(*apps);
        if (!(*apps = calloc(needed ? needed : 1, sizeof(**apps))))
            return ERROR_OUTOFMEMORY;
        *n = needed;
    }
    return err;
}

/* One resource alone in its own session, so each answer says which resource it is about. */
static DWORD list_one(const struct rmctl_request *r, UINT i, RM_PROCESS_INFO **apps, UINT *n,
                      wchar_t *name, size_t cap)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD session, err, reasons;
    LPCWSTR one;

    if ((err = RmStartSession(&session, 0, key)))
        return err;
    if (i < r->nfiles) {
        one = r->files[i];
        swprintf(name, cap, L"%ls", one);
        err = RmRegisterResources(session, 1, &one, 0, NULL, 0, NULL);
    } else if ((i -= r->nfiles) < r->nprocesses) {
        swprintf(name, cap, L"process %lu", r->processes[i].dwProcessId);
        err = RmRegisterResources(session, 0, NULL, 1, &r->processes[i], 0, NULL);
    } else {
        i -= r->nprocesses;
        one = r->services[i];
        swprintf(name, cap, L"service %ls", one);
        err = RmRegisterResources(session, 0, NULL, 0, NULL, 1, &one);
    }
    if (!err)
        err = rmctl_get_list(session, apps, n, &reasons);
    RmEndSession(session);
    return err;
}

static int fail(const wchar_t *what, DWORD err)
{
    fwprintf(stderr, L"rmctl: %ls: %ls (error %lu)\n", what, rmctl_error_text(err), err);
    return rmctl_exit_for(err);
}

static int cmd_who(const struct rmctl_request *r, BOOL sentences)
{
    UINT i, n, total = r->nfiles + r->nprocesses + r->nservices;
    RM_PROCESS_INFO *apps;
    wchar_t name[600];
    BOOL first = TRUE;
    DWORD err;

    if (r->json)
        wprintf(L"[");
    else if (!sentences)
        rmctl_print_table_header();
    for (i = 0; i < total; i++) {
        if ((err = list_one(r, i, &apps, &n, name, ARRAYSIZE(name)))) {
            if (r->json)
                wprintf(L"]\n");
            return fail(name, err);
        }
        if (sentences)
            rmctl_print_sentences(name, apps, n);
        else
            rmctl_print_users(name, apps, n, r->json, &first);
        free(apps);
    }
    for (i = 0; i < r->nfolders; i++) {
        struct rmctl_user *users;
        if ((err = rmctl_folder_users(&r->folders[i], &users, &n))) {
            if (r->json)
                wprintf(L"]\n");
            return fail(r->folders[i].path, err);
        }
        if (sentences)
            rmctl_print_folder_sentences(&r->folders[i], users, n);
        else
            rmctl_print_folder_users(&r->folders[i], users, n, r->json, &first);
        rmctl_free_users(users, n);
    }
    if (r->json)
        wprintf(L"%ls]\n", first ? L"" : L"\n");
    return RMCTL_OK;
}

/* The command line of COMMAND ARGS..., quoting the arguments that need it. */
static wchar_t *join_command(wchar_t **argv, int argc)
{
    size_t len = 1;
    wchar_t *cmd;
    int i;

    for (i = 0; i < argc; i++)
        len += wcslen(argv[i]) + 3;
    if (!(cmd = calloc(len, sizeof(wchar_t))))
        return NULL;
    for (i = 0; i < argc; i++) {
        BOOL quote = !argv[i][0] || wcspbrk(argv[i], L" \t");
        if (i)
            wcscat(cmd, L" ");
        if (quote)
            wcscat(cmd, L"\"");
        wcscat(cmd, argv[i]);
        if (quote)
            wcscat(cmd, L"\"");
    }
    return cmd;
}

/* Runs COMMAND and waits for it; without one, waits for Enter. */
static int between(const struct rmctl_request *r)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = 1;
    wchar_t *cmd, line[16];
    BOOL ok;

    if (!r->command || !r->ncommand) {
        wprintf(L"rmctl: the applications are closed. Press Enter to restart them.\n");
        fflush(stdout);
        fgetws(line, ARRAYSIZE(line), stdin);
        return RMCTL_OK;
    }
    if (!(cmd = join_command(r->command, r->ncommand)))
        return RMCTL_ERROR;
    wprintf(L"rmctl: running %ls\n", cmd);
    fflush(stdout);
    start_wine_desktop();
    /* The command reads and writes where rmctl does, as from a shell, whatever closing a
     * console program did to our console meanwhile (measured under Wine: without the
     * handles given here, its output was lost after one was closed). */
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = for_command(std_in);
    si.hStdOutput = for_command(std_out);
    si.hStdError = for_command(std_err);
    ok = CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    if (si.hStdInput)
        CloseHandle(si.hStdInput);
    if (si.hStdOutput)
        CloseHandle(si.hStdOutput);
    if (si.hStdError)
        CloseHandle(si.hStdError);
    if (!ok) {
        fwprintf(stderr, L"rmctl: could not run %ls (error %lu)\n", cmd, GetLastError());
        free(cmd);
        return RMCTL_COMMAND_FAILED;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);  /* the user's command: as long as it takes */
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    free(cmd);
    wprintf(L"rmctl: the command exited with %lu\n", code);
    return code ? RMCTL_COMMAND_FAILED : RMCTL_OK;
}

static void print_session(DWORD session)
{
    RM_PROCESS_INFO *apps;
    DWORD reasons;
    BOOL first = TRUE;
    UINT n;

    if (rmctl_get_list(session, &apps, &n, &reasons))
        return;
    rmctl_print_table_header();
    rmctl_print_users(L"", apps, n, FALSE, &first);
    free(apps);
}

/* Every file below the folders, and the processes sitting in them but rmctl's starters
 * (the shell it runs in is not closed under it). */
static DWORD register_folders(DWORD session, const struct rmctl_request *r)
{
    UINT i, j;
    DWORD err = ERROR_SUCCESS;

    for (i = 0; i < r->nfolders && !err; i++) {
        const struct rmctl_folder *f = &r->folders[i];
        if (f->nfiles)
            err = RmRegisterResources(session, f->nfiles, f->files, 0, NULL, 0, NULL);
        for (j = 0; j < f->ncwds && !err; j++) {
            if (f->cwds[j].starter) {
                fwprintf(stderr, L"rmctl: leaving PID %lu alone: it started rmctl (its current "
                         L"directory is %ls)\n", f->cwds[j].process.dwProcessId, f->cwds[j].dir);
                continue;
            }
            err = RmRegisterResources(session, 0, NULL, 1, &f->cwds[j].process, 0, NULL);
        }
    }
    return err;
}

static int cmd_close(const struct rmctl_request *r, BOOL restart)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD session, err;
    ULONG flags = (r->force ? RmForceShutdown : 0) | (r->only_registered ? RmShutdownOnlyRegistered : 0);
    int code;

    if ((code = cmd_who(r, TRUE)))
        return code;
    if ((err = RmStartSession(&session, 0, key)))
        return fail(L"RmStartSession", err);
    if ((err = RmRegisterResources(session, r->nfiles, r->files, r->nprocesses, r->processes,
                                   r->nservices, r->services)) ||
        (err = register_folders(session, r))) {
        RmEndSession(session);
        return fail(L"RmRegisterResources", err);
    }
    active_session = session;
    wprintf(L"rmctl: closing%ls\n", r->force ? L" (forced)" : L"");
    fflush(stdout);
    err = RmShutdown(session, flags, rmctl_progress);
    print_session(session);
    if (err) {
        code = fail(L"close", err);
    } else if (restart) {
        code = between(r);
        wprintf(L"rmctl: restarting\n");
        fflush(stdout);
        if ((err = RmRestart(session, 0, rmctl_progress))) {
            fail(L"restart", err);
            code = code ? code : (int)rmctl_exit_for(err);
        }
        print_session(session);
    }
    active_session = (DWORD)-1;
    RmEndSession(session);
    return code;
}

int wmain(int argc, wchar_t **argv)
{
    static const wchar_t *const commands[] = { L"who", L"close", L"restart" };
    struct rmctl_request r;
    int which, ok;

    hide_std_handles();  /* before anything can start a process */
    setvbuf(stderr, NULL, _IONBF, 0);  /* notes in order with the output, in a pipe too */
    if (argc < 2 || !wcscmp(argv[1], L"-h") || !wcscmp(argv[1], L"--help")) {
        fputws(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? RMCTL_USAGE : RMCTL_OK;
    }
    for (which = 0; which < 3 && wcscmp(argv[1], commands[which]); which++)
        ;
    if (which == 3) {
        fwprintf(stderr, L"rmctl: unknown command '%ls' (try rmctl --help)\n", argv[1]);
        return RMCTL_USAGE;
    }
    if ((ok = parse(argc, argv, &r)) <= 0) {
        fputws(command_help[which], ok < 0 ? stdout : stderr);
        return ok < 0 ? RMCTL_OK : RMCTL_USAGE;
    }
    SetConsoleCtrlHandler(on_ctrl_c, TRUE);
    if ((ok = find_folders(&r)))
        return ok;
    return which == 0 ? cmd_who(&r, FALSE) : cmd_close(&r, which == 2);
}
