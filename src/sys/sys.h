/*
 * sys.h - the system layer: every call the resolver and the engine make into the OS goes
 * through one table of functions, struct rm_sys, as SQLite's VFS routes its system calls.
 * The real table calls Windows (and ntdll, looked up once); tests install another one to
 * play a Windows that Wine cannot (tests/sim/, ctest label windows-sim).
 *
 * Each member has the signature of the Win32 or NT function of the same name, so a call
 * reads as it would against Windows: rm_sys()->OpenProcess(...). ntdll members may be NULL
 * when ntdll lacks them. wine_get_version is non-NULL only under Wine: it is the one
 * detection of Wine (rm_sys_is_wine), and every path that exists only because Wine lacks
 * something is behind it (sys/wine.c).
 *
 * Not in the table: calls on the DLL's own objects (heap, locks, events, threads, its own
 * file mappings and mutexes in session/), and pure computations (CompareFileTime, ...).
 */
#ifndef RM_SYS_H
#define RM_SYS_H

#include <windows.h>
#include <tlhelp32.h>

#include "nt.h"

struct rm_sys {
    /* Files */
    HANDLE (WINAPI *CreateFileW)(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
    BOOL (WINAPI *CloseHandle)(HANDLE);
    DWORD (WINAPI *GetFileAttributesW)(LPCWSTR);
    DWORD (WINAPI *GetFileType)(HANDLE);
    BOOL (WINAPI *GetFileInformationByHandle)(HANDLE, LPBY_HANDLE_FILE_INFORMATION);
    BOOL (WINAPI *GetFileInformationByHandleEx)(HANDLE, FILE_INFO_BY_HANDLE_CLASS, LPVOID, DWORD);
    BOOL (WINAPI *ReadFile)(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED);
    DWORD (WINAPI *GetFileVersionInfoSizeW)(LPCWSTR, LPDWORD);
    BOOL (WINAPI *GetFileVersionInfoW)(LPCWSTR, DWORD, DWORD, LPVOID);
    BOOL (WINAPI *DuplicateHandle)(HANDLE, HANDLE, HANDLE, LPHANDLE, DWORD, BOOL, DWORD);
    HANDLE (WINAPI *FindFirstFileW)(LPCWSTR, LPWIN32_FIND_DATAW);
    BOOL (WINAPI *FindClose)(HANDLE);
    /* A 32-bit process's own view of C:\Windows\System32 (per thread). */
    BOOL (WINAPI *Wow64DisableWow64FsRedirection)(PVOID *);
    BOOL (WINAPI *Wow64RevertWow64FsRedirection)(PVOID);
    UINT (WINAPI *GetSystemDirectoryW)(LPWSTR, UINT);
    UINT (WINAPI *GetSystemWow64DirectoryW)(LPWSTR, UINT);  /* 0 on 32-bit Windows */

    /* Processes */
    HANDLE (WINAPI *OpenProcess)(DWORD, BOOL, DWORD);
    BOOL (WINAPI *GetProcessTimes)(HANDLE, LPFILETIME, LPFILETIME, LPFILETIME, LPFILETIME);
    BOOL (WINAPI *GetExitCodeProcess)(HANDLE, LPDWORD);
    BOOL (WINAPI *QueryFullProcessImageNameW)(HANDLE, DWORD, LPWSTR, PDWORD);
    BOOL (WINAPI *ProcessIdToSessionId)(DWORD, DWORD *);
    BOOL (WINAPI *ReadProcessMemory)(HANDLE, LPCVOID, LPVOID, SIZE_T, SIZE_T *);
    BOOL (WINAPI *IsWow64Process)(HANDLE, PBOOL);
    BOOL (WINAPI *TerminateProcess)(HANDLE, UINT);
    BOOL (WINAPI *CreateProcessW)(LPCWSTR, LPWSTR, LPSECURITY_ATTRIBUTES, LPSECURITY_ATTRIBUTES,
                                  BOOL, DWORD, LPVOID, LPCWSTR, LPSTARTUPINFOW,
                                  LPPROCESS_INFORMATION);
    HANDLE (WINAPI *CreateRemoteThread)(HANDLE, LPSECURITY_ATTRIBUTES, SIZE_T,
                                        LPTHREAD_START_ROUTINE, LPVOID, DWORD, LPDWORD);
    DWORD (WINAPI *WaitForSingleObject)(HANDLE, DWORD);
    HANDLE (WINAPI *CreateToolhelp32Snapshot)(DWORD, DWORD);
    BOOL (WINAPI *Process32FirstW)(HANDLE, LPPROCESSENTRY32W);
    BOOL (WINAPI *Process32NextW)(HANDLE, LPPROCESSENTRY32W);
    BOOL (WINAPI *Module32FirstW)(HANDLE, LPMODULEENTRY32W);
    BOOL (WINAPI *Module32NextW)(HANDLE, LPMODULEENTRY32W);
    /* Restart registration (§11.1 of the spec) */
    HRESULT (WINAPI *GetApplicationRestartSettings)(HANDLE, PWSTR, PDWORD, PDWORD);
    /* Tokens: restarting an app as the user it ran as (§10.5 d, e) */
    BOOL (WINAPI *OpenProcessToken)(HANDLE, DWORD, PHANDLE);
    BOOL (WINAPI *GetTokenInformation)(HANDLE, TOKEN_INFORMATION_CLASS, LPVOID, DWORD, PDWORD);
    BOOL (WINAPI *DuplicateTokenEx)(HANDLE, DWORD, LPSECURITY_ATTRIBUTES,
                                    SECURITY_IMPERSONATION_LEVEL, TOKEN_TYPE, PHANDLE);
    BOOL (WINAPI *CreateProcessAsUserW)(HANDLE, LPCWSTR, LPWSTR, LPSECURITY_ATTRIBUTES,
                                        LPSECURITY_ATTRIBUTES, BOOL, DWORD, LPVOID, LPCWSTR,
                                        LPSTARTUPINFOW, LPPROCESS_INFORMATION);
    BOOL (WINAPI *CreateProcessWithTokenW)(HANDLE, DWORD, LPCWSTR, LPWSTR, DWORD, LPVOID,
                                           LPCWSTR, LPSTARTUPINFOW, LPPROCESS_INFORMATION);

    /* Windows (user32) */
    BOOL (WINAPI *EnumWindows)(WNDENUMPROC, LPARAM);
    HWND (WINAPI *GetWindow)(HWND, UINT);
    DWORD (WINAPI *GetWindowThreadProcessId)(HWND, LPDWORD);
    BOOL (WINAPI *IsWindowVisible)(HWND);
    BOOL (WINAPI *IsWindow)(HWND);
    int (WINAPI *GetClassNameW)(HWND, LPWSTR, int);
    int (WINAPI *GetWindowTextW)(HWND, LPWSTR, int);
    LRESULT (WINAPI *SendMessageTimeoutW)(HWND, UINT, WPARAM, LPARAM, UINT, UINT, PDWORD_PTR);
    BOOL (WINAPI *PostMessageW)(HWND, UINT, WPARAM, LPARAM);
    BOOL (WINAPI *SendNotifyMessageW)(HWND, UINT, WPARAM, LPARAM);

    /* Consoles */
    BOOL (WINAPI *AttachConsole)(DWORD);
    BOOL (WINAPI *FreeConsole)(void);
    BOOL (WINAPI *GenerateConsoleCtrlEvent)(DWORD, DWORD);
    DWORD (WINAPI *GetConsoleProcessList)(LPDWORD, DWORD);
    HWND (WINAPI *GetConsoleWindow)(void);
    BOOL (WINAPI *SetConsoleCtrlHandler)(PHANDLER_ROUTINE, BOOL);
    HANDLE (WINAPI *GetStdHandle)(DWORD);
    BOOL (WINAPI *SetStdHandle)(DWORD, HANDLE);
    BOOL (WINAPI *WriteConsoleInputW)(HANDLE, const INPUT_RECORD *, DWORD, LPDWORD);
    BOOL (WINAPI *GetConsoleMode)(HANDLE, LPDWORD);
    BOOL (WINAPI *CreatePipe)(PHANDLE, PHANDLE, LPSECURITY_ATTRIBUTES, DWORD);

    /* Services (SCM) */
    SC_HANDLE (WINAPI *OpenSCManagerW)(LPCWSTR, LPCWSTR, DWORD);
    SC_HANDLE (WINAPI *OpenServiceW)(SC_HANDLE, LPCWSTR, DWORD);
    BOOL (WINAPI *CloseServiceHandle)(SC_HANDLE);
    BOOL (WINAPI *EnumServicesStatusExW)(SC_HANDLE, SC_ENUM_TYPE, DWORD, DWORD, LPBYTE, DWORD,
                                         LPDWORD, LPDWORD, LPDWORD, LPCWSTR);
    BOOL (WINAPI *QueryServiceStatusEx)(SC_HANDLE, SC_STATUS_TYPE, LPBYTE, DWORD, LPDWORD);
    BOOL (WINAPI *ControlService)(SC_HANDLE, DWORD, LPSERVICE_STATUS);
    BOOL (WINAPI *StartServiceW)(SC_HANDLE, DWORD, LPCWSTR *);

    /* Registry (service dependencies, the shutdown timeouts) */
    LSTATUS (WINAPI *RegOpenKeyExW)(HKEY, LPCWSTR, DWORD, REGSAM, PHKEY);
    LSTATUS (WINAPI *RegQueryValueExW)(HKEY, LPCWSTR, LPDWORD, LPDWORD, LPBYTE, LPDWORD);
    LSTATUS (WINAPI *RegCloseKey)(HKEY);
    LSTATUS (WINAPI *RegGetValueW)(HKEY, LPCWSTR, LPCWSTR, DWORD, LPDWORD, PVOID, LPDWORD);

    /* ntdll (nt.h); NULL when missing */
    rm_NtQuerySystemInformation_fn NtQuerySystemInformation;
    rm_NtQueryInformationProcess_fn NtQueryInformationProcess;
    rm_NtQueryInformationFile_fn NtQueryInformationFile;
    /* Only Wine's ntdll exports it: NULL on Windows. */
    const char *(CDECL *wine_get_version)(void);
};

/* The table in force: the one a test installed, else the real one (built on first use,
 * never in DllMain). */
const struct rm_sys *rm_sys(void);
/* The table that calls the OS, for a test table to start from. */
const struct rm_sys *rm_sys_real(void);
/* Tests: makes `table` the one in force (NULL restores the real one). The table must
 * outlive its use; install it while no call of the DLL runs. */
void rm_sys_install(const struct rm_sys *table);

/* TRUE under Wine (ntdll exports wine_get_version). The only Wine detection: every path
 * that exists because Wine lacks something asks this, and runs nowhere else. */
BOOL rm_sys_is_wine(void);

/* ---- sys/process.c: facts about processes (through the table) ---- */

/* Creation time of an open process (PROCESS_QUERY_LIMITED_INFORMATION). */
BOOL rm_process_start_time(HANDLE process, FILETIME *start);
/* TRUE if the process with this id and creation time still runs (or we cannot tell). */
BOOL rm_process_is_alive(DWORD pid, const FILETIME *start);
/* This process's creation time. */
FILETIME rm_process_self_start(void);
/* The creation time and image file name (no folder; cut to cap characters) of a process
 * that may not be opened, from SystemProcessInformation. FALSE if it is not listed. */
BOOL rm_process_facts_unopened(DWORD pid, FILETIME *start, WCHAR *name, size_t cap);

/* ---- sys/cmdline.c ---- */

/* The command line process pid was started with (from its PEB); *out is rm_alloc'ed.
 * ERROR_NOT_SUPPORTED for a 64-bit process seen from a 32-bit DLL. */
DWORD rm_process_command_line(DWORD pid, WCHAR **out);

#endif
