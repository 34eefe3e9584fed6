/* reader.c - see reader.h. */
#include <string.h>

#include "reader.h"

DWORD tu_read_session(const WCHAR *key, struct rm_registrations *out)
{
    struct rm_store store;
    DWORD err;

    memset(out, 0, sizeof(*out));
    if ((err = rm_store_open(&store, key)))
        return err;
    err = rm_registrations_refresh(out, &store);
    rm_store_close(&store);
    return err;
}
