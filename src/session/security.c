/*
 * security.c - who we are, and the security descriptor of every named object we create:
 * it admits only the current user and SYSTEM (protected DACL, no inheritance), so that
 * another user can neither read a session's registrations nor join it.
 *
 * Built once per process, on first use (never in DllMain).
 */
#include "session.h"

#include <sddl.h>
#include <stdio.h>

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static struct rm_security security;

static DWORD user_sid_string(WCHAR **out)
{
    HANDLE token = NULL;
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    TOKEN_USER *user = (TOKEN_USER *)buf;
    DWORD len = 0, err = ERROR_SUCCESS;
    WCHAR *sid = NULL;

    *out = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return RM_FAIL(GetLastError(), "OpenProcessToken");
    if (!GetTokenInformation(token, TokenUser, user, sizeof(buf), &len))
        err = RM_FAIL(GetLastError(), "GetTokenInformation");
    else if (!ConvertSidToStringSidW(user->User.Sid, &sid))
        err = RM_FAIL(GetLastError(), "ConvertSidToStringSidW");
    CloseHandle(token);
    if (err)
        return err;
    *out = rm_alloc((wcslen(sid) + 1) * sizeof(WCHAR));
    if (*out)
        wcscpy(*out, sid);
    LocalFree(sid);
    return *out ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
}

/* On failure (*param = the error) it returns FALSE, so that the next call tries again: an
 * allocation that failed once must not fail every later call of the process. */
static BOOL CALLBACK init(INIT_ONCE *o, void *param, void **context)
{
    DWORD *err = param;
    WCHAR sddl[256];
    PSECURITY_DESCRIPTOR sd = NULL;

    (void)o; (void)context;
    if ((*err = user_sid_string(&security.user_sid)))
        return FALSE;
    /* Owner: the user. DACL, protected: full access for the user and for SYSTEM only. */
    _snwprintf(sddl, ARRAYSIZE(sddl), L"O:%lsD:P(A;;GA;;;%ls)(A;;GA;;;SY)",
               security.user_sid, security.user_sid);
    sddl[ARRAYSIZE(sddl) - 1] = 0;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd,
                                                              NULL)) {
        *err = RM_FAIL(GetLastError(), "ConvertStringSecurityDescriptorToSecurityDescriptorW");
        rm_free(security.user_sid);
        security.user_sid = NULL;
        return FALSE;
    }
    /* Kept for the life of the process: every object we create uses it. */
    security.attrs.nLength = sizeof(security.attrs);
    security.attrs.lpSecurityDescriptor = sd;
    security.attrs.bInheritHandle = FALSE;
    return TRUE;
}

DWORD rm_security_get(const struct rm_security **out)
{
    DWORD err = ERROR_SUCCESS;

    InitOnceExecuteOnce(&once, init, &err, NULL);
    *out = err ? NULL : &security;
    return err;
}
