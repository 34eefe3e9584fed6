/*
 * bounds.c - how long the engine waits. Short defaults, so that an installer never
 * stalls for long on an app that will not answer; the registry values Windows' own
 * shutdown uses for the same waits override them, within the real DLL's forced bounds
 * (30 s for apps, 20 s for services).
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_QUERY_MS 5000
#define DEFAULT_APP_MS 10000
#define DEFAULT_SERVICE_MS 20000
#define MIN_MS 100
#define MAX_APP_MS 30000
#define MAX_SERVICE_MS 20000

/* A number of milliseconds stored as REG_SZ (as Windows does) or REG_DWORD. */
static DWORD read_ms(HKEY root, const WCHAR *key, const WCHAR *value, DWORD fallback, DWORD max)
{
    WCHAR text[32];
    DWORD size = sizeof(text) - sizeof(WCHAR), type, ms;

    ZeroMemory(text, sizeof(text));
    if (rm_sys()->RegGetValueW(root, key, value, RRF_RT_REG_SZ | RRF_RT_REG_DWORD, &type, text, &size))
        return fallback;
    if (type == REG_DWORD)
        memcpy(&ms, text, sizeof(ms));
    else
        ms = (DWORD)wcstoul(text, NULL, 10);
    if (ms < MIN_MS)
        return MIN_MS;
    return ms > max ? max : ms;
}

void rm_bounds_get(struct rm_bounds *b)
{
    b->query_ms = read_ms(HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"HungAppTimeout",
                          DEFAULT_QUERY_MS, MAX_APP_MS);
    b->app_ms = read_ms(HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"WaitToKillAppTimeout",
                        DEFAULT_APP_MS, MAX_APP_MS);
    b->service_ms = read_ms(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Control",
                            L"WaitToKillServiceTimeout", DEFAULT_SERVICE_MS, MAX_SERVICE_MS);
}
