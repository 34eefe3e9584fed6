/*
 * test_exports.c - the DLL's surface: exactly the 12 export names of the real one, plain
 * (undecorated) on x86 too, bound through the import library to our DLL (not Wine's
 * builtin stub), with a version resource that says "Restart Manager".
 */
#include <string.h>

#include "testutil.h"

static const char *const names[12] = {
    "RmAddFilter", "RmCancelCurrentTask", "RmEndSession", "RmGetFilterList",
    "RmGetList", "RmJoinSession", "RmRegisterResources", "RmRemoveFilter",
    "RmReserveHeap", "RmRestart", "RmShutdown", "RmStartSession",
};

/* The rstrtmgr.dll that the import library made the loader bring in. */
static HMODULE our_dll(void)
{
    HMODULE m = GetModuleHandleW(L"rstrtmgr.dll");
    assert_non_null(m);
    return m;
}

static void test_import_binds_to_our_dll_beside_the_exe(void **state)
{
    wchar_t dll[MAX_PATH], exe[MAX_PATH];
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    DWORD h;
    (void)state;

    /* A call through the import library, so that the DLL is surely loaded. */
    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);

    GetModuleFileNameW(our_dll(), dll, MAX_PATH);
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    *wcsrchr(dll, L'\\') = 0;
    *wcsrchr(exe, L'\\') = 0;
    print_message("RmStartSession comes from %ls\n", dll);
    assert_true(_wcsicmp(dll, exe) == 0);
}

static void test_exports_are_exactly_the_twelve(void **state)
{
    BYTE *base = (BYTE *)our_dll();
    IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)base;
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    IMAGE_EXPORT_DIRECTORY *exp = (IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress);
    DWORD *name_rvas = (DWORD *)(base + exp->AddressOfNames), i;
    (void)state;

    assert_int_equal(exp->NumberOfNames, 12);
    assert_int_equal(exp->NumberOfFunctions, 12);
    for (i = 0; i < 12; i++) {
        const char *name = (const char *)(base + name_rvas[i]);
        print_message("export %lu: %s\n", i, name);
        assert_string_equal(name, names[i]);  /* sorted, plain, no @N */
    }
}

static void test_get_proc_address_finds_every_name(void **state)
{
    HMODULE m = our_dll();
    int i;
    (void)state;

    for (i = 0; i < 12; i++)
        assert_non_null(GetProcAddress(m, names[i]));
    assert_null(GetProcAddress(m, "_RmStartSession@12"));
    assert_null(GetProcAddress(m, "RmStartSession@12"));
}

static void test_version_resource_names_restart_manager(void **state)
{
    wchar_t dll[MAX_PATH];
    DWORD size, ignored;
    void *data, *value;
    UINT len;
    (void)state;

    GetModuleFileNameW(our_dll(), dll, MAX_PATH);
    size = GetFileVersionInfoSizeW(dll, &ignored);
    assert_true(size > 0);
    data = malloc(size);
    assert_true(GetFileVersionInfoW(dll, 0, size, data));
    assert_true(VerQueryValueW(data, L"\\StringFileInfo\\040904B0\\FileDescription", &value, &len));
    assert_true(wcscmp((wchar_t *)value, L"Restart Manager") == 0);
    assert_true(VerQueryValueW(data, L"\\StringFileInfo\\040904B0\\OriginalFilename", &value, &len));
    assert_true(wcscmp((wchar_t *)value, L"rstrtmgr.dll") == 0);
    free(data);
}

static void test_structure_layout(void **state)
{
    (void)state;
    assert_int_equal(sizeof(RM_UNIQUE_PROCESS), 12);
    assert_int_equal(sizeof(RM_PROCESS_INFO), 668);
    assert_int_equal(sizeof(RM_FILTER_INFO), sizeof(void *) == 8 ? 32 : 24);
    assert_int_equal(offsetof(RM_PROCESS_INFO, strAppName), 12);
    assert_int_equal(offsetof(RM_PROCESS_INFO, strServiceShortName), 524);
    assert_int_equal(offsetof(RM_PROCESS_INFO, ApplicationType), 652);
    assert_int_equal(offsetof(RM_PROCESS_INFO, AppStatus), 656);
    assert_int_equal(offsetof(RM_PROCESS_INFO, TSSessionId), 660);
    assert_int_equal(offsetof(RM_PROCESS_INFO, bRestartable), 664);
    assert_int_equal(offsetof(RM_FILTER_INFO, strFilename), sizeof(void *) == 8 ? 16 : 12);
    assert_int_equal(CCH_RM_SESSION_KEY, 32);
    assert_int_equal(RmCritical, 1000);
    assert_int_equal(RmShutdownOnlyRegistered, 0x10);
    assert_int_equal(RmRebootReasonDetectedSelf, 0x10);
    assert_int_equal(RmNoShutdown, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_binds_to_our_dll_beside_the_exe),
        cmocka_unit_test(test_exports_are_exactly_the_twelve),
        cmocka_unit_test(test_get_proc_address_finds_every_name),
        cmocka_unit_test(test_version_resource_names_restart_manager),
        cmocka_unit_test(test_structure_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
