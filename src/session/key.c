/*
 * key.c - session keys: 128 bits from the system's cryptographic generator, written as 32
 * lower-case hex digits. A joiner proves it was told the key; nothing else admits it.
 */
#include "../rm.h"

#include <bcrypt.h>

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

DWORD rm_key_parse(const WCHAR *in, WCHAR key[RM_KEY_CHARS + 1])
{
    unsigned i;

    /* Reads at most CCH_RM_SESSION_KEY + 1 characters: the caller's buffer size. */
    for (i = 0; i < RM_KEY_CHARS; i++) {
        WCHAR c = in[i];
        if (c >= L'A' && c <= L'F')
            c = (WCHAR)(c - L'A' + L'a');
        if (!((c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'f')))
            return ERROR_BAD_ARGUMENTS;
        key[i] = c;
    }
    if (in[RM_KEY_CHARS] != 0)
        return ERROR_BAD_ARGUMENTS;
    key[RM_KEY_CHARS] = 0;
    return ERROR_SUCCESS;
}
