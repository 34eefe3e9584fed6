/*
 * test_bad_input.c - one table of bad (and borderline) input to all 12 exports. Each case
 * runs against a fresh primary session P (one file registered, one filter), a handle J
 * joined to it, the value of a handle that was ended, and the handle value of a live
 * session in another process. It must give its documented code (or the one docs/ decided),
 * must not crash, and must leave P as it was: its registrations (read from the shared
 * store), its filter list (byte for byte), the number of live sessions, and the other
 * process's session. Cases the docs accept (relative, long, \\?\ and UNC paths, processes
 * that are not running...) say what they add, and that RmGetList then still answers.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "store.h"

DWORD WINAPI RmReserveHeap(DWORD);  /* exported, undocumented, not in the SDK header */

#define NEVER_ISSUED 0x7FFFFFF0u
#define BAD_RESULT 0xBADBAD00u  /* a composite case saw something it must not */

struct env {
    DWORD p, j, ended, other;
    WCHAR key[CCH_RM_SESSION_KEY + 1], ended_key[CCH_RM_SESSION_KEY + 1];
    WCHAR other_key[CCH_RM_SESSION_KEY + 1];
    DWORD out;                       /* preset to 0xdeadbeef; must survive a refusal */
    WCHAR scratch[CCH_RM_SESSION_KEY + 1];
};

static WCHAR long_path[32800];      /* built per case by make_path */
static WCHAR *guard_key;            /* 33 units ending at a no-access page */
static WCHAR temp_dir[MAX_PATH];

/* "C:\" then 'a' up to `chars` characters in all. */
static const WCHAR *make_path(unsigned chars)
{
    unsigned i;
    wcscpy(long_path, L"C:\\");
    for (i = 3; i < chars; i++)
        long_path[i] = (i % 100 == 99) ? L'\\' : L'a';
    long_path[chars] = 0;
    return long_path;
}

static const WCHAR *make_name(unsigned chars)
{
    unsigned i;
    for (i = 0; i < chars; i++)
        long_path[i] = L's';
    long_path[chars] = 0;
    return long_path;
}

static DWORD reg_files(DWORD h, UINT n, LPCWSTR *files)
{
    return RmRegisterResources(h, n, files, 0, NULL, 0, NULL);
}

static DWORD reg_file(DWORD h, LPCWSTR file)
{
    return reg_files(h, 1, &file);
}

static DWORD reg_service(DWORD h, LPCWSTR svc)
{
    return RmRegisterResources(h, 0, NULL, 0, NULL, 1, &svc);
}

static DWORD reg_process(DWORD h, DWORD pid, DWORD low, DWORD high)
{
    RM_UNIQUE_PROCESS p;
    p.dwProcessId = pid;
    p.ProcessStartTime.dwLowDateTime = low;
    p.ProcessStartTime.dwHighDateTime = high;
    return RmRegisterResources(h, 0, NULL, 1, &p, 0, NULL);
}

/* RmGetList's count, or BAD_RESULT when it fails. */
static UINT list_count(DWORD h)
{
    RM_PROCESS_INFO apps[8];
    UINT needed = 0, n = 8;
    DWORD reasons = 0, err = RmGetList(h, &needed, &n, apps, &reasons);
    return err ? BAD_RESULT : needed;
}

/* A composite case: the registration succeeds, and RmGetList then lists nothing. */
static DWORD listed_nothing(DWORD err, DWORD h)
{
    if (err)
        return err;
    return list_count(h) == 0 ? ERROR_SUCCESS : BAD_RESULT;
}

#define CASE(fn, ...) static DWORD fn(struct env *e) { (void)e; __VA_ARGS__; }

/* ---- RmStartSession ---- */
CASE(start_null_handle, return RmStartSession(NULL, 0, e->scratch))
CASE(start_null_key, return RmStartSession(&e->out, 0, NULL))
CASE(start_flags_1, return RmStartSession(&e->out, 1, e->scratch))
CASE(start_flags_high, return RmStartSession(&e->out, 0x80000000, e->scratch))
CASE(start_flags_all, return RmStartSession(&e->out, 0xFFFFFFFF, e->scratch))

