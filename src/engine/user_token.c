/*
 * user_token.c - restarting an app as the user it ran as, never above the level it ran at
 * (spec §10.5 d, e; RmRestart's documentation: it does not restart apps that run elevated
 * or that do not run as the logged-on user).
 *
 * Before an app is stopped, its token is compared with the caller's:
 *  - another user (a "Run as" process, or any other account): not restarted;
 *  - elevated: not restarted (under Wine, where every process runs with the user's full
 *    token unless started otherwise, it is restarted with its own token: sys/wine.c);
 *  - the caller's user, elevation and integrity level: started as the caller, which gives
 *    it the same (no privilege needed);
 *  - otherwise (an elevated installer and the user's ordinary editor): started with a
 *    primary copy of its own token, by CreateProcessAsUserW, or where that needs a
 *    privilege the caller lacks, CreateProcessWithTokenW (Windows only). When neither may,
 *    it is ErrorOnRestart: never started with more than it had.
 * A token we cannot read tells us none of this, so such an app is not restarted either.
 */
#include "engine.h"
#include "../sys/wine.h"

struct token_facts {
    BYTE user[SECURITY_MAX_SID_SIZE];
    BOOL elevated;
    DWORD integrity;    /* the RID of its mandatory label; 0 if it has none */
};

static BOOL read_facts(HANDLE token, struct token_facts *f)
{
    const struct rm_sys *os = rm_sys();
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    BYTE label[sizeof(TOKEN_MANDATORY_LABEL) + SECURITY_MAX_SID_SIZE];
    TOKEN_MANDATORY_LABEL *ml = (TOKEN_MANDATORY_LABEL *)label;
    TOKEN_ELEVATION elevation;
    DWORD len;

    ZeroMemory(f, sizeof(*f));
    if (!os->GetTokenInformation(token, TokenUser, buf, sizeof(buf), &len) ||
        !CopySid(sizeof(f->user), f->user, ((TOKEN_USER *)buf)->User.Sid) ||
        !os->GetTokenInformation(token, TokenElevation, &elevation, sizeof(elevation), &len))
        return FALSE;
    f->elevated = elevation.TokenIsElevated != 0;
    if (os->GetTokenInformation(token, TokenIntegrityLevel, label, sizeof(label), &len) &&
        *GetSidSubAuthorityCount(ml->Label.Sid))
        f->integrity = *GetSidSubAuthority(ml->Label.Sid, *GetSidSubAuthorityCount(ml->Label.Sid) - 1u);
    return TRUE;
}

static BOOL token_facts_of(HANDLE process, DWORD access, struct token_facts *f, HANDLE *token)
{
    BOOL ok;
    if (!rm_sys()->OpenProcessToken(process, access, token))
        return FALSE;
    if (!(ok = read_facts(*token, f))) {
        rm_sys()->CloseHandle(*token);
        *token = NULL;
    }
    return ok;
}

enum rm_run_as rm_user_token_capture(HANDLE process, HANDLE *token)
{
    struct token_facts app, me;
    HANDLE t = NULL, mine = NULL;
    enum rm_run_as as = RM_RUN_AS_NOBODY;

    *token = NULL;
    if (!token_facts_of(process, TOKEN_QUERY | TOKEN_DUPLICATE, &app, &t))
        return RM_RUN_AS_NOBODY;
    if (!token_facts_of(GetCurrentProcess(), TOKEN_QUERY, &me, &mine)) {
        rm_sys()->CloseHandle(t);
        return RM_RUN_AS_NOBODY;
    }
    rm_sys()->CloseHandle(mine);
    if (!EqualSid(app.user, me.user))
        as = RM_RUN_AS_NOBODY;  /* (e) not the user: never started as anyone else */
    else if (app.elevated && !rm_wine_elevated_by_default())
        as = RM_RUN_AS_NOBODY;  /* (d) */
    else if (app.elevated == me.elevated && app.integrity == me.integrity)
        as = RM_RUN_AS_CALLER;
    else if (rm_sys()->DuplicateTokenEx(t, TOKEN_QUERY | TOKEN_DUPLICATE | TOKEN_ASSIGN_PRIMARY |
                                           TOKEN_ADJUST_DEFAULT | TOKEN_ADJUST_SESSIONID,
                                        NULL, SecurityImpersonation, TokenPrimary, token))
        as = RM_RUN_AS_TOKEN;
    rm_sys()->CloseHandle(t);
    return as;
}

BOOL rm_user_token_start(HANDLE token, const WCHAR *image, WCHAR *cmd, DWORD flags,
                         const WCHAR *dir, STARTUPINFOW *si, PROCESS_INFORMATION *pi)
{
    const struct rm_sys *os = rm_sys();

    flags |= CREATE_UNICODE_ENVIRONMENT;
    if (!token)
        return os->CreateProcessW(image, cmd, NULL, NULL, FALSE, flags, NULL, dir, si, pi);
    if (os->CreateProcessAsUserW(token, image, cmd, NULL, NULL, FALSE, flags, NULL, dir, si, pi))
        return TRUE;
    /* A token that is not ours to assign needs SeAssignPrimaryTokenPrivilege; an elevated
     * installer holds SeImpersonatePrivilege, which CreateProcessWithTokenW asks for. */
    if (GetLastError() != ERROR_PRIVILEGE_NOT_HELD ||
        rm_wine_ignores_token_of_create_process_with_token())
        return FALSE;
    return os->CreateProcessWithTokenW(token, 0, image, cmd, flags, NULL, dir, si, pi);
}
