/*
 * test_RmGetList_identity.c - a process that uses a registered file as a loaded DLL or as
 * its exe image is listed whatever spelling either side used (8.3 or long, \\?\ and \\.\,
 * case, slashes and "..", another name of the same file) and whichever the bitness of the
 * caller and of the process; a file of the same name that is another file is not. Issue 13.
 *
 * Each case starts real loader processes (rmfixture load) and registers one spelling.
 */
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "holders.h"

struct loader {
    HANDLE process;
    DWORD pid;
};

/* "EXE load DLL READY" (exe NULL: rmfixture.exe beside us). */
static struct loader start_loader(const wchar_t *exe, const wchar_t *dll)
{
    wchar_t ready_name[64];
    HANDLE ready = tu_event(ready_name);
    struct loader l;

    if (exe)
        l.process = tu_spawn_exe(exe, L"load \"%ls\" %ls", dll, ready_name);
    else
        l.process = tu_spawn_fixture(L"load \"%ls\" %ls", dll, ready_name);
    assert_non_null(l.process);
    assert_true(tu_wait_event(ready, l.process));
    CloseHandle(ready);
    l.pid = GetProcessId(l.process);
    return l;
}

static void stop_loader(struct loader *l)
{
    TerminateProcess(l->process, 0);
    WaitForSingleObject(l->process, TU_WAIT_MS);
    CloseHandle(l->process);
}

/* The PIDs RmGetList lists for one registered path, in a session of their own. */
static UINT list_for(const wchar_t *path, DWORD *pids, UINT cap)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1] = {path};
    RM_PROCESS_INFO *apps;
    DWORD h, reasons;
    UINT n, i;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    for (i = 0; i < n; i++) {
        print_message("  %ls: %lu %ls type %d\n", path, apps[i].Process.dwProcessId,
                      apps[i].strAppName, apps[i].ApplicationType);
        if (i < cap)
            pids[i] = apps[i].Process.dwProcessId;
    }
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    return n;
}

static BOOL listed(const wchar_t *path, DWORD pid, UINT *count)
{
    DWORD pids[16];
    UINT n = list_for(path, pids, 16), i;
    if (count)
        *count = n;
    for (i = 0; i < n && i < 16; i++)
        if (pids[i] == pid)
            return TRUE;
    print_error("%lu is not listed for %ls (%u listed)\n", pid, path, n);
    return FALSE;
}

/* A folder (one left by an earlier run that failed half-way will do). */
static BOOL make_dir(const wchar_t *dir)
{
    return CreateDirectoryW(dir, NULL) || GetLastError() == ERROR_ALREADY_EXISTS;
}

/* A folder with a space in its name and a DLL with a long name: both have 8.3 names that
 * differ from the long ones (where the volume makes 8.3 names at all). */
struct case_files {
    wchar_t dir[MAX_PATH], dll[MAX_PATH], short_dll[MAX_PATH];
};

static BOOL make_case(struct case_files *c, const wchar_t *source_dll)
{
    wchar_t src[MAX_PATH];
    tu_temp_path(c->dir, L"Virtual Module");
    assert_true(make_dir(c->dir));
    _snwprintf(c->dll, MAX_PATH, L"%ls\\module64 long name.dll", c->dir);
    if (!source_dll) {
        tu_bin_path(src, L"rmfixture_dll.dll");
        source_dll = src;
    }
    assert_true(CopyFileW(source_dll, c->dll, FALSE));
    assert_true(GetShortPathNameW(c->dll, c->short_dll, MAX_PATH) > 0);
    return _wcsicmp(c->dll, c->short_dll) != 0;
}

static void remove_case(struct case_files *c)
{
    DeleteFileW(c->dll);
    RemoveDirectoryW(c->dir);
}

/* Case 1 of the issue, both directions: loaded by the 8.3 name, registered by the long
 * one, and the other way round. */
static void test_identity_short_and_long_names(void **state)
{
    struct case_files c;
    struct loader by_short, by_long;
    UINT n;
    (void)state;

    if (!make_case(&c, NULL)) {
        remove_case(&c);
        skip();  /* this volume makes no 8.3 names */
    }
    print_message("long %ls, 8.3 %ls\n", c.dll, c.short_dll);
    by_short = start_loader(NULL, c.short_dll);
    by_long = start_loader(NULL, c.dll);
    assert_true(listed(c.dll, by_short.pid, &n));
    assert_true(listed(c.dll, by_long.pid, NULL));
    assert_int_equal(n, 2);
    assert_true(listed(c.short_dll, by_long.pid, &n));
    assert_true(listed(c.short_dll, by_short.pid, NULL));
    assert_int_equal(n, 2);
    stop_loader(&by_short);
    stop_loader(&by_long);
    remove_case(&c);
}

