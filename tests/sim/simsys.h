/*
 * simsys.h - a simulated Windows for the windows-sim tests: a system table (src/sys/sys.h)
 * whose processes, windows, consoles, services and restart registrations are a world the
 * test describes, behaving as Windows' documentation says. Files stay real (temporary
 * files), so that file identities are the platform's own.
 *
 * What each fake does, and the source it follows, is said at the fake (simsys.c). The
 * world is not Wine: wine_get_version is NULL, so the DLL takes its Windows paths, and any
 * use of a Wine-only path (a remote thread, a typed Ctrl+C, reading a PEB) is counted.
 */
#ifndef RM_SIMSYS_H
#define RM_SIMSYS_H

#include <windows.h>

#include "session/session.h"

#include "restartmanager.h"

#define SIM_MAX_PROCESSES 24
#define SIM_MAX_SERVICES 8
#define SIM_MAX_USES 4

enum sim_kind { SIM_GUI, SIM_CONSOLE, SIM_BACKGROUND };
enum sim_answer { SIM_AGREE, SIM_REFUSE, SIM_HANG };

struct sim_process {
    /* described by the test */
    DWORD pid;
    enum sim_kind kind;
    WCHAR image[MAX_PATH];        /* a real file: sim_image() writes a PE header */
    const WCHAR *title;           /* main window title (SIM_GUI) */
    DWORD session;                /* terminal session; the caller runs in session 1 */
    BOOL denied;                  /* OpenProcess refuses every access (elevated, other user) */
    DWORD console;                /* console id, 0 for none (SIM_CONSOLE) */
    enum sim_answer query;        /* its answer to WM_QUERYENDSESSION */
    BOOL exits_on_endsession;     /* WM_ENDSESSION(TRUE) ends it */
    BOOL exits_on_close;          /* WM_CLOSE ends it */
    BOOL exits_on_ctrl_c;         /* CTRL_C_EVENT ends it */
    const WCHAR *restart_args;    /* RegisterApplicationRestart's command line; NULL: none */
    DWORD restart_flags;
    const WCHAR *uses[SIM_MAX_USES];  /* real files it holds open */
    const WCHAR *modules[SIM_MAX_USES];  /* real files it has loaded, as the loader spells them */
    BOOL wow64;                   /* a 32-bit process on 64-bit Windows */
    BOOL elevated;                /* its token is elevated (TokenElevation) */
    BOOL other_user;              /* its token is another user's (TokenUser) */
    /* what happened to it */
    BOOL exited, terminated;
    unsigned queries, endsession_true, endsession_false, closes, ctrl_c;
    FILETIME start;
    HANDLE event;                 /* signalled when it exits: waits on its handles work */
};

struct sim_service {
    const WCHAR *name, *display;
    DWORD host;                   /* PID of the hosting process */
    DWORD state;                  /* SERVICE_RUNNING or SERVICE_STOPPED */
    BOOL accepts_stop;
    const WCHAR *depends_on;      /* one service name, or NULL */
    unsigned stop_order;          /* 1, 2, ... in the order ControlService stopped them */
    unsigned starts;
};

struct sim_world {
    struct sim_process processes[SIM_MAX_PROCESSES];
    unsigned nprocesses;
    struct sim_service services[SIM_MAX_SERVICES];
    unsigned nservices;
    BOOL no_file_ids;             /* the platform lacks FileProcessIdsUsingFileInformation */
    const WCHAR *timeout_ms;      /* what HungAppTimeout and the others read ("300" if NULL) */
    /* counters */
    unsigned handle_walks;        /* NtQuerySystemInformation(SystemExtendedHandleInformation) */
    unsigned file_id_queries;     /* FileProcessIdsUsingFileInformation */
    /* Wine-only paths, which must stay unused: remote threads, the console's input opened
     * to type a Ctrl+C, PEB reads, CTRL_C_EVENT to a non-zero group (never received) */
    unsigned remote_threads, typed_keys, peb_reads, nonzero_group_signals;
    unsigned caller_signalled;    /* a Ctrl+C reached the caller while it did not ignore it */
    unsigned stops;
    unsigned created;             /* CreateProcessW calls */
    WCHAR last_command[1024];     /* the last CreateProcessW command line */
    DWORD attached;               /* the console the caller is attached to (0: none) */
    BOOL caller_elevated;         /* the caller's own token is elevated */
    BOOL no_assign_privilege;     /* CreateProcessAsUserW: ERROR_PRIVILEGE_NOT_HELD */
    unsigned created_as_user;     /* CreateProcessAsUserW calls that started a process */
    unsigned created_with_token;  /* CreateProcessWithTokenW calls that did */
    BOOL caller_ignores_ctrl_c;
    const WCHAR *dead_server;     /* "\\\\name": opens of its paths never answer */
    unsigned dead_opens;          /* opens of dead_server's paths */
    unsigned pipe_opens;          /* opens of \\.\pipe\ names */
    /* The caller's own console (0: it has none; set attached to it too). Leaving it while no
     * other process is on it destroys it (the console docs: a console closes with its last
     * process): counted in caller_console_lost. */
    DWORD caller_console;
    unsigned caller_console_lost;
    PHANDLER_ROUTINE handlers[8]; /* the caller's console control handlers, last added last */
    unsigned nhandlers;
    unsigned keepers;             /* processes the DLL started on the caller's console */
    WCHAR file[MAX_PATH];         /* the file of sim_one_file */
    WCHAR *files[1];
};

/* Starts an empty world and installs its table; the returned world lives until sim_end. */
struct sim_world *sim_begin(void);
/* Restores the real table; checks nothing leaked into the Wine-only paths. */
void sim_end(void);
/* Adds a process (pid chosen by the world) of a kind; its image is a real file written
 * under the test's folder, console or GUI subsystem as the kind says. */
struct sim_process *sim_add_process(enum sim_kind kind, const WCHAR *image_name);
struct sim_service *sim_add_service(const WCHAR *name, DWORD host);
/* Registrations of one real temporary file, created empty; its path is world->file. */
struct rm_registrations sim_one_file(const WCHAR *name);
/* How many times a Wine-only path ran (each kind printed when not 0): 0 on Windows. The
 * caller hearing its own Ctrl+C counts too. */
unsigned sim_wine_paths_used(void);
/* A real temporary file (path in out, MAX_PATH), created empty. */
void sim_temp_file(const WCHAR *name, WCHAR *out);
/* The entry of a resolver's answer for pid, or NULL. */
struct rm_affected;
const RM_PROCESS_INFO *sim_find(const struct rm_affected *a, DWORD pid);
/* The same with a PE header (a DLL or exe a process can have loaded). */
void sim_temp_image(const WCHAR *name, WCHAR *out);

#endif
