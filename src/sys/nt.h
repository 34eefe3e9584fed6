/*
 * nt.h - the NT internals this DLL declares itself, and only here: the system handle table
 * (NtQuerySystemInformation, SystemExtendedHandleInformation), a file's index
 * (NtQueryInformationFile, FileInternalInformation) and where another process keeps its
 * command line (NtQueryInformationProcess, the PEB), and the processes using a file
 * (FileProcessIdsUsingFileInformation). The functions are members of the system table
 * (sys.h), looked up in ntdll once, on first use (never in DllMain).
 */
#ifndef RM_NT_H
#define RM_NT_H

#include <windows.h>

#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004L)
#endif
#define RM_NT_SUCCESS(status) ((LONG)(status) >= 0)

/* SYSTEM_INFORMATION_CLASS value: every process, with its image name and creation time,
 * readable without opening it (winternl.h's SYSTEM_PROCESS_INFORMATION, whose Reserved1
 * bytes are spelt out here). */
#define RM_SystemProcessInformation 5

struct rm_nt_process_entry {
    ULONG NextEntryOffset;        /* 0 on the last entry */
    ULONG NumberOfThreads;
    LARGE_INTEGER Reserved[3];    /* private working set, fault counts, cycle time */
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER UserTime;
    LARGE_INTEGER KernelTime;
    USHORT ImageNameLength;       /* ImageName, a UNICODE_STRING: bytes, no NUL */
    USHORT ImageNameMaximumLength;
    PWSTR ImageNameBuffer;
    LONG BasePriority;
    HANDLE UniqueProcessId;
    HANDLE InheritedFromUniqueProcessId;
};

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

/* PROCESSINFOCLASS values. ProcessCommandLineInformation (60) would be simpler, but Wine 8
 * does not have it; the PEB works on both. */
#define RM_ProcessBasicInformation 0
#define RM_ProcessWow64Information 26   /* the 32-bit PEB of a WOW64 process, else NULL */

struct rm_nt_basic_information {
    LONG ExitStatus;
    PVOID PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
};

/* Where the command line is, as offsets: PEB.ProcessParameters, then
 * RTL_USER_PROCESS_PARAMETERS.CommandLine (a UNICODE_STRING), in the 64- and 32-bit
 * layouts. */
#define RM_PEB64_PARAMETERS 0x20
#define RM_PARAMS64_COMMAND_LINE 0x70
#define RM_PEB32_PARAMETERS 0x10
#define RM_PARAMS32_COMMAND_LINE 0x40
/* RTL_USER_PROCESS_PARAMETERS.CurrentDirectory (a CURDIR: DosPath, a UNICODE_STRING, then
 * the directory's Handle), where a process keeps its current directory. rmctl reads it to
 * find the processes sitting in a folder (tools/rmctl/cwd.c). */
#define RM_PARAMS64_CURRENT_DIRECTORY 0x38
#define RM_PARAMS32_CURRENT_DIRECTORY 0x24

/* The loader's list of modules in the 32-bit layout: PEB32.Ldr, PEB_LDR_DATA32's
 * InLoadOrderModuleList (a LIST_ENTRY32), and in each LDR_DATA_TABLE_ENTRY32 (whose first
 * field is that list's link) the FullDllName (a UNICODE_STRING32: USHORT Length, USHORT
 * MaximumLength, ULONG Buffer). */
#define RM_PEB32_LDR 0x0C
#define RM_PEB32_IMAGE_BASE 0x08
#define RM_PEB64_IMAGE_BASE 0x10
/* Wine 8 only (sys/wine.c): where a 32-bit process's PEB is, after its 64-bit one. */
#define RM_WINE_PEB32_AFTER_PEB64 0x1000
#define RM_LDR32_LOAD_ORDER 0x0C
#define RM_LDR_ENTRY32_FULL_NAME 0x24

typedef LONG (NTAPI *rm_NtQueryInformationProcess_fn)(HANDLE process, ULONG cls, PVOID buf,
                                                       ULONG len, PULONG ret);

/* FILE_INFORMATION_CLASS value: the file's index on its volume (what
 * GetFileInformationByHandle reports as nFileIndexHigh/Low), in one call that does not
 * ask for the volume. */
#define RM_FileInternalInformation 6

struct rm_nt_io_status {
    union {
        LONG Status;
        PVOID Pointer;
    } u;
    ULONG_PTR Information;
};

typedef LONG (NTAPI *rm_NtQueryInformationFile_fn)(HANDLE file, struct rm_nt_io_status *io,
                                                    PVOID buf, ULONG len, ULONG cls);

/* FILE_INFORMATION_CLASS value 47 (Vista and later; spec §11.3): the PIDs of the processes
 * that use a file, asked of the file system through any handle of the file (no access
 * rights needed beyond FILE_READ_ATTRIBUTES). Wine 8 does not implement it. */
#define RM_FileProcessIdsUsingFileInformation 47

struct rm_nt_process_ids_using_file {
    ULONG NumberOfProcessIdsInList;
    ULONG_PTR ProcessIdList[1];      /* NumberOfProcessIdsInList of them */
};

/* NTSTATUS values that mean "this class is not there" (the handle walk is used then). */
#ifndef STATUS_INVALID_INFO_CLASS
#define STATUS_INVALID_INFO_CLASS ((LONG)0xC0000003L)
#endif
#ifndef STATUS_NOT_IMPLEMENTED
#define STATUS_NOT_IMPLEMENTED ((LONG)0xC0000002L)
#endif
#ifndef STATUS_NOT_SUPPORTED
#define STATUS_NOT_SUPPORTED ((LONG)0xC00000BBL)
#endif
#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW ((LONG)0x80000005L)
#endif

#endif
