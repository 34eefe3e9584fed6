/*
 * test_security.c - what a session promises to the user whose installer runs it:
 *   - every named object (a session's section and mutex, the directory's section and
 *     mutex) admits only that user and SYSTEM, read back from the objects themselves;
 *   - keys are 128 random bits: 1,000 of them are distinct and every bit varies;
 *   - a key that differs in one digit never joins;
 *   - nothing in shared memory is trusted: a session whose bytes were forged by another
 *     process (as any process of the user could) gives errors, never a crash, and records
 *     past a bad one or past the commit point are never read;
 *   - a joined process can register, but cannot make the primary shut down a process the
 *     primary did not find itself (one named with the wrong creation time, or smuggled in
 *     past the commit point or behind a bad record).
 * What cannot be tested under Wine (a second user account, another logon session) is in
 * docs/hardening.md.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <aclapi.h>
#include <sddl.h>

#include "store.h"

static void check_object(HANDLE h, const WCHAR *what)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID owner = NULL, user = tu_user_sid(), system_sid = NULL;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision, i;
    PACL dacl = NULL;

    assert_non_null(h);
    assert_true(ConvertStringSidToSidW(L"S-1-5-18", &system_sid));
    assert_int_equal(GetSecurityInfo(h, SE_KERNEL_OBJECT,
                                     OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                     &owner, NULL, &dacl, NULL, &sd), ERROR_SUCCESS);
    print_message("%ls: %u ACEs\n", what, dacl ? dacl->AceCount : 0);
    assert_non_null(dacl);  /* a NULL DACL would admit everyone */
    assert_true(EqualSid(owner, user));
    assert_true(GetSecurityDescriptorControl(sd, &control, &revision));
    assert_true(control & SE_DACL_PRESENT);
    assert_int_equal(dacl->AceCount, 2);
    for (i = 0; i < dacl->AceCount; i++) {
        ACCESS_ALLOWED_ACE *ace;
        assert_true(GetAce(dacl, i, (void **)&ace));
        assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
        assert_true(EqualSid((PSID)&ace->SidStart, i == 0 ? user : system_sid));
    }
    LocalFree(sd);
    LocalFree(user);
    LocalFree(system_sid);
    CloseHandle(h);
}

static HANDLE open_section(const WCHAR *what, DWORD access)
{
    WCHAR name[TU_OBJECT_NAME_CHARS];
    tu_object_name(name, what);
    return OpenFileMappingW(access, FALSE, name);
}

static HANDLE open_mutex(const WCHAR *what)
{
    WCHAR name[TU_OBJECT_NAME_CHARS];
    tu_object_name(name, what);
    return OpenMutexW(READ_CONTROL, FALSE, name);
}

static void test_every_object_admits_only_user_and_system(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], what[64];
    DWORD h;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    _snwprintf(what, 64, L"Session.%ls", key);
    check_object(open_section(what, READ_CONTROL), what);
    _snwprintf(what, 64, L"Session.%ls.Lock", key);
    check_object(open_mutex(what), what);
    check_object(open_section(L"Directory", READ_CONTROL), L"Directory");
    check_object(open_mutex(L"DirectoryLock"), L"DirectoryLock");
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

static int hex(WCHAR c)
{
    return c <= L'9' ? c - L'0' : c - L'a' + 10;
}

static int compare_keys(const void *a, const void *b)
{
    return wcscmp((const WCHAR *)a, (const WCHAR *)b);
}

