/*
 * test_rmctl.c - the rmctl command-line tool, run as a user runs it: help and usage
 * errors, `who` as a table and as JSON (files and services), `close` polite and forced
 * with its exit codes, `restart` around a command, and the folder mode (--recursive):
 * users of files below a folder with the files each uses, processes sitting in it, close
 * and restart of them all, the limit on files and its progress.
 */
#include <stdio.h>
#include <string.h>

#include "holders.h"

static char out[32768];

static DWORD rmctl(const wchar_t *args)
{
    wchar_t exe[MAX_PATH];
    tu_bin_path(exe, L"rmctl.exe");
    return tu_run_capture(exe, args, out, sizeof(out));
}

static void test_help_and_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(rmctl(L"--help"), 0);
    assert_non_null(strstr(out, "usage: rmctl"));
    assert_int_equal(rmctl(L"close --help"), 0);
    assert_non_null(strstr(out, "usage: rmctl close"));
    assert_int_equal(rmctl(L""), 1);
    assert_int_equal(rmctl(L"frobnicate x"), 1);
    assert_non_null(strstr(out, "unknown command"));
    assert_int_equal(rmctl(L"who"), 1);
    assert_int_equal(rmctl(L"who --pid notanumber"), 1);
    assert_int_equal(rmctl(L"who --bogus x"), 1);
}

static void test_who_table_and_json(void **state)
{
    wchar_t file[MAX_PATH], args[MAX_PATH + 32], svc[64];
    char expect[128];
    struct holder h;
    DWORD svc_pid;
    (void)state;

    tu_temp_path(file, L"who.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"gui", file);

    swprintf(args, ARRAYSIZE(args), L"who \"%ls\"", file);
    assert_int_equal(rmctl(args), 0);
    assert_non_null(strstr(out, "PID"));
    snprintf(expect, sizeof(expect), "%lu", h.pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "window"));

    swprintf(args, ARRAYSIZE(args), L"who --json \"%ls\"", file);
    assert_int_equal(rmctl(args), 0);
    snprintf(expect, sizeof(expect), "\"pid\": %lu, ", h.pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "\"type\": \"window\""));
    assert_non_null(strstr(out, "\"restartable\": false"));
    assert_int_equal(out[0], '[');

    tu_service_name(svc, L"rmctl");
    assert_true(tu_service_create(svc, L"stop", NULL, NULL));
    assert_true((svc_pid = tu_service_start(svc)) != 0);
    swprintf(args, ARRAYSIZE(args), L"who --json --service %ls", svc);
    assert_int_equal(rmctl(args), 0);
    snprintf(expect, sizeof(expect), "\"pid\": %lu, ", svc_pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "\"type\": \"service\""));
    tu_service_remove(svc);

    holder_end(&h);
    DeleteFileW(file);
}