/* ---- RmJoinSession ---- */
CASE(join_null_handle, return RmJoinSession(NULL, e->key))
CASE(join_null_key, return RmJoinSession(&e->out, NULL))
CASE(join_empty_key, return RmJoinSession(&e->out, L""))
CASE(join_key_31, wcscpy(e->scratch, e->key); e->scratch[31] = 0; return RmJoinSession(&e->out, e->scratch))
CASE(join_key_33, { WCHAR k[40]; wcscpy(k, e->key); wcscat(k, L"a"); return RmJoinSession(&e->out, k); })
CASE(join_key_not_hex, wcscpy(e->scratch, e->key); e->scratch[7] = L'g'; return RmJoinSession(&e->out, e->scratch))
CASE(join_key_space, wcscpy(e->scratch, e->key); e->scratch[0] = L' '; return RmJoinSession(&e->out, e->scratch))
CASE(join_key_unicode_digit, wcscpy(e->scratch, e->key); e->scratch[3] = 0x0663; return RmJoinSession(&e->out, e->scratch))
CASE(join_key_fullwidth_a, wcscpy(e->scratch, e->key); e->scratch[3] = 0xFF41; return RmJoinSession(&e->out, e->scratch))
CASE(join_key_not_terminated, memcpy(guard_key, e->key, 32 * sizeof(WCHAR)); guard_key[32] = L'0';
     return RmJoinSession(&e->out, guard_key))
CASE(join_key_unknown, wcscpy(e->scratch, e->key); e->scratch[0] = e->key[0] == L'0' ? L'1' : L'0';
     return RmJoinSession(&e->out, e->scratch))
CASE(join_key_ended, return RmJoinSession(&e->out, e->ended_key))
CASE(join_key_at_guard_page, memcpy(guard_key, e->key, 32 * sizeof(WCHAR)); guard_key[32] = 0;
     guard_key[0] = e->key[0] == L'f' ? L'e' : L'f'; return RmJoinSession(&e->out, guard_key))

/* ---- RmEndSession ---- */
CASE(end_zero, return RmEndSession(0))
CASE(end_all_ones, return RmEndSession(0xFFFFFFFF))
CASE(end_never_issued, return RmEndSession(NEVER_ISSUED))
CASE(end_ended, return RmEndSession(e->ended))
CASE(end_other_process, return RmEndSession(e->other))

/* ---- RmRegisterResources: handles ---- */
CASE(reg_unknown_handle, return reg_file(NEVER_ISSUED, L"C:\\x.txt"))
CASE(reg_ended_handle, return reg_file(e->ended, L"C:\\x.txt"))
CASE(reg_other_process, return reg_file(e->other, L"C:\\x.txt"))
CASE(reg_bad_args_before_handle, return RmRegisterResources(NEVER_ISSUED, 1, NULL, 0, NULL, 0, NULL))
/* ---- RmRegisterResources: counts and arrays ---- */
CASE(reg_null_files, return RmRegisterResources(e->p, 1, NULL, 0, NULL, 0, NULL))
CASE(reg_null_apps, return RmRegisterResources(e->p, 0, NULL, 1, NULL, 0, NULL))
CASE(reg_null_services, return RmRegisterResources(e->p, 0, NULL, 0, NULL, 1, NULL))
CASE(reg_huge_null_files, return RmRegisterResources(e->p, 0xFFFFFFFF, NULL, 0, NULL, 0, NULL))
CASE(reg_huge_files_stops_at_null, { LPCWSTR f[2] = {L"C:\\a", NULL};
     return RmRegisterResources(e->p, 0xFFFFFFFF, f, 0, NULL, 0, NULL); })
CASE(reg_huge_services_stops_at_null, { LPCWSTR s[2] = {L"svc", NULL};
     return RmRegisterResources(e->p, 0, NULL, 0, NULL, 0xFFFFFFFF, s); })
/* 0xFFFFFFFF x 20 bytes cannot fit a store: refused before the array is read. */
CASE(reg_huge_apps_overflow, { RM_UNIQUE_PROCESS one = {1, {0, 0}};
     return RmRegisterResources(e->p, 0, NULL, 0xFFFFFFFF, &one, 0, NULL); })
CASE(reg_huge_apps_just_past_store, { RM_UNIQUE_PROCESS one = {1, {0, 0}};
     return RmRegisterResources(e->p, 0, NULL, TU_STORE_BYTES / 20 + 1, &one, 0, NULL); })
CASE(reg_zero_everything, return RmRegisterResources(e->p, 0, NULL, 0, NULL, 0, NULL))
CASE(reg_zero_counts_with_arrays, { LPCWSTR f[1] = {NULL}; RM_UNIQUE_PROCESS none = {0, {0, 0}};
     return RmRegisterResources(e->p, 0, f, 0, &none, 0, f); })
