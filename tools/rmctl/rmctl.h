/*
 * rmctl.h - what the parts of rmctl share. rmctl is a command-line tool on top of the
 * DLL's public API only (header + import library), like any other client.
 */
#ifndef RMCTL_H
#define RMCTL_H

#include <windows.h>

#include <restartmanager.h>

/* Exit codes: a script can tell what happened without parsing text. */
enum rmctl_exit {
    RMCTL_OK = 0,
    RMCTL_USAGE = 1,          /* bad command line */
    RMCTL_NOT_CLOSED = 2,     /* some application could not be closed (ERROR_FAIL_SHUTDOWN) */
    RMCTL_REBOOT = 3,         /* a reboot is needed (ERROR_FAIL_NOACTION_REBOOT) */
    RMCTL_NOT_RESTARTED = 4,  /* some application could not be restarted (ERROR_FAIL_RESTART) */
    RMCTL_CANCELLED = 5,      /* Ctrl+C (ERROR_CANCELLED) */
    RMCTL_COMMAND_FAILED = 6, /* the command run between close and restart failed */
    RMCTL_ERROR = 10,         /* any other Win32 error */
};

/* What the user asked for. */
struct rmctl_request {
    LPCWSTR *files;
    UINT nfiles;
    RM_UNIQUE_PROCESS *processes;
    UINT nprocesses;
    LPCWSTR *services;
    UINT nservices;
    BOOL json, force, only_registered;
    wchar_t **command;        /* restart: what to run while the apps are closed, or NULL */
    int ncommand;
};

/* ---- report.c: what rmctl prints ---- */

const wchar_t *rmctl_type_name(RM_APP_TYPE type);
const wchar_t *rmctl_status_name(ULONG status);
/* A sentence a person understands for a Win32 error from the API. */
const wchar_t *rmctl_error_text(DWORD err);
enum rmctl_exit rmctl_exit_for(DWORD err);
/* One resource's users: a table row each, or JSON objects (first: no leading comma). */
void rmctl_print_users(const wchar_t *resource, const RM_PROCESS_INFO *apps, UINT n, BOOL json,
                       BOOL *first);
/* "FILE is used by NAME (PID n)" lines. */
void rmctl_print_sentences(const wchar_t *resource, const RM_PROCESS_INFO *apps, UINT n);
void rmctl_print_table_header(void);
/* The status callback: a progress bar on stderr (cdecl, as the API wants). */
void rmctl_progress(UINT percent);

#endif
