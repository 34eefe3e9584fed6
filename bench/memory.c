/*
 * memory.c - how much memory the calling process needs while a call runs: its private
 * bytes (PagefileUsage of GetProcessMemoryInfo) just before the call, and the highest
 * value seen during it.
 *
 * On Windows, PagefileUsage is the process's commit charge (its private bytes, the same
 * as PrivateUsage) and PeakPagefileUsage its peak, exact when the call sets a new one.
 * Wine quirk (measured): PagefileUsage is the resident anonymous memory read from /proc
 * (pages touched, not pages committed), PeakPagefileUsage is the same number (no real
 * peak) and PrivateUsage is 0. So a thread also samples PagefileUsage every millisecond;
 * under Wine that is what the figure rests on, and a peak shorter than a sample can be
 * missed.
 */
#include "bench.h"

#include <psapi.h>

struct sampler {
    HANDLE started, stop;
    SIZE_T peak;
};

static SIZE_T private_now(SIZE_T *peak_commit)
{
    PROCESS_MEMORY_COUNTERS_EX c;

    ZeroMemory(&c, sizeof(c));
    c.cb = sizeof(c);
    GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&c, sizeof(c));
    if (peak_commit)
        *peak_commit = c.PeakPagefileUsage;
    return c.PagefileUsage;
}

static DWORD WINAPI sample(void *arg)
{
    struct sampler *s = arg;
    SIZE_T now;

    SetEvent(s->started);
    do {
        now = private_now(NULL);
        if (now > s->peak)
            s->peak = now;
    } while (WaitForSingleObject(s->stop, 1) == WAIT_TIMEOUT);
    return 0;
}

DWORD bench_memory_during(DWORD (*fn)(void *), void *arg, struct bench_memory *out)
{
    struct sampler s;
    SIZE_T peak_before, peak_after, after;
    HANDLE thread;
    DWORD err;

    ZeroMemory(out, sizeof(*out));
    ZeroMemory(&s, sizeof(s));
    if (!(s.stop = CreateEventW(NULL, TRUE, FALSE, NULL)) ||
        !(s.started = CreateEventW(NULL, TRUE, FALSE, NULL)) ||
        !(thread = CreateThread(NULL, 0, sample, &s, 0, NULL))) {
        err = GetLastError();
        if (s.stop)
            CloseHandle(s.stop);
        if (s.started)
            CloseHandle(s.started);
        return err;
    }
    /* "Before" once the sampler runs: its own thread is not the call's memory. */
    WaitForSingleObject(s.started, INFINITE);
    out->before = private_now(&peak_before);
    err = fn(arg);
    SetEvent(s.stop);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(s.stop);
    CloseHandle(s.started);
    after = private_now(&peak_after);
    out->peak = s.peak > after ? s.peak : after;
    if (out->peak < out->before)
        out->peak = out->before;
    /* A commit peak that rose during the call was set by it. */
    if (peak_after > peak_before && peak_after > out->peak)
        out->peak = peak_after;
    return err;
}

/* Lives long enough for the sampler to see it (the inspector of a call lives far longer). */
static DWORD WINAPI nothing(void *arg)
{
    (void)arg;
    Sleep(50);
    return 0;
}

static DWORD one_thread(void *arg)
{
    HANDLE t = CreateThread(NULL, 64 * 1024, nothing, arg, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (!t)
        return GetLastError();
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    return ERROR_SUCCESS;
}

DWORD bench_memory_of_thread(unsigned reps, SIZE_T *bytes)
{
    struct bench_memory mem;
    DWORD err = ERROR_SUCCESS;
    unsigned i;

    *bytes = 0;
    for (i = 0; i < reps && !err; i++)
        if (!(err = bench_memory_during(one_thread, NULL, &mem)) && mem.peak - mem.before > *bytes)
            *bytes = mem.peak - mem.before;
    return err;
}