/* Case 2: registered with the \\?\ prefix (and \\.\), loaded by the plain path; and loaded
 * with the prefix, registered plainly. */
static void test_identity_device_prefixes(void **state)
{
    struct case_files c;
    struct loader plain, prefixed;
    wchar_t long_prefix[MAX_PATH + 8], device[MAX_PATH + 8];
    UINT n;
    (void)state;

    make_case(&c, NULL);
    _snwprintf(long_prefix, ARRAYSIZE(long_prefix), L"\\\\?\\%ls", c.dll);
    _snwprintf(device, ARRAYSIZE(device), L"\\\\.\\%ls", c.dll);
    plain = start_loader(NULL, c.dll);
    prefixed = start_loader(NULL, long_prefix);
    assert_true(listed(long_prefix, plain.pid, &n));
    assert_true(listed(long_prefix, prefixed.pid, NULL));
    assert_int_equal(n, 2);
    assert_true(listed(device, plain.pid, &n));
    assert_int_equal(n, 2);
    assert_true(listed(c.dll, prefixed.pid, &n));
    assert_int_equal(n, 2);
    stop_loader(&plain);
    stop_loader(&prefixed);
    remove_case(&c);
}

/* Case, slashes and "..": on either side. */
static void test_identity_case_slashes_and_dots(void **state)
{
    struct case_files c;
    struct loader odd;
    wchar_t upper[MAX_PATH], slashes[MAX_PATH * 2], *p, *last;
    UINT n;
    (void)state;

    make_case(&c, NULL);
    wcscpy(upper, c.dll);
    for (p = upper; *p; p++)
        *p = (wchar_t)towupper(*p);
    /* C:/...dir/../<dir name>/module64 long name.dll */
    last = wcsrchr(c.dir, L'\\');
    _snwprintf(slashes, ARRAYSIZE(slashes), L"%ls/../%ls/module64 long name.dll", c.dir, last + 1);
    for (p = slashes; *p; p++)
        if (*p == L'\\')
            *p = L'/';
    odd = start_loader(NULL, slashes);
    assert_true(listed(c.dll, odd.pid, &n));
    assert_int_equal(n, 1);
    assert_true(listed(upper, odd.pid, &n));
    assert_int_equal(n, 1);
    assert_true(listed(slashes, odd.pid, &n));
    assert_int_equal(n, 1);
    stop_loader(&odd);
    remove_case(&c);
}

/* Another name of the same file: a hard link of the same name in another folder, both
 * directions; and under Wine the same file through the Z: drive (another path to it). */
