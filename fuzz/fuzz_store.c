/*
 * fuzz_store.c - libFuzzer target: a session store as another process may have left it.
 *
 * The input is the whole mapped section (header, then log). Whatever the bytes,
 * rm_store_header_read and rm_record_next must stay inside them (AddressSanitizer), do no
 * undefined arithmetic (UndefinedBehaviorSanitizer), and only hand out records that obey
 * the format: each one re-encodes to a record that reads back the same. The log is also
 * read without the header's say-so, so the record parser sees every input. Every kind is
 * checked, the engine's app records (two texts, a type, status bits) too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session/layout.h"

static uint16_t text_buf[RM_RECORD_MAX_CHARS + 1];
static uint16_t again_buf[RM_RECORD_MAX_CHARS + 1];
static uint8_t encoded[16 + 2 * (RM_RECORD_MAX_CHARS + 2)];

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* A record that was accepted must be well-formed and must survive a round trip. */
static void check_record(const struct rm_record *rec, uint32_t size)
{
    struct rm_record again;
    uint32_t n, off = 0, i;

    if (rec->kind == RM_RECORD_PROCESS) {
        CHECK(size == rm_record_process_size());
        n = rm_record_put_process(encoded, rec->pid, rec->start_low, rec->start_high);
    } else if (rec->kind == RM_RECORD_APP) {
        CHECK(rec->nchars <= RM_RECORD_APP_NAME_CHARS && rec->text[rec->nchars] == 0);
        CHECK(rec->nchars_service <= RM_RECORD_SERVICE_CHARS &&
              rec->service[rec->nchars_service] == 0);
        for (i = 0; i < rec->nchars; i++)
            CHECK(rec->text[i] != 0);
        for (i = 0; i < rec->nchars_service; i++)
            CHECK(rec->service[i] != 0);
        CHECK(!(rec->status & ~RM_RECORD_APP_STATUS_MASK) && rec->restartable <= 1);
        CHECK(rec->app_type <= 5 || rec->app_type == 1000);
        CHECK(size == rm_record_app_size(rec->nchars, rec->nchars_service));
        n = rm_record_put_app(encoded, rec);
    } else {
        CHECK(rec->kind == RM_RECORD_FILE || rec->kind == RM_RECORD_SERVICE);
        CHECK(rec->nchars >= 1 && rec->nchars <= RM_RECORD_MAX_CHARS);
        CHECK(rec->text[rec->nchars] == 0);
        for (i = 0; i < rec->nchars; i++)
            CHECK(rec->text[i] != 0);
        CHECK(size == rm_record_text_size(rec->nchars));
        n = rm_record_put_text(encoded, rec->kind, rec->text, rec->nchars);
    }
    CHECK(n == size && n % 4 == 0);
    CHECK(rm_record_next(encoded, n, &off, &again, again_buf) == 1 && off == n);
    CHECK(again.kind == rec->kind && again.pid == rec->pid &&
          again.start_low == rec->start_low && again.start_high == rec->start_high &&
          again.nchars == rec->nchars && again.app_type == rec->app_type &&
          again.status == rec->status && again.ts_session == rec->ts_session &&
          again.restartable == rec->restartable && again.nchars_service == rec->nchars_service);
    if (rec->nchars)
        CHECK(!memcmp(again.text, rec->text, rec->nchars * 2u));
    if (rec->nchars_service)
        CHECK(!memcmp(again.service, rec->service, rec->nchars_service * 2u));
}

/* Reads a log the way registrations.c does: until its end or the first bad record. The
 * log is copied to a block of exactly `used` bytes, so reading one byte past it is caught. */
static void read_log(const uint8_t *bytes, uint32_t used)
{
    struct rm_record rec;
    uint32_t offset = 0, before;
    uint8_t *log = malloc(used ? used : 1);
    int got;

    if (!log)
        return;
    memcpy(log, bytes, used);
    for (;;) {
        before = offset;
        got = rm_record_next(log, used, &offset, &rec, text_buf);
        CHECK(got >= -1 && got <= 1);
        if (got <= 0) {
            CHECK(offset == before);  /* a refusal never moves the reader */
            CHECK(got == -1 || offset == used);
            free(log);
            return;
        }
        CHECK(offset > before && offset <= used);
        check_record(&rec, offset - before);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rm_store_info info;
    uint32_t map_size;
    uint8_t *copy;

    if (size > (1u << 20))
        return 0;
    map_size = (uint32_t)size;
    /* An exact-size heap copy, so a read past the end is caught at once. */
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);

    if (size >= sizeof(struct rm_dir))
        (void)rm_dir_is_valid((const struct rm_dir *)(void *)copy);
    if (size >= sizeof(struct rm_store_header) &&
        rm_store_header_read((const struct rm_store_header *)(void *)copy, map_size, &info)) {
        CHECK(info.state == RM_STORE_OPEN || info.state == RM_STORE_ENDED);
        CHECK(info.used % 4 == 0 && info.used <= map_size - sizeof(struct rm_store_header));
        read_log(copy + sizeof(struct rm_store_header), info.used);
    }
    read_log(copy, map_size & ~3u);
    free(copy);
    return 0;
}
