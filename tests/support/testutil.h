/*
 * testutil.h - what the tests share: starting fixture processes, named events with
 * names unique to one test run, temporary files, and reading a session back.
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
/* Starts "EXE <args>" for any exe path (a renamed copy of rmfixture.exe, say). */
HANDLE tu_spawn_exe(const wchar_t *exe, const wchar_t *args_fmt, ...);
/* Path of a file beside this test exe. */
void tu_bin_path(wchar_t path[MAX_PATH], const wchar_t *name);
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
/* Reads a session key a fixture wrote to a file. */
BOOL tu_read_key(const wchar_t *path, WCHAR key[CCH_RM_SESSION_KEY + 1]);

#endif
