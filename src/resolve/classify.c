/*
 * classify.c - what RM_PROCESS_INFO says about one process: its identity (PID + creation
 * time), a friendly name, its type, its terminal session, whether it can be restarted,
 * and the reboot reasons it brings.
 *
 * Type, in this order: RmCritical (the calling process itself; a documented critical
 * process; one in another terminal session; one we may not stop), RmExplorer, RmMainWindow
 * (a visible, unowned top-level window), RmOtherWindow (windows, none of them such),
 * RmConsole (a console-subsystem image), else RmUnknownApp.
 * Name: the image's FileDescription, else its main window's title, else its file name.
 */
#include "resolve.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const WCHAR *const critical_images[] = {
    L"smss.exe", L"csrss.exe", L"wininit.exe", L"logonui.exe", L"lsass.exe",
    L"services.exe", L"winlogon.exe", L"system",
};

static const WCHAR *base_name(const WCHAR *path)
{
    const WCHAR *slash = wcsrchr(path, L'\\');
    return slash ? slash + 1 : path;
}

/* Hidden windows the system gives a program that never showed one of its own: the input
 * method's "Default IME" (class IME) every thread with a window gets, the text services'
 * MSCTFIME UI, and COM's apartment windows (OleMainThreadWndClass, CicMarshalWndClass).
 * A console program that uses COM or an input method is still a console program. */
static const WCHAR *const helper_classes[] = {
    L"IME", L"MSCTFIME UI", L"OleMainThreadWndClass", L"CicMarshalWndClass",
};

BOOL rm_window_is_app(HWND hwnd, DWORD pid)
{
    WCHAR cls[64];
    DWORD owner = 0;
    unsigned i;

    rm_sys()->GetWindowThreadProcessId(hwnd, &owner);
    if (owner != pid)
        return FALSE;
    if (!rm_sys()->GetClassNameW(hwnd, cls, ARRAYSIZE(cls)))
        return TRUE;
    for (i = 0; i < ARRAYSIZE(helper_classes); i++)
        if (!wcscmp(cls, helper_classes[i]))
            return FALSE;
    return TRUE;
}

struct window_search {
    DWORD pid;
    BOOL any, main;
    WCHAR title[CCH_RM_MAX_APP_NAME + 1];
};

static BOOL CALLBACK window_of(HWND hwnd, LPARAM arg)
{
    struct window_search *w = (struct window_search *)arg;

    if (!rm_window_is_app(hwnd, w->pid))
        return TRUE;
    w->any = TRUE;
    if (rm_sys()->IsWindowVisible(hwnd) && !rm_sys()->GetWindow(hwnd, GW_OWNER)) {
        w->main = TRUE;
        rm_sys()->GetWindowTextW(hwnd, w->title, ARRAYSIZE(w->title));
        return FALSE;
    }
    return TRUE;
}

/* The image's FileDescription, from the first translation of its version resource. */
static BOOL file_description(const WCHAR *image, WCHAR *out, size_t cap)
{
    DWORD ignored, size = rm_sys()->GetFileVersionInfoSizeW(image, &ignored);
    struct { WORD lang, codepage; } *tr;
    WCHAR query[64], *value;
    UINT len;
    void *data;
    BOOL ok = FALSE;

    if (!size || !(data = rm_alloc(size)))
        return FALSE;
    if (rm_sys()->GetFileVersionInfoW(image, 0, size, data) &&
        VerQueryValueW(data, L"\\VarFileInfo\\Translation", (void **)&tr, &len) && len >= 4) {
        _snwprintf(query, ARRAYSIZE(query), L"\\StringFileInfo\\%04x%04x\\FileDescription",
                   tr->lang, tr->codepage);
        query[ARRAYSIZE(query) - 1] = 0;
        if (VerQueryValueW(data, query, (void **)&value, &len) && len > 1 && value[0]) {
            rm_copy_text(out, cap, value);
            ok = TRUE;
        }
    }
    rm_free(data);
    return ok;
}

BOOL rm_image_is_console(const WCHAR *image)
{
    HANDLE f = rm_sys()->CreateFileW(image, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, 0, NULL);
    BYTE head[1024];
    DWORD n = 0, pe;
    BOOL console = FALSE;

    if (f == INVALID_HANDLE_VALUE)
        return FALSE;
    if (rm_sys()->ReadFile(f, head, sizeof(head), &n, NULL) && n >= sizeof(IMAGE_DOS_HEADER)) {
        pe = ((IMAGE_DOS_HEADER *)head)->e_lfanew;
        /* The subsystem sits at the same offset in the 32- and 64-bit optional headers.
         * e_lfanew comes from a file anyone may have written: checked without a sum that
         * could wrap (on x86 size_t is 32 bits). */
        if (pe <= n && n - pe >= 4 + sizeof(IMAGE_FILE_HEADER) +
                                 offsetof(IMAGE_OPTIONAL_HEADER32, Subsystem) + 2 &&
            !memcmp(head + pe, "PE\0\0", 4)) {
            WORD sub = *(WORD *)(head + pe + 4 + sizeof(IMAGE_FILE_HEADER) +
                                 offsetof(IMAGE_OPTIONAL_HEADER32, Subsystem));
            console = sub == IMAGE_SUBSYSTEM_WINDOWS_CUI;
        }
    }
    rm_sys()->CloseHandle(f);
    return console;
}