static void test_keys_are_128_random_bits(void **state)
{
    enum { N = 1000 };
    static WCHAR keys[N][CCH_RM_SESSION_KEY + 1];
    unsigned ones[128], total = 0, i, b;
    DWORD h;
    (void)state;

    memset(ones, 0, sizeof(ones));
    for (i = 0; i < N; i++) {
        assert_int_equal(RmStartSession(&h, 0, keys[i]), ERROR_SUCCESS);
        assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
        assert_int_equal(wcslen(keys[i]), 32);
        for (b = 0; b < 128; b++) {
            WCHAR c = keys[i][b / 4];
            assert_true((c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'f'));
            if (hex(c) & (8 >> (b % 4))) {
                ones[b]++;
                total++;
            }
        }
    }
    qsort(keys, N, sizeof(keys[0]), compare_keys);
    for (i = 1; i < N; i++)
        assert_int_not_equal(wcscmp(keys[i - 1], keys[i]), 0);
    /* Every one of the 128 bits varies, and about half of all bits are set
     * (mean 64,000; 5 standard deviations is about 900). */
    for (b = 0; b < 128; b++)
        assert_true(ones[b] > N / 4 && ones[b] < 3 * N / 4);
    print_message("%u keys, %u of %u bits set\n", N, total, N * 128);
    assert_true(total > 63000 && total < 65000);
}

static void test_a_key_one_digit_off_never_joins(void **state)
{
    static const WCHAR digits[] = L"0123456789abcdef";
    WCHAR key[CCH_RM_SESSION_KEY + 1], wrong[CCH_RM_SESSION_KEY + 1];
    DWORD h, j = 0xdeadbeef;
    unsigned pos, d, tried = 0;
    (void)state;

    assert_int_equal(RmStartSession(&h, 0, key), ERROR_SUCCESS);
    for (pos = 0; pos < 32; pos++)
        for (d = 0; d < 16; d++) {
            if (digits[d] == key[pos])
                continue;
            wcscpy(wrong, key);
            wrong[pos] = digits[d];
            assert_int_equal(RmJoinSession(&j, wrong), ERROR_SESSION_CREDENTIAL_CONFLICT);
            tried++;
        }
    assert_int_equal(j, 0xdeadbeef);
    assert_int_equal(tried, 32 * 15);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(h), ERROR_SUCCESS);
}

/* ---- forging a session's shared bytes, as another process of the user could ---- */

#define FORGE_BYTES (64 * 1024)

struct forged {
    HANDLE section;
    uint8_t *base;
    struct tu_store_header *header;
    uint8_t *log;
};

static void forge_open(struct forged *f, const WCHAR *key)
{
    WCHAR what[64];
    _snwprintf(what, 64, L"Session.%ls", key);
    f->section = open_section(what, FILE_MAP_READ | FILE_MAP_WRITE);
    assert_non_null(f->section);
    f->base = MapViewOfFile(f->section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, FORGE_BYTES);
    assert_non_null(f->base);
    assert_non_null(VirtualAlloc(f->base, FORGE_BYTES, MEM_COMMIT, PAGE_READWRITE));
    f->header = (struct tu_store_header *)f->base;
    f->log = f->base + sizeof(struct tu_store_header);
}

static void forge_close(struct forged *f)
{
    UnmapViewOfFile(f->base);
    CloseHandle(f->section);
}

