/*
 * key_text.h - the text form of a session key, checked without any Win32 dependency so
 * that it builds and is fuzzed on Linux (fuzz/fuzz_key.c).
 */
#ifndef RM_SESSION_KEY_TEXT_H
#define RM_SESSION_KEY_TEXT_H

#include <stdint.h>

#include "layout.h"

/* Checks a caller's key: 32 hex digits (either case) followed by NUL. Reads at most
 * RM_KEY_CHARS + 1 units, stopping at the first bad one. Returns 1 and writes the
 * lower-case form (NUL-terminated) to out, or 0 and leaves out unspecified. */
int rm_key_text_parse(const uint16_t *in, uint16_t out[RM_KEY_CHARS + 1]);

#endif
