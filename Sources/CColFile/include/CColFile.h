#ifndef CCOLFILE_H
#define CCOLFILE_H

#include <stddef.h>
#include <stdint.h>

/// The CRC-32/ISO-HDLC (zlib's `crc32`) of `length` bytes at `bytes`, continuing from `crc`
/// (0 to start). Uses carry-less multiplication (PCLMULQDQ) where the CPU has it, else zlib.
uint32_t colfile_crc32(uint32_t crc, const void *bytes, size_t length);

/// `renameat2(AT_FDCWD, source, AT_FDCWD, destination, RENAME_EXCHANGE)`: swaps two existing
/// names atomically. Returns 0, or -1 with `errno` set. (Glibc declares it only for _GNU_SOURCE.)
int colfile_rename_exchange(const char *source, const char *destination);

/// `fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length)`: allocates blocks without changing the
/// file's size. Returns 0, or -1 with `errno` set. (Glibc declares it only for _GNU_SOURCE.)
int colfile_allocate_keeping_size(int fd, int64_t offset, int64_t length);

/// `fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, …)`: takes (`type` `F_RDLCK` or `F_WRLCK`) or
/// releases (`F_UNLCK`) an open-file-description lock on the bytes `[start, start + length)`.
/// Returns 0, or -1 with `errno` set (`EAGAIN` when `wait` is 0 and another description holds a
/// conflicting lock). (Glibc declares `F_OFD_*` only for _GNU_SOURCE.)
int colfile_ofd_lock(int fd, int type, int64_t start, int64_t length, int wait);

/// `fcntl(fd, F_OFD_GETLK, …)`: whether a lock of `type` on `[start, start + length)` would
/// conflict with a lock another open file description holds. Returns 1 (it would), 0 (it would
/// not), or -1 with `errno` set.
int colfile_ofd_conflicts(int fd, int type, int64_t start, int64_t length);

#endif
