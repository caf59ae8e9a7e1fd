/* The level of the kernel's floor under "attach" (BENCHMARKS.md, "Attach: the user-space work at
 * open", session 9): 100 warm-up attaches of the floor (open + fstat + mmap + one load at OFFSET +
 * munmap + close), then REPETITIONS samples of 100, and one line: the median and best µs per attach,
 * the mapping's address, its start within its GiB and its offset from 2 MiB alignment, how many
 * attaches got the previous attach's address, in how many samples the CPU changed (sched_getcpu
 * before and after) and which CPUs ran them, then the Rss and FilePmdMapped of /proc/self/smaps
 * for the mapping after one load. Run it as several processes: the level goes with the start.
 * Build: cc -O2 -o attach-levels attach-levels.c
 * Usage: attach-levels FILE OFFSET REPETITIONS (REPETITIONS at most 64) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static unsigned long lastaddr; static int same, moved;
static long long attach(const char *path, size_t offset) {
    int fd = open(path, O_RDONLY | O_CLOEXEC); struct stat info; fstat(fd, &info);
    char *base = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if ((unsigned long)base == lastaddr) same++;
    lastaddr = (unsigned long)base;
    long long v; memcpy(&v, base + offset, 8);
    munmap(base, (size_t)info.st_size); close(fd); return v;
}
/* smaps of one mapping after the first load: Rss, FilePmdMapped */
static void smaps(const char *path, size_t offset) {
    int fd = open(path, O_RDONLY | O_CLOEXEC); struct stat info; fstat(fd, &info);
    char *base = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_SHARED, fd, 0);
    volatile long long v = *(long long *)(base + offset); (void)v;
    FILE *f = fopen("/proc/self/smaps", "r"); char line[256]; int in = 0;
    char want[32]; snprintf(want, sizeof want, "%lx-", (unsigned long)base);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0) in = 1; else if (in && strchr(line, '-') && strchr(line, ':') == 0) in = 0;
        if (in && (!strncmp(line, "Rss:", 4) || !strncmp(line, "FilePmdMapped:", 14))) { line[strlen(line)-1] = 0; printf(" %s", line); }
    }
    fclose(f); munmap(base, info.st_size); close(fd);
}
int main(int argc, char **argv) {
    if (argc != 4 || atoi(argv[3]) < 1 || atoi(argv[3]) > 64) { fprintf(stderr, "usage: attach-levels FILE OFFSET REPETITIONS\n"); return 2; }
    const char *path = argv[1]; size_t offset = strtoull(argv[2], 0, 10); int reps = atoi(argv[3]);
    long long c = 0; double best = 1e9, s[64]; int cpus = 0;
    for (int i = 0; i < 100; i++) c ^= attach(path, offset);
    for (int r = 0; r < reps; r++) {
        int a = sched_getcpu(); double t0 = now();
        for (int i = 0; i < 100; i++) c ^= attach(path, offset);
        s[r] = (now() - t0) / 100 * 1e6; if (s[r] < best) best = s[r];
        if (sched_getcpu() != a) moved++;
        cpus |= 1 << sched_getcpu();
    }
    for (int i = 0; i < reps; i++) for (int j = i + 1; j < reps; j++) if (s[j] < s[i]) { double t = s[i]; s[i] = s[j]; s[j] = t; }
    printf("med %.2f best %.2f addr %lx mod1G %.3fG mod2M %lx same %d/%d moved %d cpus %x",
           s[reps / 2], best, lastaddr, (lastaddr % (1UL << 30)) / (double)(1UL << 30), lastaddr % (2UL << 20), same, 100 * (reps + 1), moved, cpus);
    smaps(path, offset); printf(" c=%lld\n", c & 1); return 0;
}
