/*
 * close_gui.c - closing a windowed app the way Windows' own shutdown does, with
 * ENDSESSION_CLOSEAPP so the app knows it is being closed for an update: first the
 * question (WM_QUERYENDSESSION) to every top-level window, and only when all agree the
 * order (WM_ENDSESSION, then WM_CLOSE to any window still there). Every message is sent
 * with a bound and SMTO_ABORTIFHUNG, so a hung window costs at most query_ms.
 */
#include "engine.h"


#define MAX_WINDOWS 64

struct windows {
    DWORD pid;
    HWND list[MAX_WINDOWS];
    unsigned count;
};

static BOOL CALLBACK collect(HWND hwnd, LPARAM arg)
{
    struct windows *w = (struct windows *)arg;

    if (!rm_window_is_app(hwnd, w->pid))
        return TRUE;
    w->list[w->count++] = hwnd;
    return w->count < MAX_WINDOWS;
}

static void windows_of(DWORD pid, struct windows *w)
{
    ZeroMemory(w, sizeof(*w));
    w->pid = pid;
    rm_sys()->EnumWindows(collect, (LPARAM)w);
}

enum rm_gui_answer rm_gui_query(DWORD pid, DWORD query_ms)
{
    struct windows w;
    DWORD_PTR answer;
    unsigned i;

    windows_of(pid, &w);
    for (i = 0; i < w.count; i++) {
        answer = 0;
        if (!rm_sys()->SendMessageTimeoutW(w.list[i], WM_QUERYENDSESSION, 0, ENDSESSION_CLOSEAPP,
                                 SMTO_ABORTIFHUNG, query_ms, &answer))
            return rm_sys()->IsWindow(w.list[i]) ? RM_GUI_NO_ANSWER : RM_GUI_AGREED;  /* gone: fine */
        if (!answer)
            return RM_GUI_REFUSED;
    }
    return RM_GUI_AGREED;
}

BOOL rm_gui_end(const struct rm_run *run, DWORD pid, HANDLE process)
{
    struct windows w;
    DWORD_PTR ignored;
    unsigned i;

    windows_of(pid, &w);
    for (i = 0; i < w.count; i++)
        rm_sys()->SendMessageTimeoutW(w.list[i], WM_ENDSESSION, TRUE, ENDSESSION_CLOSEAPP,
                            SMTO_ABORTIFHUNG, run->bounds.query_ms, &ignored);
    if (rm_sys()->WaitForSingleObject(process, 0) == WAIT_OBJECT_0)
        return TRUE;
    /* Apps that only end their session's work on WM_ENDSESSION still need to be closed. */
    for (i = 0; i < w.count; i++)
        if (rm_sys()->IsWindow(w.list[i]))
            rm_sys()->PostMessageW(w.list[i], WM_CLOSE, 0, 0);
    return rm_run_wait_exit(run, process, run->bounds.app_ms);
}
