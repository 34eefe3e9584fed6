/*
 * floor.c - the least any answer to "who uses these files" costs on this machine, done by
 * the benchmark itself without the DLL: one raw snapshot of the system handle table
 * (SystemExtendedHandleInformation) plus one module list per process (Toolhelp). Both
 * are needed by any resolver that finds open handles and loaded DLLs; RmGetList is
 * measured against their sum.
 */
#include <stdlib.h>

#include "bench.h"
#include "sys/nt.h"

#include <tlhelp32.h>

static struct rm_nt_handle_table *table;
static ULONG table_size;
static rm_NtQuerySystemInformation_fn query;

/* One snapshot into the buffer, grown when the table has outgrown it. */
static LONG take_snapshot(ULONG *returned)
{
    LONG status;

    for (;;) {
        *returned = 0;
        status = query(RM_SystemExtendedHandleInformation, table, table_size, returned);
        if (status != STATUS_INFO_LENGTH_MISMATCH)
            return status;
        free(table);
        /* Wine quirk: the returned length can be 0 when too small; grow by ourselves. */
        table_size = *returned > table_size ? *returned + *returned / 4 : table_size * 2;
        if (!(table = malloc(table_size)))
            return STATUS_INFO_LENGTH_MISMATCH;
    }
}

/* Walks every process's module list; counts processes and modules. */
static void module_lists(unsigned *processes, unsigned *modules)
{
    HANDLE procs = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0), mods;
    PROCESSENTRY32W p;
    MODULEENTRY32W m;
    BOOL more, more_modules;

    *processes = *modules = 0;
    if (procs == INVALID_HANDLE_VALUE)
        return;
    p.dwSize = sizeof(p);
    for (more = Process32FirstW(procs, &p); more; more = Process32NextW(procs, &p)) {
        if (!p.th32ProcessID)
            continue;
        (*processes)++;
        mods = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32, p.th32ProcessID);
        if (mods == INVALID_HANDLE_VALUE)
            continue;
        m.dwSize = sizeof(m);
        for (more_modules = Module32FirstW(mods, &m); more_modules;
             more_modules = Module32NextW(mods, &m))
            (*modules)++;
        CloseHandle(mods);
    }
    CloseHandle(procs);
}

DWORD bench_floor_prepare(struct bench_world_facts *facts)
{
    WCHAR self[MAX_PATH];
    HANDLE probe;
    ULONG returned, i;
    DWORD pid = GetCurrentProcessId();
    int file_type = -1;

    ZeroMemory(facts, sizeof(*facts));
    query = (rm_NtQuerySystemInformation_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                                    "NtQuerySystemInformation");
    if (!query)
        return ERROR_CALL_NOT_IMPLEMENTED;
    table_size = 1 << 20;
    if (!(table = malloc(table_size)))
        return ERROR_OUTOFMEMORY;
    /* A file handle of our own tells which type index the table gives files (Wine's
     * differs from what NtQueryObject reports), as the resolver learns it. */
    GetModuleFileNameW(NULL, self, MAX_PATH);
    probe = CreateFileW(self, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                        OPEN_EXISTING, 0, NULL);
    if (!RM_NT_SUCCESS(take_snapshot(&returned))) {
        CloseHandle(probe);
        return ERROR_NOT_SUPPORTED;
    }
    for (i = 0; i < table->NumberOfHandles; i++)
        if (table->Handles[i].UniqueProcessId == pid &&
            table->Handles[i].HandleValue == (ULONG_PTR)probe)
            file_type = table->Handles[i].ObjectTypeIndex;
    facts->handles = (unsigned)table->NumberOfHandles;
    for (i = 0; i < table->NumberOfHandles; i++)
        facts->file_handles += table->Handles[i].ObjectTypeIndex == file_type;
    /* What the entries take, whatever the returned length says (Wine may give 0). */
    facts->snapshot_bytes = (unsigned)(FIELD_OFFSET(struct rm_nt_handle_table, Handles) +
                                       table->NumberOfHandles * sizeof(struct rm_nt_handle_entry));
    CloseHandle(probe);
    module_lists(&facts->processes, &facts->modules);
    return ERROR_SUCCESS;
}

DWORD bench_floor_measure(struct bench_floor_sample *s)
{
    unsigned processes, modules;
    ULONG returned;
    double t0, t1;
    LONG status;

    t0 = bench_now_ms();
    status = take_snapshot(&returned);
    t1 = bench_now_ms();
    if (!RM_NT_SUCCESS(status))
        return ERROR_NOT_SUPPORTED;
    s->snapshot_ms = t1 - t0;
    module_lists(&processes, &modules);
    s->modules_ms = bench_now_ms() - t1;
    return ERROR_SUCCESS;
}

void bench_floor_free(void)
{
    free(table);
    table = NULL;
}
