/*
 * holders.h - fixture apps that hold a file, for the tests of the tools and samples:
 * started, waited for, and everything that uses a file cleaned up afterwards (restarted
 * copies included).
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

/* "rmfixture with-file FILE MODE READY [TITLE]" */
struct holder holder_start(const wchar_t *mode, const wchar_t *file);
BOOL holder_running(const struct holder *h);
void holder_end(struct holder *h);
/* Kills every running process RmGetList finds using file (restarted apps too). */
void kill_users_of(const wchar_t *file);

#endif
