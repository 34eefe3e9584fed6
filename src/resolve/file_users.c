/*
 * file_users.c - the processes using a registered file, asked of the file system
 * (NtQueryInformationFile, FileProcessIdsUsingFileInformation; spec §11.3). On Windows it
 * names every process with the file open, also ones the caller could not open to
 * duplicate their handles (elevated apps, services, other users), and costs one open and
 * one query per registered file, not one pass over every handle in the system.
 *
 * Where the class is not implemented (Wine 8: STATUS_NOT_IMPLEMENTED, measured), the
 * caller walks the system handle table instead (open_files.c). That decision is made on
 * the platform's answer, not on a guess about the platform.
 *
 * The query goes through a handle of our own, so our process is always in the answer:
 * the caller is never listed from here (it is never a process to stop; docs/decisions.md).
 */
#include "resolve.h"

static BOOL class_missing(LONG status)
{
    return status == STATUS_INVALID_INFO_CLASS || status == STATUS_NOT_IMPLEMENTED ||
           status == STATUS_NOT_SUPPORTED;
}

/* The users of one open file, added to found. ERROR_NOT_SUPPORTED when the class is
 * missing. */
static DWORD users_of(HANDLE file, DWORD self, struct rm_pidset *found)
{
    const struct rm_sys *os = rm_sys();
    struct rm_nt_process_ids_using_file *ids = NULL;
    struct rm_nt_io_status io;
    ULONG size = 4096, i;
    DWORD err = ERROR_SUCCESS;
    LONG status;

    for (;;) {
        if (!(ids = rm_alloc(size)))
            return ERROR_OUTOFMEMORY;
        ZeroMemory(&io, sizeof(io));
        status = os->NtQueryInformationFile(file, &io, ids, size,
                                            RM_FileProcessIdsUsingFileInformation);
        if (status != STATUS_INFO_LENGTH_MISMATCH && status != STATUS_BUFFER_OVERFLOW)
            break;
        rm_free(ids);
        ids = NULL;
        if (size >= (1u << 24))
            return RM_FAIL(ERROR_OUTOFMEMORY, "FileProcessIdsUsingFileInformation too large");
        size *= 4;
    }
    if (class_missing(status))
        err = ERROR_NOT_SUPPORTED;
    else if (!RM_NT_SUCCESS(status))
        err = RM_FAIL(ERROR_READ_FAULT, "FileProcessIdsUsingFileInformation");
    else if (ids->NumberOfProcessIdsInList >
             (size - FIELD_OFFSET(struct rm_nt_process_ids_using_file, ProcessIdList)) / sizeof(ULONG_PTR))
        err = RM_FAIL(ERROR_INVALID_DATA, "FileProcessIdsUsingFileInformation count");
    for (i = 0; !err && i < ids->NumberOfProcessIdsInList; i++) {
        DWORD pid = (DWORD)ids->ProcessIdList[i];
        if (pid && pid != 4 && pid != self)
            err = rm_pidset_add(found, pid);
    }
    rm_free(ids);
    return err;
}

DWORD rm_file_users_find(struct rm_targets *t, struct rm_pidset *found)
{
    const struct rm_sys *os = rm_sys();
    DWORD self = GetCurrentProcessId(), err = ERROR_SUCCESS;
    unsigned i;

    if (!os->NtQueryInformationFile)
        return ERROR_NOT_SUPPORTED;
    for (i = 0; i < t->count && !err; i++) {
        /* Only FILE_READ_ATTRIBUTES, every sharing mode (the open never disturbs the
         * users), bounded for a remote path like every open of a registered path. */
        BOOL timed_out;
        HANDLE file = rm_open_any(&t->remote, t->files[t->items[i].file], FILE_READ_ATTRIBUTES,
                                  FILE_FLAG_BACKUP_SEMANTICS, &timed_out);
        if (file == INVALID_HANDLE_VALUE)
            continue;  /* deleted meanwhile, or its server stopped answering */
        err = users_of(file, self, found);
        os->CloseHandle(file);
    }
    return err;
}
