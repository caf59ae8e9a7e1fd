/* The floor at chosen placements (BENCHMARKS.md, "Attach: the user-space work at open", session 9):
 * for each START (a fraction of a GiB), the floor's attach (open + fstat + mmap + one load at OFFSET +
 * munmap + close) with its mapping asked at that start by an address hint (8 GiB and more under the
 * kernel's own placement), without and then with a touched neighbour page 2 MiB past the mapping's
 * end (which gives the end's GiB a page-middle table), all alternated in one process; medians of
 * REPETITIONS samples of 100 attaches.
 * Build: cc -O2 -o attach-placement attach-placement.c
 * Usage: attach-placement FILE OFFSET REPETITIONS START... (REPETITIONS at most 64, at most 16 starts) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static unsigned long got;
static long long attach(const char *path, size_t offset, void *hint) {
    int fd = open(path, O_RDONLY | O_CLOEXEC); struct stat info; fstat(fd, &info);
    char *base = mmap(hint, (size_t)info.st_size, PROT_READ, MAP_SHARED, fd, 0);
    got = (unsigned long)base;
    long long v; memcpy(&v, base + offset, 8);
    munmap(base, (size_t)info.st_size); close(fd); return v;
}
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    const char *path = argv[1]; size_t offset = strtoull(argv[2], 0, 10); int reps = atoi(argv[3]);
    int n = argc - 4;
    if (n < 1 || n > 16 || reps < 1 || reps > 64) { fprintf(stderr, "usage: attach-placement FILE OFFSET REPETITIONS START...\n"); return 2; } struct stat st; stat(path, &st); unsigned long len = st.st_size, G = 1UL << 30, M2 = 2UL << 20;
    attach(path, offset, NULL); unsigned long def = got;
    unsigned long base = (def & ~(G - 1)) - 8 * G;
    void *hints[16]; char *nb[16]; double s[32][64]; long long c = 0;
    for (int k = 0; k < n; k++) {
        hints[k] = (void *)(base - 4 * G * k + (unsigned long)(atof(argv[4 + k]) * G) / M2 * M2);
        unsigned long e = ((unsigned long)hints[k] + len + 2 * M2) / M2 * M2;
        nb[k] = mmap((void *)e, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if ((unsigned long)nb[k] != e) printf("neighbour %d misplaced\n", k);
        munmap(nb[k], 4096);
    }
    for (int r = -1; r < reps; r++)
        for (int k = 0; k < 2 * n; k++) {
            int h = k / 2, with = k % 2; char *m = 0;
            if (with) { m = mmap(nb[h], 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0); m[0] = 1; }
            double t0 = now(); for (int i = 0; i < 100; i++) c ^= attach(path, offset, hints[h]); double t1 = now();
            if (got != (unsigned long)hints[h]) printf("hint %d not taken\n", h);
            if (with) munmap(m, 4096);
            if (r >= 0) s[k][r] = (t1 - t0) * 1e4;
        }
    printf("default start at %.3f GiB; size %.3f GiB\n", (def % G) / (double)G, len / (double)G);
    for (int k = 0; k < 2 * n; k++) { qsort(s[k], reps, 8, cmp);
        unsigned long h = (unsigned long)hints[k / 2], e = h + len;
        printf("start %.3f end-in-GiB %.3f %s: %.2f µs\n", (h % G) / (double)G, (e % G) / (double)G, k % 2 ? "with neighbour   " : "without neighbour", s[k][reps / 2]); }
    return c == 12345;
}
