// Where the time of a page-cache write goes: np.save's system calls against colfile's writer path,
// phase by phase, on the same 2 × N × 8 bytes (a Float64 and an Int64 column, in memory and touched).
// BENCHMARKS.md, "Writing at the page cache's speed":
//   cc -O2 -I Sources/CColFile/include Tools/bench/write-phases.c Sources/CColFile/crc32.c -lz -lpthread -o /tmp/wp
//   /tmp/wp DIR ROWS ROUNDS
// Each round runs, in this order, on files left from the round before (so each write replaces a file,
// as `colfile bench` and `Tools/bench/peers.py` do):
//   npy    open(O_TRUNC) + 128-byte header write + one write of each array + close, two files (np.save)
//   plain  colfile's path without CRC and fallocate: O_TMPFILE, 8 MiB pwrites, header pwrite, linkat,
//          renameat2(RENAME_EXCHANGE), unlink of the previous file, close
//   falloc the same with fallocate(FALLOC_FL_KEEP_SIZE) of each array first
//   crc    plain + CRC-32 of each 8 MiB piece before its pwrite (the writer before this change)
//   both   falloc + crc (the writer before this change: fallocate, CRC, pwrite)
//   thread plain, with the CRC-32 of each array computed on a second thread during its pwrites
//   fthread falloc + thread
//   fthread1 fthread with one pwrite per array, as np.save writes (the writer after this change)
//   dsync  fthread, durable: fsync of the file, rename (not exchange), fsync of the folder
//   dstart dsync, each 32 MiB handed to the disk once written (sync_file_range(SYNC_FILE_RANGE_WRITE))
//   npyf   npy with fallocate(FALLOC_FL_KEEP_SIZE) of each array before its write, as NumPy 2's
//          ndarray.tofile does (strace of np.save, NumPy 2.4)
//   falloc1 falloc with one pwrite per array
//   fahead fthread with the CRC-32 thread at most one piece ahead of the pwrites (so each pwrite reads
//          bytes the checksum has just read), pieces of PIECE_MIB (environment; default 8) MiB; the
//          thread waits by spinning on sched_yield, so it keeps its core busy while it waits
//   duo    falloc, and two threads each taking every other piece of an array: its CRC-32, then its pwrite
//          (the piece PIECE_KIB KiB if set); the pieces' CRCs joined with zlib's crc32_combine
//   npysync npy with fsync of each file and of the folder (peers.py's synced np.save)
//   sync   not a write: sync(2), untimed, so the next write starts with no dirty data of this probe
//   new    not a write: removes every file of the probe, then sync(2), untimed, so the next write makes
//          new files (as peers.py --new-files) instead of replacing one
// and prints the dirty + writeback memory before each write, each phase in ms, the wall time, and the CPU time (user + system) of the process and of
// the writing thread: on a loaded machine the CPU time is the steadier figure.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "CColFile.h"

