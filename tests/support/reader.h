/* reader.h - an independent look at a session's shared store, by key, through the core's
 * reader: what the primary would see of every process's registrations. */
#ifndef RM_TEST_READER_H
#define RM_TEST_READER_H
#include "engine/engine.h"
DWORD tu_read_session(const WCHAR *key, struct rm_registrations *out);
#endif
