/*
 * filter_buffer.c - RmGetFilterList's records in the caller's buffer (see filter_buffer.h).
 * Plain C: sizes are computed in size_t with a bound, and every byte is written with
 * memcpy, so neither an odd buffer size nor an unaligned buffer can make it write outside
 * [buf, buf + cap).
 */
#include <string.h>

#include "filter_buffer.h"

#define ALIGN sizeof(void *)

static size_t align_up(size_t n)
{
    return (n + ALIGN - 1) & ~(ALIGN - 1);
}

static size_t text_units(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Bytes of one record with its string, before padding to the next record. */
static size_t record_size(const struct rm_filter_out *f)
{
    size_t n = RM_FILTER_INFO_BYTES;
    if (f->name)
        n += (text_units(f->name) + 1) * sizeof(uint16_t);
    return n;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

enum rm_filter_write_result rm_filter_buffer_write(rm_filter_get_fn get, const void *ctx,
                                                   unsigned n, uint8_t *buf, uint32_t cap,
                                                   uint32_t *needed)
{
    struct rm_filter_out f;
    size_t total = 0, at = 0, size;
    unsigned i;

    for (i = 0; i < n; i++) {
        get(ctx, i, &f);
        total = align_up(total) + record_size(&f);
        if (total > UINT32_MAX)
            return RM_FILTERS_TOO_LARGE;  /* more than any DWORD-sized buffer could take */
    }
    *needed = (uint32_t)total;
    if (total > cap || (total && !buf))
        return RM_FILTERS_MORE_DATA;  /* nothing written: the caller retries with *needed */
    for (i = 0; i < n; i++) {
        get(ctx, i, &f);
        size = record_size(&f);
        memset(buf + at, 0, RM_FILTER_INFO_BYTES);
        put_u32(buf + at, f.action);
        put_u32(buf + at + 4, f.trigger);
        put_u32(buf + at + 8, i + 1 < n ? (uint32_t)align_up(size) : 0);
        if (f.name) {
            uint8_t *text = buf + at + RM_FILTER_INFO_BYTES;
            memcpy(buf + at + RM_FILTER_INFO_UNION, &text, sizeof(text));
            memcpy(text, f.name, size - RM_FILTER_INFO_BYTES);
        } else {
            put_u32(buf + at + RM_FILTER_INFO_UNION, f.pid);
            put_u32(buf + at + RM_FILTER_INFO_UNION + 4, f.start_low);
            put_u32(buf + at + RM_FILTER_INFO_UNION + 8, f.start_high);
        }
        at += align_up(size);
    }
    return RM_FILTERS_WRITTEN;
}
