/*
 * filters.c - what the caller asked us not to shut down or not to restart (RmAddFilter).
 *
 * A filter names one target: a module (full path, compared in any case), a process (PID +
 * creation time) or a service (short name, any case). One filter per target: adding it
 * again only replaces the action. The list keeps the order targets were first added.
 * Filters belong to the primary only, so they live in its process memory and need no lock
 * of their own: the session's lock serialises every call.
 */
#include <stddef.h>
#include <string.h>
#include <wchar.h>

#include "engine.h"
#include "filter_buffer.h"

/* filter_buffer.h restates RM_FILTER_INFO's layout in plain C: it must be the SDK's. */
_Static_assert(sizeof(RM_FILTER_INFO) == RM_FILTER_INFO_BYTES, "RM_FILTER_INFO size");
_Static_assert(offsetof(RM_FILTER_INFO, FilterAction) == 0, "FilterAction");
_Static_assert(offsetof(RM_FILTER_INFO, FilterTrigger) == 4, "FilterTrigger");
_Static_assert(offsetof(RM_FILTER_INFO, cbNextOffset) == 8, "cbNextOffset");
_Static_assert(offsetof(RM_FILTER_INFO, strFilename) == RM_FILTER_INFO_UNION, "strFilename");
_Static_assert(offsetof(RM_FILTER_INFO, strServiceShortName) == RM_FILTER_INFO_UNION, "service");
_Static_assert(offsetof(RM_FILTER_INFO, Process) == RM_FILTER_INFO_UNION, "Process");
_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "WCHAR is 16 bits");

static BOOL same_text(const WCHAR *a, const WCHAR *b)
{
    return CompareStringOrdinal(a, -1, b, -1, TRUE) == CSTR_EQUAL;
}

static BOOL same_process(const RM_UNIQUE_PROCESS *a, const RM_UNIQUE_PROCESS *b)
{
    return a->dwProcessId == b->dwProcessId &&
           !CompareFileTime(&a->ProcessStartTime, &b->ProcessStartTime);
}

/* The filter for this target (name already a full path for a module), or NULL. */
static struct rm_filter *find(const struct rm_filters *f, RM_FILTER_TRIGGER trigger,
                              const WCHAR *name, const RM_UNIQUE_PROCESS *process)
{
    unsigned i;

    for (i = 0; i < f->count; i++) {
        struct rm_filter *it = &f->items[i];
        if (it->trigger != trigger)
            continue;
        if (trigger == RmFilterTriggerProcess ? same_process(&it->process, process)
                                              : same_text(it->name, name))
            return it;
    }
    return NULL;
}

/* The trigger of a call's target and its stored name (rm_alloc'ed; NULL for a process).
 * ERROR_BAD_ARGUMENTS unless exactly one target is given. */
static DWORD target_of(const WCHAR *module, const RM_UNIQUE_PROCESS *process,
                       const WCHAR *service, RM_FILTER_TRIGGER *trigger, WCHAR **name)
{
    size_t bytes;

    *name = NULL;
    if ((module != NULL) + (process != NULL) + (service != NULL) != 1 ||
        (module && !module[0]) || (service && !service[0]))
        return ERROR_BAD_ARGUMENTS;
    if (process) {
        *trigger = RmFilterTriggerProcess;
        return ERROR_SUCCESS;
    }
    if (module) {
        *trigger = RmFilterTriggerFile;
        return rm_path_full(module, name);
    }
    *trigger = RmFilterTriggerService;
    bytes = (wcslen(service) + 1) * sizeof(WCHAR);
    if (!(*name = rm_alloc(bytes)))
        return ERROR_OUTOFMEMORY;
    memcpy(*name, service, bytes);
    return ERROR_SUCCESS;
}

DWORD rm_filters_add(struct rm_filters *f, const WCHAR *module, const RM_UNIQUE_PROCESS *process,
                     const WCHAR *service, RM_FILTER_ACTION action)
{
    RM_FILTER_TRIGGER trigger;
    struct rm_filter *it;
    WCHAR *name;
    DWORD err;

    if (action != RmNoRestart && action != RmNoShutdown)
        return ERROR_BAD_ARGUMENTS;
    if ((err = target_of(module, process, service, &trigger, &name)))
        return err;
    if ((it = find(f, trigger, name, process))) {
        it->action = action;  /* the last call wins; the first spelling of the name stays */
        rm_free(name);
        return ERROR_SUCCESS;
    }
    if ((err = rm_grow((void **)&f->items, &f->cap, f->count + 1, sizeof(*f->items)))) {
        rm_free(name);
        return err;
    }
    it = &f->items[f->count++];
    it->action = action;
    it->trigger = trigger;
    it->name = name;
    if (process)
        it->process = *process;
    return ERROR_SUCCESS;
}

DWORD rm_filters_remove(struct rm_filters *f, const WCHAR *module, const RM_UNIQUE_PROCESS *process,
                        const WCHAR *service)
{
    RM_FILTER_TRIGGER trigger;
    struct rm_filter *it;
    WCHAR *name;
    DWORD err;
    unsigned i;

    if ((err = target_of(module, process, service, &trigger, &name)))
        return err;
    it = find(f, trigger, name, process);
    rm_free(name);
    if (!it)
        return ERROR_FILE_NOT_FOUND;
    rm_free(it->name);
    i = (unsigned)(it - f->items);
    memmove(it, it + 1, (f->count - i - 1) * sizeof(*it));  /* keeps the order of the rest */
    f->count--;
    return ERROR_SUCCESS;
}

static void filter_out(const void *ctx, unsigned i, struct rm_filter_out *out)
{
    const struct rm_filter *it = &((const struct rm_filters *)ctx)->items[i];

    out->action = (uint32_t)it->action;
    out->trigger = (uint32_t)it->trigger;
    out->name = (const uint16_t *)it->name;
    out->pid = it->process.dwProcessId;
    out->start_low = it->process.ProcessStartTime.dwLowDateTime;
    out->start_high = it->process.ProcessStartTime.dwHighDateTime;
}

/* The layout itself is plain C in filter_buffer.c, so that it can be fuzzed on Linux. */
DWORD rm_filters_write(const struct rm_filters *f, BYTE *buf, DWORD cap, DWORD *needed)
{
    uint32_t size = 0;

    switch (rm_filter_buffer_write(filter_out, f, f->count, buf, cap, &size)) {
    case RM_FILTERS_WRITTEN:
        *needed = size;
        return ERROR_SUCCESS;
    case RM_FILTERS_MORE_DATA:
        *needed = size;
        return ERROR_MORE_DATA;
    default:
        return ERROR_OUTOFMEMORY;
    }
}

/* Precedence: the filter naming this very process, then the one naming its service, then
 * the one naming its image: the narrower target says more about what the caller meant. */
RM_FILTER_ACTION rm_filters_action_for(const struct rm_filters *f, const RM_UNIQUE_PROCESS *process,
                                       const WCHAR *image_path, const WCHAR *service)
{
    const struct rm_filter *it = NULL;

    if (process)
        it = find(f, RmFilterTriggerProcess, NULL, process);
    if (!it && service && service[0])
        it = find(f, RmFilterTriggerService, service, NULL);
    if (!it && image_path && image_path[0])
        it = find(f, RmFilterTriggerFile, image_path, NULL);
    return it ? it->action : RmInvalidFilterAction;
}

void rm_filters_free(struct rm_filters *f)
{
    unsigned i;

    for (i = 0; i < f->count; i++)
        rm_free(f->items[i].name);
    rm_free(f->items);
    ZeroMemory(f, sizeof(*f));
}
