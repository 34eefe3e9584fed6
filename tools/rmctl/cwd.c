/*
 * cwd.c - the processes whose current directory is a --recursive folder or below it: they
 * keep it from being deleted, though they use no file in it. Windows keeps no list of them
 * anywhere the Restart Manager looks; each process's own parameters hold it: PEB ->
 * ProcessParameters -> CurrentDirectory.DosPath (RTL_USER_PROCESS_PARAMETERS), read with
 * ReadProcessMemory. The offsets are declared in src/sys/nt.h, with the DLL's other NT
 * internals. Console hosts (conhost.exe) are left out: they sit where the console program
 * they serve was started and end with it. A 64-bit rmctl reads 64-bit processes and,
 * through their 32-bit PEB, WOW64 ones (whose 32-bit parameters are the ones kept
 * current); a 32-bit rmctl cannot reach a 64-bit PEB (Wine 8 gives it no address), so it
 * says how many it could not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "rmctl.h"
#include "nt.h"

#include <tlhelp32.h>

typedef LONG (NTAPI *query_process_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

static BOOL read_at(HANDLE process, ULONG64 at, void *buf, SIZE_T n)
{
    SIZE_T got = 0;
    if (at > (ULONG64)(ULONG_PTR)-1)
        return FALSE;  /* beyond our address space */
    return ReadProcessMemory(process, (void *)(ULONG_PTR)at, buf, n, &got) && got == n;
}

/* A pointer of the target's width (4 or 8 bytes, little-endian) at `at`. */
static BOOL read_pointer(HANDLE process, ULONG64 at, BOOL wide, ULONG64 *value)
{
    *value = 0;
    return read_at(process, at, value, wide ? 8 : 4);
}

/* Where ProcessWow64Information says only "WOW64" (Wine 8 answers 1, not an address;
 * measured): Wine keeps the 32-bit PEB one page after the 64-bit one, which is checked by
 * both naming the same image base. 0 when that is not so. */
static ULONG64 wine_peb32(HANDLE process, query_process_fn query)
{
    struct rm_nt_basic_information basic;
    ULONG64 peb64, image64 = 0, image32 = 0;

    if (query(process, RM_ProcessBasicInformation, &basic, sizeof(basic), NULL) < 0 ||
        !(peb64 = (ULONG_PTR)basic.PebBaseAddress) ||
        !read_pointer(process, peb64 + RM_PEB64_IMAGE_BASE, TRUE, &image64) ||
        !read_pointer(process, peb64 + RM_WINE_PEB32_AFTER_PEB64 + RM_PEB32_IMAGE_BASE, FALSE,
                      &image32) ||
        !image64 || image64 != image32)
        return 0;
    return peb64 + RM_WINE_PEB32_AFTER_PEB64;
}

