/* store.c - see store.h. Written from docs/sessions.md, not from the DLL's sources. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "store.h"

#include <sddl.h>  /* after windows.h */

enum { HEADER_BYTES = 64, DIR_SLOTS = 64, DIR_SLOT_BYTES = 48, DIR_BYTES = 16 + 64 * 48 };
enum { KIND_FILE = 1, KIND_PROCESS = 2, KIND_SERVICE = 3, KIND_APP = 4, MAX_CHARS = 32767 };
enum { LAYOUT_VERSION = 2, APP_FIXED = 44, APP_NAME_CHARS = 255, APP_SERVICE_CHARS = 256 };

PSID tu_user_sid(void)
{
    BYTE buf[256];
    TOKEN_USER *user = (TOKEN_USER *)buf;
    DWORD n, len;
    HANDLE token;
    PSID sid;

    assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    assert_true(GetTokenInformation(token, TokenUser, buf, sizeof(buf), &n));
    CloseHandle(token);
    len = GetLengthSid(user->User.Sid);
    sid = LocalAlloc(LMEM_FIXED, len);
    assert_non_null(sid);
    assert_true(CopySid(len, sid, user->User.Sid));
    return sid;
}

void tu_object_name(WCHAR name[TU_OBJECT_NAME_CHARS], const WCHAR *what)
{
    PSID sid = tu_user_sid();
    WCHAR *text;

    assert_true(ConvertSidToStringSidW(sid, &text));
    _snwprintf(name, TU_OBJECT_NAME_CHARS, L"Local\\RstrtMgr.%d.%ls.%ls", LAYOUT_VERSION, text,
               what);
    name[TU_OBJECT_NAME_CHARS - 1] = 0;
    LocalFree(text);
    LocalFree(sid);
}

static uint32_t u32(const BYTE *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A read-only view of the first `bytes` of a named section, or NULL. */
static const BYTE *map_section(const WCHAR *what, SIZE_T bytes, HANDLE *section)
{
    WCHAR name[TU_OBJECT_NAME_CHARS];
    const BYTE *view;

    tu_object_name(name, what);
    if (!(*section = OpenFileMappingW(FILE_MAP_READ, FALSE, name)))
        return NULL;
    if (!(view = MapViewOfFile(*section, FILE_MAP_READ, 0, 0, bytes)))
        CloseHandle(*section);
    return view;
}

static WCHAR *copy_text(const BYTE *p, uint32_t nchars)
{
    WCHAR *text = malloc((nchars + 1) * sizeof(WCHAR));
    assert_non_null(text);
    memcpy(text, p, nchars * sizeof(WCHAR));
    text[nchars] = 0;
    return text;
}

static void add_text(WCHAR ***list, unsigned *n, WCHAR *text)
{
    *list = realloc(*list, (*n + 1) * sizeof(**list));
    assert_non_null(*list);
    (*list)[(*n)++] = text;
}

/* n UTF-16 units at p, none of them NUL. */
static BOOL no_nul(const BYTE *p, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++)
        if (!p[2 * i] && !p[2 * i + 1])
            return FALSE;
    return TRUE;
}

/* An app record (what RmShutdown / RmRestart did to one app) of `size` bytes at r. */
static BOOL read_app(const BYTE *r, uint32_t size, struct tu_store *out)
{
    uint32_t type = u32(r + 20), status = u32(r + 24), restartable = u32(r + 32);
    uint32_t nname = u32(r + 36), nservice = u32(r + 40);
    struct tu_app *a;

    if (size < APP_FIXED || nname > APP_NAME_CHARS || nservice > APP_SERVICE_CHARS ||
        size != APP_FIXED + (((nname + nservice) * 2 + 3) & ~3u) ||
        !(type <= 5 || type == 1000) || (status & ~0xFFu) || restartable > 1 ||
        !no_nul(r + APP_FIXED, nname) || !no_nul(r + APP_FIXED + 2 * nname, nservice))
        return FALSE;
    out->apps = realloc(out->apps, (out->napps + 1) * sizeof(*a));
    assert_non_null(out->apps);
    a = &out->apps[out->napps++];
    a->process.dwProcessId = u32(r + 8);
    a->process.ProcessStartTime.dwLowDateTime = u32(r + 12);
    a->process.ProcessStartTime.dwHighDateTime = u32(r + 16);
    a->status = status;
    a->service = nservice ? copy_text(r + APP_FIXED + 2 * nname, nservice) : NULL;
    return TRUE;
}