static void test_identity_other_names_of_one_file(void **state)
{
    typedef char *(CDECL *unix_name_fn)(const wchar_t *);
    unix_name_fn unix_name = (unix_name_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name");
    struct case_files c;
    struct loader via_link, via_z;
    wchar_t other_dir[MAX_PATH], link[MAX_PATH], z_path[MAX_PATH * 2];
    UINT n;
    (void)state;

    make_case(&c, NULL);
    tu_temp_path(other_dir, L"elsewhere");
    assert_true(make_dir(other_dir));
    _snwprintf(link, MAX_PATH, L"%ls\\module64 long name.dll", other_dir);
    DeleteFileW(link);  /* left by an earlier run that failed half-way */
    assert_true(CreateHardLinkW(link, c.dll, NULL));
    via_link = start_loader(NULL, link);
    assert_true(listed(c.dll, via_link.pid, &n));
    assert_int_equal(n, 1);
    assert_true(listed(link, via_link.pid, &n));
    assert_int_equal(n, 1);
    stop_loader(&via_link);

    if (unix_name) {  /* Wine: Z:\ reaches the Unix root, so the prefix's C: too */
        char *u = unix_name(c.dll);
        size_t i;
        assert_non_null(u);
        _snwprintf(z_path, ARRAYSIZE(z_path), L"Z:%hs", u);
        for (i = 0; z_path[i]; i++)
            if (z_path[i] == L'/')
                z_path[i] = L'\\';
        HeapFree(GetProcessHeap(), 0, u);
        print_message("the same file as %ls\n", z_path);
        via_z = start_loader(NULL, z_path);
        assert_true(listed(c.dll, via_z.pid, &n));
        assert_int_equal(n, 1);
        stop_loader(&via_z);
    }
    DeleteFileW(link);
    RemoveDirectoryW(other_dir);
    remove_case(&c);
}

/* Names are only a pre-filter: a loaded DLL of the same name that is another file is not
 * a user of the registered one; and an exe started by its 8.3 path is found by its long
 * one. */
static void test_identity_same_name_other_file_and_exe_image(void **state)
{
    struct case_files c;
    struct loader other, runner;
    wchar_t twin_dir[MAX_PATH], twin[MAX_PATH], exe_dir[MAX_PATH], exe[MAX_PATH],
        short_exe[MAX_PATH], src[MAX_PATH], beside[MAX_PATH];
    DWORD pids[4];
    (void)state;

    make_case(&c, NULL);
    tu_temp_path(twin_dir, L"twin");
    assert_true(make_dir(twin_dir));
    _snwprintf(twin, MAX_PATH, L"%ls\\module64 long name.dll", twin_dir);
    assert_true(CopyFileW(c.dll, twin, FALSE));
    other = start_loader(NULL, twin);
    assert_int_equal(list_for(c.dll, pids, 4), 0);
    stop_loader(&other);

    tu_temp_path(exe_dir, L"Long Exe Folder");
    assert_true(make_dir(exe_dir));
    _snwprintf(exe, MAX_PATH, L"%ls\\holder application.exe", exe_dir);
    tu_bin_path(src, L"rmfixture.exe");
    assert_true(CopyFileW(src, exe, FALSE));
    _snwprintf(beside, MAX_PATH, L"%ls\\rstrtmgr.dll", exe_dir);
    tu_bin_path(src, L"rstrtmgr.dll");
    assert_true(CopyFileW(src, beside, FALSE));  /* the copy imports our DLL */
    assert_true(GetShortPathNameW(exe, short_exe, MAX_PATH) > 0);
    runner = start_loader(short_exe, twin);
    assert_true(listed(exe, runner.pid, NULL));
    assert_true(listed(short_exe, runner.pid, NULL));
    stop_loader(&runner);

    DeleteFileW(exe);
    DeleteFileW(beside);
    RemoveDirectoryW(exe_dir);
    DeleteFileW(twin);
    RemoveDirectoryW(twin_dir);
    remove_case(&c);
}

/* Case 3 and its reverse: the caller's DLL of one bitness, a process of the other with the
 * registered DLL loaded: listed, and a forced RmShutdown stops it. */
static void test_identity_other_bitness(void **state)
{
    struct case_files c;
    struct loader l;
    wchar_t exe[MAX_PATH], dll[MAX_PATH], beside[MAX_PATH], src[MAX_PATH];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1];
    RM_PROCESS_INFO *apps;
    DWORD h, reasons;
    BOOL wow64 = FALSE;
    UINT n;
    (void)state;

    if (!tu_other_bitness_path(exe, L"rmfixture.exe") ||
        !tu_other_bitness_path(dll, L"rmfixture_dll.dll")) {
        print_message("no build of the other architecture beside this one\n");
        skip();
    }
    make_case(&c, dll);
    /* A private copy of the other fixture, with the other DLL it imports beside it. */
    _snwprintf(exe, MAX_PATH, L"%ls\\other bitness.exe", c.dir);
    assert_true(tu_other_bitness_path(src, L"rmfixture.exe"));
    assert_true(CopyFileW(src, exe, FALSE));
    _snwprintf(beside, MAX_PATH, L"%ls\\rstrtmgr.dll", c.dir);
    assert_true(tu_other_bitness_path(src, L"rstrtmgr.dll"));
    assert_true(CopyFileW(src, beside, FALSE));

    l = start_loader(exe, c.short_dll[0] ? c.short_dll : c.dll);
    assert_true(IsWow64Process(l.process, &wow64));
    print_message("loader %lu is %s-bit, we are %u-bit\n", l.pid, wow64 ? "32" : "64",
                  (unsigned)sizeof(void *) * 8);
    files[0] = c.dll;
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 1);
    assert_int_equal(apps[0].Process.dwProcessId, l.pid);
    assert_int_not_equal(apps[0].ApplicationType, RmCritical);
    free(apps);
    assert_int_equal(RmShutdown(h, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(WaitForSingleObject(l.process, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    stop_loader(&l);
    DeleteFileW(exe);
    DeleteFileW(beside);
    remove_case(&c);
}

/* The system folders (the trial's case: a runtime DLL of each bitness under one name). A
 * 32-bit process loads C:\Windows\System32\NAME from SysWOW64 (file system redirection),
 * whatever path its module list shows; a 64-bit one from System32. Registered by its
 * SysWOW64 path, only the 32-bit user is listed; by its System32 path, the file the caller
 * itself would open: the 64-bit one from x64, SysWOW64's from x86 (docs/decisions.md). */
static void test_identity_system_folders_by_bitness(void **state)
{
    wchar_t sys[MAX_PATH], wow[MAX_PATH], at_sys[MAX_PATH], at_wow[MAX_PATH];
    wchar_t exe32[MAX_PATH], exe64[MAX_PATH], dll32[MAX_PATH], dll64[MAX_PATH];
    wchar_t case_dir[MAX_PATH], beside[MAX_PATH], src[MAX_PATH];
    struct loader l32, l64;
    void *redirection = NULL;
    BOOL redirected;
    UINT n;
    (void)state;

    if (!GetSystemWow64DirectoryW(wow, MAX_PATH)) {
        print_message("no SysWOW64 (a 32-bit system)\n");
        skip();
    }
    assert_true(GetSystemDirectoryW(sys, MAX_PATH) > 0);
    /* The fixture DLL of each bitness, and a loader exe of each with its rstrtmgr.dll. */
    if (sizeof(void *) == 8) {
        tu_bin_path(dll64, L"rmfixture_dll.dll");
        tu_bin_path(exe64, L"rmfixture.exe");
        if (!tu_other_bitness_path(dll32, L"rmfixture_dll.dll") ||
            !tu_other_bitness_path(exe32, L"rmfixture.exe")) {
            print_message("no build of the other architecture beside this one\n");
            skip();
        }
    } else {
        tu_bin_path(dll32, L"rmfixture_dll.dll");
        tu_bin_path(exe32, L"rmfixture.exe");
        if (!tu_other_bitness_path(dll64, L"rmfixture_dll.dll") ||
            !tu_other_bitness_path(exe64, L"rmfixture.exe")) {
            print_message("no build of the other architecture beside this one\n");
            skip();
        }
    }
    /* The other bitness's loader runs from a folder of its own, beside its own DLL. */
    tu_temp_path(case_dir, L"System Folders");
    assert_true(make_dir(case_dir));
    _snwprintf(src, MAX_PATH, L"%ls", sizeof(void *) == 8 ? exe32 : exe64);
    _snwprintf(sizeof(void *) == 8 ? exe32 : exe64, MAX_PATH, L"%ls\\loader.exe", case_dir);
    assert_true(CopyFileW(src, sizeof(void *) == 8 ? exe32 : exe64, FALSE));
    _snwprintf(beside, MAX_PATH, L"%ls\\rstrtmgr.dll", case_dir);
    assert_true(tu_other_bitness_path(src, L"rstrtmgr.dll"));
    assert_true(CopyFileW(src, beside, FALSE));

    /* The two copies, written with redirection off (an x86 test sees System32 as
     * SysWOW64 otherwise). */
    _snwprintf(at_sys, MAX_PATH, L"%ls\\rmsysfold.dll", sys);
    _snwprintf(at_wow, MAX_PATH, L"%ls\\rmsysfold.dll", wow);
    redirected = Wow64DisableWow64FsRedirection(&redirection);
    assert_true(CopyFileW(dll64, at_sys, FALSE));
    assert_true(CopyFileW(dll32, at_wow, FALSE));
    if (redirected)
        Wow64RevertWow64FsRedirection(redirection);

    /* Both load it by its System32 path. */
    l32 = start_loader(sizeof(void *) == 4 ? NULL : exe32, at_sys);
    l64 = start_loader(sizeof(void *) == 8 ? NULL : exe64, at_sys);

    assert_true(listed(at_wow, l32.pid, &n));
    assert_int_equal(n, 1);
    assert_true(listed(at_sys, sizeof(void *) == 8 ? l64.pid : l32.pid, &n));
    assert_int_equal(n, 1);

    stop_loader(&l32);
    stop_loader(&l64);
    redirected = Wow64DisableWow64FsRedirection(&redirection);
    DeleteFileW(at_sys);
    DeleteFileW(at_wow);
    if (redirected)
        Wow64RevertWow64FsRedirection(redirection);
    DeleteFileW(sizeof(void *) == 8 ? exe32 : exe64);
    DeleteFileW(beside);
    RemoveDirectoryW(case_dir);
}

/* A registered data file (not an image) held open is found by its handle; a data file
 * nobody holds lists nobody, even while DLLs of its name are loaded. */
static void test_identity_data_file_is_not_a_module(void **state)
{
    struct case_files c;
    struct loader l;
    wchar_t data_dir[MAX_PATH], data[MAX_PATH];
    DWORD pids[4];
    (void)state;

    make_case(&c, NULL);
    l = start_loader(NULL, c.dll);
    tu_temp_path(data_dir, L"data");
    assert_true(make_dir(data_dir));
    _snwprintf(data, MAX_PATH, L"%ls\\module64 long name.dll", data_dir);
    assert_true(tu_create_file(data));
    assert_int_equal(list_for(data, pids, 4), 0);
    stop_loader(&l);
    DeleteFileW(data);
    RemoveDirectoryW(data_dir);
    remove_case(&c);
}

/* Not a file: a registered pipe name is never opened, which would connect to the pipe as
 * a client (the server below exits ERROR_PIPE_CONNECTED when anyone does). */
static void test_identity_pipe_name_not_connected(void **state)
{
    wchar_t name[64], path[96], ready_name[64];
    HANDLE ready = tu_event(ready_name), server, client;
    DWORD pids[4];
    (void)state;

    _snwprintf(name, 64, L"rmtest-wait-%lu", GetCurrentProcessId());
    _snwprintf(path, 96, L"\\\\.\\pipe\\%ls", name);
    server = tu_spawn_fixture(L"pipe-wait %ls %ls", name, ready_name);
    assert_true(tu_wait_event(ready, server));
    assert_int_equal(list_for(path, pids, 4), 0);
    assert_int_equal(WaitForSingleObject(server, 300), WAIT_TIMEOUT);  /* nobody connected */
    client = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(client != INVALID_HANDLE_VALUE);  /* as RmGetList would have, had it opened it */
    assert_int_equal(tu_wait_exit(server), ERROR_PIPE_CONNECTED);
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(ready);
}

/* Hidden helper windows (COM's, the input method's) do not make a console program a
 * windowed one: it is RmConsole. */
static void test_identity_console_with_helper_windows(void **state)
{
    wchar_t ready_name[64], path[MAX_PATH];
    HANDLE ready = tu_event(ready_name), app;
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_UNIQUE_PROCESS id;
    RM_PROCESS_INFO *apps;
    FILETIME x[3];
    DWORD h, reasons;
    UINT n;
    (void)state;

    tu_temp_path(path, L"unused");
    app = tu_spawn_fixture_console(L"console-helpers %ls", ready_name);
    assert_true(tu_wait_event(ready, app));
    id.dwProcessId = GetProcessId(app);
    assert_true(GetProcessTimes(app, &id.ProcessStartTime, &x[0], &x[1], &x[2]));
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(h, 0, NULL, 1, &id, 0, NULL), ERROR_SUCCESS);
    apps = tu_get_list(h, &n, &reasons);
    assert_int_equal(n, 1);
    assert_int_equal(apps[0].ApplicationType, RmConsole);
    free(apps);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
    TerminateProcess(app, 0);
    WaitForSingleObject(app, TU_WAIT_MS);
    CloseHandle(app);
    CloseHandle(ready);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_short_and_long_names),
        cmocka_unit_test(test_identity_device_prefixes),
        cmocka_unit_test(test_identity_case_slashes_and_dots),
        cmocka_unit_test(test_identity_other_names_of_one_file),
        cmocka_unit_test(test_identity_same_name_other_file_and_exe_image),
        cmocka_unit_test(test_identity_data_file_is_not_a_module),
        cmocka_unit_test(test_identity_other_bitness),
        cmocka_unit_test(test_identity_system_folders_by_bitness),
        cmocka_unit_test(test_identity_pipe_name_not_connected),
        cmocka_unit_test(test_identity_console_with_helper_windows),
    };
    return cmocka_run_group_tests(tests, tu_short_engine_bounds, tu_restore_engine_bounds);
}