/* ---- RmRegisterResources: file names ---- */
CASE(reg_null_name_in_batch, { LPCWSTR f[3] = {L"C:\\ok1", NULL, L"C:\\ok2"}; return reg_files(e->p, 3, f); })
CASE(reg_empty_name, return reg_file(e->p, L""))
CASE(reg_empty_name_late_in_batch, { LPCWSTR f[3] = {L"C:\\ok1", L"C:\\ok2", L""}; return reg_files(e->p, 3, f); })
CASE(reg_path_32768, return reg_file(e->p, make_path(32768)))
CASE(reg_path_32799, return reg_file(e->p, make_path(32799)))
CASE(reg_path_relative, return reg_file(e->p, L"relative\\..\\file.txt"))
CASE(reg_path_dot, return reg_file(e->p, L"."))
CASE(reg_path_over_max_path, return listed_nothing(reg_file(e->p, make_path(MAX_PATH + 40)), e->p))
CASE(reg_path_32767, return reg_file(e->p, make_path(32767)))
CASE(reg_path_long_prefix, return listed_nothing(reg_file(e->p, L"\\\\?\\C:\\nowhere\\x.dll"), e->p))
CASE(reg_path_unc, return listed_nothing(reg_file(e->p, L"\\\\server\\share\\dir\\x.dll"), e->p))
CASE(reg_path_nonexistent, return listed_nothing(reg_file(e->p, L"C:\\no\\such\\file.dll"), e->p))
/* Accepted, and then RmGetList gives the documented ERROR_ACCESS_DENIED. */
CASE(reg_path_directory, { UINT need = 0, n = 0; DWORD r, err = reg_file(e->p, temp_dir);
     return err ? err : RmGetList(e->p, &need, &n, NULL, &r); })
CASE(reg_device_names, { LPCWSTR f[6] = {L"CON", L"NUL", L"COM1", L"\\\\.\\PhysicalDrive0",
                                         L"\\\\.\\pipe\\rm-no-such-pipe", L"C:\\dir\\LPT1.txt"};
     return listed_nothing(reg_files(e->p, 6, f), e->p); })
/* ---- RmRegisterResources: services ---- */
CASE(reg_service_empty, return reg_service(e->p, L""))
CASE(reg_service_257, return reg_service(e->p, make_name(257)))
CASE(reg_service_256, return listed_nothing(reg_service(e->p, make_name(256)), e->p))
CASE(reg_service_unknown, return listed_nothing(reg_service(e->p, L"RmNoSuchService42"), e->p))
CASE(reg_service_bad_in_batch_keeps_files_out, { LPCWSTR f[1] = {L"C:\\f"}, s[2] = {L"ok", L""};
     return RmRegisterResources(e->p, 1, f, 0, NULL, 2, s); })
/* ---- RmRegisterResources: processes that are not the process they name ---- */
CASE(reg_process_pid0, return listed_nothing(reg_process(e->p, 0, 0, 0), e->p))
CASE(reg_process_dead, { FILETIME t = {0, 0}; HANDLE c = tu_spawn_fixture(L"nothing");
     DWORD pid = GetProcessId(c); tu_wait_exit(c); GetProcessTimes(c, &t, &(FILETIME){0}, &(FILETIME){0}, &(FILETIME){0});
     CloseHandle(c); return listed_nothing(reg_process(e->p, pid, t.dwLowDateTime, t.dwHighDateTime), e->p); })
CASE(reg_process_wrong_time, { FILETIME t; GetProcessTimes(GetCurrentProcess(), &t, &(FILETIME){0}, &(FILETIME){0}, &(FILETIME){0});
     return listed_nothing(reg_process(e->p, GetCurrentProcessId(), t.dwLowDateTime + 1, t.dwHighDateTime), e->p); })
CASE(reg_process_all_ones, return listed_nothing(reg_process(e->p, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF), e->p))

/* ---- RmGetList ---- */
CASE(list_null_needed, { UINT n = 0; DWORD r; return RmGetList(e->p, NULL, &n, NULL, &r); })
CASE(list_null_count, { UINT need; DWORD r; return RmGetList(e->p, &need, NULL, NULL, &r); })
CASE(list_null_reasons, { UINT need, n = 0; return RmGetList(e->p, &need, &n, NULL, NULL); })
CASE(list_null_array_with_room, { UINT need = 0xdeadbeef, n = 5; DWORD r = 0xdeadbeef;
     DWORD err = RmGetList(e->p, &need, &n, NULL, &r);
     return need == 0xdeadbeef && r == 0xdeadbeef && n == 5 ? err : BAD_RESULT; })
