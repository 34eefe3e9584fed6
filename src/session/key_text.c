/*
 * key_text.c - the text form of a session key (see key_text.h). Plain C: it parses what a
 * caller hands RmJoinSession, which may be anything.
 */
#include "key_text.h"

int rm_key_text_parse(const uint16_t *in, uint16_t out[RM_KEY_CHARS + 1])
{
    unsigned i;

    /* Reads at most CCH_RM_SESSION_KEY + 1 units: the caller's buffer size. */
    for (i = 0; i < RM_KEY_CHARS; i++) {
        uint16_t c = in[i];
        if (c >= 'A' && c <= 'F')
            c = (uint16_t)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
        out[i] = c;
    }
    if (in[RM_KEY_CHARS] != 0)
        return 0;
    out[RM_KEY_CHARS] = 0;
    return 1;
}
