/*
 * filter_buffer.h - the bytes RmGetFilterList writes into the caller's buffer, laid out
 * without any Win32 dependency so that the writer builds and is fuzzed on Linux
 * (fuzz/fuzz_filters.c). filters.c checks at compile time that this layout is
 * RM_FILTER_INFO's.
 *
 * RM_FILTER_INFO: FilterAction at 0, FilterTrigger at 4, cbNextOffset at 8, then a union
 * (a string pointer, or RM_UNIQUE_PROCESS: PID, creation time low, high) at the first
 * pointer-aligned offset: 12 on x86 (24 bytes in all), 16 on x64 (32 bytes).
 */
#ifndef RM_ENGINE_FILTER_BUFFER_H
#define RM_ENGINE_FILTER_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#define RM_FILTER_INFO_UNION   (sizeof(void *) == 8 ? 16u : 12u)
#define RM_FILTER_INFO_BYTES   (sizeof(void *) == 8 ? 32u : 24u)

/* One filter as it is written. */
struct rm_filter_out {
    uint32_t action, trigger;
    const uint16_t *name;               /* NUL-terminated; NULL for a process */
    uint32_t pid, start_low, start_high;
};

/* Fills *out with filter i of ctx (0 <= i < n). */
typedef void (*rm_filter_get_fn)(const void *ctx, unsigned i, struct rm_filter_out *out);

enum rm_filter_write_result { RM_FILTERS_WRITTEN, RM_FILTERS_MORE_DATA, RM_FILTERS_TOO_LARGE };

/*
 * Writes n filters into buf (cap bytes; it may be unaligned). Each record is followed by its
 * string, to which its pointer points; records start at multiples of the pointer size from
 * buf; the last one's cbNextOffset is 0. *needed receives the bytes the list takes (with
 * no padding after the last string). RM_FILTERS_MORE_DATA when cap is smaller, or buf is
 * NULL: nothing is written. RM_FILTERS_TOO_LARGE when the list needs more than 4 GiB.
 */
enum rm_filter_write_result rm_filter_buffer_write(rm_filter_get_fn get, const void *ctx,
                                                   unsigned n, uint8_t *buf, uint32_t cap,
                                                   uint32_t *needed);

#endif
