/*
 * restartmanager.h - the Restart Manager API (rstrtmgr.dll), written for this project.
 *
 * ABI-identical to the Windows SDK's header: same types, values, layouts and calling
 * conventions (exports are WINAPI; the status callback has no convention keyword, so it is
 * cdecl on x86). Sizes are checked at compile time below.
 *
 * It defines the include guards of both the SDK header and mingw-w64's header, so that a
 * program that reaches either of those after this one does not see the types twice.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RSTRTMGR_RESTARTMANAGER_H
#define RSTRTMGR_RESTARTMANAGER_H
#if !defined(_RESTARTMANAGER_H_) && !defined(_INC_RESTARTMANAGER)
#define _RESTARTMANAGER_H_
#define _INC_RESTARTMANAGER

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Length of the binary session key, and of its text form (without the NUL). */
#define RM_SESSION_KEY_LEN  sizeof(GUID)
#define CCH_RM_SESSION_KEY  (RM_SESSION_KEY_LEN * 2)

#define CCH_RM_MAX_APP_NAME 255
#define CCH_RM_MAX_SVC_NAME 63

#define RM_INVALID_TS_SESSION -1
#define RM_INVALID_PROCESS    -1

/* Codes of the Restart Manager that some winerror.h (mingw-w64 before 11) lack. */
#ifndef ERROR_FAIL_NOACTION_REBOOT
#define ERROR_FAIL_NOACTION_REBOOT 350L
#endif
#ifndef ERROR_FAIL_SHUTDOWN
#define ERROR_FAIL_SHUTDOWN 351L
#endif
#ifndef ERROR_FAIL_RESTART
#define ERROR_FAIL_RESTART 352L
#endif
#ifndef ERROR_MAX_SESSIONS_REACHED
#define ERROR_MAX_SESSIONS_REACHED 353L
#endif
#ifndef ERROR_REQUEST_OUT_OF_SEQUENCE
#define ERROR_REQUEST_OUT_OF_SEQUENCE 776L
#endif

typedef enum _RM_APP_TYPE {
    RmUnknownApp  = 0,
    RmMainWindow  = 1,
    RmOtherWindow = 2,
    RmService     = 3,
    RmExplorer    = 4,
    RmConsole     = 5,
    RmCritical    = 1000
} RM_APP_TYPE;

typedef enum _RM_SHUTDOWN_TYPE {
    RmForceShutdown          = 0x1,
    RmShutdownOnlyRegistered = 0x10
} RM_SHUTDOWN_TYPE;

typedef enum _RM_APP_STATUS {
    RmStatusUnknown        = 0x0,
    RmStatusRunning        = 0x1,
    RmStatusStopped        = 0x2,
    RmStatusStoppedOther   = 0x4,
    RmStatusRestarted      = 0x8,
    RmStatusErrorOnStop    = 0x10,
    RmStatusErrorOnRestart = 0x20,
    RmStatusShutdownMasked = 0x40,
    RmStatusRestartMasked  = 0x80
} RM_APP_STATUS;

typedef enum _RM_REBOOT_REASON {
    RmRebootReasonNone             = 0x0,
    RmRebootReasonPermissionDenied = 0x1,
    RmRebootReasonSessionMismatch  = 0x2,
    RmRebootReasonCriticalProcess  = 0x4,
    RmRebootReasonCriticalService  = 0x8,
    RmRebootReasonDetectedSelf     = 0x10
} RM_REBOOT_REASON;

/* A process, told apart from a later one with the same id by its creation time. */
typedef struct _RM_UNIQUE_PROCESS {
    DWORD    dwProcessId;
    FILETIME ProcessStartTime;  /* lpCreationTime of GetProcessTimes */
} RM_UNIQUE_PROCESS, *PRM_UNIQUE_PROCESS;

/* One application or service that uses a registered resource. */
typedef struct _RM_PROCESS_INFO {
    RM_UNIQUE_PROCESS Process;
    WCHAR             strAppName[CCH_RM_MAX_APP_NAME + 1];
    WCHAR             strServiceShortName[CCH_RM_MAX_SVC_NAME + 1];
    RM_APP_TYPE       ApplicationType;
    ULONG             AppStatus;       /* RM_APP_STATUS bits */
    DWORD             TSSessionId;
    BOOL              bRestartable;
} RM_PROCESS_INFO, *PRM_PROCESS_INFO;

typedef enum _RM_FILTER_TRIGGER {
    RmFilterTriggerInvalid = 0,
    RmFilterTriggerFile    = 1,
    RmFilterTriggerProcess = 2,
    RmFilterTriggerService = 3
} RM_FILTER_TRIGGER;

typedef enum _RM_FILTER_ACTION {
    RmInvalidFilterAction = 0,
    RmNoRestart           = 1,
    RmNoShutdown          = 2
} RM_FILTER_ACTION;

