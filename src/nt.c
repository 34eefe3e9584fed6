/* nt.c - finds the ntdll entry points of nt.h once per process. */
#include "nt.h"

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static struct rm_nt nt;

static BOOL CALLBACK lookup(INIT_ONCE *o, void *param, void **context)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    (void)o; (void)param; (void)context;
    if (ntdll)
        nt.NtQuerySystemInformation = (rm_NtQuerySystemInformation_fn)(void (*)(void))
            GetProcAddress(ntdll, "NtQuerySystemInformation");
    if (ntdll)
        nt.NtQueryInformationProcess = (rm_NtQueryInformationProcess_fn)(void (*)(void))
            GetProcAddress(ntdll, "NtQueryInformationProcess");
    if (ntdll)
        nt.NtQueryInformationFile = (rm_NtQueryInformationFile_fn)(void (*)(void))
            GetProcAddress(ntdll, "NtQueryInformationFile");
    return TRUE;
}

const struct rm_nt *rm_nt_get(void)
{
    InitOnceExecuteOnce(&once, lookup, NULL, NULL);
    return &nt;
}
