/*
 * layout.c - validation and encoding of the shared session bytes (see layout.h).
 *
 * Every multi-byte field is read once through read_u32 into a local before it is checked,
 * so that another process changing the bytes under us can change what we read, never
 * whether what we use is in bounds.
 */
#include <string.h>

#include "layout.h"

struct rm_record_head {
    uint32_t kind;
    uint32_t size;  /* bytes, including this head and the padding; a multiple of 4 */
};

static uint32_t read_u32(const volatile uint8_t *p)
{
    uint32_t v;
    uint8_t b[4];
    b[0] = p[0]; b[1] = p[1]; b[2] = p[2]; b[3] = p[3];
    memcpy(&v, b, 4);
    return v;
}

static void write_u32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

int rm_dir_is_valid(const struct rm_dir *dir)
{
    return dir->magic == RM_DIR_MAGIC && dir->version == RM_DIR_VERSION &&
           dir->nslots == RM_MAX_SESSIONS;
}

void rm_dir_init(struct rm_dir *dir)
{
    memset(dir, 0, sizeof(*dir));
    dir->magic = RM_DIR_MAGIC;
    dir->version = RM_DIR_VERSION;
    dir->nslots = RM_MAX_SESSIONS;
}

void rm_store_header_init(struct rm_store_header *h, uint32_t map_size, uint32_t owner_pid,
                          uint32_t owner_start_low, uint32_t owner_start_high)
{
    memset(h, 0, sizeof(*h));
    h->magic = RM_STORE_MAGIC;
    h->version = RM_STORE_VERSION;
    h->header_size = sizeof(*h);
    h->capacity = map_size - (uint32_t)sizeof(*h);
    h->state = RM_STORE_OPEN;
    h->owner_pid = owner_pid;
    h->owner_start_low = owner_start_low;
    h->owner_start_high = owner_start_high;
}

int rm_store_header_read(const volatile struct rm_store_header *h, uint32_t map_size,
                         struct rm_store_info *out)
{
    const volatile uint8_t *b = (const volatile uint8_t *)h;
    uint32_t magic = read_u32(b + offsetof(struct rm_store_header, magic));
    uint32_t version = read_u32(b + offsetof(struct rm_store_header, version));
    uint32_t header_size = read_u32(b + offsetof(struct rm_store_header, header_size));
    uint32_t capacity = read_u32(b + offsetof(struct rm_store_header, capacity));

    if (magic != RM_STORE_MAGIC || version != RM_STORE_VERSION ||
        header_size != sizeof(struct rm_store_header) || map_size < header_size ||
        capacity != map_size - header_size)
        return 0;
    out->state = read_u32(b + offsetof(struct rm_store_header, state));
    out->owner_pid = read_u32(b + offsetof(struct rm_store_header, owner_pid));
    out->owner_start_low = read_u32(b + offsetof(struct rm_store_header, owner_start_low));
    out->owner_start_high = read_u32(b + offsetof(struct rm_store_header, owner_start_high));
    out->used = read_u32(b + offsetof(struct rm_store_header, used));
    out->count = read_u32(b + offsetof(struct rm_store_header, count));
    if (out->state != RM_STORE_OPEN && out->state != RM_STORE_ENDED)
        return 0;
    if (out->used > capacity || out->used % 4 != 0)
        return 0;
    return 1;
}

uint32_t rm_record_text_size(uint32_t nchars)
{
    /* head + character count + the characters, rounded up to 4 bytes */
    return (uint32_t)(sizeof(struct rm_record_head) + 4 + ((nchars * 2u + 3u) & ~3u));
}

uint32_t rm_record_process_size(void)
{
    return (uint32_t)sizeof(struct rm_record_head) + 12u;
}

/* head, pid, start time, type, status, session, restartable, the two lengths */
#define APP_FIXED 44u

uint32_t rm_record_app_size(uint32_t nchars_app, uint32_t nchars_service)
{
    return APP_FIXED + (((nchars_app + nchars_service) * 2u + 3u) & ~3u);
}

uint32_t rm_record_put_app(uint8_t *dst, const struct rm_record *app)
{
    uint32_t size = rm_record_app_size(app->nchars, app->nchars_service);

    memset(dst, 0, size);
    write_u32(dst, RM_RECORD_APP);
    write_u32(dst + 4, size);
    write_u32(dst + 8, app->pid);
    write_u32(dst + 12, app->start_low);
    write_u32(dst + 16, app->start_high);
    write_u32(dst + 20, app->app_type);
    write_u32(dst + 24, app->status);
    write_u32(dst + 28, app->ts_session);
    write_u32(dst + 32, app->restartable);
    write_u32(dst + 36, app->nchars);
    write_u32(dst + 40, app->nchars_service);
    if (app->nchars)
        memcpy(dst + APP_FIXED, app->text, app->nchars * 2u);
    if (app->nchars_service)
        memcpy(dst + APP_FIXED + app->nchars * 2u, app->service, app->nchars_service * 2u);
    return size;
}

