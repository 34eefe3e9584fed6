/*
 * rmbenchhold.c - the processes of the benchmark's world, one program with two modes.
 * Neither outlives the benchmark: each also waits on its parent, whose PID it is given.
 *
 *   hold DIR INDEX K REGDIR HMAX P PARENT READY QUIT
 *       creates and holds open K files of its own (DIR\p<INDEX>-<k>.dat), holds the
 *       registered files REGDIR\f<j>.dat for j = INDEX, INDEX + P, ... below HMAX, loads a
 *       few DLLs, releases the semaphore READY once, and waits for the event QUIT or for
 *       PARENT to exit.
 *   gui FILE READY PARENT
 *       holds FILE open and shows a window that agrees to WM_QUERYENDSESSION and exits
 *       on WM_ENDSESSION or WM_CLOSE; sets the event READY once the window is up. It
 *       registers its own arguments with RegisterApplicationRestart, so that the real DLL
 *       on Windows restarts it as ours does (ours uses the command line under Wine, where
 *       that registration is a stub).
 *
 * Exit code: 0, or the Win32 code of what failed.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* Loaded by every holder, besides what any program loads: a few DLLs per process. */
static const WCHAR *const extra_dlls[] = { L"version.dll", L"psapi.dll", L"shlwapi.dll" };

static HANDLE open_held(const WCHAR *path)
{
    return CreateFileW(path, GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL, NULL);
}

static HANDLE open_parent(const WCHAR *pid)
{
    return OpenProcess(SYNCHRONIZE, FALSE, (DWORD)wcstoul(pid, NULL, 10));
}

static DWORD mode_hold(int argc, WCHAR **argv)
{
    WCHAR path[MAX_PATH];
    HANDLE waits[2], ready;
    unsigned index, k, hmax, p, i, j;

    if (argc < 11)
        return ERROR_BAD_ARGUMENTS;
    index = (unsigned)wcstoul(argv[3], NULL, 10);
    k = (unsigned)wcstoul(argv[4], NULL, 10);
    hmax = (unsigned)wcstoul(argv[6], NULL, 10);
    p = (unsigned)wcstoul(argv[7], NULL, 10);
    if (!p)
        return ERROR_BAD_ARGUMENTS;
    /* The handles stay open until the process exits: that is the point. */
    for (i = 0; i < k; i++) {
        _snwprintf(path, MAX_PATH, L"%ls\\p%u-%u.dat", argv[2], index, i);
        path[MAX_PATH - 1] = 0;
        if (open_held(path) == INVALID_HANDLE_VALUE)
            return GetLastError();
    }
    for (j = index; j < hmax; j += p) {
        _snwprintf(path, MAX_PATH, L"%ls\\f%05u.dat", argv[5], j);
        path[MAX_PATH - 1] = 0;
        if (open_held(path) == INVALID_HANDLE_VALUE)
            return GetLastError();
    }
    for (i = 0; i < ARRAYSIZE(extra_dlls); i++)
        if (!LoadLibraryW(extra_dlls[i]))
            return GetLastError();
    /* The first holder also has the benchmark's own DLL loaded: the "1 loaded DLL" case. */
    if (index == 0) {
        WCHAR *slash;
        GetModuleFileNameW(NULL, path, MAX_PATH);
        if ((slash = wcsrchr(path, L'\\')))
            wcscpy(slash + 1, L"rmbenchplug.dll");
        if (!LoadLibraryW(path))
            return GetLastError();
    }
    if (!(waits[0] = open_parent(argv[8])) ||
        !(waits[1] = OpenEventW(SYNCHRONIZE, FALSE, argv[10])) ||
        !(ready = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, argv[9])))
        return GetLastError();
    ReleaseSemaphore(ready, 1, NULL);
    CloseHandle(ready);
    WaitForMultipleObjects(2, waits, FALSE, INFINITE);
    return 0;
}

static HANDLE gui_parent;

static LRESULT CALLBACK gui_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_QUERYENDSESSION:
        return TRUE;
    case WM_ENDSESSION:
        if (wp)
            PostQuitMessage(0);
        return 0;
    case WM_CLOSE:
        DestroyWindow(w);
        return 0;
    case WM_DESTROY:
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(w, msg, wp, lp);
}

static DWORD mode_gui(int argc, WCHAR **argv)
{
    WCHAR again[1024];
    WNDCLASSW wc;
    HANDLE ready;
    HWND w;
    MSG m;
    DWORD r;

    if (argc < 5)
        return ERROR_BAD_ARGUMENTS;
    _snwprintf(again, ARRAYSIZE(again), L"gui \"%ls\" %ls %ls", argv[2], argv[3], argv[4]);
    again[ARRAYSIZE(again) - 1] = 0;
    RegisterApplicationRestart(again, 0);
    if (open_held(argv[2]) == INVALID_HANDLE_VALUE || !(gui_parent = open_parent(argv[4])))
        return GetLastError();
    ZeroMemory(&wc, sizeof(wc));
    wc.lpfnWndProc = gui_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"rmbenchhold";
    if (!RegisterClassW(&wc))
        return GetLastError();
    w = CreateWindowExW(0, wc.lpszClassName, L"rmbench app", WS_OVERLAPPEDWINDOW, CW_USEDEFAULT,
                        CW_USEDEFAULT, 320, 200, NULL, NULL, wc.hInstance, NULL);
    if (!w)
        return GetLastError();
    ShowWindow(w, SW_SHOW);
    if (!IsWindowVisible(w))  /* the first call may take the parent's STARTUPINFO instead */
        ShowWindow(w, SW_SHOW);
    if (!(ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, argv[3])))
        return GetLastError();
    SetEvent(ready);
    CloseHandle(ready);
    /* Messages until told to end, or until the benchmark itself is gone. */
    for (;;) {
        r = MsgWaitForMultipleObjects(1, &gui_parent, FALSE, INFINITE, QS_ALLINPUT);
        if (r == WAIT_OBJECT_0)
            return 0;
        while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
            if (m.message == WM_QUIT)
                return (DWORD)m.wParam;
            TranslateMessage(&m);
            DispatchMessageW(&m);
        }
    }
}

int wmain(int argc, WCHAR **argv)
{
    if (argc >= 2 && !wcscmp(argv[1], L"hold"))
        return (int)mode_hold(argc, argv);
    if (argc >= 2 && !wcscmp(argv[1], L"gui"))
        return (int)mode_gui(argc, argv);
    return ERROR_BAD_ARGUMENTS;
}
