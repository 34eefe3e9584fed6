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
    RMCTL_TOO_MANY_FILES = 7, /* a --recursive folder holds more files than --max-files */
    RMCTL_ERROR = 10,         /* any other Win32 error */
};

/* Files visited below one --recursive folder at most, unless --max-files says otherwise. */
#define RMCTL_DEFAULT_MAX_FILES 100000

/* A process whose current directory is a --recursive folder or below it. */
struct rmctl_cwd {
    RM_UNIQUE_PROCESS process;
    wchar_t *dir;             /* its current directory, as its PEB holds it */
    BOOL starter;             /* rmctl's parent, or further up: never closed */
};

/* A folder named with --recursive, and what was found below it. */
struct rmctl_folder {
    const wchar_t *name;      /* as given */
    wchar_t *path;            /* full path, no trailing backslash (but for a root, C:\) */
    LPCWSTR *files;           /* every file below it, full paths */
    UINT nfiles;
    struct rmctl_cwd *cwds;
    UINT ncwds;
};

/* One application or service using something below a folder. */
struct rmctl_user {
    RM_PROCESS_INFO info;
    LPCWSTR *files;           /* the folder's files it uses */
    UINT nfiles, cap;
    const wchar_t *cwd;       /* its current directory, when below the folder; else NULL */
};

/* What the user asked for. */
struct rmctl_request {
    LPCWSTR *files;
    UINT nfiles;
    RM_UNIQUE_PROCESS *processes;
    UINT nprocesses;
    LPCWSTR *services;
    UINT nservices;
    struct rmctl_folder *folders;  /* --recursive */
    UINT nfolders;
    UINT max_files;
    BOOL json, force, only_registered;
    wchar_t **command;        /* restart: what to run while the apps are closed, or NULL */
    int ncommand;
};

/* ---- folder.c: the files below a --recursive folder ---- */

/* Lists every file below f->path into f->files, visiting at most max_files files, with
 * progress on stderr for a long walk. Returns an exit code (RMCTL_OK, or having said why:
 * RMCTL_ERROR, RMCTL_TOO_MANY_FILES). Folders it cannot list are reported and skipped. */
int rmctl_walk(struct rmctl_folder *f, UINT max_files);

/* ---- cwd.c: processes whose current directory is below a folder ---- */

/* Fills each folder's cwds from one look at every process's PEB (rmctl itself left out).
 * Says on stderr how many processes it could not read. Returns FALSE on no memory. */
BOOL rmctl_find_cwds(struct rmctl_folder *folders, UINT n);

/* ---- users.c: who uses which file of a folder ---- */

/* The applications and services using the folder's files, each with the files it uses
 * (found by halving the file list across sessions), then the processes sitting in it.
 * free with rmctl_free_users. */
DWORD rmctl_folder_users(const struct rmctl_folder *f, struct rmctl_user **users, UINT *n);
void rmctl_free_users(struct rmctl_user *users, UINT n);
/* RmGetList's two calls, retried while the list grows in between (rmctl.c). */
DWORD rmctl_get_list(DWORD session, RM_PROCESS_INFO **apps, UINT *n, DWORD *reasons);

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
/* A folder's users: a table row each (files below it on lines of their own) or JSON objects
 * with "files" and "current_directory" as well. */
void rmctl_print_folder_users(const struct rmctl_folder *f, const struct rmctl_user *users, UINT n,
                              BOOL json, BOOL *first);
/* "FILE is used by NAME (PID n)", "DIR is the current directory of NAME (PID n)". */
void rmctl_print_folder_sentences(const struct rmctl_folder *f, const struct rmctl_user *users,
                                  UINT n);
/* The status callback: a progress bar on stderr (cdecl, as the API wants). */
void rmctl_progress(UINT percent);

#endif