/* The union's name is DUMMYUNIONNAME, as in the SDK: windows.h defines it as nothing (the
 * members read f.strFilename) or, with NONAMELESSUNION, as u (f.u.strFilename); MSVC's
 * windows.h sets NONAMELESSUNION itself for strict C (/Za). GCC and clang take the
 * unnamed form in strict C89/C99 only when told it is an extension. */
#if defined(__GNUC__) && !defined(__cplusplus)
#define RM_UNNAMED_UNION __extension__ union
#else
#define RM_UNNAMED_UNION union
#endif

/* One record of RmGetFilterList's output; cbNextOffset links the records. */
typedef struct _RM_FILTER_INFO {
    RM_FILTER_ACTION  FilterAction;
    RM_FILTER_TRIGGER FilterTrigger;
    DWORD             cbNextOffset;
    RM_UNNAMED_UNION {
        LPWSTR            strFilename;
        RM_UNIQUE_PROCESS Process;
        LPWSTR            strServiceShortName;
    } DUMMYUNIONNAME;
} RM_FILTER_INFO, *PRM_FILTER_INFO;
#undef RM_UNNAMED_UNION

/* Progress of RmShutdown / RmRestart, 0..100. No convention keyword: cdecl on x86. */
typedef void (*RM_WRITE_STATUS_CALLBACK)(UINT nPercentComplete);

DWORD WINAPI RmStartSession(DWORD *pSessionHandle, DWORD dwSessionFlags,
                            WCHAR strSessionKey[]);
DWORD WINAPI RmJoinSession(DWORD *pSessionHandle, const WCHAR strSessionKey[]);
DWORD WINAPI RmEndSession(DWORD dwSessionHandle);
DWORD WINAPI RmRegisterResources(DWORD dwSessionHandle, UINT nFiles, LPCWSTR rgsFileNames[],
                                 UINT nApplications, RM_UNIQUE_PROCESS rgApplications[],
                                 UINT nServices, LPCWSTR rgsServiceNames[]);
DWORD WINAPI RmGetList(DWORD dwSessionHandle, UINT *pnProcInfoNeeded, UINT *pnProcInfo,
                       RM_PROCESS_INFO rgAffectedApps[], LPDWORD lpdwRebootReasons);
DWORD WINAPI RmShutdown(DWORD dwSessionHandle, ULONG lActionFlags,
                        RM_WRITE_STATUS_CALLBACK fnStatus);
DWORD WINAPI RmRestart(DWORD dwSessionHandle, DWORD dwRestartFlags,
                       RM_WRITE_STATUS_CALLBACK fnStatus);
DWORD WINAPI RmCancelCurrentTask(DWORD dwSessionHandle);
DWORD WINAPI RmAddFilter(DWORD dwSessionHandle, LPCWSTR strModuleName,
                         RM_UNIQUE_PROCESS *pProcess, LPCWSTR strServiceShortName,
                         RM_FILTER_ACTION FilterAction);
DWORD WINAPI RmRemoveFilter(DWORD dwSessionHandle, LPCWSTR strModuleName,
                            RM_UNIQUE_PROCESS *pProcess, LPCWSTR strServiceShortName);
DWORD WINAPI RmGetFilterList(DWORD dwSessionHandle, PBYTE pbFilterBuf, DWORD cbFilterBuf,
                             LPDWORD cbFilterBufNeeded);

/* The layouts every existing caller was compiled against. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define RM_HEADER_ASSERT(e, m) static_assert(e, m)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define RM_HEADER_ASSERT(e, m) _Static_assert(e, m)
#else
/* __LINE__ expands only through a second macro: each assert gets its own typedef. */
#define RM_HEADER_PASTE(a, b) a##b
#define RM_HEADER_NAME(line) RM_HEADER_PASTE(rm_header_assert_, line)
#define RM_HEADER_ASSERT(e, m) typedef char RM_HEADER_NAME(__LINE__)[(e) ? 1 : -1]
#endif
RM_HEADER_ASSERT(sizeof(RM_UNIQUE_PROCESS) == 12, "RM_UNIQUE_PROCESS is 12 bytes");
RM_HEADER_ASSERT(sizeof(RM_PROCESS_INFO) == 668, "RM_PROCESS_INFO is 668 bytes");
RM_HEADER_ASSERT(sizeof(RM_FILTER_INFO) == (sizeof(void *) == 8 ? 32 : 24),
                 "RM_FILTER_INFO is 24 bytes on x86, 32 on x64");
RM_HEADER_ASSERT(sizeof(RM_APP_TYPE) == 4, "enums are 4 bytes");
#undef RM_HEADER_ASSERT
#undef RM_HEADER_NAME
#undef RM_HEADER_PASTE

#ifdef __cplusplus
}
#endif

#endif /* neither SDK nor mingw-w64 header seen */
#endif /* RSTRTMGR_RESTARTMANAGER_H */
