/*
 * key.c - session keys: 128 bits from the system's cryptographic generator, written as 32
 * lower-case hex digits. A joiner proves it was told the key; nothing else admits it.
 * Parsing a caller's key is plain C, in key_text.c.
 */
#include "session.h"

#include <bcrypt.h>

#include "key_text.h"

DWORD rm_key_generate(WCHAR key[RM_KEY_CHARS + 1])
{
    static const WCHAR hex[] = L"0123456789abcdef";
    UCHAR bytes[RM_KEY_CHARS / 2];
    NTSTATUS status;
    unsigned i;

    status = BCryptGenRandom(NULL, bytes, sizeof(bytes), BCRYPT_USE_SYSTEM_PREFERRED_RNG);
    if (status != 0)
        return RM_FAIL(ERROR_WRITE_FAULT, "BCryptGenRandom");
    for (i = 0; i < sizeof(bytes); i++) {
        key[2 * i] = hex[bytes[i] >> 4];
        key[2 * i + 1] = hex[bytes[i] & 15];
    }
    key[RM_KEY_CHARS] = 0;
    SecureZeroMemory(bytes, sizeof(bytes));
    return ERROR_SUCCESS;
}

_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "WCHAR is 16 bits");

DWORD rm_key_parse(const WCHAR *in, WCHAR key[RM_KEY_CHARS + 1])
{
    /* WCHAR is a 16-bit unsigned type with mingw-w64, as uint16_t is. */
    return rm_key_text_parse((const uint16_t *)in, (uint16_t *)key) ? ERROR_SUCCESS
                                                                     : ERROR_BAD_ARGUMENTS;
}
