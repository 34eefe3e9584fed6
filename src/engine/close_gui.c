/*
 * close_gui.c - closing a windowed app the way Windows' own shutdown does, with
 * ENDSESSION_CLOSEAPP so the app knows it is being closed for an update: first the
 * question (WM_QUERYENDSESSION) to every top-level window, and only when all agree the
 * order (WM_ENDSESSION(TRUE)), then WM_CLOSE to an app still running a moment later. A
 * window that answered TRUE always hears the outcome: WM_ENDSESSION(FALSE) when the
 * shutdown is called off (spec §11.2).
 *
 * Each message is sent by a worker thread with SendMessageTimeoutW (SMTO_ABORTIFHUNG,
 * bounded by HungAppTimeout) while the call waits on that thread in 50 ms slices, so a
 * cancel is seen at once even while a hung window holds the send (measured under Wine 8:
 * the send itself cannot be interrupted, and before this a cancel was seen only when
 * HungAppTimeout ran out). A worker left behind by a cancel finishes on its own: if its
 * window then agrees, the worker tells it WM_ENDSESSION(FALSE) itself.
 */
#include "engine.h"

struct send {
    LONG refs;                  /* the caller's and the worker's */
    volatile LONG state;        /* SEND_RUNNING, then SEND_DONE (worker) or SEND_LEFT (caller) */
    HWND hwnd;
    UINT msg;
    WPARAM wp;
    UINT timeout;
    LRESULT sent;
    DWORD_PTR answer;
    HMODULE module;             /* keeps this DLL loaded while the worker runs */
};
enum { SEND_RUNNING, SEND_DONE, SEND_LEFT };

static void send_release(struct send *s)
{
    if (InterlockedDecrement(&s->refs) == 0)
        rm_free(s);
}

static void tell_called_off(HWND hwnd)
{
    rm_sys()->SendNotifyMessageW(hwnd, WM_ENDSESSION, FALSE, ENDSESSION_CLOSEAPP);
}

static DWORD WINAPI send_worker(void *arg)
{
    struct send *s = arg;
    HMODULE module = s->module;

    s->sent = rm_sys()->SendMessageTimeoutW(s->hwnd, s->msg, s->wp, ENDSESSION_CLOSEAPP,
                                            SMTO_ABORTIFHUNG, s->timeout, &s->answer);
    if (InterlockedCompareExchange(&s->state, SEND_DONE, SEND_RUNNING) == SEND_LEFT &&
        s->msg == WM_QUERYENDSESSION && s->sent && s->answer)
        tell_called_off(s->hwnd);  /* the call was cancelled while this window agreed */
    send_release(s);
    if (module)
        FreeLibraryAndExitThread(module, 0);
    return 0;
}

/* Sends msg(wp, ENDSESSION_CLOSEAPP) to hwnd; TRUE with *answer when the window answered
 * within the bound, FALSE when it did not or the call was cancelled meanwhile. */
static BOOL send_bounded(const struct rm_run *run, HWND hwnd, UINT msg, WPARAM wp, DWORD_PTR *answer)
{
    struct send *s = rm_alloc(sizeof(*s));
    HANDLE thread = NULL;
    BOOL answered;

    *answer = 0;
    if (s) {
        s->refs = 2;
        s->hwnd = hwnd;
        s->msg = msg;
        s->wp = wp;
        s->timeout = run->bounds.query_ms;
        if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)send_worker,
                                &s->module))
            s->module = NULL;
        if (!(thread = CreateThread(NULL, 64 * 1024, send_worker, s,
                                    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL))) {
            if (s->module)
                FreeLibrary(s->module);
            rm_free(s);
        }
    }
    if (!thread)  /* no thread to spare: the plain bounded send */
        return rm_sys()->SendMessageTimeoutW(hwnd, msg, wp, ENDSESSION_CLOSEAPP, SMTO_ABORTIFHUNG,
                                             run->bounds.query_ms, answer) != 0;
    /* The worker's own bound ends it; the slack only covers a busy machine. */
    rm_run_wait(run, thread, run->bounds.query_ms + 1000);
    CloseHandle(thread);
    if (InterlockedCompareExchange(&s->state, SEND_LEFT, SEND_RUNNING) == SEND_RUNNING) {
        send_release(s);  /* left to the worker */
        return FALSE;
    }
    answered = s->sent != 0;
    *answer = s->answer;
    send_release(s);
    return answered;
}

static BOOL CALLBACK collect(HWND hwnd, LPARAM arg)
{
    struct rm_gui_app *app = (struct rm_gui_app *)arg;

    if (!rm_window_is_app(hwnd, app->pid))
        return TRUE;
    app->owed[app->count] = FALSE;
    app->windows[app->count++] = hwnd;
    return app->count < RM_GUI_MAX_WINDOWS;
}

static void windows_of(DWORD pid, struct rm_gui_app *app)
{
    ZeroMemory(app, sizeof(*app));
    app->pid = pid;
    rm_sys()->EnumWindows(collect, (LPARAM)app);
}

enum rm_gui_answer rm_gui_query(const struct rm_run *run, DWORD pid, struct rm_gui_app *app)
{
    DWORD_PTR answer;
    unsigned i;

    windows_of(pid, app);
    for (i = 0; i < app->count; i++) {
        if (!send_bounded(run, app->windows[i], WM_QUERYENDSESSION, 0, &answer)) {
            if (rm_run_cancelled(run) || rm_sys()->IsWindow(app->windows[i]))
                return RM_GUI_NO_ANSWER;
            continue;  /* gone meanwhile: nothing to ask */
        }
        if (!answer)
            return RM_GUI_REFUSED;
        app->owed[i] = TRUE;
    }
    return RM_GUI_AGREED;
}

BOOL rm_gui_end(const struct rm_run *run, struct rm_gui_app *app, HANDLE process)
{
    DWORD deadline = GetTickCount() + RM_APP_STOP_MAX_MS;
    DWORD_PTR ignored;
    unsigned i;

    for (i = 0; i < app->count && !rm_run_cancelled(run); i++)
        if (app->owed[i]) {
            app->owed[i] = FALSE;
            send_bounded(run, app->windows[i], WM_ENDSESSION, TRUE, &ignored);
        }
    if (rm_run_cancelled(run))
        return rm_sys()->WaitForSingleObject(process, 0) == WAIT_OBJECT_0;
    /* An app may save and exit by itself after WM_ENDSESSION: WM_CLOSE only to one still
     * running a moment later (spec §10.2), so that it is not interrupted mid-save. */
    if (rm_run_wait_exit(run, process, rm_ms_left(deadline, run->bounds.query_ms)))
        return TRUE;
    if (rm_run_cancelled(run))
        return FALSE;
    windows_of(app->pid, app);
    for (i = 0; i < app->count; i++)
        rm_sys()->PostMessageW(app->windows[i], WM_CLOSE, 0, 0);
    return rm_run_wait_exit(run, process, rm_ms_left(deadline, run->bounds.app_ms));
}

void rm_gui_call_off(struct rm_gui_app *app)
{
    unsigned i;

    for (i = 0; i < app->count; i++)
        if (app->owed[i]) {
            app->owed[i] = FALSE;
            tell_called_off(app->windows[i]);
        }
}
