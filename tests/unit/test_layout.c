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

static struct rm_record sample_app(const uint16_t *name, uint32_t nname, const uint16_t *svc,
                                   uint32_t nsvc)
{
    struct rm_record app;
    memset(&app, 0, sizeof(app));
    app.pid = 4242;
    app.start_low = 0x1111;
    app.start_high = 0x2222;
    app.app_type = 3;         /* RmService */
    app.status = 0x0A;        /* Stopped | Restarted */
    app.ts_session = 1;
    app.restartable = 1;
    app.text = (uint16_t *)name;
    app.nchars = nname;
    app.service = (uint16_t *)svc;
    app.nchars_service = nsvc;
    return app;
}

static void test_record_app_roundtrip(void **state)
{
    static const uint16_t name[] = {'E', 'd', 'i', 't'}, svc[] = {'s', 'v', 'c'};
    uint8_t log[256];
    struct rm_record app = sample_app(name, 4, svc, 3), rec;
    uint32_t used, offset = 0;
    (void)state;

    used = rm_record_put_app(log, &app);
    assert_int_equal(used, rm_record_app_size(4, 3));
    assert_int_equal(used % 4, 0);
    used += rm_record_put_app(log + used, &(struct rm_record){ .app_type = 1, .status = 1 });
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 1);
    assert_int_equal(rec.kind, RM_RECORD_APP);
    assert_int_equal(rec.pid, 4242);
    assert_int_equal(rec.start_low, 0x1111);
    assert_int_equal(rec.start_high, 0x2222);
    assert_int_equal(rec.app_type, 3);
    assert_int_equal(rec.status, 0x0A);
    assert_int_equal(rec.ts_session, 1);
    assert_int_equal(rec.restartable, 1);
    assert_int_equal(rec.nchars, 4);
    assert_memory_equal(rec.text, name, sizeof(name));
    assert_int_equal(rec.text[4], 0);
    assert_int_equal(rec.nchars_service, 3);
    assert_memory_equal(rec.service, svc, sizeof(svc));
    assert_int_equal(rec.service[3], 0);
    /* A process with no name and no service reads back empty. */
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 1);
    assert_int_equal(rec.nchars, 0);
    assert_int_equal(rec.nchars_service, 0);
    assert_int_equal(rec.text[0], 0);
    assert_int_equal(offset, used);
}

/* Every field that is not what a writer of this layout puts there is refused. */
static void test_record_app_damage_is_refused(void **state)
{
    static const uint16_t name[] = {'a', 'b'}, svc[] = {'s'};
    static const struct { uint32_t at, value; } damage[] = {
        { 4, 0 },                 /* size too small */
        { 20, 6 },                /* no such RM_APP_TYPE */
        { 20, 999 },
        { 24, 0x100 },            /* a status bit RM_APP_STATUS does not have */
        { 32, 2 },                /* restartable is a BOOL */
        { 36, 3 },                /* name length disagrees with the size */
        { 36, 256 },              /* longer than CCH_RM_MAX_APP_NAME */
        { 40, 0 },                /* service length disagrees with the size */
        { 40, 257 },              /* longer than a service name can be */
        { 44, 0 },                /* an embedded NUL in the name */
        { 48, 0 },                /* ... in the service */
    };
    uint8_t log[128], bad[128];
    struct rm_record app = sample_app(name, 2, svc, 1), rec;
    uint32_t used, offset;
    unsigned i;
    (void)state;

    used = rm_record_put_app(log, &app);
    for (i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
        memcpy(bad, log, used);
        if (damage[i].at >= 44)
            bad[damage[i].at] = bad[damage[i].at + 1] = 0;
        else
            put_u32(bad + damage[i].at, damage[i].value);
        offset = 0;
        assert_int_equal(rm_record_next(bad, used, &offset, &rec, text_buf), -1);
        assert_int_equal(offset, 0);
    }
    /* Cut short. */
    offset = 0;
    assert_int_equal(rm_record_next(log, used - 4, &offset, &rec, text_buf), -1);
    /* Undamaged, it reads. */
    offset = 0;
    assert_int_equal(rm_record_next(log, used, &offset, &rec, text_buf), 1);
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
        cmocka_unit_test(test_record_app_roundtrip),
        cmocka_unit_test(test_record_app_damage_is_refused),
        cmocka_unit_test(test_store_header_checks),
        cmocka_unit_test(test_directory_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