CASE(list_unknown_handle, { UINT need, n = 0; DWORD r; return RmGetList(NEVER_ISSUED, &need, &n, NULL, &r); })
CASE(list_ended_handle, { UINT need, n = 0; DWORD r; return RmGetList(e->ended, &need, &n, NULL, &r); })
CASE(list_other_process, { UINT need, n = 0; DWORD r; return RmGetList(e->other, &need, &n, NULL, &r); })
CASE(list_huge_capacity, { RM_PROCESS_INFO one; UINT need, n = 0xFFFFFFFF; DWORD r;
     DWORD err = RmGetList(e->p, &need, &n, &one, &r); return !err && n == 0 ? err : BAD_RESULT; })
CASE(list_joined_answers, { UINT need, n = 0; DWORD r; return RmGetList(e->j, &need, &n, NULL, &r); })

/* ---- RmShutdown ---- */
CASE(shutdown_flag_2, return RmShutdown(e->p, 0x2, NULL))
CASE(shutdown_flag_100, return RmShutdown(e->p, 0x100, NULL))
CASE(shutdown_flag_high, return RmShutdown(e->p, 0x80000000 | RmForceShutdown, NULL))
CASE(shutdown_unknown_handle, return RmShutdown(NEVER_ISSUED, 0, NULL))
CASE(shutdown_ended_handle, return RmShutdown(e->ended, 0, NULL))
CASE(shutdown_other_process, return RmShutdown(e->other, RmForceShutdown, NULL))
CASE(shutdown_joined, return RmShutdown(e->j, RmForceShutdown, NULL))

/* ---- RmRestart ---- */
CASE(restart_flags_1, return RmRestart(e->p, 1, NULL))
CASE(restart_flags_all, return RmRestart(e->p, 0xFFFFFFFF, NULL))
CASE(restart_unknown_handle, return RmRestart(NEVER_ISSUED, 0, NULL))
CASE(restart_ended_handle, return RmRestart(e->ended, 0, NULL))
CASE(restart_joined, return RmRestart(e->j, 0, NULL))
CASE(restart_before_shutdown, return RmRestart(e->p, 0, NULL))

/* ---- RmCancelCurrentTask ---- */
CASE(cancel_zero, return RmCancelCurrentTask(0))
CASE(cancel_ended, return RmCancelCurrentTask(e->ended))
CASE(cancel_other_process, return RmCancelCurrentTask(e->other))
CASE(cancel_joined, return RmCancelCurrentTask(e->j))
CASE(cancel_nothing_running, return RmCancelCurrentTask(e->p))

/* ---- RmAddFilter ---- */
static RM_UNIQUE_PROCESS some_process = {1234, {5, 6}};
CASE(add_no_target, return RmAddFilter(e->p, NULL, NULL, NULL, RmNoRestart))
CASE(add_module_and_process, return RmAddFilter(e->p, L"C:\\a.exe", &some_process, NULL, RmNoRestart))
CASE(add_module_and_service, return RmAddFilter(e->p, L"C:\\a.exe", NULL, L"svc", RmNoRestart))
CASE(add_process_and_service, return RmAddFilter(e->p, NULL, &some_process, L"svc", RmNoRestart))
CASE(add_three_targets, return RmAddFilter(e->p, L"C:\\a.exe", &some_process, L"svc", RmNoShutdown))
CASE(add_invalid_action, return RmAddFilter(e->p, L"C:\\a.exe", NULL, NULL, RmInvalidFilterAction))
CASE(add_action_3, return RmAddFilter(e->p, NULL, &some_process, NULL, (RM_FILTER_ACTION)3))
CASE(add_action_all_ones, return RmAddFilter(e->p, NULL, NULL, L"svc", (RM_FILTER_ACTION)0xFFFFFFFF))
CASE(add_empty_module, return RmAddFilter(e->p, L"", NULL, NULL, RmNoRestart))
CASE(add_empty_service, return RmAddFilter(e->p, NULL, NULL, L"", RmNoRestart))
CASE(add_service_257, return RmAddFilter(e->p, NULL, NULL, make_name(257), RmNoRestart))
CASE(add_module_32768, return RmAddFilter(e->p, make_path(32768), NULL, NULL, RmNoRestart))
CASE(add_unknown_handle, return RmAddFilter(NEVER_ISSUED, NULL, &some_process, NULL, RmNoRestart))
CASE(add_ended_handle, return RmAddFilter(e->ended, NULL, &some_process, NULL, RmNoRestart))
CASE(add_joined, return RmAddFilter(e->j, NULL, &some_process, NULL, RmNoRestart))