static void test_close_polite_then_forced(void **state)
{
    wchar_t file[MAX_PATH], args[MAX_PATH + 32];
    struct holder h;
    (void)state;

    tu_temp_path(file, L"close.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"gui-refuse", file);
    swprintf(args, ARRAYSIZE(args), L"close \"%ls\"", file);
    assert_int_equal(rmctl(args), 2);
    assert_non_null(strstr(out, "is used by"));
    assert_non_null(strstr(out, "could not be closed"));
    assert_true(holder_running(&h));
    swprintf(args, ARRAYSIZE(args), L"close --force \"%ls\"", file);
    assert_int_equal(rmctl(args), 0);
    assert_int_equal(tu_wait_exit(h.process), ERROR_FAIL_SHUTDOWN);
    holder_end(&h);
    DeleteFileW(file);
}

static void test_restart_around_a_command(void **state)
{
    wchar_t file[MAX_PATH], args[2 * MAX_PATH + 64], fixture[MAX_PATH];
    struct holder h;
    (void)state;

    tu_temp_path(file, L"restart.dat");
    assert_true(tu_create_file(file));
    h = holder_start(L"register-restart gui", file);  /* Windows restarts registered apps */
    ResetEvent(h.ready);
    /* The command run while the app is closed: our fixture's usage error (exit 160). */
    tu_bin_path(fixture, L"rmfixture.exe");
    swprintf(args, ARRAYSIZE(args), L"restart \"%ls\" -- \"%ls\" with-file", file, fixture);
    assert_int_equal(rmctl(args), 6);  /* the command failed: said so, apps restarted anyway */
    assert_non_null(strstr(out, "the command exited with 160"));
    assert_non_null(strstr(out, "restarted"));
    assert_int_equal(tu_wait_exit(h.process), 0);
    assert_true(tu_wait_event(h.ready, NULL));  /* back, as a new process */
    kill_users_of(file);
    holder_end(&h);
    DeleteFileW(file);
}

/* ---- --recursive: a folder with files in subfolders ---- */

struct tree {
    wchar_t dir[MAX_PATH], sub[MAX_PATH], deep[MAX_PATH];  /* DIR, DIR\sub, DIR\a\b */
    wchar_t x[MAX_PATH], y[MAX_PATH], dll[MAX_PATH];       /* DIR\a\b\x.dat, DIR\a\y.dat, DIR\plugin.dll */
    wchar_t outside[MAX_PATH], spare[MAX_PATH];            /* files elsewhere */
};

static void tree_make(struct tree *t, const wchar_t *tag)
{
    wchar_t a[MAX_PATH], fixture_dll[MAX_PATH];

    tu_temp_path(t->dir, tag);
    swprintf(t->sub, MAX_PATH, L"%ls\\sub", t->dir);
    swprintf(a, MAX_PATH, L"%ls\\a", t->dir);
    swprintf(t->deep, MAX_PATH, L"%ls\\a\\b", t->dir);
    swprintf(t->x, MAX_PATH, L"%ls\\x.dat", t->deep);
    swprintf(t->y, MAX_PATH, L"%ls\\y.dat", a);
    swprintf(t->dll, MAX_PATH, L"%ls\\plugin.dll", t->dir);
    tu_temp_path(t->outside, L"outside.dat");
    tu_temp_path(t->spare, L"spare.dat");
    assert_true(CreateDirectoryW(t->dir, NULL) && CreateDirectoryW(t->sub, NULL) &&
                CreateDirectoryW(a, NULL) && CreateDirectoryW(t->deep, NULL));
    assert_true(tu_create_file(t->x) && tu_create_file(t->y) && tu_create_file(t->outside));
    tu_bin_path(fixture_dll, L"rmfixture_dll.dll");
    assert_true(CopyFileW(fixture_dll, t->dll, FALSE));
}

static void tree_remove(const struct tree *t)
{
    wchar_t a[MAX_PATH];
    swprintf(a, MAX_PATH, L"%ls\\a", t->dir);
    DeleteFileW(t->x);
    DeleteFileW(t->y);
    DeleteFileW(t->dll);
    DeleteFileW(t->outside);
    DeleteFileW(t->spare);
    RemoveDirectoryW(t->deep);
    RemoveDirectoryW(a);
    RemoveDirectoryW(t->sub);
    RemoveDirectoryW(t->dir);
}

/* An app with x.dat and y.dat open, one with plugin.dll loaded, one sitting in DIR\sub
 * (a console program, as a shell would be), and one using only a file outside. */
struct users4 {
    struct holder editor, plugin, outside;
    HANDLE shell, shell_ready;
    DWORD shell_pid;
};

static void users4_start(struct users4 *u, const struct tree *t)
{
    wchar_t mode[3 * MAX_PATH], ready[64];

    swprintf(mode, ARRAYSIZE(mode), L"with-file \"%ls\" gui", t->y);
    u->editor = holder_start(mode, t->x);
    swprintf(mode, ARRAYSIZE(mode), L"with-dll \"%ls\" gui", t->dll);
    u->plugin = holder_start(mode, t->spare);
    u->outside = holder_start(L"gui", t->outside);
    u->shell_ready = tu_event(ready);
    u->shell = tu_spawn_fixture_console(L"in-dir \"%ls\" console %ls", t->sub, ready);
    assert_non_null(u->shell);
    assert_true(tu_wait_event(u->shell_ready, u->shell));
    u->shell_pid = GetProcessId(u->shell);
}

static void users4_end(struct users4 *u)
{
    holder_end(&u->editor);
    holder_end(&u->plugin);
    holder_end(&u->outside);
    TerminateProcess(u->shell, 0);
    tu_wait_exit(u->shell);
    CloseHandle(u->shell);
    CloseHandle(u->shell_ready);
}

/* The JSON object of the process pid in out (up to its closing brace), or NULL. */
static const char *json_object_of(DWORD pid, char *object, size_t cap)
{
    char key[64];
    const char *at, *end;
    snprintf(key, sizeof(key), "\"pid\": %lu, ", pid);
    if (!(at = strstr(out, key)) || !(end = strchr(at, '}')) || (size_t)(end - at) >= cap)
        return NULL;
    memcpy(object, at, (size_t)(end - at));
    object[end - at] = 0;
    return object;
}

/* A path as JSON writes it (backslashes doubled), in UTF-8. */
static void json_path(const wchar_t *path, char *json, size_t cap)
{
    size_t n = 0;
    for (; *path && n + 3 < cap; path++) {
        if (*path == L'\\')
            json[n++] = '\\';
        json[n++] = (char)*path;
    }
    json[n] = 0;
}

static void assert_json_has_path(const char *object, const wchar_t *path)
{
    char json[2 * MAX_PATH];
    json_path(path, json, sizeof(json));
    if (!strstr(object, json))
        fail_msg("%s lacks %s", object, json);
}

static void test_folder_who(void **state)
{
    wchar_t args[MAX_PATH + 64];
    char object[4096], expect[64];
    struct tree t;
    struct users4 u;
    (void)state;

    tree_make(&t, L"who-folder");
    users4_start(&u, &t);

    swprintf(args, ARRAYSIZE(args), L"who --json --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 0);
    /* The editor: one entry naming both files it holds, below two levels. */
    assert_non_null(json_object_of(u.editor.pid, object, sizeof(object)));
    assert_json_has_path(object, t.x);
    assert_json_has_path(object, t.y);
    assert_non_null(strstr(object, "\"current_directory\": null"));
    assert_non_null(strstr(object, "\"type\": \"window\""));
    /* The plugin host: the DLL it has loaded, not the file it holds elsewhere. */
    assert_non_null(json_object_of(u.plugin.pid, object, sizeof(object)));
    assert_json_has_path(object, t.dll);
    assert_null(strstr(object, "spare.dat"));
    /* The shell: no file, its current directory. */
    assert_non_null(json_object_of(u.shell_pid, object, sizeof(object)));
    assert_non_null(strstr(object, "\"files\": []"));
    assert_json_has_path(object, t.sub);
    /* Nobody else. */
    assert_null(json_object_of(u.outside.pid, object, sizeof(object)));

    swprintf(args, ARRAYSIZE(args), L"who --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 0);
    snprintf(expect, sizeof(expect), "%lu", u.shell_pid);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "x.dat"));
    assert_non_null(strstr(out, "y.dat"));
    assert_non_null(strstr(out, "plugin.dll"));
    assert_non_null(strstr(out, "current directory "));
    assert_null(strstr(out, "outside.dat"));

    users4_end(&u);
    tree_remove(&t);
}

/* A process of the other bitness sitting in the folder: the x64 rmctl reads a 32-bit
 * process's current directory from its 32-bit PEB (found by a new-user trial: it was
 * missed). The x86 rmctl cannot reach a 64-bit PEB (docs/rmctl.md). */
static void test_folder_who_other_bitness(void **state)
{
    wchar_t exe[MAX_PATH], dir[MAX_PATH], home[MAX_PATH], copy[MAX_PATH], beside[MAX_PATH];
    wchar_t src[MAX_PATH], args[MAX_PATH + 64], ready[64];
    char object[4096];
    HANDLE sitter, sitter_ready;
    (void)state;

    if (sizeof(void *) == 4 || !tu_other_bitness_path(exe, L"rmfixture.exe")) {
        print_message("x64 only, with the x86 build beside it\n");
        skip();
    }
    tu_temp_path(dir, L"who-other-bitness");
    tu_temp_path(home, L"who-other-bitness-exe");
    assert_true(CreateDirectoryW(dir, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    assert_true(CreateDirectoryW(home, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    /* The 32-bit fixture from a folder of its own (outside DIR: only its current directory
     * may bring it in), beside its own rstrtmgr.dll. */
    swprintf(copy, MAX_PATH, L"%ls\\sitter32.exe", home);
    assert_true(CopyFileW(exe, copy, FALSE));
    swprintf(beside, MAX_PATH, L"%ls\\rstrtmgr.dll", home);
    assert_true(tu_other_bitness_path(src, L"rstrtmgr.dll"));
    assert_true(CopyFileW(src, beside, FALSE));
    sitter_ready = tu_event(ready);
    sitter = tu_spawn_exe(copy, L"in-dir \"%ls\" console %ls", dir, ready);
    assert_non_null(sitter);
    assert_true(tu_wait_event(sitter_ready, sitter));

    swprintf(args, ARRAYSIZE(args), L"who --json --recursive \"%ls\"", dir);
    assert_int_equal(rmctl(args), 0);
    assert_non_null(json_object_of(GetProcessId(sitter), object, sizeof(object)));
    assert_non_null(strstr(object, "\"files\": []"));
    assert_json_has_path(object, dir);

    TerminateProcess(sitter, 0);
    tu_wait_exit(sitter);
    CloseHandle(sitter);
    CloseHandle(sitter_ready);
    DeleteFileW(copy);
    DeleteFileW(beside);
    RemoveDirectoryW(home);
    RemoveDirectoryW(dir);
}

/* close: all three closed, the outside app untouched; the test itself, sitting in the
 * folder while it runs rmctl, is left alone as rmctl's starter. */
static void test_folder_close(void **state)
{
    wchar_t args[MAX_PATH + 64], before[MAX_PATH];
    struct tree t;
    struct users4 u;
    (void)state;

    tree_make(&t, L"close-folder");
    users4_start(&u, &t);
    GetCurrentDirectoryW(MAX_PATH, before);
    assert_true(SetCurrentDirectoryW(t.deep));

    swprintf(args, ARRAYSIZE(args), L"close --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 0);
    SetCurrentDirectoryW(before);
    assert_non_null(strstr(out, "is the current directory of"));
    assert_non_null(strstr(out, "leaving PID"));
    assert_non_null(strstr(out, "it started rmctl"));
    assert_int_equal(tu_wait_exit(u.editor.process), 0);
    assert_int_equal(tu_wait_exit(u.plugin.process), 0);
    assert_int_equal(tu_wait_exit(u.shell), 0);  /* Ctrl+C */
    assert_true(holder_running(&u.outside));

    users4_end(&u);
    tree_remove(&t);
}

/* restart: a console app and a window app below the folder closed, the command run (its
 * output reaches rmctl's, though closing the console app had rmctl attach to its console),
 * both back as new processes. */
static void test_folder_restart(void **state)
{
    wchar_t args[2 * MAX_PATH + 64];
    struct tree t;
    struct holder console, window;
    (void)state;

    tree_make(&t, L"restart-folder");
    /* Registered for restart: the only apps Windows restarts. */
    console = holder_start(L"register-restart console", t.x);
    window = holder_start(L"register-restart gui", t.y);
    ResetEvent(console.ready);
    ResetEvent(window.ready);
    swprintf(args, ARRAYSIZE(args), L"restart --recursive \"%ls\" -- cmd.exe /c echo replacing-now",
             t.dir);
    assert_int_equal(rmctl(args), 0);
    assert_non_null(strstr(out, "restarted"));
    assert_non_null(strstr(out, "replacing-now"));
    assert_int_equal(tu_wait_exit(console.process), 0);
    assert_int_equal(tu_wait_exit(window.process), 0);
    assert_true(tu_wait_event(console.ready, NULL));  /* back, as new processes */
    assert_true(tu_wait_event(window.ready, NULL));
    kill_users_of(t.x);
    kill_users_of(t.y);
    holder_end(&console);
    holder_end(&window);
    tree_remove(&t);
}

/* --max-files stops a walk that would visit more files, with exit code 7 and nothing done;
 * progress (shown at once here) counts the files; bad uses say what is wrong. */
static void test_folder_limits_and_errors(void **state)
{
    wchar_t args[MAX_PATH + 64], file[MAX_PATH];
    struct tree t;
    int i;
    (void)state;

    tree_make(&t, L"limit-folder");
    for (i = 0; i < 20; i++) {
        swprintf(file, MAX_PATH, L"%ls\\many-%02d.dat", t.sub, i);
        assert_true(tu_create_file(file));
    }
    /* 20 + x.dat + y.dat + plugin.dll = 23 files. */
    swprintf(args, ARRAYSIZE(args), L"who --max-files 10 --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 7);
    assert_non_null(strstr(out, "more than 10 files"));
    assert_null(strstr(out, "PID"));
    SetEnvironmentVariableW(L"RMCTL_PROGRESS_AFTER_MS", L"0");
    swprintf(args, ARRAYSIZE(args), L"who --max-files 23 --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 0);
    SetEnvironmentVariableW(L"RMCTL_PROGRESS_AFTER_MS", NULL);
    assert_non_null(strstr(out, ": 23 files in 4 folders"));

    swprintf(args, ARRAYSIZE(args), L"who --recursive \"%ls\"", t.x);
    assert_int_equal(rmctl(args), 10);
    assert_non_null(strstr(out, "not a folder"));
    swprintf(args, ARRAYSIZE(args), L"who --recursive \"%ls\\nothing\"", t.dir);
    assert_int_equal(rmctl(args), 10);
    assert_non_null(strstr(out, "no such folder"));
    swprintf(args, ARRAYSIZE(args), L"who --max-files 0 --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 1);
    /* Not a count either (wcstoul alone would read it as 4294967295). */
    swprintf(args, ARRAYSIZE(args), L"who --max-files -1 --recursive \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 1);
    /* A folder named as a file: the DLL refuses it, and rmctl says what to use. */
    swprintf(args, ARRAYSIZE(args), L"who \"%ls\"", t.dir);
    assert_int_equal(rmctl(args), 10);
    assert_non_null(strstr(out, "--recursive"));

    for (i = 0; i < 20; i++) {
        swprintf(file, MAX_PATH, L"%ls\\many-%02d.dat", t.sub, i);
        DeleteFileW(file);
    }
    tree_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage_errors),
        cmocka_unit_test(test_who_table_and_json),
        cmocka_unit_test(test_close_polite_then_forced),
        cmocka_unit_test(test_restart_around_a_command),
        cmocka_unit_test(test_folder_who),
        cmocka_unit_test(test_folder_who_other_bitness),
        cmocka_unit_test(test_folder_close),
        cmocka_unit_test(test_folder_restart),
        cmocka_unit_test(test_folder_limits_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
