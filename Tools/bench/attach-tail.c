/* What reading a file's tail (its directory and trailer) adds to the kernel's floor under "attach"
 * (attach-floor.c): open + fstat + mmap + one 8-byte load at OFFSET + munmap + close, alone and
 * with one more step: a pread of the last 4 KiB, a pread of the last TAIL bytes (what open reads
 * since session 5: the directory and trailer, 272 bytes for one column), a load from the mapping's
 * last page, a load from its first page. The variants alternate within each repetition, in an
 * order that rotates, so that all meet the same load; medians and bests of REPETITIONS samples of
 * LOOPS attaches each. BENCHMARKS.md, "Attach: the user-space work at open".
 * Build: cc -O2 -o attach-tail attach-tail.c
 * Usage: attach-tail FILE OFFSET LOOPS REPETITIONS TAIL */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { FLOOR, PREAD_4K, PREAD_TAIL, TOUCH_LAST, TOUCH_FIRST, VARIANTS };
static const char *names[VARIANTS] = {"floor", "+ pread last 4 KiB", "+ pread last TAIL bytes",
                                      "+ load from the last page", "+ load from the first page"};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One attach in `variant`; returns bits of what it read (so no load is optimized away). */
static long long attach(const char *path, size_t offset, size_t tail, int variant) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat info;
    if (fstat(fd, &info) != 0 || (size_t)info.st_size < offset + 8 || (size_t)info.st_size < 4096) {
        close(fd);
        return -1;
    }
    size_t size = (size_t)info.st_size;
    const char *base = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { close(fd); return -1; }
    static char buffer[4096];
    long long value = 0;
    if (variant == PREAD_4K && pread(fd, buffer, 4096, (off_t)(size - 4096)) == 4096) value ^= buffer[4000];
    if (variant == PREAD_TAIL && pread(fd, buffer, tail, (off_t)(size - tail)) == (ssize_t)tail) value ^= buffer[0];
    long long first;
    memcpy(&first, base + offset, 8);
    value ^= first;
    if (variant == TOUCH_LAST) value ^= base[size - 8];
    if (variant == TOUCH_FIRST) value ^= base[0];
    munmap((void *)base, size);
    close(fd);
    return value;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: attach-tail FILE OFFSET LOOPS REPETITIONS TAIL\n"); return 2; }
    const char *path = argv[1];
    size_t offset = strtoull(argv[2], 0, 10), tail = strtoull(argv[5], 0, 10);
    int loops = atoi(argv[3]), reps = atoi(argv[4]);
    if (loops < 1 || reps < 1 || tail < 1 || tail > 4096) { fprintf(stderr, "attach-tail: bad arguments\n"); return 2; }
    double *samples = malloc(sizeof(double) * (size_t)reps * VARIANTS);
    long long consumed = 0;
    for (int v = 0; v < VARIANTS; v++)
        for (int i = 0; i < loops; i++) consumed ^= attach(path, offset, tail, v); /* warm-up */
    if (attach(path, offset, tail, FLOOR) == -1 && consumed == -1) { fprintf(stderr, "attach-tail: cannot map %s\n", path); return 1; }
    for (int r = 0; r < reps; r++) {
        for (int k = 0; k < VARIANTS; k++) {
            int v = (k + r) % VARIANTS;
            double t0 = now();
            for (int i = 0; i < loops; i++) consumed ^= attach(path, offset, tail, v);
            samples[v * reps + r] = (now() - t0) / loops * 1e6;
        }
    }
    for (int v = 0; v < VARIANTS; v++) {
        qsort(samples + v * reps, (size_t)reps, sizeof(double), ascending);
        printf("%-28s median %6.2f µs  best %6.2f µs\n", names[v], samples[v * reps + reps / 2], samples[v * reps]);
    }
    printf("(consumed %lld)\n", consumed & 1);
    free(samples);
    return 0;
}
