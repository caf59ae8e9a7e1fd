/* The kernel's floor under "attach": what any reader of a mapped file pays before its first value.
 * open(O_RDONLY|O_CLOEXEC) + fstat + mmap(PROT_READ, MAP_SHARED) + one 8-byte load at OFFSET (the
 * first value: one page fault on a warm page cache) + munmap + close, LOOPS times per sample.
 * `colfile bench` measures the same calls from Swift, in the same run as its attach figures
 * (attachFloorMicros*); this C program checks that floor by hand on any file (e.g. the ones
 * `colfile bench --keep` leaves). No script runs it yet.
 * Build: cc -O2 -o attach-floor attach-floor.c
 * Usage: attach-floor FILE OFFSET LOOPS REPETITIONS -> one JSON object of per-sample µs per attach. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One attach; returns the first value's bits (so the load is not optimized away), -1 on failure. */
static long long attach(const char *path, size_t offset) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat info;
    if (fstat(fd, &info) != 0 || (size_t)info.st_size < offset + 8) { close(fd); return -1; }
    void *base = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { close(fd); return -1; }
    long long value;
    memcpy(&value, (const char *)base + offset, 8);
    munmap(base, (size_t)info.st_size);
    close(fd);
    return value;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: attach-floor FILE OFFSET LOOPS REPETITIONS\n"); return 2; }
    const char *path = argv[1];
    size_t offset = strtoull(argv[2], 0, 10);
    int loops = atoi(argv[3]), reps = atoi(argv[4]);
    long long consumed = 0;
    for (int i = 0; i < loops; i++) consumed ^= attach(path, offset); /* warm-up */
    if (attach(path, offset) == -1 && consumed == -1) { fprintf(stderr, "attach-floor: cannot map %s\n", path); return 1; }
    printf("{\"attachFloorMicros\": [");
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (int i = 0; i < loops; i++) consumed ^= attach(path, offset);
        double t1 = now();
        printf("%s%.4f", r ? ", " : "", (t1 - t0) / loops * 1e6);
    }
    printf("], \"consumed\": %lld}\n", consumed);
    return 0;
}
