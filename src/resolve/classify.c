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

BOOL rm_window_is_app(HWND hwnd, DWORD pid)
{
    WCHAR cls[16];
    DWORD owner = 0;

    rm_sys()->GetWindowThreadProcessId(hwnd, &owner);
    if (owner != pid)
        return FALSE;
    /* Every GUI thread has an invisible "Default IME" window (Wine and Windows alike). */
    return !(rm_sys()->GetClassNameW(hwnd, cls, ARRAYSIZE(cls)) && !wcscmp(cls, L"IME"));
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

DWORD rm_classify_process(DWORD pid, RM_PROCESS_INFO *info, DWORD *reasons, HANDLE *keep)
{
    WCHAR image[MAX_PATH * 2];
    DWORD err, reason, my_session = 0;
    struct window_search w;
    HANDLE h, q;

    *keep = NULL;
    image[0] = 0;
    if ((err = open_process(pid, info, &h, &q, image)))
        return err;
    if (!q) {  /* exists, but we may not even look at it */
        info->ApplicationType = RmCritical;
        *reasons |= RmRebootReasonPermissionDenied;
        return ERROR_SUCCESS;
    }
    rm_sys()->ProcessIdToSessionId(GetCurrentProcessId(), &my_session);

    reason = critical_reason(pid, image);
    if (!reason && info->TSSessionId != (DWORD)RM_INVALID_TS_SESSION && info->TSSessionId != my_session)
        reason = RmRebootReasonSessionMismatch;
    if (!reason && !h)
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
        else if (image[0] && rm_image_is_console(image))
            info->ApplicationType = RmConsole;
        else
            info->ApplicationType = RmUnknownApp;
    }

    if (info->ApplicationType == RmCritical && image[0])
        rm_copy_text(info->strAppName, ARRAYSIZE(info->strAppName), base_name(image));
    else if (!(image[0] && file_description(image, info->strAppName, ARRAYSIZE(info->strAppName)))) {
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