/* ---- RmRemoveFilter ---- */
CASE(remove_no_target, return RmRemoveFilter(e->p, NULL, NULL, NULL))
CASE(remove_two_targets, return RmRemoveFilter(e->p, L"C:\\a.exe", NULL, L"svc"))
CASE(remove_empty_service, return RmRemoveFilter(e->p, NULL, NULL, L""))
CASE(remove_not_there, return RmRemoveFilter(e->p, NULL, NULL, L"NotFiltered"))
CASE(remove_other_kind_same_name, return RmRemoveFilter(e->p, L"BaseSvc", NULL, NULL))
CASE(remove_joined, return RmRemoveFilter(e->j, NULL, NULL, L"BaseSvc"))
CASE(remove_unknown_handle, return RmRemoveFilter(NEVER_ISSUED, NULL, NULL, L"BaseSvc"))

/* ---- RmGetFilterList: odd sizes (P has one filter: service "BaseSvc") ---- */
CASE(filters_null_needed, { BYTE b[256]; return RmGetFilterList(e->p, b, sizeof(b), NULL); })
CASE(filters_null_buffer_with_size, { DWORD need; return RmGetFilterList(e->p, NULL, 8, &need); })
CASE(filters_null_buffer_no_size, { DWORD need = 0; DWORD err = RmGetFilterList(e->p, NULL, 0, &need);
     return need == sizeof(RM_FILTER_INFO) + 16 ? err : BAD_RESULT; })
CASE(filters_size_1, { BYTE b[1] = {0x5A}; DWORD need = 0; DWORD err = RmGetFilterList(e->p, b, 1, &need);
     return b[0] == 0x5A && need > 1 ? err : BAD_RESULT; })
CASE(filters_size_one_short, { BYTE b[64]; DWORD need = 0, i, err;
     memset(b, 0x5A, sizeof(b)); err = RmGetFilterList(e->p, b, sizeof(RM_FILTER_INFO) + 15, &need);
     for (i = 0; i < sizeof(b); i++) if (b[i] != 0x5A) return BAD_RESULT;
     return err; })
CASE(filters_odd_size_unaligned, { BYTE raw[80]; DWORD need = 0; RM_FILTER_INFO f; DWORD err;
     memset(raw, 0x5A, sizeof(raw));
     err = RmGetFilterList(e->p, raw + 1, sizeof(RM_FILTER_INFO) + 16 + 3, &need);
     memcpy(&f, raw + 1, sizeof(f));
     return !err && f.cbNextOffset == 0 && !wcscmp(f.strServiceShortName, L"BaseSvc") &&
            raw[1 + need] == 0x5A ? err : BAD_RESULT; })
CASE(filters_huge_size, { BYTE b[64]; DWORD need = 0; return RmGetFilterList(e->p, b, 0xFFFFFFFF, &need); })
CASE(filters_unknown_handle, { DWORD need; return RmGetFilterList(NEVER_ISSUED, NULL, 0, &need); })
CASE(filters_ended_handle, { DWORD need; return RmGetFilterList(e->ended, NULL, 0, &need); })
CASE(filters_joined, { DWORD need; return RmGetFilterList(e->j, NULL, 0, &need); })
CASE(filters_other_process, { DWORD need; return RmGetFilterList(e->other, NULL, 0, &need); })

/* ---- RmReserveHeap ---- */
CASE(reserve_zero, return RmReserveHeap(0))
CASE(reserve_all_ones, return RmReserveHeap(0xFFFFFFFF))

struct bad_case {
    const char *name;
    DWORD (*call)(struct env *e);
    DWORD expect;
    unsigned files, processes, services;  /* what the case adds to P's registrations */
};

#define BAD(fn, code) {#fn, fn, code, 0, 0, 0}
#define ADDS(fn, code, f, p, s) {#fn, fn, code, f, p, s}

