// Does fallocate(FALLOC_FL_KEEP_SIZE) before each 8 MiB pwrite change a durable write's cost?
// Writes 1.6 GB to DIR/tmp.bin, fsyncs it, renames it over DIR/target.bin, fsyncs DIR; prints each
// phase. BENCHMARKS.md, "Writing": cc -O2 Tools/bench/write-fallocate.c -o /tmp/w &&
// for r in 1 2 3 4 5 6; do /tmp/w /var/tmp/x 0; /tmp/w /var/tmp/x 1; done
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s DIR 0|1\n", argv[0]); return 2; }
    const char *dir = argv[1]; int useFallocate = atoi(argv[2]);
    size_t total = 1600000000UL, piece = 8UL << 20;
    char *buf = malloc(piece); memset(buf, 7, piece);
    char tmp[512], target[512]; snprintf(tmp, sizeof tmp, "%s/tmp.bin", dir); snprintf(target, sizeof target, "%s/target.bin", dir);
    double t0 = now();
    int fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    for (size_t off = 0; off < total; off += piece) {
        if (useFallocate) fallocate(fd, FALLOC_FL_KEEP_SIZE, off, piece);
        pwrite(fd, buf, piece, off);
    }
    double t1 = now();
    fsync(fd); close(fd);
    double t2 = now();
    rename(tmp, target);
    int d = open(dir, O_RDONLY); fsync(d); close(d);
    double t3 = now();
    printf("fallocate=%d write %.3f fsync %.3f rename+dirsync %.3f total %.3f s = %.2f GB/s\n", useFallocate, t1 - t0, t2 - t1, t3 - t2, t3 - t0, total / (t3 - t0) / 1e9);
    return 0;
}
