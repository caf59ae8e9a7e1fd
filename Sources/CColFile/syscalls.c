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

int colfile_start_writeback(int fd, int64_t offset, int64_t length) {
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
}

int colfile_ofd_lock(int fd, int type, int64_t start, int64_t length, int wait) {
    struct flock lock = {0};
    lock.l_type = (short)type;
    lock.l_whence = SEEK_SET;
    lock.l_start = (off_t)start;
    lock.l_len = (off_t)length;
    lock.l_pid = 0;
    return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &lock);
}

int colfile_ofd_conflicts(int fd, int type, int64_t start, int64_t length) {
    struct flock lock = {0};
    lock.l_type = (short)type;
    lock.l_whence = SEEK_SET;
    lock.l_start = (off_t)start;
    lock.l_len = (off_t)length;
    lock.l_pid = 0;
    if (fcntl(fd, F_OFD_GETLK, &lock) == -1) return -1;
    return lock.l_type == F_UNLCK ? 0 : 1;
}
