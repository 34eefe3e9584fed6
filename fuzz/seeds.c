/*
 * seeds.c - writes the seed corpus of fuzz_store and fuzz_key with the real encoders, so
 * that the fuzzer starts from inputs that pass every check (scripts/fuzz.sh seed); the
 * filter lists in fuzz_filters' own input format (see fuzz_filters.c).
 * Usage: seeds STORE_DIR KEY_DIR FILTERS_DIR
 */
#include <stdio.h>
#include <string.h>

#include "session/layout.h"

static void write_file(const char *dir, const char *name, const void *bytes, size_t n)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!(f = fopen(path, "wb")) || fwrite(bytes, 1, n, f) != n) {
        perror(path);
        return;
    }
    fclose(f);
}

static uint32_t put_ascii(uint8_t *dst, uint32_t kind, const char *s)
{
    uint16_t text[64];
    uint32_t i, n = (uint32_t)strlen(s);
    for (i = 0; i < n; i++)
        text[i] = (uint16_t)s[i];
    return rm_record_put_text(dst, kind, text, n);
}

/* An app record as the engine writes it: a service (Stopped | Restarted) or a process. */
static uint32_t put_app(uint8_t *dst, const char *service)
{
    static const uint16_t name[] = {'P', 'r', 'i', 'n', 't'};
    uint16_t svc[64];
    struct rm_record app;
    uint32_t i;

    memset(&app, 0, sizeof(app));
    app.pid = 4242;
    app.start_low = 0x1111;
    app.start_high = 0x01d9;
    app.app_type = service ? 3 : 1;
    app.status = service ? 0x0A : 0x11;
    app.restartable = 1;
    app.text = (uint16_t *)name;
    app.nchars = 5;
    for (i = 0; service && service[i]; i++)
        svc[i] = (uint16_t)service[i];
    app.service = svc;
    app.nchars_service = service ? i : 0;
    return rm_record_put_app(dst, &app);
}

/* A section of map bytes: the header, then `used` bytes of records. */
static void store_seed(const char *dir, const char *name, int records, uint32_t state)
{
    static uint8_t map[1024];
    struct rm_store_header h;
    uint8_t *log = map + sizeof(h);
    uint32_t used = 0, count = 0;

    memset(map, 0, sizeof(map));
    if (records > 0) { used += put_ascii(log + used, RM_RECORD_FILE, "C:\\App\\one.dll"); count++; }
    if (records > 1) { used += rm_record_put_process(log + used, 4242, 0x1111, 0x01d9); count++; }
    if (records > 2) { used += put_ascii(log + used, RM_RECORD_SERVICE, "Spooler"); count++; }
    if (records > 3) { used += put_ascii(log + used, RM_RECORD_FILE, "x"); count++; }
    if (records > 4) { used += put_app(log + used, "Spooler"); count++; }
    if (records > 5) { used += put_app(log + used, NULL); count++; }
    rm_store_header_init(&h, sizeof(map), 77, 1, 2);
    h.used = used;
    h.count = count;
    h.state = state;
    memcpy(map, &h, sizeof(h));
    write_file(dir, name, map, sizeof(h) + used + 16);
}

/* A log alone (the target also reads its input as a bare log). */
static void log_seed(const char *dir, const char *name, int process_last)
{
    uint8_t log[256];
    uint32_t used = 0;

    used += put_ascii(log + used, RM_RECORD_SERVICE, "wuauserv");
    used += put_ascii(log + used, RM_RECORD_FILE, "C:\\Windows\\x.dll");
    if (process_last)
        used += rm_record_put_process(log + used, 1, 2, 3);
    else
        used += put_ascii(log + used, RM_RECORD_FILE, "ab");
    write_file(dir, name, log, used);
}

int main(int argc, char **argv)
{
    struct rm_dir d;
    uint16_t key[RM_KEY_CHARS + 1];
    const char *good = "0123456789abcdefABCDEF0123456789";
    unsigned i;

    if (argc < 4)
        return 2;
    store_seed(argv[1], "empty", 0, RM_STORE_OPEN);
    store_seed(argv[1], "one-file", 1, RM_STORE_OPEN);
    store_seed(argv[1], "all-kinds", 4, RM_STORE_OPEN);
    store_seed(argv[1], "ended", 3, RM_STORE_ENDED);
    store_seed(argv[1], "with-apps", 6, RM_STORE_OPEN);
    log_seed(argv[1], "log-text-last", 0);
    log_seed(argv[1], "log-process-last", 1);
    rm_dir_init(&d);
    write_file(argv[1], "directory", &d, sizeof(d));

    for (i = 0; i < RM_KEY_CHARS; i++)
        key[i] = (uint16_t)good[i];
    key[RM_KEY_CHARS] = 0;
    write_file(argv[2], "good", key, sizeof(key));
    key[5] = 'g';
    write_file(argv[2], "not-hex", key, sizeof(key));
    key[5] = '5';
    key[RM_KEY_CHARS] = '0';
    write_file(argv[2], "not-terminated", key, sizeof(key));
    key[20] = 0;
    write_file(argv[2], "short", key, sizeof(key));

    {
        /* buffer size 256; a module "C:\\a", a process, a service "svc" */
        static const uint8_t three[] = {0, 1, 0, 1, 4, 'C', 0, ':', 0, '\\', 0, 'a', 0,
                                        1, 2, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
                                        2, 1, 3, 's', 0, 'v', 0, 'c', 0};
        static const uint8_t too_small[] = {16, 0, 2, 2, 3, 's', 0, 'v', 0, 'c', 0};
        static const uint8_t none[] = {0, 0};
        write_file(argv[3], "three", three, sizeof(three));
        write_file(argv[3], "too-small", too_small, sizeof(too_small));
        write_file(argv[3], "none", none, sizeof(none));
    }
    return 0;
}
