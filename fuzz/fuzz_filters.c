/*
 * fuzz_filters.c - libFuzzer target: RmGetFilterList's writer with any list of filters and
 * any buffer size. The buffer is an exact-size heap block (AddressSanitizer catches a
 * write past it) filled with a pattern; the result is then walked as a caller would walk
 * it, independently of the writer: every record in bounds, linked by cbNextOffset,
 * pointer-aligned from the buffer's start, its string inside the buffer and equal to the
 * filter's name; on ERROR_MORE_DATA not one byte changed.
 *
 * Input: 2 bytes of buffer size, then per filter: kind, action, name length, name units.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/filter_buffer.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_FILTERS 64
#define MAX_NAME 80

struct list {
    struct rm_filter_out items[MAX_FILTERS];
    uint16_t names[MAX_FILTERS][MAX_NAME + 1];
    unsigned n;
};

static void get(const void *ctx, unsigned i, struct rm_filter_out *out)
{
    *out = ((const struct list *)ctx)->items[i];
}

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static size_t units(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void decode(const uint8_t *data, size_t size, struct list *l)
{
    size_t at = 2;
    unsigned len, k;

    memset(l, 0, sizeof(*l));
    while (at + 3 <= size && l->n < MAX_FILTERS) {
        struct rm_filter_out *f = &l->items[l->n];
        uint8_t kind = data[at] % 3;
        f->action = data[at + 1];
        len = data[at + 2] % (MAX_NAME + 1);
        at += 3;
        f->trigger = kind + 1;  /* file, process, service */
        if (kind == 1) {
            f->pid = at + 12 <= size ? get_u32(data + at) : 7;
            f->start_low = at + 12 <= size ? get_u32(data + at + 4) : 8;
            f->start_high = at + 12 <= size ? get_u32(data + at + 8) : 9;
            at += 12;
        } else {
            for (k = 0; k < len && at + 2 <= size; k++, at += 2) {
                uint16_t c = (uint16_t)(data[at] | data[at + 1] << 8);
                l->names[l->n][k] = c ? c : 'x';  /* names come from C strings */
            }
            l->names[l->n][k] = 0;
            f->name = l->names[l->n];
        }
        l->n++;
    }
}

/* Walks what was written as a caller would. */
static void walk(const struct list *l, const uint8_t *buf, uint32_t needed)
{
    size_t at = 0;
    unsigned i;

    for (i = 0; i < l->n; i++) {
        const struct rm_filter_out *f = &l->items[i];
        uint32_t next;

        CHECK(at % sizeof(void *) == 0);
        CHECK(at + RM_FILTER_INFO_BYTES <= needed);
        CHECK(get_u32(buf + at) == f->action);
        CHECK(get_u32(buf + at + 4) == f->trigger);
        next = get_u32(buf + at + 8);
        if (f->name) {
            const uint8_t *text;
            size_t n = units(f->name);
            memcpy(&text, buf + at + RM_FILTER_INFO_UNION, sizeof(text));
            CHECK(text == buf + at + RM_FILTER_INFO_BYTES);
            CHECK((size_t)(text - buf) + (n + 1) * 2 <= needed);
            CHECK(!memcmp(text, f->name, (n + 1) * 2));
        } else {
            CHECK(get_u32(buf + at + RM_FILTER_INFO_UNION) == f->pid);
            CHECK(get_u32(buf + at + RM_FILTER_INFO_UNION + 4) == f->start_low);
            CHECK(get_u32(buf + at + RM_FILTER_INFO_UNION + 8) == f->start_high);
        }
        if (i + 1 == l->n) {
            CHECK(next == 0);
        } else {
            CHECK(next >= RM_FILTER_INFO_BYTES && next % sizeof(void *) == 0);
            at += next;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct list l;
    uint32_t cap, needed = 0xdeadbeef, i;
    enum rm_filter_write_result r;
    uint8_t *buf;

    if (size < 2)
        return 0;
    cap = (uint32_t)(data[0] | data[1] << 8) % 16384;
    decode(data, size, &l);
    buf = malloc(cap ? cap : 1);
    if (!buf)
        return 0;
    memset(buf, 0xA5, cap ? cap : 1);

    r = rm_filter_buffer_write(get, &l, l.n, cap ? buf : NULL, cap, &needed);
    CHECK(r == RM_FILTERS_WRITTEN || r == RM_FILTERS_MORE_DATA);
    CHECK(needed != 0xdeadbeef);
    CHECK((needed == 0) == (l.n == 0));
    if (r == RM_FILTERS_MORE_DATA) {
        CHECK(needed > cap || !cap);
        for (i = 0; i < cap; i++)
            CHECK(buf[i] == 0xA5);  /* nothing written */
    } else {
        CHECK(needed <= cap);
        walk(&l, buf, needed);
    }
    free(buf);
    return 0;
}
