/*
 * nt.h - the NT internals this DLL declares itself, and only here: the system handle table
 * (NtQuerySystemInformation, SystemExtendedHandleInformation). Looked up in ntdll once, on
 * first use (never in DllMain).
 */
#ifndef RM_NT_H
#define RM_NT_H

#include <windows.h>

#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004L)
#endif
#define RM_NT_SUCCESS(status) ((LONG)(status) >= 0)

/* SYSTEM_INFORMATION_CLASS value: every handle of every process, with full-width PIDs. */
#define RM_SystemExtendedHandleInformation 64

/* One handle of SystemExtendedHandleInformation (winternl.h does not declare it). */
struct rm_nt_handle_entry {
    PVOID Object;             /* Wine quirk: always NULL, do not compare objects by it */
    ULONG_PTR UniqueProcessId;
    ULONG_PTR HandleValue;
    ULONG GrantedAccess;
    USHORT CreatorBackTraceIndex;
    USHORT ObjectTypeIndex;   /* Wine quirk: not the TypeIndex NtQueryObject reports */
    ULONG HandleAttributes;
    ULONG Reserved;
};

struct rm_nt_handle_table {
    ULONG_PTR NumberOfHandles;
    ULONG_PTR Reserved;
    struct rm_nt_handle_entry Handles[1];
};

typedef LONG (NTAPI *rm_NtQuerySystemInformation_fn)(ULONG cls, PVOID buf, ULONG len, PULONG ret);

struct rm_nt {
    rm_NtQuerySystemInformation_fn NtQuerySystemInformation;
};

/* The ntdll entry points, looked up once; NULL members when missing. */
const struct rm_nt *rm_nt_get(void);

#endif
