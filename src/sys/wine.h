/*
 * wine.h - what only Wine needs (wine.c says what was measured for each). Every function
 * does nothing and returns failure when not under Wine (rm_sys_is_wine).
 */
#ifndef RM_WINE_H
#define RM_WINE_H

#include "sys.h"

/* Where Wine's GetApplicationRestartSettings gives E_NOTIMPL: the command line the
 * process was started with (*out rm_alloc'ed). ERROR_NOT_SUPPORTED outside Wine. */
DWORD rm_wine_restart_command(DWORD pid, WCHAR **out);
/* With our process attached to the target's console, which nobody else shares: one Ctrl+C
 * as Wine can deliver it (a typed Ctrl+C when the console processes it, else the target's
 * PID as group). TRUE if it was sent; *own_copy TRUE when it reaches us too. */
BOOL rm_wine_console_signal(DWORD pid, BOOL *own_copy);
/* Ctrl+C to a console program that has no console: a thread at kernelbase's CtrlRoutine
 * (same bitness only). TRUE if the thread was started. */
BOOL rm_wine_ctrl_routine_thread(DWORD pid);
/* EnumWindows that never starts Wine's desktop process (which would keep the caller's
 * stderr): the thread desktop's windows. FALSE outside Wine. */
BOOL WINAPI rm_wine_enum_windows(WNDENUMPROC callback, LPARAM arg);

/* TRUE where a process runs with the user's full (elevated) token unless started
 * otherwise, so that "elevated" is the user's ordinary level (Wine); FALSE on Windows. */
BOOL rm_wine_elevated_by_default(void);
/* TRUE where CreateProcessWithTokenW starts the process with the caller's token instead
 * of the one given (Wine); FALSE on Windows. */
BOOL rm_wine_ignores_token_of_create_process_with_token(void);

#endif