/* Every call a primary and a joined handle make must fail cleanly, never crash. */
static void calls_fail_cleanly(DWORD p, DWORD j)
{
    LPCWSTR files[1] = {L"C:\\after-forgery.txt"};
    UINT need, n = 0;
    DWORD reasons;

    assert_int_not_equal(RmRegisterResources(p, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_not_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_not_equal(RmGetList(p, &need, &n, NULL, &reasons), ERROR_SUCCESS);
    assert_int_not_equal(RmGetList(j, &need, &n, NULL, &reasons), ERROR_SUCCESS);
}

static void test_forged_header_gives_errors_not_crashes(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    LPCWSTR files[1] = {L"C:\\real.txt"};
    struct tu_store_header saved;
    struct forged f;
    DWORD p, j, joined;
    (void)state;

    assert_int_equal(RmStartSession(&p, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(p, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    forge_open(&f, key);
    saved = *f.header;

    f.header->used = saved.capacity + 4;              /* past the section */
    calls_fail_cleanly(p, j);
    f.header->used = 0xFFFFFFFC;                      /* near 4 GiB */
    calls_fail_cleanly(p, j);
    f.header->used = saved.used + 2;                  /* not aligned */
    calls_fail_cleanly(p, j);
    *f.header = saved; f.header->capacity = 0xFFFFFFFF;
    calls_fail_cleanly(p, j);
    *f.header = saved; f.header->header_size = 8;
    calls_fail_cleanly(p, j);
    *f.header = saved; f.header->magic ^= 0x01000000;
    calls_fail_cleanly(p, j);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_WRITE_FAULT);
    *f.header = saved; f.header->state = 77;
    calls_fail_cleanly(p, j);

    /* Put back, the session works again. */
    *f.header = saved;
    assert_int_equal(RmRegisterResources(j, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    forge_close(&f);
    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(p), ERROR_SUCCESS);
}

/* Appends a raw record at the commit point, as a writer ignoring the protocol would. */
static void forge_append(struct forged *f, const void *rec, uint32_t bytes, BOOL commit)
{
    memcpy(f->log + f->header->used, rec, bytes);
    if (commit) {
        f->header->used += bytes;
        f->header->count++;
    }
}

static void test_joined_process_cannot_widen_a_shutdown(void **state)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1], file[MAX_PATH], other[MAX_PATH], r1[64], r2[64];
    HANDLE e1 = tu_event(r1), e2 = tu_event(r2), holder, bystander;
    RM_UNIQUE_PROCESS wrong;
    RM_PROCESS_INFO apps[8];
    FILETIME start, ignored;
    LPCWSTR files[1] = {file};
    struct forged f;
    uint8_t rec[64];
    uint32_t n;
    DWORD p, j, reasons;
    UINT need, count;
    (void)state;

    tu_temp_path(file, L"widen.dat");
    tu_temp_path(other, L"bystander.dat");
    assert_true(tu_create_file(file));
    holder = tu_spawn_fixture(L"hold \"%ls\" %ls", file, r1);
    bystander = tu_spawn_fixture(L"hold \"%ls\" %ls", other, r2);
    assert_true(tu_wait_event(e1, holder));
    assert_true(tu_wait_event(e2, bystander));
    assert_true(GetProcessTimes(bystander, &start, &ignored, &ignored, &ignored));

    assert_int_equal(RmStartSession(&p, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(p, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&j, key), ERROR_SUCCESS);

    /* Through the API: the bystander named with a creation time it does not have. */
    wrong.dwProcessId = GetProcessId(bystander);
    wrong.ProcessStartTime = start;
    wrong.ProcessStartTime.dwLowDateTime ^= 1;
    assert_int_equal(RmRegisterResources(j, 0, NULL, 1, &wrong, 0, NULL), ERROR_SUCCESS);
    /* Around it: the true identity written past the commit point, and committed behind a
     * record that is not one. */
    forge_open(&f, key);
    n = tu_put_process_record(rec, GetProcessId(bystander), &start);
    forge_append(&f, rec, n, FALSE);
    memset(rec, 0xEE, 8);                    /* kind and size that mean nothing */
    forge_append(&f, rec, 8, TRUE);
    n = tu_put_process_record(rec, GetProcessId(bystander), &start);
    forge_append(&f, rec, n, TRUE);
    forge_close(&f);
    assert_int_equal(RmShutdown(j, RmForceShutdown, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);

    count = ARRAYSIZE(apps);
    assert_int_equal(RmGetList(p, &need, &count, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(apps[0].Process.dwProcessId, GetProcessId(holder));
    assert_int_equal(RmShutdown(p, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(WaitForSingleObject(holder, TU_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(bystander, 0), WAIT_TIMEOUT);  /* untouched */

    assert_int_equal(RmEndSession(j), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(p), ERROR_SUCCESS);
    TerminateProcess(bystander, 0);
    WaitForSingleObject(bystander, TU_WAIT_MS);
    CloseHandle(holder); CloseHandle(bystander); CloseHandle(e1); CloseHandle(e2);
    DeleteFileW(file);
    DeleteFileW(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_object_admits_only_user_and_system),
        cmocka_unit_test(test_keys_are_128_random_bits),
        cmocka_unit_test(test_a_key_one_digit_off_never_joins),
        cmocka_unit_test(test_forged_header_gives_errors_not_crashes),
        cmocka_unit_test(test_joined_process_cannot_widen_a_shutdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