static const struct bad_case cases[] = {
    BAD(start_null_handle, ERROR_BAD_ARGUMENTS),
    BAD(start_null_key, ERROR_BAD_ARGUMENTS),
    BAD(start_flags_1, ERROR_BAD_ARGUMENTS),
    BAD(start_flags_high, ERROR_BAD_ARGUMENTS),
    BAD(start_flags_all, ERROR_BAD_ARGUMENTS),

    BAD(join_null_handle, ERROR_BAD_ARGUMENTS),
    BAD(join_null_key, ERROR_BAD_ARGUMENTS),
    BAD(join_empty_key, ERROR_BAD_ARGUMENTS),
    BAD(join_key_31, ERROR_BAD_ARGUMENTS),
    BAD(join_key_33, ERROR_BAD_ARGUMENTS),
    BAD(join_key_not_hex, ERROR_BAD_ARGUMENTS),
    BAD(join_key_space, ERROR_BAD_ARGUMENTS),
    BAD(join_key_unicode_digit, ERROR_BAD_ARGUMENTS),
    BAD(join_key_fullwidth_a, ERROR_BAD_ARGUMENTS),
    BAD(join_key_not_terminated, ERROR_BAD_ARGUMENTS),
    BAD(join_key_unknown, ERROR_SESSION_CREDENTIAL_CONFLICT),
    BAD(join_key_ended, ERROR_SESSION_CREDENTIAL_CONFLICT),
    BAD(join_key_at_guard_page, ERROR_SESSION_CREDENTIAL_CONFLICT),

    BAD(end_zero, ERROR_INVALID_HANDLE),
    BAD(end_all_ones, ERROR_INVALID_HANDLE),
    BAD(end_never_issued, ERROR_INVALID_HANDLE),
    BAD(end_ended, ERROR_INVALID_HANDLE),
    BAD(end_other_process, ERROR_INVALID_HANDLE),

    BAD(reg_unknown_handle, ERROR_INVALID_HANDLE),
    BAD(reg_ended_handle, ERROR_INVALID_HANDLE),
    BAD(reg_other_process, ERROR_INVALID_HANDLE),
    BAD(reg_bad_args_before_handle, ERROR_BAD_ARGUMENTS),
    BAD(reg_null_files, ERROR_BAD_ARGUMENTS),
    BAD(reg_null_apps, ERROR_BAD_ARGUMENTS),
    BAD(reg_null_services, ERROR_BAD_ARGUMENTS),
    BAD(reg_huge_null_files, ERROR_BAD_ARGUMENTS),
    BAD(reg_huge_files_stops_at_null, ERROR_BAD_ARGUMENTS),
    BAD(reg_huge_services_stops_at_null, ERROR_BAD_ARGUMENTS),
    BAD(reg_huge_apps_overflow, ERROR_OUTOFMEMORY),
    BAD(reg_huge_apps_just_past_store, ERROR_OUTOFMEMORY),
    BAD(reg_zero_everything, ERROR_SUCCESS),
    BAD(reg_zero_counts_with_arrays, ERROR_SUCCESS),
    BAD(reg_null_name_in_batch, ERROR_BAD_ARGUMENTS),
    BAD(reg_empty_name, ERROR_BAD_ARGUMENTS),
    BAD(reg_empty_name_late_in_batch, ERROR_BAD_ARGUMENTS),
    BAD(reg_path_32768, ERROR_BAD_ARGUMENTS),
    BAD(reg_path_32799, ERROR_BAD_ARGUMENTS),
    ADDS(reg_path_relative, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_dot, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_over_max_path, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_32767, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_long_prefix, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_unc, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_nonexistent, ERROR_SUCCESS, 1, 0, 0),
    ADDS(reg_path_directory, ERROR_ACCESS_DENIED, 1, 0, 0),
    ADDS(reg_device_names, ERROR_SUCCESS, 6, 0, 0),
    BAD(reg_service_empty, ERROR_BAD_ARGUMENTS),
    BAD(reg_service_257, ERROR_BAD_ARGUMENTS),
    ADDS(reg_service_256, ERROR_SUCCESS, 0, 0, 1),
    ADDS(reg_service_unknown, ERROR_SUCCESS, 0, 0, 1),
    BAD(reg_service_bad_in_batch_keeps_files_out, ERROR_BAD_ARGUMENTS),
    ADDS(reg_process_pid0, ERROR_SUCCESS, 0, 1, 0),
    ADDS(reg_process_dead, ERROR_SUCCESS, 0, 1, 0),
    ADDS(reg_process_wrong_time, ERROR_SUCCESS, 0, 1, 0),
    ADDS(reg_process_all_ones, ERROR_SUCCESS, 0, 1, 0),

    BAD(list_null_needed, ERROR_BAD_ARGUMENTS),
    BAD(list_null_count, ERROR_BAD_ARGUMENTS),
    BAD(list_null_reasons, ERROR_BAD_ARGUMENTS),
    BAD(list_null_array_with_room, ERROR_BAD_ARGUMENTS),
    BAD(list_unknown_handle, ERROR_INVALID_HANDLE),
    BAD(list_ended_handle, ERROR_INVALID_HANDLE),
    BAD(list_other_process, ERROR_INVALID_HANDLE),
    BAD(list_huge_capacity, ERROR_SUCCESS),
    BAD(list_joined_answers, ERROR_SUCCESS),

    BAD(shutdown_flag_2, ERROR_BAD_ARGUMENTS),
    BAD(shutdown_flag_100, ERROR_BAD_ARGUMENTS),
    BAD(shutdown_flag_high, ERROR_BAD_ARGUMENTS),
    BAD(shutdown_unknown_handle, ERROR_INVALID_HANDLE),
    BAD(shutdown_ended_handle, ERROR_INVALID_HANDLE),
    BAD(shutdown_other_process, ERROR_INVALID_HANDLE),
    BAD(shutdown_joined, ERROR_SESSION_CREDENTIAL_CONFLICT),

    BAD(restart_flags_1, ERROR_BAD_ARGUMENTS),
    BAD(restart_flags_all, ERROR_BAD_ARGUMENTS),
    BAD(restart_unknown_handle, ERROR_INVALID_HANDLE),
    BAD(restart_ended_handle, ERROR_INVALID_HANDLE),
    BAD(restart_joined, ERROR_SESSION_CREDENTIAL_CONFLICT),
    BAD(restart_before_shutdown, ERROR_REQUEST_OUT_OF_SEQUENCE),

    BAD(cancel_zero, ERROR_INVALID_HANDLE),
    BAD(cancel_ended, ERROR_INVALID_HANDLE),
    BAD(cancel_other_process, ERROR_INVALID_HANDLE),
    BAD(cancel_joined, ERROR_SESSION_CREDENTIAL_CONFLICT),
    BAD(cancel_nothing_running, ERROR_SUCCESS),

    BAD(add_no_target, ERROR_BAD_ARGUMENTS),
    BAD(add_module_and_process, ERROR_BAD_ARGUMENTS),
    BAD(add_module_and_service, ERROR_BAD_ARGUMENTS),
    BAD(add_process_and_service, ERROR_BAD_ARGUMENTS),
    BAD(add_three_targets, ERROR_BAD_ARGUMENTS),
    BAD(add_invalid_action, ERROR_BAD_ARGUMENTS),
    BAD(add_action_3, ERROR_BAD_ARGUMENTS),
    BAD(add_action_all_ones, ERROR_BAD_ARGUMENTS),
    BAD(add_empty_module, ERROR_BAD_ARGUMENTS),
    BAD(add_empty_service, ERROR_BAD_ARGUMENTS),
    BAD(add_service_257, ERROR_BAD_ARGUMENTS),
    BAD(add_module_32768, ERROR_BAD_ARGUMENTS),
    BAD(add_unknown_handle, ERROR_INVALID_HANDLE),
    BAD(add_ended_handle, ERROR_INVALID_HANDLE),
    BAD(add_joined, ERROR_SESSION_CREDENTIAL_CONFLICT),

    BAD(remove_no_target, ERROR_BAD_ARGUMENTS),
    BAD(remove_two_targets, ERROR_BAD_ARGUMENTS),
    BAD(remove_empty_service, ERROR_BAD_ARGUMENTS),
    BAD(remove_not_there, ERROR_FILE_NOT_FOUND),
    BAD(remove_other_kind_same_name, ERROR_FILE_NOT_FOUND),
    BAD(remove_joined, ERROR_SESSION_CREDENTIAL_CONFLICT),
    BAD(remove_unknown_handle, ERROR_INVALID_HANDLE),

    BAD(filters_null_needed, ERROR_BAD_ARGUMENTS),
    BAD(filters_null_buffer_with_size, ERROR_BAD_ARGUMENTS),
    BAD(filters_null_buffer_no_size, ERROR_MORE_DATA),
    BAD(filters_size_1, ERROR_MORE_DATA),
    BAD(filters_size_one_short, ERROR_MORE_DATA),
    BAD(filters_odd_size_unaligned, ERROR_SUCCESS),
    BAD(filters_huge_size, ERROR_SUCCESS),
    BAD(filters_unknown_handle, ERROR_INVALID_HANDLE),
    BAD(filters_ended_handle, ERROR_INVALID_HANDLE),
    BAD(filters_joined, ERROR_SESSION_CREDENTIAL_CONFLICT),
    BAD(filters_other_process, ERROR_INVALID_HANDLE),

    BAD(reserve_zero, ERROR_CALL_NOT_IMPLEMENTED),
    BAD(reserve_all_ones, ERROR_CALL_NOT_IMPLEMENTED),
};