static double cpu(int who) {
    struct rusage u; getrusage(who, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}
static long faults(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_minflt + u.ru_majflt; }
static double cpuStart, threadStart;
static long faultStart;
static void startCPU(void) { cpuStart = cpu(RUSAGE_SELF); threadStart = cpu(RUSAGE_THREAD); faultStart = faults(); }
static void printCPU(void) {
    printf("  cpu %7.1f ms, writing thread %7.1f ms, page faults %ld\n", (cpu(RUSAGE_SELF) - cpuStart) * 1e3,
           (cpu(RUSAGE_THREAD) - threadStart) * 1e3, faults() - faultStart);
}
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

struct crcjob { const char *p; size_t n; uint32_t crc; size_t piece; _Atomic size_t written; int paced; };
static void *crcthread(void *arg) {
    struct crcjob *j = arg;
    if (!j->paced) { j->crc = colfile_crc32(0, j->p, j->n); return NULL; }
    // Paced: checksums a piece only once the writer has started the piece before it, so the
    // writer's copy of each piece reads bytes this thread has just brought into the shared L3.
    for (size_t done = 0; done < j->n; done += j->piece) {
        while (done > j->written + j->piece) sched_yield();
        size_t n = j->n - done < j->piece ? j->n - done : j->piece;
        j->crc = colfile_crc32(j->crc, j->p + done, n);
    }
    return NULL;
}

/// The write (and checksum) piece in MiB: PIECE_MIB from the environment, 1 to 1024, else 8.
static size_t pieceMiB(void);
/// The piece in bytes: PIECE_KIB (environment) KiB if set, else PIECE_MIB MiB.
static size_t pieceBytes(void) {
    const char *text = getenv("PIECE_KIB");
    if (!text) return pieceMiB() << 20;
    size_t kib = strtoul(text, NULL, 10);
    if (kib < 4 || kib > 1 << 20 || kib % 4) { fprintf(stderr, "PIECE_KIB must be 4 to 1048576 and a multiple of 4\n"); exit(2); }
    return kib << 10;
}
static size_t pieceMiB(void) {
    const char *text = getenv("PIECE_MIB");
    if (!text) return 8;
    size_t mib = strtoul(text, NULL, 10);
    if (mib < 1 || mib > 1024) { fprintf(stderr, "PIECE_MIB must be 1 to 1024, not %s\n", text); exit(2); }
    return mib;
}

/// Prints the process's anonymous memory in transparent huge pages (the arrays', if THP took them).
static void printHugePages(void) {
    FILE *rollup = fopen("/proc/self/smaps_rollup", "r");
    if (!rollup) return;
    char line[256];
    while (fgets(line, sizeof line, rollup))
        if (!strncmp(line, "AnonHugePages", 13)) fputs(line, stdout);
    fclose(rollup);
}

static void syncFolder(const char *dir) { int d = open(dir, O_RDONLY | O_DIRECTORY); fsync(d); close(d); }

static void npy(const char *dir, char *const *arrays, size_t bytes, int durable, int useFalloc) {
    startCPU();
    double t0 = now(), topen = 0, twrite = 0, tclose = 0;
    char header[128]; memset(header, ' ', sizeof header);
    for (int a = 0; a < 2; a++) {
        char path[512]; snprintf(path, sizeof path, "%s/probe-%d.npy", dir, a);
        double s = now();
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        double s1 = now();
        if (write(fd, header, sizeof header) != sizeof header) abort();
        if (useFalloc) fallocate(fd, FALLOC_FL_KEEP_SIZE, sizeof header, bytes);
        size_t done = 0;
        while (done < bytes) { ssize_t w = write(fd, arrays[a] + done, bytes - done); if (w <= 0) abort(); done += w; }
        if (durable) fsync(fd);
        double s2 = now();
        close(fd);
        if (durable) syncFolder(dir);
        double s3 = now();
        topen += s1 - s; twrite += s2 - s1; tclose += s3 - s2;
    }
    double t = now() - t0;
    printf("%-7s open+trunc %7.1f  write %7.1f  close %6.1f  total %7.1f ms  %.2f GB/s",
           durable ? "npysync" : useFalloc ? "npyf" : "npy", topen * 1e3, twrite * 1e3, tclose * 1e3, t * 1e3, 2 * bytes / t / 1e9);
    printCPU();
}

/// `duo`: two threads, each taking every other piece of an array: its CRC-32, then its pwrite (so the
/// kernel's copy reads bytes this thread has just brought into its cache).
struct duojob { int fd; const char *p; size_t n, piece, offset; uint32_t *crcs; int first; };
static void *duothread(void *arg) {
    struct duojob *j = arg;
    for (size_t k = j->first, done = k * j->piece; done < j->n; k += 2, done = k * j->piece) {
        size_t n = j->n - done < j->piece ? j->n - done : j->piece;
        j->crcs[k] = colfile_crc32(0, j->p + done, n);
        if (pwrite(j->fd, j->p + done, n, j->offset + done) != (ssize_t)n) abort();
    }
    return NULL;
}
static uint32_t duo(int fd, const char *p, size_t n, size_t piece, size_t offset) {
    size_t count = (n + piece - 1) / piece;
    uint32_t *crcs = calloc(count, 4);
    struct duojob jobs[2] = {{fd, p, n, piece, offset, crcs, 0}, {fd, p, n, piece, offset, crcs, 1}};
    pthread_t other;
    pthread_create(&other, NULL, duothread, &jobs[1]);
    duothread(&jobs[0]);
    pthread_join(other, NULL);
    uint32_t crc = 0;
    for (size_t k = 0; k < count; k++) {
        size_t len = n - k * piece < piece ? n - k * piece : piece;
        crc = (uint32_t)crc32_combine(crc, crcs[k], (z_off_t)len);
    }
    free(crcs);
    return crc;
}

static void col(const char *dir, const char *mode, char *const *arrays, size_t bytes) {
    int durable = mode[0] == 'd', early = !strcmp(mode, "dstart");
    int useFalloc = !strncmp(mode, "falloc", 6) || !strcmp(mode, "both") || !strncmp(mode, "fthread", 7) || durable;
    int useCrc = !strcmp(mode, "crc") || !strcmp(mode, "both");
    int useThread = !strcmp(mode, "thread") || !strncmp(mode, "fthread", 7) || durable;
    int paced = !strcmp(mode, "fahead"), twoWriters = !strcmp(mode, "duo");
    useFalloc |= paced | twoWriters, useThread |= paced;
    const size_t piece = !strcmp(mode, "fthread1") || !strcmp(mode, "falloc1") ? bytes : pieceBytes(),
        headerLength = 4096;
    char target[512], named[512], previous[512];
    snprintf(target, sizeof target, "%s/probe.col", dir);
    snprintf(named, sizeof named, "%s/.probe.col.tmp", dir);
    startCPU();
    double t0 = now();
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0) abort();
    double t1 = now(), tfalloc = 0, tcrc = 0, twrite = 0, tjoin = 0;
    uint32_t crcs[2] = {0, 0};
    size_t offset = headerLength;
    for (int a = 0; a < 2; a++) {
        offset = (offset + 4095) & ~(size_t)4095;
        double s = now();
        if (useFalloc) fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, bytes);
        tfalloc += now() - s;
        pthread_t thread; struct crcjob job = {arrays[a], bytes, 0, piece, 0, paced};
        if (useThread) pthread_create(&thread, NULL, crcthread, &job);
        if (twoWriters) {
            s = now();
            crcs[a] = duo(fd, arrays[a], bytes, piece, offset);
            twrite += now() - s;
        }
        for (size_t done = twoWriters ? bytes : 0; done < bytes; done += piece) {
            size_t n = bytes - done < piece ? bytes - done : piece;
            job.written = done;
            s = now();
            if (useCrc) crcs[a] = colfile_crc32(crcs[a], arrays[a] + done, n);
            double s1 = now();
            if (pwrite(fd, arrays[a] + done, n, offset + done) != (ssize_t)n) abort();
            if (early && (done + n) % (32UL << 20) == 0) sync_file_range(fd, offset + done + n - (32UL << 20), 32UL << 20, SYNC_FILE_RANGE_WRITE);
            tcrc += s1 - s; twrite += now() - s1;
        }
        s = now();
        if (useThread) { pthread_join(thread, NULL); crcs[a] = job.crc; }
        tjoin += now() - s;
        offset += bytes;
    }
    char header[4096]; memset(header, 0, sizeof header);
    double t2 = now();
    if (pwrite(fd, "directory", 9, offset) != 9 || pwrite(fd, header, sizeof header, 0) != sizeof header) abort();
    if (durable) fsync(fd);
    double t3 = now();
    char proc[64]; snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    unlink(named);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, named, AT_SYMLINK_FOLLOW)) abort();
    double t4 = now();
    struct stat st;
    int exchanged = !durable && stat(target, &st) == 0 && renameat2(AT_FDCWD, named, AT_FDCWD, target, RENAME_EXCHANGE) == 0;
    if (!exchanged && rename(named, target)) abort();
    double t5 = now();
    snprintf(previous, sizeof previous, "%s", named);
    if (exchanged) unlink(previous);
    if (durable) syncFolder(dir);
    double t6 = now();
    close(fd);
    double t7 = now();
    printf("%-6s tmpfile %5.1f  falloc %6.1f  crc %6.1f  pwrite %7.1f  join %6.1f  header(+fsync) %6.1f  link %4.1f  "
           "exchange %4.1f  unlink-old/dirsync %6.1f  close %4.1f  total %7.1f ms  %.2f GB/s (crc %08x %08x)",
           mode, (t1 - t0) * 1e3, tfalloc * 1e3, tcrc * 1e3, twrite * 1e3, tjoin * 1e3, (t3 - t2) * 1e3,
           (t4 - t3) * 1e3, (t5 - t4) * 1e3, (t6 - t5) * 1e3, (t7 - t6) * 1e3, (t7 - t0) * 1e3,
           2 * bytes / (t7 - t0) / 1e9, crcs[0], crcs[1]);
    printCPU();
}