/* One record at log[at], below used; FALSE when it is not a documented record. */
static BOOL read_record(const BYTE *log, uint32_t used, uint32_t *at, struct tu_store *out)
{
    const BYTE *r = log + *at;
    uint32_t kind, size, nchars, i;

    if (used - *at < 12)
        return FALSE;
    kind = u32(r);
    size = u32(r + 4);
    if (size % 4 || size < 12 || size > used - *at)
        return FALSE;
    if (kind == KIND_PROCESS) {
        RM_UNIQUE_PROCESS *p;
        if (size != 20)
            return FALSE;
        out->processes = realloc(out->processes, (out->nprocesses + 1) * sizeof(*p));
        assert_non_null(out->processes);
        p = &out->processes[out->nprocesses++];
        p->dwProcessId = u32(r + 8);
        p->ProcessStartTime.dwLowDateTime = u32(r + 12);
        p->ProcessStartTime.dwHighDateTime = u32(r + 16);
    } else if (kind == KIND_FILE || kind == KIND_SERVICE) {
        nchars = u32(r + 8);
        if (nchars < 1 || nchars > MAX_CHARS || size != 12 + ((nchars * 2 + 3) & ~3u))
            return FALSE;
        for (i = 0; i < nchars; i++)
            if (!r[12 + 2 * i] && !r[13 + 2 * i])
                return FALSE;
        if (kind == KIND_FILE)
            add_text(&out->files, &out->nfiles, copy_text(r + 12, nchars));
        else
            add_text(&out->services, &out->nservices, copy_text(r + 12, nchars));
    } else if (kind != KIND_APP || !read_app(r, size, out)) {
        return FALSE;
    }
    *at += size;
    return TRUE;
}

DWORD tu_store_read(const WCHAR *key, struct tu_store *out)
{
    WCHAR what[64];
    HANDLE section;
    const BYTE *head, *all;
    uint32_t used, at = 0;

    memset(out, 0, sizeof(*out));
    _snwprintf(what, 64, L"Session.%ls", key);
    what[63] = 0;
    if (!(head = map_section(what, HEADER_BYTES, &section)))
        return ERROR_FILE_NOT_FOUND;
    used = u32(head + 32);
    if (u32(head) != 0x53534D52u || u32(head + 4) != LAYOUT_VERSION || u32(head + 8) != HEADER_BYTES ||
        used > u32(head + 12) || used % 4) {
        UnmapViewOfFile(head);
        CloseHandle(section);
        return ERROR_INVALID_DATA;
    }
    UnmapViewOfFile(head);
    all = MapViewOfFile(section, FILE_MAP_READ, 0, 0, HEADER_BYTES + (SIZE_T)used);
    CloseHandle(section);
    if (!all)
        return GetLastError();
    while (at < used && !out->corrupt)
        out->corrupt = !read_record(all + HEADER_BYTES, used, &at, out);
    UnmapViewOfFile(all);
    return ERROR_SUCCESS;
}

void tu_store_free(struct tu_store *s)
{
    unsigned i;
    for (i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    for (i = 0; i < s->nservices; i++)
        free(s->services[i]);
    for (i = 0; i < s->napps; i++)
        free(s->apps[i].service);
    free(s->files);
    free(s->services);
    free(s->processes);
    free(s->apps);
    memset(s, 0, sizeof(*s));
}

/* Runs now, and is the process that was created at start. */
static BOOL runs(DWORD pid, const FILETIME *start)
{
    HANDLE h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    FILETIME created, x[3];
    BOOL yes;

    if (!h)
        return FALSE;
    yes = WaitForSingleObject(h, 0) == WAIT_TIMEOUT &&
          GetProcessTimes(h, &created, &x[0], &x[1], &x[2]) && !CompareFileTime(&created, start);
    CloseHandle(h);
    return yes;
}

unsigned tu_live_sessions(void)
{
    WCHAR name[TU_OBJECT_NAME_CHARS];
    HANDLE section, lock;
    const BYTE *dir;
    unsigned i, n = 0;

    tu_object_name(name, L"DirectoryLock");
    if (!(dir = map_section(L"Directory", DIR_BYTES, &section)))
        return 0;  /* no process of this user has a session */
    assert_int_equal(u32(dir), 0x52444D52u);
    assert_non_null(lock = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, name));
    assert_true(WaitForSingleObject(lock, TU_WAIT_MS) != WAIT_TIMEOUT);
    for (i = 0; i < DIR_SLOTS; i++) {
        const BYTE *slot = dir + 16 + i * DIR_SLOT_BYTES;
        FILETIME start;
        start.dwLowDateTime = u32(slot + 8);
        start.dwHighDateTime = u32(slot + 12);
        if (u32(slot) == 1 && runs(u32(slot + 4), &start))
            n++;
    }
    ReleaseMutex(lock);
    CloseHandle(lock);
    UnmapViewOfFile(dir);
    CloseHandle(section);
    return n;
}

uint32_t tu_put_process_record(uint8_t *dst, DWORD pid, const FILETIME *start)
{
    uint32_t fields[5] = {KIND_PROCESS, 20, pid, start->dwLowDateTime, start->dwHighDateTime};
    memcpy(dst, fields, sizeof(fields));  /* little-endian, as Windows runs */
    return sizeof(fields);
}