/* The current directory of an open process, malloc'ed; NULL when it cannot be read. */
static wchar_t *current_directory(HANDLE process, query_process_fn query)
{
    struct rm_nt_basic_information basic;
    ULONG_PTR peb32 = 0;
    ULONG64 peb, params, buffer, at;
    USHORT length = 0;
    BOOL wide = sizeof(void *) == 8, self_wow64 = FALSE, target_wow64 = FALSE;
    wchar_t *dir;

    if (!wide && IsWow64Process(GetCurrentProcess(), &self_wow64) && self_wow64 &&
        IsWow64Process(process, &target_wow64) && !target_wow64)
        return NULL;  /* a 64-bit process: its PEB is out of a 32-bit process's reach */
    if (wide && query(process, RM_ProcessWow64Information, &peb32, sizeof(peb32), NULL) >= 0 && peb32) {
        /* WOW64: the 32-bit parameters are the ones kept current. */
        if (!(peb = peb32 == 1 ? wine_peb32(process, query) : peb32))
            return NULL;
        wide = FALSE;
    } else if (query(process, RM_ProcessBasicInformation, &basic, sizeof(basic), NULL) >= 0 &&
               basic.PebBaseAddress) {
        peb = (ULONG_PTR)basic.PebBaseAddress;
    } else {
        return NULL;
    }
    if (!read_pointer(process, peb + (wide ? RM_PEB64_PARAMETERS : RM_PEB32_PARAMETERS), wide, &params))
        return NULL;
    /* CurrentDirectory.DosPath, a UNICODE_STRING: Length, then Buffer at pointer alignment. */
    at = params + (wide ? RM_PARAMS64_CURRENT_DIRECTORY : RM_PARAMS32_CURRENT_DIRECTORY);
    if (!read_at(process, at, &length, sizeof(length)) ||
        !read_pointer(process, at + (wide ? 8 : 4), wide, &buffer) || !buffer || !length)
        return NULL;
    if (!(dir = calloc(length / sizeof(wchar_t) + 1, sizeof(wchar_t))))
        return NULL;
    if (!read_at(process, buffer, dir, length)) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* TRUE if dir is path or below it (both full paths; dir may end in a backslash). */
static BOOL is_below(const wchar_t *dir, const wchar_t *path)
{
    size_t n = wcslen(path);
    if (n && path[n - 1] == L'\\')
        n--;  /* a root: C:\ */
    return !_wcsnicmp(dir, path, n) && (dir[n] == 0 || dir[n] == L'\\');
}

/* The same directory in its long form, when it has another (8.3 names). */
static BOOL is_below_either(const wchar_t *dir, const wchar_t *path)
{
    wchar_t long_form[MAX_PATH * 2];
    DWORD n;
    if (is_below(dir, path))
        return TRUE;
    n = GetLongPathNameW(dir, long_form, ARRAYSIZE(long_form));
    return n && n < ARRAYSIZE(long_form) && is_below(long_form, path);
}

static BOOL add_cwd(struct rmctl_folder *f, DWORD pid, FILETIME start, const wchar_t *dir, BOOL starter)
{
    struct rmctl_cwd *grown = realloc(f->cwds, (f->ncwds + 1) * sizeof(*grown));
    if (!grown)
        return FALSE;
    f->cwds = grown;
    grown[f->ncwds].process.dwProcessId = pid;
    grown[f->ncwds].process.ProcessStartTime = start;
    grown[f->ncwds].starter = starter;
    if (!(grown[f->ncwds].dir = _wcsdup(dir)))
        return FALSE;
    f->ncwds++;
    return TRUE;
}

/* rmctl's parent, its parent, and so on (a parent must be older than its child: PIDs are
 * reused). Closing them would close the shell rmctl was started from. */
static BOOL is_starter(DWORD pid, const PROCESSENTRY32W *all, UINT n)
{
    DWORD child = GetCurrentProcessId();
    UINT i, hops;

    for (hops = 0; hops < 64 && child; hops++) {
        DWORD parent = 0;
        for (i = 0; i < n; i++)
            if (all[i].th32ProcessID == child)
                parent = all[i].th32ParentProcessID;
        if (!parent || parent == child)
            return FALSE;
        if (parent == pid)
            return TRUE;
        child = parent;
    }
    return FALSE;
}

BOOL rmctl_find_cwds(struct rmctl_folder *folders, UINT nfolders)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    query_process_fn query = ntdll ? (query_process_fn)(void (*)(void))GetProcAddress(ntdll,
                                         "NtQueryInformationProcess") : NULL;
    PROCESSENTRY32W *all = NULL, pe;
    UINT n = 0, i, j, unread = 0;
    wchar_t names[3 * (MAX_PATH + 16)] = L"";
    HANDLE snap;
    BOOL ok = TRUE;

    if (!query || (snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0)) == INVALID_HANDLE_VALUE) {
        fwprintf(stderr, L"rmctl: warning: cannot list processes; processes sitting in the "
                 L"folder are not included\n");
        return TRUE;
    }
    pe.dwSize = sizeof(pe);
    for (BOOL more = Process32FirstW(snap, &pe); more && ok; more = Process32NextW(snap, &pe)) {
        PROCESSENTRY32W *grown = realloc(all, (n + 1) * sizeof(*all));
        if ((ok = grown != NULL))
            (all = grown)[n++] = pe;
    }
    CloseHandle(snap);

    for (i = 0; i < n && ok; i++) {
        FILETIME start, unused[3];
        wchar_t *dir = NULL;
        HANDLE h;

        /* A console host sits where the console program it serves was started, and ends
         * with it: closing it first would take the program down without a word. */
        if (all[i].th32ProcessID == GetCurrentProcessId() || !all[i].th32ProcessID ||
            !_wcsicmp(all[i].szExeFile, L"conhost.exe"))
            continue;
        h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, all[i].th32ProcessID);
        if (h && GetProcessTimes(h, &start, &unused[0], &unused[1], &unused[2]))
            dir = current_directory(h, query);
        if (h)
            CloseHandle(h);
        if (!dir) {
            if (unread++ < 3)
                swprintf(names + wcslen(names), ARRAYSIZE(names) - wcslen(names), L"%ls%ls (PID %lu)",
                         unread > 1 ? L", " : L"", all[i].szExeFile, all[i].th32ProcessID);
            continue;
        }
        for (j = 0; j < nfolders && ok; j++)
            if (is_below_either(dir, folders[j].path))
                ok = add_cwd(&folders[j], all[i].th32ProcessID, start, dir,
                             is_starter(all[i].th32ProcessID, all, n));
        free(dir);
    }
    free(all);
    if (unread)
        fwprintf(stderr, L"rmctl: note: could not read the current directory of %u process(es) (%ls%ls);"
                 L" they are not checked%ls\n", unread, names, unread > 3 ? L", ..." : L"",
                 sizeof(void *) == 4 ? L" (64-bit ones only the x64 rmctl can read)" : L"");
    return ok;
}
