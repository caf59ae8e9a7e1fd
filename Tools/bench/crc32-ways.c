/* The speed of each way colfile computes a CRC-32 (Sources/CColFile/crc32.c: 0 = zlib's crc32_z,
 * 1 = 128-bit PCLMULQDQ folding, 2 = eight 256-bit VPCLMULQDQ lanes), and of memcpy as the memory's
 * yardstick, on buffers of 256 KiB (in the L2 cache), 32 MiB (in the L3 cache of some machines) and
 * 800 MiB (in memory) (BENCHMARKS.md,
 * "CRC-32: 256-bit folding"). Each figure is the median GB/s of REPETITIONS passes over the buffer
 * (touched before), the ways alternating pass by pass so that they share the machine's noise.
 * Build: cc -O2 -Wall -I Sources/CColFile/include Tools/bench/crc32-ways.c Sources/CColFile/crc32.c -lz -o /tmp/crc32-ways
 * Usage: /tmp/crc32-ways [REPETITIONS]   (default 15) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "CColFile.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int repetitions = argc > 1 ? atoi(argv[1]) : 15;
    if (repetitions < 1 || repetitions > 1000) { fprintf(stderr, "usage: %s [REPETITIONS 1..1000]\n", argv[0]); return 2; }
    const size_t sizes[] = {256 << 10, 32 << 20, 800 << 20};
    const int ways = colfile_crc32_best_way() + 1, columns = ways + 1;
    unsigned char *source = malloc(sizes[2]), *target = malloc(sizes[2]);
    double *samples = malloc(sizeof(double) * repetitions * columns);
    if (!source || !target || !samples) return 1;
    for (size_t i = 0; i < sizes[2]; i++) source[i] = (unsigned char)(i * 2654435761u >> 13);
    memset(target, 1, sizes[2]);
    printf("%-10s", "bytes");
    for (int way = 0; way < ways; way++) printf("  way %d GB/s", way);
    printf("  memcpy GB/s\n");
    unsigned sink = 0;
    for (int s = 0; s < 3; s++) {
        size_t n = sizes[s];
        int passes = (int)((64 << 20) / n) + 1;  /* at least 64 MiB per sample */
        for (int r = 0; r < repetitions; r++) {
            for (int c = 0; c < columns; c++) {
                double start = now();
                for (int p = 0; p < passes; p++) {
                    if (c < ways) sink += colfile_crc32_by(sink, source, n, c);
                    else { memcpy(target, source, n); sink += target[n / 2]; }
                }
                samples[c * repetitions + r] = (double)n * passes / (now() - start) / 1e9;
            }
        }
        printf("%-10zu", n);
        for (int c = 0; c < columns; c++) {
            qsort(samples + c * repetitions, repetitions, sizeof(double), ascending);
            printf("  %11.1f", samples[c * repetitions + repetitions / 2]);
        }
        printf("\n");
    }
    fprintf(stderr, "(checksum of the checksums, so no pass is optimized away: %08x)\n", sink);
    return 0;
}
