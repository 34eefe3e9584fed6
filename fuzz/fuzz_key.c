/*
 * fuzz_key.c - libFuzzer target: the key a caller hands RmJoinSession.
 *
 * The input fills a heap buffer of exactly CCH_RM_SESSION_KEY + 1 units (the size the API
 * fixes), so AddressSanitizer catches any read past it. The answer is compared with an
 * independent statement of the rule: 32 hex digits, then NUL; out is the lower-case form.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session/key_text.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static int hex_value(uint16_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t units = RM_KEY_CHARS + 1;
    uint16_t *in = malloc(units * sizeof(uint16_t)), out[RM_KEY_CHARS + 1];
    int expect = 1, got;
    size_t i;

    if (!in)
        return 0;
    /* Missing input bytes become 0x4141 ('A' twice): hex, so a short input is a long key. */
    memset(in, 0x41, units * sizeof(uint16_t));
    memcpy(in, data, size < units * sizeof(uint16_t) ? size : units * sizeof(uint16_t));
    for (i = 0; i < RM_KEY_CHARS; i++)
        if (hex_value(in[i]) < 0)
            expect = 0;
    if (in[RM_KEY_CHARS] != 0)
        expect = 0;

    got = rm_key_text_parse(in, out);
    CHECK(got == expect);
    if (got) {
        for (i = 0; i < RM_KEY_CHARS; i++) {
            static const char digits[] = "0123456789abcdef";
            CHECK(out[i] == (uint16_t)digits[hex_value(in[i])]);
        }
        CHECK(out[RM_KEY_CHARS] == 0);
    }
    free(in);
    return 0;
}
