/* What a mapping's size costs at its teardown (BENCHMARKS.md, "Attach: the user-space work at open",
 * session 7): the kernel's floor under "attach" (attach-floor.c) alone; followed by one load from each
 * of K distinct pages of a static buffer (the TLB misses after the unmap's flush); the floor mapping
 * only the first 16 MiB of the file; the same followed by the K loads; the K loads alone. The variants
 * alternate within each repetition, in an order that rotates; medians and bests of REPETITIONS
 * samples of LOOPS attaches each.
 * Build: cc -O2 -o attach-teardown attach-teardown.c
 * Usage: attach-teardown FILE OFFSET LOOPS REPETITIONS K   (K at most 256) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
enum { FLOOR, FLOOR_K, SMALLMAP, SMALLMAP_K, NOTOUCH_K, V };
static const char *names[V] = {"floor", "floor + K pages after", "map 16 MiB only", "map 16 MiB + K pages", "K pages only (no attach)"};
static char pages[256 * 4096] __attribute__((aligned(4096)));
static int K;
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static long long attach(const char *path, size_t offset, int v) {
    long long value = 0;
    if (v != NOTOUCH_K) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info; fstat(fd, &info);
    size_t size = (v == SMALLMAP || v == SMALLMAP_K) ? (16u << 20) : (size_t)info.st_size;
    if (size > (size_t)info.st_size) size = info.st_size;
    const char *base = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    memcpy(&value, base + offset, 8);
    munmap((void *)base, size);
    close(fd);
    }
    if (v == FLOOR_K || v == SMALLMAP_K || v == NOTOUCH_K) for (int i = 0; i < K; i++) value ^= ((volatile char *)pages)[i * 4096 + 64 * (i & 63)];
    return value;
}
static int asc(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: attach-teardown FILE OFFSET LOOPS REPETITIONS K\n"); return 2; }
    const char *path = argv[1]; size_t offset = strtoull(argv[2], 0, 10);
    int loops = atoi(argv[3]), reps = atoi(argv[4]); K = atoi(argv[5]);
    if (loops < 1 || reps < 1 || K < 0 || K > 256) { fprintf(stderr, "attach-teardown: bad arguments\n"); return 2; }
    memset(pages, 1, sizeof pages);
    double *s = malloc(sizeof(double) * reps * V); long long c = 0;
    for (int v = 0; v < V; v++) for (int i = 0; i < loops; i++) c ^= attach(path, offset, v);
    for (int r = 0; r < reps; r++) for (int k = 0; k < V; k++) { int v = (k + r) % V; double t0 = now();
        for (int i = 0; i < loops; i++) c ^= attach(path, offset, v);
        s[v * reps + r] = (now() - t0) / loops * 1e6; }
    for (int v = 0; v < V; v++) { qsort(s + v * reps, reps, sizeof(double), asc);
        printf("%-28s median %6.2f µs  best %6.2f µs\n", names[v], s[v * reps + reps / 2], s[v * reps]); }
    printf("(consumed %lld)\n", c & 1); return 0;
}