static BOOL is_critical_image(const WCHAR *name)
{
    unsigned i;
    for (i = 0; i < ARRAYSIZE(critical_images); i++)
        if (!_wcsicmp(name, critical_images[i]))
            return TRUE;
    return FALSE;
}

static BOOL restart_registered(HANDLE process)
{
    DWORD size = 0, flags = 0;
    HANDLE h;
    HRESULT hr;
    /* Reading another process's registration needs PROCESS_VM_READ. Wine quirk: always
     * E_NOTIMPL, so under Wine nothing counts as registered here. */
    if (!rm_sys()->DuplicateHandle(GetCurrentProcess(), process, GetCurrentProcess(), &h,
                         PROCESS_VM_READ | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 0))
        return FALSE;
    hr = rm_sys()->GetApplicationRestartSettings(h, NULL, &size, &flags);
    rm_sys()->CloseHandle(h);
    return hr == S_OK && size > 0;
}

/* Opens pid for stopping it later (else only for looking at it) and fills the identity
 * part of info. ERROR_NOT_FOUND when it has exited. *stop is NULL when we may not stop
 * it; *query is always a handle to close (it may be *stop). */
static DWORD open_process(DWORD pid, RM_PROCESS_INFO *info, HANDLE *stop, HANDLE *query,
                          WCHAR image[MAX_PATH * 2])
{
    DWORD len = MAX_PATH * 2, code, session;
    FILETIME start, ignored[3];

    ZeroMemory(info, sizeof(*info));
    info->Process.dwProcessId = pid;
    info->AppStatus = RmStatusRunning;
    info->TSSessionId = (DWORD)RM_INVALID_TS_SESSION;

    *stop = rm_sys()->OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION |
                        PROCESS_DUP_HANDLE, FALSE, pid);
    *query = *stop ? *stop : rm_sys()->OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!*query)
        return GetLastError() == ERROR_INVALID_PARAMETER ? ERROR_NOT_FOUND : ERROR_SUCCESS;
    if (!rm_sys()->GetProcessTimes(*query, &start, &ignored[0], &ignored[1], &ignored[2]) ||
        (rm_sys()->GetExitCodeProcess(*query, &code) && code != STILL_ACTIVE)) {
        rm_sys()->CloseHandle(*query);
        return ERROR_NOT_FOUND;  /* exited while we looked: not an error */
    }
    info->Process.ProcessStartTime = start;
    if (!rm_sys()->QueryFullProcessImageNameW(*query, 0, image, &len))
        image[0] = 0;
    if (rm_sys()->ProcessIdToSessionId(pid, &session))
        info->TSSessionId = session;
    return ERROR_SUCCESS;
}

/* Why a process can never be stopped by us, as a reboot reason (0 if it can). */
static DWORD critical_reason(DWORD pid, const WCHAR *image)
{
    if (pid == GetCurrentProcessId())
        return RmRebootReasonDetectedSelf;
    if (image[0] && is_critical_image(base_name(image)))
        return RmRebootReasonCriticalProcess;
    return 0;
}

/* The facts of an image that do not depend on the process running it, read once per
 * call (and per image) when there is a cache. */
struct image_facts {
    BOOL has_description, console;
    WCHAR description[CCH_RM_MAX_APP_NAME + 1];
};

static void read_image_facts(const WCHAR *image, struct image_facts *f)
{
    f->has_description = file_description(image, f->description, ARRAYSIZE(f->description));
    f->console = rm_image_is_console(image);
}

static void image_facts(struct rm_classify_cache *c, const WCHAR *image, struct image_facts *f)
{
    unsigned i;
    size_t n;

    for (i = 0; c && i < c->nimages; i++)
        if (!_wcsicmp(c->images[i].image, image)) {
            f->has_description = c->images[i].has_description;
            f->console = c->images[i].console;
            memcpy(f->description, c->images[i].description, sizeof(f->description));
            return;
        }
    read_image_facts(image, f);
    if (!c)
        return;
    /* Kept in a ring of a few: a call rarely sees more distinct images among the users of
     * its files, and a miss only costs a read. */
    i = c->nimages < RM_CLASSIFY_CACHE_IMAGES ? c->nimages++ : c->next++ % RM_CLASSIFY_CACHE_IMAGES;
    rm_free(c->images[i].image);
    n = wcslen(image) + 1;
    if (!(c->images[i].image = rm_alloc_array(n, sizeof(WCHAR)))) {
        c->images[i] = c->images[--c->nimages];  /* no memory: not cached */
        return;
    }
    memcpy(c->images[i].image, image, n * sizeof(WCHAR));
    c->images[i].has_description = f->has_description;
    c->images[i].console = f->console;
    memcpy(c->images[i].description, f->description, sizeof(f->description));
}

