/* test_layout.c - the shared-memory formats: records round-trip, damage is refused. */
#include <string.h>

#include "testutil.h"
#include "session/layout.h"

static uint16_t text_buf[RM_RECORD_MAX_CHARS + 1];

static void test_record_text_roundtrip(void **state)
{
    static const uint16_t name[] = {'C', ':', '\\', 'a', '.', 'd', 'l', 'l'};
    uint8_t log[256];
    struct rm_record rec;
    uint32_t used, offset = 0;
    (void)state;

    used = rm_record_put_text(log, RM_RECORD_FILE, name, 8);
    assert_int_equal(used, rm_record_text_size(8));
    assert_int_equal(used % 4, 0);
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 1);
    assert_int_equal(rec.kind, RM_RECORD_FILE);
    assert_int_equal(rec.nchars, 8);
    assert_memory_equal(rec.text, name, sizeof(name));
    assert_int_equal(rec.text[8], 0);
    assert_int_equal(offset, used);
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 0);
}

static void test_record_process_roundtrip(void **state)
{
    uint8_t log[64];
    struct rm_record rec;
    uint32_t used = 0, offset = 0;
    static const uint16_t svc[] = {'s', 'v', 'c'};
    (void)state;

    used += rm_record_put_process(log, 1234, 0x11111111, 0x22222222);
    used += rm_record_put_text(log + used, RM_RECORD_SERVICE, svc, 3);
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 1);
    assert_int_equal(rec.kind, RM_RECORD_PROCESS);
    assert_int_equal(rec.pid, 1234);
    assert_int_equal(rec.start_low, 0x11111111);
    assert_int_equal(rec.start_high, 0x22222222);
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 1);
    assert_int_equal(rec.kind, RM_RECORD_SERVICE);
    assert_int_equal(rec.nchars, 3);
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 0);
}

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void test_record_damage_is_refused(void **state)
{
    static const uint16_t name[] = {'x', 'y'};
    uint8_t log[64], bad[64];
    struct rm_record rec;
    uint32_t used, offset;
    (void)state;

    used = rm_record_put_text(log, RM_RECORD_FILE, name, 2);

    /* A log cut in the middle of a record. */
    offset = 0;
    assert_int_equal(rm_record_next(log, used - 4, &offset, &rec, text_buf), -1);
    assert_int_equal(offset, 0);
    /* A size that is not a multiple of 4, one past the end, one too small. */
    memcpy(bad, log, used); put_u32(bad + 4, used + 1); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    memcpy(bad, log, used); put_u32(bad + 4, used + 4); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    memcpy(bad, log, used); put_u32(bad + 4, 4); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    /* A character count that disagrees with the size, zero, or huge. */
    memcpy(bad, log, used); put_u32(bad + 8, 3); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    memcpy(bad, log, used); put_u32(bad + 8, 0); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    memcpy(bad, log, used); put_u32(bad + 8, 0xFFFFFFFF); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    /* An embedded NUL, an unknown kind. */
    memcpy(bad, log, used); bad[12] = 0; bad[13] = 0; offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    memcpy(bad, log, used); put_u32(bad, 99); offset = 0;
    assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
    /* An offset past the end. */
    offset = used + 4;
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), -1);
}

static void test_store_header_checks(void **state)
{
    struct rm_store_header h;
    struct rm_store_info info;
    (void)state;

    rm_store_header_init(&h, RM_STORE_SIZE, 42, 1, 2);
    assert_int_equal(rm_store_header_read(&h, RM_STORE_SIZE, &info), 1);
    assert_int_equal(info.state, RM_STORE_OPEN);
    assert_int_equal(info.owner_pid, 42);
    assert_int_equal(info.used, 0);

    h.used = h.capacity + 4;
    assert_int_equal(rm_store_header_read(&h, RM_STORE_SIZE, &info), 0);
    h.used = 6;  /* not a multiple of 4 */
    assert_int_equal(rm_store_header_read(&h, RM_STORE_SIZE, &info), 0);
    h.used = 0; h.state = 7;
    assert_int_equal(rm_store_header_read(&h, RM_STORE_SIZE, &info), 0);
    h.state = RM_STORE_OPEN; h.magic ^= 1;
    assert_int_equal(rm_store_header_read(&h, RM_STORE_SIZE, &info), 0);
    h.magic ^= 1; h.capacity = RM_STORE_SIZE;  /* claims more than the section has */
    assert_int_equal(rm_store_header_read(&h, RM_STORE_SIZE, &info), 0);
}

static void test_directory_header(void **state)
{
    struct rm_dir dir;
    (void)state;

    memset(&dir, 0, sizeof(dir));
    assert_int_equal(rm_dir_is_valid(&dir), 0);
    rm_dir_init(&dir);
    assert_int_equal(rm_dir_is_valid(&dir), 1);
    assert_int_equal(dir.nslots, 64);
    dir.nslots = 65;
    assert_int_equal(rm_dir_is_valid(&dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_text_roundtrip),
        cmocka_unit_test(test_record_process_roundtrip),
        cmocka_unit_test(test_record_damage_is_refused),
        cmocka_unit_test(test_store_header_checks),
        cmocka_unit_test(test_directory_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
