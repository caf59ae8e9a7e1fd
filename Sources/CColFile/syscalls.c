// System calls that Glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not
// define; Syscalls.swift wraps them (EINTR retries, Errno).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>

#include "CColFile.h"

int colfile_rename_exchange(const char *source, const char *destination) {
    return renameat2(AT_FDCWD, source, AT_FDCWD, destination, RENAME_EXCHANGE);
}

int colfile_allocate_keeping_size(int fd, int64_t offset, int64_t length) {
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}