/// Dirty and under-writeback page-cache memory (/proc/meminfo), what the kernel's dirty limits count.
static long dirtyMB(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256]; long total = 0, kb;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "Dirty: %ld kB", &kb) == 1 || sscanf(line, "Writeback: %ld kB", &kb) == 1) total += kb;
    }
    if (f) fclose(f);
    return total / 1024;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s DIR ROWS ROUNDS [MODE...]\n", argv[0]); return 2; }
    const char *dir = argv[1];
    size_t rows = strtoull(argv[2], NULL, 10);
    int rounds = atoi(argv[3]);
    size_t bytes = rows * 8;
    // The arrays in transparent huge pages where the system allows it, as NumPy allocates large arrays
    // and as `colfile bench` does (HugePageArray): with 4 KiB pages the copy pays a TLB miss per page.
    char *arrays[2];
    for (int a = 0; a < 2; a++) {
        if (posix_memalign((void **)&arrays[a], 2UL << 20, bytes)) abort();
        madvise(arrays[a], bytes, MADV_HUGEPAGE);
    }
    double *x = (double *)arrays[0]; int64_t *i = (int64_t *)arrays[1];
    for (size_t r = 0; r < rows; r++) { x[r] = (double)(r % 1000) * 0.5; i[r] = (int64_t)r; }
    const char *all[] = {"npy", "plain", "falloc", "crc", "both", "thread", "fthread", "fthread1"};
    char *const *modes = argc > 4 ? argv + 4 : (char *const *)all;
    int count = argc > 4 ? argc - 4 : 8;
    printHugePages();
    for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < count; m++) {
            if (!strcmp(modes[m], "sync")) { sync(); continue; }
            if (!strcmp(modes[m], "new")) {
                const char *names[] = {"probe-0.npy", "probe-1.npy", "probe.col", ".probe.col.tmp"};
                for (int n = 0; n < 4; n++) {
                    char path[512]; snprintf(path, sizeof path, "%s/%s", dir, names[n]); unlink(path);
                }
                sync();
                continue;
            }
            printf("[dirty %5ld MB] ", dirtyMB());
            if (!strncmp(modes[m], "npy", 3)) npy(dir, arrays, bytes, !strcmp(modes[m], "npysync"), !strcmp(modes[m], "npyf"));
            else col(dir, modes[m], arrays, bytes);
        }
    }
    return 0;
}
