/* Memory-bandwidth reference for Tools/bench/peers.py: the C limit of a Float64 sum and of memcpy
 * over N doubles in memory (warm), with 16 independent lanes (four 4-wide vector accumulators).
 * Build: cc -O3 -march=native -o membw membw.c
 * Usage: membw ROWS REPETITIONS  -> one JSON object of per-repetition GB/s samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef double v4 __attribute__((vector_size(32)));

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double sum(const double *x, size_t n) {
    v4 a = {0}, b = {0}, c = {0}, d = {0};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v4 p, q, r, s;
        memcpy(&p, x + i, 32); memcpy(&q, x + i + 4, 32);
        memcpy(&r, x + i + 8, 32); memcpy(&s, x + i + 12, 32);
        a += p; b += q; c += r; d += s;
    }
    v4 t = (a + b) + (c + d);
    double total = t[0] + t[1] + t[2] + t[3];
    for (; i < n; i++) total += x[i];
    return total;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: membw ROWS REPETITIONS\n"); return 2; }
    size_t n = strtoull(argv[1], 0, 10);
    int reps = atoi(argv[2]);
    double *x = aligned_alloc(64, ((n * 8 + 63) / 64) * 64), *y = aligned_alloc(64, ((n * 8 + 63) / 64) * 64);
    if (!x || !y) { fprintf(stderr, "membw: out of memory\n"); return 1; }
    for (size_t i = 0; i < n; i++) { x[i] = (double)(i % 1000) * 0.5; y[i] = 0; }
    double bytes = (double)n * 8, consumed = 0;
    printf("{\"cSumGBps\": [");
    for (int r = 0; r < reps; r++) {
        double t0 = now(); consumed += sum(x, n); double t1 = now();
        printf("%s%.4f", r ? ", " : "", bytes / (t1 - t0) / 1e9);
    }
    printf("], \"cMemcpyGBps\": [");
    for (int r = 0; r < reps; r++) {
        double t0 = now(); memcpy(y, x, n * 8); double t1 = now(); consumed += y[n / 2];
        printf("%s%.4f", r ? ", " : "", bytes / (t1 - t0) / 1e9);
    }
    printf("], \"consumed\": %.1f}\n", consumed);
    return 0;
}