/* What a case may not change. */
struct snapshot {
    unsigned files, processes, services, sessions, other_files;
    BOOL corrupt;
    BYTE filters[512];
    DWORD filter_bytes;
};

static struct env env;
static BYTE filter_buf[512];

static void take(struct snapshot *s)
{
    struct tu_store r;
    memset(s, 0, sizeof(*s));
    assert_int_equal(tu_store_read(env.key, &r), 0);
    s->files = r.nfiles; s->processes = r.nprocesses; s->services = r.nservices;
    s->corrupt = r.corrupt;
    tu_store_free(&r);
    assert_int_equal(tu_store_read(env.other_key, &r), 0);
    s->other_files = r.nfiles + r.nprocesses + r.nservices;
    tu_store_free(&r);
    s->sessions = tu_live_sessions();
    /* One buffer for every read: the records hold pointers into it. */
    assert_int_equal(RmGetFilterList(env.p, filter_buf, sizeof(filter_buf), &s->filter_bytes), 0);
    memcpy(s->filters, filter_buf, s->filter_bytes);
}

static void fresh_env(void)
{
    LPCWSTR base[1] = {L"C:\\base\\file.txt"};

    assert_int_equal(RmStartSession(&env.ended, 0, env.ended_key), 0);
    assert_int_equal(RmEndSession(env.ended), 0);
    assert_int_equal(RmStartSession(&env.p, 0, env.key), 0);
    assert_int_equal(RmRegisterResources(env.p, 1, base, 0, NULL, 0, NULL), 0);
    assert_int_equal(RmAddFilter(env.p, NULL, NULL, L"BaseSvc", RmNoRestart), 0);
    assert_int_equal(RmJoinSession(&env.j, env.key), 0);
    env.out = 0xdeadbeef;
}

