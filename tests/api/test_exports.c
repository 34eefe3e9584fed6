/*
 * test_exports.c - the DLL's surface: exactly the 12 export names of the real one, plain
 * (undecorated) on x86 too, bound through the import library to our DLL (not Wine's
 * builtin stub), with a version resource that says "Restart Manager"; and our header
 * declaring what mingw-w64's does (sdk_layout.c).
 */
#include <stddef.h>
#include <string.h>

#include "testutil.h"
#include "sdk_layout.h"

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
    DWORD *name_rvas = (DWORD *)(base + exp->AddressOfNames);
    DWORD *code_rvas = (DWORD *)(base + exp->AddressOfFunctions);
    WORD *ordinals = (WORD *)(base + exp->AddressOfNameOrdinals);
    BOOL named[12] = {FALSE};
    DWORD i;
    (void)state;

    assert_int_equal(exp->NumberOfNames, 12);
    assert_int_equal(exp->NumberOfFunctions, 12);
    for (i = 0; i < 12; i++) {
        const char *name = (const char *)(base + name_rvas[i]);
        DWORD rva;
        print_message("export %lu: %s, ordinal %lu\n", i, name, exp->Base + ordinals[i]);
        assert_string_equal(name, names[i]);  /* sorted, plain, no @N */
        /* Each name has a function of its own, in this DLL: not a forwarder to another. */
        assert_true(ordinals[i] < 12);
        assert_false(named[ordinals[i]]);
        named[ordinals[i]] = TRUE;
        rva = code_rvas[ordinals[i]];
        assert_false(rva >= dir->VirtualAddress && rva < dir->VirtualAddress + dir->Size);
        assert_true(rva < nt->OptionalHeader.SizeOfImage);
        assert_ptr_equal(base + rva, (BYTE *)GetProcAddress((HMODULE)base, name));
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

/* Our header against mingw-w64's: every size, offset and value a caller compiles in (the
 * sizes the header itself asserts are only a part of it). */
static void test_header_matches_mingw_w64(void **state)
{
#define RM_ITEM(e) {#e, (long long)(e)},
    static const struct rm_layout_item ours[] = {
#include "layout_list.h"
    };
#undef RM_ITEM
    unsigned i;
    (void)state;

    assert_int_equal(ARRAYSIZE(ours), rm_sdk_layout_count);
    for (i = 0; i < ARRAYSIZE(ours); i++) {
        assert_string_equal(ours[i].expr, rm_sdk_layout[i].expr);
        if (ours[i].value != rm_sdk_layout[i].value)
            fail_msg("%s: ours %lld, mingw-w64's %lld", ours[i].expr, ours[i].value,
                     rm_sdk_layout[i].value);
    }
    print_message("%u sizes, offsets and values agree with mingw-w64's header\n", i);
    /* The error codes, which older winerror.h lack and our header then defines (spec §7). */
    assert_int_equal(ERROR_FAIL_NOACTION_REBOOT, 350);
    assert_int_equal(ERROR_FAIL_SHUTDOWN, 351);
    assert_int_equal(ERROR_FAIL_RESTART, 352);
    assert_int_equal(ERROR_MAX_SESSIONS_REACHED, 353);
    assert_int_equal(ERROR_REQUEST_OUT_OF_SEQUENCE, 776);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_binds_to_our_dll_beside_the_exe),
        cmocka_unit_test(test_exports_are_exactly_the_twelve),
        cmocka_unit_test(test_get_proc_address_finds_every_name),
        cmocka_unit_test(test_version_resource_names_restart_manager),
        cmocka_unit_test(test_header_matches_mingw_w64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