void rm_classify_cache_free(struct rm_classify_cache *cache)
{
    unsigned i;
    for (i = 0; i < cache->nimages; i++)
        rm_free(cache->images[i].image);
    ZeroMemory(cache, sizeof(*cache));
}

static DWORD own_session(struct rm_classify_cache *c)
{
    DWORD session = 0;
    if (c && c->has_session)
        return c->my_session;
    rm_sys()->ProcessIdToSessionId(GetCurrentProcessId(), &session);
    if (c) {
        c->my_session = session;
        c->has_session = TRUE;
    }
    return session;
}

DWORD rm_classify_process(DWORD pid, BOOL uninspected, struct rm_classify_cache *cache,
                          RM_PROCESS_INFO *info, DWORD *reasons, HANDLE *keep)
{
    WCHAR image[MAX_PATH * 2];
    DWORD err, reason, my_session;
    struct window_search w;
    struct image_facts facts;
    HANDLE h, q;

    *keep = NULL;
    image[0] = 0;
    if ((err = open_process(pid, info, &h, &q, image)))
        return err;
    if (!q) {  /* exists, but we may not even look at it: named by the system's list */
        info->ApplicationType = RmCritical;
        *reasons |= RmRebootReasonPermissionDenied;
        rm_process_facts_unopened(pid, &info->Process.ProcessStartTime, info->strAppName,
                                  ARRAYSIZE(info->strAppName));
        return ERROR_SUCCESS;
    }
    my_session = own_session(cache);
    ZeroMemory(&facts, sizeof(facts));
    if (image[0])
        image_facts(cache, image, &facts);

    reason = critical_reason(pid, image);
    if (!reason && info->TSSessionId != (DWORD)RM_INVALID_TS_SESSION && info->TSSessionId != my_session)
        reason = RmRebootReasonSessionMismatch;
    if (!reason && (!h || uninspected))
        reason = RmRebootReasonPermissionDenied;
    if (reason) {
        info->ApplicationType = RmCritical;
        *reasons |= reason;
    }

    ZeroMemory(&w, sizeof(w));
    w.pid = pid;
    rm_sys()->EnumWindows(window_of, (LPARAM)&w);
    if (info->ApplicationType != RmCritical) {
        if (image[0] && !_wcsicmp(base_name(image), L"explorer.exe"))
            info->ApplicationType = RmExplorer;
        else if (w.main)
            info->ApplicationType = RmMainWindow;
        else if (w.any)
            info->ApplicationType = RmOtherWindow;
        else if (facts.console)
            info->ApplicationType = RmConsole;
        else
            info->ApplicationType = RmUnknownApp;
    }

    if (info->ApplicationType == RmCritical && image[0])
        rm_copy_text(info->strAppName, ARRAYSIZE(info->strAppName), base_name(image));
    else if (facts.has_description)
        rm_copy_text(info->strAppName, ARRAYSIZE(info->strAppName), facts.description);
    else {
        if (w.main && w.title[0])
            rm_copy_text(info->strAppName, ARRAYSIZE(info->strAppName), w.title);
        else if (image[0])
            rm_copy_text(info->strAppName, ARRAYSIZE(info->strAppName), base_name(image));
    }
    info->bRestartable = info->ApplicationType != RmCritical && h && restart_registered(h);

    if (h)
        *keep = h;
    else
        rm_sys()->CloseHandle(q);
    return ERROR_SUCCESS;
}

/* Services are stopped through the SCM, so neither the terminal session of their process
 * (services run in session 0 on Windows) nor our rights on it matter; the SCM's do. */
DWORD rm_classify_service(const struct rm_service *svc, RM_PROCESS_INFO *info, DWORD *reasons,
                          HANDLE *keep)
{
    WCHAR image[MAX_PATH * 2];
    DWORD err, reason = 0;
    HANDLE h, q;

    *keep = NULL;
    image[0] = 0;
    if ((err = open_process(svc->pid, info, &h, &q, image)))
        return err;
    rm_copy_text(info->strAppName, ARRAYSIZE(info->strAppName), svc->display);
    rm_copy_text(info->strServiceShortName, ARRAYSIZE(info->strServiceShortName), svc->name);

    if (q)
        reason = critical_reason(svc->pid, image);
    if (!reason && (svc->critical || svc->unstoppable))
        reason = RmRebootReasonCriticalService;
    if (!reason && svc->denied)
        reason = RmRebootReasonPermissionDenied;
    info->ApplicationType = reason ? RmCritical : RmService;
    info->bRestartable = !reason;
    *reasons |= reason;

    if (h)
        *keep = h;
    else if (q)
        rm_sys()->CloseHandle(q);
    return ERROR_SUCCESS;
}