static void test_bad_input_table(void **state)
{
    struct snapshot before, after;
    unsigned i, passed = 0;
    (void)state;

    print_message("%u cases\n", (unsigned)ARRAYSIZE(cases));
    assert_true(ARRAYSIZE(cases) >= 60);
    for (i = 0; i < ARRAYSIZE(cases); i++) {
        const struct bad_case *c = &cases[i];
        DWORD got;

        fresh_env();
        take(&before);
        got = c->call(&env);
        if (got != c->expect)
            fail_msg("%s: returned %lu, expected %lu", c->name, got, c->expect);
        take(&after);
        if (after.files != before.files + c->files || after.processes != before.processes + c->processes ||
            after.services != before.services + c->services || after.corrupt)
            fail_msg("%s: registrations went from %u/%u/%u to %u/%u/%u", c->name, before.files,
                     before.processes, before.services, after.files, after.processes, after.services);
        if (after.filter_bytes != before.filter_bytes ||
            memcmp(after.filters, before.filters, before.filter_bytes))
            fail_msg("%s: the filter list changed", c->name);
        if (after.sessions != before.sessions)
            fail_msg("%s: live sessions went from %u to %u", c->name, before.sessions, after.sessions);
        if (after.other_files != 0)
            fail_msg("%s: the other process's session changed", c->name);
        if (c->expect != ERROR_SUCCESS && env.out != 0xdeadbeef)
            fail_msg("%s: an out-parameter was written on failure", c->name);
        assert_int_equal(RmEndSession(env.j), 0);
        assert_int_equal(RmEndSession(env.p), 0);
        passed++;
    }
    print_message("%u cases passed\n", passed);
}

/* The other process's session, and our handle counter moved past its handle value. */
static HANDLE other, other_ready, other_end;
static WCHAR other_keyfile[MAX_PATH];

static int setup(void **state)
{
    WCHAR ready[64], end[64];
    DWORD h;
    BYTE *pages;
    (void)state;

    other_ready = tu_event(ready);
    other_end = tu_event(end);
    tu_temp_path(other_keyfile, L"other-key");
    other = tu_spawn_fixture(L"primary %ls %ls %ls", other_keyfile, ready, end);
    if (!other || !tu_wait_event(other_ready, other) || !tu_read_key(other_keyfile, env.other_key) ||
        !tu_read_handle(other_keyfile, &env.other))
        return -1;
    /* Its value is a live session there; make sure it is none here. */
    do {
        if (RmStartSession(&h, 0, env.scratch) || RmEndSession(h))
            return -1;
    } while (h <= env.other);

    /* A key buffer whose 33rd unit is the last before a page we may not read. */
    pages = VirtualAlloc(NULL, 2 * 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!pages || !VirtualProtect(pages + 4096, 4096, PAGE_NOACCESS, &h))
        return -1;
    guard_key = (WCHAR *)(pages + 4096) - (CCH_RM_SESSION_KEY + 1);

    GetTempPathW(MAX_PATH, temp_dir);
    wcscat(temp_dir, L"rm-bad-input-dir");
    CreateDirectoryW(temp_dir, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    SetEvent(other_end);
    tu_wait_exit(other);
    CloseHandle(other); CloseHandle(other_ready); CloseHandle(other_end);
    DeleteFileW(other_keyfile);
    RemoveDirectoryW(temp_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_input_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
