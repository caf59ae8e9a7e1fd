// CRC-32 by folding with carry-less multiplication: Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ Instruction" (Intel, 2009). The folding constants are those
// of Chromium's zlib (crc32_simd.c) for the reflected polynomial 0x04C11DB7. Four 128-bit lanes
// fold 64 bytes per step; the 16 bytes they fold down to, and any tail shorter than 16 bytes, go
// through zlib's `crc32_z`, which avoids the Barrett reduction. zlib 1.2.13 runs at about 7.5 GB/s
// on this project's machine, the folding at about 17 GB/s (BENCHMARKS.md, "Writing").

#include "CColFile.h"

#include <zlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// Folds `x` (128 bits standing 128 bits before `next`) into `next`, using the pair of constants `k`.
__attribute__((target("pclmul,sse4.1")))
static inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

__attribute__((target("pclmul,sse4.1")))
static uint32_t crc32_folding(uint32_t crc, const unsigned char *p, size_t n) {
    // x^(4·128+32), x^(4·128-32) and x^(128+32), x^(128-32) modulo P, bit-reflected.
    const __m128i fourLanes = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
    const __m128i oneLane = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
    __m128i x0 = _mm_loadu_si128((const __m128i *)p);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
    // The running CRC (pre-inverted, as zlib keeps it) enters as the first 32 bits of data.
    x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)~crc));
    p += 64;
    n -= 64;
    while (n >= 64) {
        x0 = fold(x0, fourLanes, _mm_loadu_si128((const __m128i *)p));
        x1 = fold(x1, fourLanes, _mm_loadu_si128((const __m128i *)(p + 16)));
        x2 = fold(x2, fourLanes, _mm_loadu_si128((const __m128i *)(p + 32)));
        x3 = fold(x3, fourLanes, _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    x0 = fold(x0, oneLane, x1);
    x0 = fold(x0, oneLane, x2);
    x0 = fold(x0, oneLane, x3);
    while (n >= 16) {
        x0 = fold(x0, oneLane, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    // x0 has the same remainder as everything folded so far, with a zero initial state:
    // zlib's crc32_z(0xFFFFFFFF, ·) starts from that state (it inverts on entry and exit).
    unsigned char rest[16];
    _mm_storeu_si128((__m128i *)rest, x0);
    uLong folded = crc32_z(0xFFFFFFFFul, rest, sizeof rest);
    return (uint32_t)crc32_z(folded, p, n);
}
#endif

uint32_t colfile_crc32(uint32_t crc, const void *bytes, size_t length) {
#if defined(__x86_64__)
    // The folding needs 64 bytes. From there it is the cheaper one: a 240-byte directory (one
    // column) costs zlib about 1,150 instructions and the folding about 150 (callgrind; the CRC-32
    // of a small file's directory is on every attach, BENCHMARKS.md "Attach: the user-space work
    // at open").
    if (length >= 64 && __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
        return crc32_folding(crc, (const unsigned char *)bytes, length);
    }
#endif
    return (uint32_t)crc32_z(crc, (const Bytef *)bytes, length);
}
