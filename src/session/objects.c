/*
 * objects.c - names and locks of the kernel objects that sessions share between processes.
 *
 * Every name is "Local\RstrtMgr.<layout version>.<user SID>.<what>": per logon session
 * (Local\) and per user, so two users on one desktop never meet, and a DLL with another
 * shared layout never reads ours.
 */
#include <stdio.h>

#include "session.h"

DWORD rm_object_name(WCHAR *name, const WCHAR *what)
{
    const struct rm_security *sec;
    DWORD err = rm_security_get(&sec);
    int n;

    if (err)
        return err;
    n = _snwprintf(name, RM_OBJECT_NAME_CHARS, L"Local\\RstrtMgr.%u.%ls.%ls",
                   RM_STORE_VERSION, sec->user_sid, what);
    if (n < 0 || n >= RM_OBJECT_NAME_CHARS)
        return RM_FAIL(ERROR_BUFFER_OVERFLOW, "object name");
    return ERROR_SUCCESS;
}

DWORD rm_object_mutex(const WCHAR *what, BOOL create, HANDLE *out)
{
    WCHAR name[RM_OBJECT_NAME_CHARS];
    const struct rm_security *sec;
    DWORD err = rm_object_name(name, what);

    *out = NULL;
    if (err || (err = rm_security_get(&sec)))
        return err;
    if (create)
        *out = CreateMutexW((SECURITY_ATTRIBUTES *)&sec->attrs, FALSE, name);
    else
        *out = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, name);
    if (!*out)
        return GetLastError();
    return ERROR_SUCCESS;
}

DWORD rm_object_lock(HANDLE mutex)
{
    switch (WaitForSingleObject(mutex, RM_LOCK_TIMEOUT_MS)) {
    case WAIT_OBJECT_0:
        return ERROR_SUCCESS;
    case WAIT_ABANDONED:
        /* The holder died. Writers publish with one store of the commit point after
         * their data, so what it left is consistent: carry on. */
        rm_trace("a session mutex was abandoned by a dead process");
        return ERROR_SUCCESS;
    case WAIT_TIMEOUT:
        return RM_FAIL(ERROR_SEM_TIMEOUT, "session mutex wait");
    default:
        return RM_FAIL(GetLastError(), "WaitForSingleObject");
    }
}

void rm_object_unlock(HANDLE mutex)
{
    ReleaseMutex(mutex);
}
