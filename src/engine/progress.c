/*
 * progress.c - one running RmShutdown or RmRestart: its status callback (0 first, then
 * rising, 100 last) and RmCancelCurrentTask's request, checked at every safe point and
 * inside every wait.
 */
#include "engine.h"

/* How often a wait looks for a cancel request. */
#define CANCEL_SLICE_MS 50

static void report(struct rm_run *run, UINT percent)
{
    if (percent < run->reported)
        return;  /* never backwards */
    run->reported = percent;
    if (run->callback)
        run->callback(percent);
}

void rm_run_begin(struct rm_run *run, struct rm_task *t, RM_WRITE_STATUS_CALLBACK cb)
{
    ZeroMemory(run, sizeof(*run));
    run->task = t;
    run->callback = cb;
    rm_bounds_get(&run->bounds);
    /* A cancel that came while no call ran is not this call's. */
    InterlockedExchange(&t->cancel, 0);
    if (cb)
        cb(0);
}

void rm_run_set_steps(struct rm_run *run, unsigned steps)
{
    run->steps = steps;
    run->done = 0;
}

void rm_run_step(struct rm_run *run)
{
    if (run->done < run->steps)
        run->done++;
    /* 1..99 while working: 100 belongs to the end. */
    report(run, 1 + (UINT)((98ull * run->done) / (run->steps ? run->steps : 1)));
}

void rm_run_end(struct rm_run *run)
{
    report(run, 100);
}

BOOL rm_run_cancelled(const struct rm_run *run)
{
    return InterlockedCompareExchange(&run->task->cancel, 0, 0) != 0;
}

BOOL rm_run_wait_exit(const struct rm_run *run, HANDLE process, DWORD ms)
{
    DWORD start = GetTickCount(), waited, r;

    for (;;) {
        waited = GetTickCount() - start;
        if (waited >= ms)
            return rm_sys()->WaitForSingleObject(process, 0) == WAIT_OBJECT_0;
        r = rm_sys()->WaitForSingleObject(process, min(ms - waited, CANCEL_SLICE_MS));
        if (r == WAIT_OBJECT_0)
            return TRUE;
        if (r != WAIT_TIMEOUT || rm_run_cancelled(run))
            return FALSE;
    }
}
