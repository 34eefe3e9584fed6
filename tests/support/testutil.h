/*
 * testutil.h - what the tests share: starting fixture processes, named events with
 * names unique to one test run, temporary files, reading a session key back, and the
 * marks for what Wine cannot do (todo_wine).
 */
#ifndef RM_TESTUTIL_H
#define RM_TESTUTIL_H

#include <windows.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "restartmanager.h"

/* Bound on every wait in the tests: a hang fails the test instead of stalling the run. */
#define TU_WAIT_MS 20000

/* Starts "<folder of this exe>\rmfixture.exe <args>"; returns its process handle. */
HANDLE tu_spawn_fixture(const wchar_t *args_fmt, ...);
/* The same in a console of its own, as a shell starts a console app in a new window. */
HANDLE tu_spawn_fixture_console(const wchar_t *args_fmt, ...);
/* Starts "EXE <args>" for any exe path (a renamed copy of rmfixture.exe, say). */
HANDLE tu_spawn_exe(const wchar_t *exe, const wchar_t *args_fmt, ...);
/* Path of a file beside this test exe. */
void tu_bin_path(wchar_t path[MAX_PATH], const wchar_t *name);
/* The same file of the other architecture's build ("<build>\x64\bin\NAME" from x86 and
 * back); FALSE when there is none (Windows CI builds one architecture per job). */
BOOL tu_other_bitness_path(wchar_t path[MAX_PATH], const wchar_t *name);
/* Runs "EXE ARGS" with its stdout and stderr captured into out (NUL-terminated, cut at
 * cap); returns its exit code, or 0xFFFFFFFF if it could not start or outlived the bound. */
DWORD tu_run_capture(const wchar_t *exe, const wchar_t *args, char *out, size_t cap);
/* Waits (bounded) for a process to exit and returns its exit code, or 0xFFFFFFFF on timeout. */
DWORD tu_wait_exit(HANDLE process);
/* A named manual-reset event with a name unique to this run; name receives it (64 chars). */
HANDLE tu_event(wchar_t name[64]);
/* Waits for an event or the death of a process, whichever comes first; TRUE if the event. */
BOOL tu_wait_event(HANDLE event, HANDLE process);
/* A path for a temporary file (not created) with this tag in its name. */
void tu_temp_path(wchar_t path[MAX_PATH], const wchar_t *tag);
/* Creates a file with some content; returns FALSE on failure. */
BOOL tu_create_file(const wchar_t *path);
/* Reads a text file (the stop log the service fixtures append to, say) into buf,
 * NUL-terminated, cut at cap; asserts it can be opened. */
void tu_read_text(const wchar_t *path, char *buf, size_t cap);
/* Reads a session key a fixture wrote to a file. */
BOOL tu_read_key(const wchar_t *path, WCHAR key[CCH_RM_SESSION_KEY + 1]);
/* Reads the session handle `rmfixture primary` wrote after the key. */
BOOL tu_read_handle(const wchar_t *path, DWORD *handle);

/* ---- Windows is the truth, Wine the test bed (docs/testbed.md, "Marking what Wine
 * cannot do") ---- */

/* 1 when this process runs under Wine: ntdll exports wine_get_version. */
int rm_test_on_wine(void);

/* A check of what Windows does that Wine cannot do yet (Wine's todo_wine idea). On Windows
 * it asserts got == windows_value. Under Wine it prints
 *   todo_wine: FILE:LINE EXPR: Windows gives X, Wine gave Y
 * and fails when Wine gives the Windows value: Wine started behaving, remove the mark. */
#define todo_wine_int_equal(windows_value, got)                                            \
    tu_todo_wine((windows_value) == (got), (long long)(windows_value), (long long)(got), #got, \
                 __FILE__, __LINE__)
/* The same for a truth value (a BOOL such as bRestartable: any non-zero is TRUE). */
#define todo_wine_true(got)                                                                  \
    tu_todo_wine(!!(got), 1, !!(got), #got, __FILE__, __LINE__)
#define todo_wine_false(got)                                                                 \
    tu_todo_wine(!(got), 0, !!(got), #got, __FILE__, __LINE__)
void tu_todo_wine(int as_on_windows, long long windows_value, long long got, const char *expr,
                  const char *file, int line);
/* What the mark decides: 1 (fail) when on Windows the value differs, or under Wine it is
 * the Windows value; 0 otherwise. */
int tu_todo_wine_fails(int on_wine, int as_on_windows);

/* ---- testservice.c: services running rmfixture.exe in its "service" mode ---- */

/* A service name unique to this run, with tag in it. */
void tu_service_name(wchar_t name[64], const wchar_t *tag);
/* Creates (does not start) the service: "rmfixture.exe service NAME HOW [FILE]", depending
 * on the services of `deps` (a double-NUL-terminated list, or NULL). */
BOOL tu_service_create(const wchar_t *name, const wchar_t *how, const wchar_t *file,
                       const wchar_t *deps);
/* The display name tu_service_create gives the service NAME. */
void tu_service_display(const wchar_t *name, wchar_t display[128]);
/* Starts it and waits (bounded) until it runs; returns the PID hosting it, 0 on failure. */
DWORD tu_service_start(const wchar_t *name);
/* The PID of a running service, 0 when it does not run. */
DWORD tu_service_pid(const wchar_t *name);
/* Creates and starts base and dep, dep depending on base, both "stop" services holding
 * (and logging their stops to) file; asserts each step. */
void tu_service_pair(const wchar_t *base, const wchar_t *dep, const wchar_t *file);
/* Stops it (kills its process if it will not stop) and deletes it. */
void tu_service_remove(const wchar_t *name);

#endif
