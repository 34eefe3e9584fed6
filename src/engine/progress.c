/*
 * progress.c - one running RmShutdown or RmRestart: its status callback (0 first, then
 * rising, 100 last) and RmCancelCurrentTask's request, checked at every safe point and
 * inside every wait; and the calls in flight on a handle, which a cancel reaches.
 */
#include "engine.h"

/* How often a wait looks for a cancel request. */
#define CANCEL_SLICE_MS 50

void rm_call_begin(struct rm_task *t, struct rm_call *c)
{
    c->cancel = 0;
    AcquireSRWLockExclusive(&t->calls_lock);
    c->next = t->calls;
    t->calls = c;
    ReleaseSRWLockExclusive(&t->calls_lock);
}

void rm_call_end(struct rm_task *t, struct rm_call *c)
{
    struct rm_call **at;

    AcquireSRWLockExclusive(&t->calls_lock);
    for (at = &t->calls; *at; at = &(*at)->next)
        if (*at == c) {
            *at = c->next;
            break;
        }
    ReleaseSRWLockExclusive(&t->calls_lock);
}

void rm_task_cancel(struct rm_task *t)
{
    struct rm_call *c;

    AcquireSRWLockShared(&t->calls_lock);
    for (c = t->calls; c; c = c->next)
        InterlockedExchange(&c->cancel, 1);
    ReleaseSRWLockShared(&t->calls_lock);
}

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
    run->cancel = t->cancel ? t->cancel : &run->never_cancelled;
    rm_bounds_get(&run->bounds);
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
    return InterlockedCompareExchange(run->cancel, 0, 0) != 0;
}

DWORD rm_ms_left(DWORD deadline, DWORD ms)
{
    LONG left = (LONG)(deadline - GetTickCount());
    if (left <= 0)
        return 0;
    return (DWORD)left < ms ? (DWORD)left : ms;
}

DWORD rm_run_wait(const struct rm_run *run, HANDLE object, DWORD ms)
{
    DWORD deadline = GetTickCount() + ms, r;

    for (;;) {
        if (rm_run_cancelled(run))
            return WAIT_ABANDONED;
        r = rm_sys()->WaitForSingleObject(object, rm_ms_left(deadline, CANCEL_SLICE_MS));
        if (r != WAIT_TIMEOUT)
            return r == WAIT_OBJECT_0 ? WAIT_OBJECT_0 : WAIT_ABANDONED;
        if (!rm_ms_left(deadline, ms))
            return WAIT_TIMEOUT;
    }
}

BOOL rm_run_wait_exit(const struct rm_run *run, HANDLE process, DWORD ms)
{
    return rm_run_wait(run, process, ms) == WAIT_OBJECT_0 ||
           rm_sys()->WaitForSingleObject(process, 0) == WAIT_OBJECT_0;
}
