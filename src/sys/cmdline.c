/*
 * cmdline.c - the command line another process was started with, read from its PEB, so
 * that an application we close can be started again the same way.
 *
 * A 64-bit DLL reads 64-bit processes and, through their 32-bit PEB, WOW64 ones. A 32-bit
 * DLL reads 32-bit processes only (a 64-bit PEB lies beyond its address space).
 */
#include "sys.h"
#include "../util/util.h"

/* Reads a UNICODE_STRING's text at `at` (its Length and Buffer fields in the given width). */
static DWORD read_text(HANDLE process, ULONG_PTR at, BOOL wide_pointers, WCHAR **out)
{
    USHORT length;
    ULONG_PTR buffer = 0;
    WCHAR *text;
    SIZE_T n;

    if (!rm_sys()->ReadProcessMemory(process, (void *)at, &length, sizeof(length), &n))
        return RM_FAIL(GetLastError(), "read command line length");
    if (wide_pointers) {
        ULONG64 b = 0;
        if (!rm_sys()->ReadProcessMemory(process, (void *)(at + 8), &b, sizeof(b), &n))
            return RM_FAIL(GetLastError(), "read command line pointer");
        buffer = (ULONG_PTR)b;
    } else {
        ULONG b = 0;
        if (!rm_sys()->ReadProcessMemory(process, (void *)(at + 4), &b, sizeof(b), &n))
            return RM_FAIL(GetLastError(), "read command line pointer");
        buffer = b;
    }
    if (!buffer || !length)
        return ERROR_NOT_FOUND;
    if (!(text = rm_alloc(length + sizeof(WCHAR))))
        return ERROR_OUTOFMEMORY;
    if (!rm_sys()->ReadProcessMemory(process, (void *)buffer, text, length, &n)) {
        rm_free(text);
        return RM_FAIL(GetLastError(), "read command line");
    }
    *out = text;
    return ERROR_SUCCESS;
}

/* Follows PEB -> ProcessParameters -> CommandLine in one layout. */
static DWORD read_from_peb(HANDLE process, ULONG_PTR peb, BOOL is64, WCHAR **out)
{
    ULONG_PTR params;
    SIZE_T n;

    if (is64) {
        ULONG64 p = 0;
        if (!rm_sys()->ReadProcessMemory(process, (void *)(peb + RM_PEB64_PARAMETERS), &p, sizeof(p), &n))
            return RM_FAIL(GetLastError(), "read PEB");
        params = (ULONG_PTR)p;
    } else {
        ULONG p = 0;
        if (!rm_sys()->ReadProcessMemory(process, (void *)(peb + RM_PEB32_PARAMETERS), &p, sizeof(p), &n))
            return RM_FAIL(GetLastError(), "read PEB32");
        params = p;
    }
    if (!params)
        return ERROR_NOT_FOUND;
    return read_text(process, params + (is64 ? RM_PARAMS64_COMMAND_LINE : RM_PARAMS32_COMMAND_LINE),
                     is64, out);
}

DWORD rm_process_command_line(DWORD pid, WCHAR **out)
{
    const struct rm_sys *nt = rm_sys();
    struct rm_nt_basic_information basic;
    ULONG_PTR peb32 = 0;
    BOOL self_wow64 = FALSE, target_wow64 = FALSE;
    HANDLE h;
    DWORD err;

    *out = NULL;
    if (!nt->NtQueryInformationProcess)
        return ERROR_NOT_SUPPORTED;
    if (!(h = rm_sys()->OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid)))
        return GetLastError();
    if (sizeof(void *) == 4 && rm_sys()->IsWow64Process(GetCurrentProcess(), &self_wow64) && self_wow64 &&
        rm_sys()->IsWow64Process(h, &target_wow64) && !target_wow64)
        err = ERROR_NOT_SUPPORTED;  /* a 64-bit process: out of our reach */
    else if (sizeof(void *) == 8 &&
        RM_NT_SUCCESS(nt->NtQueryInformationProcess(h, RM_ProcessWow64Information, &peb32,
                                                    sizeof(peb32), NULL)) && peb32)
        err = read_from_peb(h, peb32, FALSE, out);
    else if (RM_NT_SUCCESS(nt->NtQueryInformationProcess(h, RM_ProcessBasicInformation, &basic,
                                                         sizeof(basic), NULL)) && basic.PebBaseAddress)
        err = read_from_peb(h, (ULONG_PTR)basic.PebBaseAddress, sizeof(void *) == 8, out);
    else
        err = ERROR_NOT_SUPPORTED;
    rm_sys()->CloseHandle(h);
    return err;
}