uint32_t rm_record_put_text(uint8_t *dst, uint32_t kind, const uint16_t *text, uint32_t nchars)
{
    uint32_t size = rm_record_text_size(nchars);

    memset(dst, 0, size);
    write_u32(dst, kind);
    write_u32(dst + 4, size);
    write_u32(dst + 8, nchars);
    memcpy(dst + 12, text, nchars * 2u);
    return size;
}

uint32_t rm_record_put_process(uint8_t *dst, uint32_t pid, uint32_t start_low,
                               uint32_t start_high)
{
    uint32_t size = rm_record_process_size();

    write_u32(dst, RM_RECORD_PROCESS);
    write_u32(dst + 4, size);
    write_u32(dst + 8, pid);
    write_u32(dst + 12, start_low);
    write_u32(dst + 16, start_high);
    return size;
}

/* Copies n UTF-16 units into out (then a NUL); 0 if one of them is NUL. */
static int copy_units(const volatile uint8_t *src, uint32_t n, uint16_t *out)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        out[i] = (uint16_t)(src[2 * i] | (src[2 * i + 1] << 8));
        if (out[i] == 0)
            return 0;  /* an embedded NUL would make the name mean something else */
    }
    out[n] = 0;
    return 1;
}

static int valid_app_type(uint32_t type)
{
    return type <= 5u || type == 1000u;  /* RmUnknownApp .. RmConsole, RmCritical */
}

/* The fields of an app record at p (size bytes, at least APP_FIXED); 0 if malformed. */
static int read_app(const volatile uint8_t *p, uint32_t size, struct rm_record *out,
                    uint16_t *text_buf)
{
    uint32_t napp = read_u32(p + 36), nsvc = read_u32(p + 40);

    if (napp > RM_RECORD_APP_NAME_CHARS || nsvc > RM_RECORD_SERVICE_CHARS ||
        rm_record_app_size(napp, nsvc) != size)
        return 0;
    out->pid = read_u32(p + 8);
    out->start_low = read_u32(p + 12);
    out->start_high = read_u32(p + 16);
    out->app_type = read_u32(p + 20);
    out->status = read_u32(p + 24);
    out->ts_session = read_u32(p + 28);
    out->restartable = read_u32(p + 32);
    if (!valid_app_type(out->app_type) || (out->status & ~RM_RECORD_APP_STATUS_MASK) ||
        out->restartable > 1)
        return 0;
    /* The app name at the start of the buffer, the service name after its longest form. */
    out->text = text_buf;
    out->service = text_buf + RM_RECORD_APP_NAME_CHARS + 1;
    out->nchars = napp;
    out->nchars_service = nsvc;
    return copy_units(p + APP_FIXED, napp, out->text) &&
           copy_units(p + APP_FIXED + napp * 2u, nsvc, out->service);
}

int rm_record_next(const volatile uint8_t *log, uint32_t used, uint32_t *offset,
                   struct rm_record *out, uint16_t *text_buf)
{
    uint32_t at = *offset, kind, size, nchars;

    if (at == used)
        return 0;
    if (at > used || used - at < sizeof(struct rm_record_head) + 4)
        return -1;
    kind = read_u32(log + at);
    size = read_u32(log + at + 4);
    if (size % 4 != 0 || size > used - at || size < sizeof(struct rm_record_head) + 4)
        return -1;

    memset(out, 0, sizeof(*out));
    out->kind = kind;
    switch (kind) {
    case RM_RECORD_FILE:
    case RM_RECORD_SERVICE:
        nchars = read_u32(log + at + 8);
        if (nchars == 0 || nchars > RM_RECORD_MAX_CHARS || rm_record_text_size(nchars) != size ||
            !copy_units(log + at + 12, nchars, text_buf))
            return -1;
        out->nchars = nchars;
        out->text = text_buf;
        break;
    case RM_RECORD_PROCESS:
        if (size != rm_record_process_size())
            return -1;
        out->pid = read_u32(log + at + 8);
        out->start_low = read_u32(log + at + 12);
        out->start_high = read_u32(log + at + 16);
        break;
    case RM_RECORD_APP:
        if (size < APP_FIXED || !read_app(log + at, size, out, text_buf))
            return -1;
        break;
    default:
        return -1;
    }
    *offset = at + size;
    return 1;
}
