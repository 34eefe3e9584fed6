/*
 * holders.h - what the tests of RmGetList, the engine, the tools and the samples share:
 * fixture apps that hold a file (started, waited for, and everything that uses a file
 * cleaned up afterwards, restarted copies included), the engine's bounds, RmGetList.
 */
#ifndef RM_HOLDERS_H
#define RM_HOLDERS_H

#include "testutil.h"

struct holder {
    HANDLE process;
    DWORD pid;
    HANDLE ready;
    wchar_t ready_name[64];
};

/* "rmfixture with-file FILE MODE READY": MODE may be "register-restart gui" and the like
 * for an app registered with RegisterApplicationRestart (the only apps Windows restarts). */
struct holder holder_start(const wchar_t *mode, const wchar_t *file);
BOOL holder_running(const struct holder *h);
void holder_end(struct holder *h);
/* Kills every running process RmGetList finds using file (restarted apps too). */
void kill_users_of(const wchar_t *file);

/* Group setup/teardown: the engine's bounds set short (1 s to answer, 3 s to exit or stop)
 * through the registry values it reads (HungAppTimeout, WaitToKillAppTimeout in HKCU,
 * WaitToKillServiceTimeout in HKLM), then each put back as it was, or deleted if it was
 * not there. */
int tu_short_engine_bounds(void **state);
int tu_restore_engine_bounds(void **state);

/* A new session with one file registered; its key in key. */
DWORD tu_session_for(const wchar_t *file, WCHAR key[CCH_RM_SESSION_KEY + 1]);

/* RmGetList's two-call protocol; asserts success; reasons may be NULL. free() the array. */
RM_PROCESS_INFO *tu_get_list(DWORD session, UINT *count, DWORD *reasons);

#endif
