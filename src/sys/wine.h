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

/* Where a 32-bit process's PEB is, for a 64-bit DLL under Wine 8 (ProcessWow64Information
 * gives 1 there, not the address: measured); 0 when not found or not under Wine. */
ULONG_PTR rm_wine_peb32(HANDLE process);
/* One loaded module's path; return FALSE to stop. */
typedef BOOL (*rm_module_fn)(void *ctx, const WCHAR *path);
/* A 32-bit (WOW64) process's modules, from its 32-bit loader list, for a 64-bit DLL where
 * Toolhelp cannot list them (Wine: error 998). ERROR_SUCCESS when the whole list was read
 * (or fn stopped it). */
DWORD rm_wine_wow64_modules(DWORD pid, rm_module_fn fn, void *ctx);
/* TRUE where a process runs with the user's full (elevated) token unless started
 * otherwise, so that "elevated" is the user's ordinary level (Wine); FALSE on Windows. */
BOOL rm_wine_elevated_by_default(void);
/* TRUE where CreateProcessWithTokenW starts the process with the caller's token instead
 * of the one given (Wine); FALSE on Windows. */
BOOL rm_wine_ignores_token_of_create_process_with_token(void);

#endif
