// CRC-32 by folding with carry-less multiplication: Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ Instruction" (Intel, 2009). The folding constants are those
// of Chromium's zlib (crc32_simd.c) for the reflected polynomial 0x04C11DB7; those of the 256-bit
// folding are x^(2048 ± 32) and x^(256 ± 32) modulo P, bit-reflected, computed the same way. Where
// the CPU has VPCLMULQDQ and AVX2, eight 256-bit lanes fold 256 bytes per step; else four 128-bit
// lanes fold 64 bytes per step. The 16 bytes they fold down to are reduced to 32 bits by Barrett's
// reduction, and any tail shorter than 16 bytes goes byte by byte through a table of 16 entries.
// On this project's machine (AMD EPYC, BENCHMARKS.md "CRC-32: 256-bit folding") zlib 1.2.13 runs at
// about 7.5 GB/s, the 128-bit folding at 12.8 GB/s and the 256-bit folding at 24.7 GB/s on bytes in
// the cache. Checked against zlib's `crc32_z` for every length to 1,100 at 32 alignments, each way
// (CRC32WayTests), and by WriterChecksumTests.

#include "CColFile.h"

#include <zlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// The CRC-32 of each 4-bit value (reflected polynomial 0xEDB88320), for a tail shorter than 16
/// bytes, two lookups a byte: 64 bytes beside the folding's constants instead of zlib's 1 KiB table
/// on a page (and its `get_crc_table` on a page of code) of their own. An attach makes two CRC-32s,
/// and after the unmap of a large mapping, which flushes the whole TLB, each page it touches costs
/// a TLB miss (BENCHMARKS.md, "Attach: the user-space work at open").
static const uint32_t nibble_table[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

/// Folds `x` (128 bits standing 128 bits before `next`) into `next`, using the pair of constants `k`.
__attribute__((target("pclmul,sse4.1")))
static inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

/// The CRC-32 state after `x` (128 bits holding the remainder of everything folded so far, with
/// a zero initial state): fold to 64 bits, then Barrett's reduction to 32 (Gopal et al. §4; the
/// constants x^64 mod P and P, µ of Chromium's crc32_simd.c). Cheaper than passing the 16 bytes
/// to zlib's `crc32_z`, about 120 instructions a call (BENCHMARKS.md, "Attach: the user-space work
/// at open").
__attribute__((target("pclmul,sse4.1")))
static inline uint32_t reduce(__m128i x, __m128i oneLane) {
    const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
    const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124);
    const __m128i poly = _mm_set_epi64x(0x1f7011641, 0x1db710641);
    // 128 bits to 64.
    __m128i t = _mm_clmulepi64_si128(x, oneLane, 0x10);
    x = _mm_xor_si128(_mm_srli_si128(x, 8), t);
    t = _mm_srli_si128(x, 4);
    x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, low32), k5, 0x00), t);
    // Barrett's reduction to 32 bits.
    t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), poly, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly, 0x00);
    return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x, t), 1);
}

/// Folds `x` (256 bits standing 256 bits before `next`, or 2048 bits with the far constants) into
/// `next`, each 128-bit half by the pair of constants in the same half of `k`.
__attribute__((target("vpclmulqdq,avx2,pclmul")))
static inline __m256i fold_256(__m256i x, __m256i k, __m256i next) {
    return _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(x, k, 0x00), _mm256_clmulepi64_epi128(x, k, 0x11)), next);
}

/// Folds the bytes at `*p` (`*n` of them, at least 256) with eight 256-bit lanes, 256 bytes per
/// step while 256 remain, into 128 bits holding their remainder (with the running, pre-inverted
/// `crc` as the first 32 bits of data); advances `*p` and `*n` past them (under 256 bytes remain).
__attribute__((target("vpclmulqdq,avx2,pclmul")))
static __m128i fold_wide(uint32_t crc, const unsigned char **p, size_t *n) {
    // x^(2048+32), x^(2048-32) and x^(256+32), x^(256-32) modulo P, bit-reflected, in both halves.
    const __m256i eightLanes = _mm256_set_epi64x(0x1322d1430, 0x11542778a, 0x1322d1430, 0x11542778a);
    const __m256i oneWideLane = _mm256_set_epi64x(0x15a546366, 0x0f1da05aa, 0x15a546366, 0x0f1da05aa);
    const __m128i oneLane = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
    const unsigned char *q = *p;
    size_t left = *n;
    __m256i y[8];
    for (int lane = 0; lane < 8; lane++) {
        y[lane] = _mm256_loadu_si256((const __m256i *)(q + 32 * lane));
    }
    y[0] = _mm256_xor_si256(y[0], _mm256_zextsi128_si256(_mm_cvtsi32_si128((int)~crc)));
    q += 256;
    left -= 256;
    while (left >= 256) {
        for (int lane = 0; lane < 8; lane++) {
            y[lane] = fold_256(y[lane], eightLanes, _mm256_loadu_si256((const __m256i *)(q + 32 * lane)));
        }
        q += 256;
        left -= 256;
    }
    __m256i folded = y[0];
    for (int lane = 1; lane < 8; lane++) {
        folded = fold_256(folded, oneWideLane, y[lane]);
    }
    *p = q;
    *n = left;
    return fold(_mm256_castsi256_si128(folded), oneLane, _mm256_extracti128_si256(folded, 1));
}

/// `n` (at least 16) bytes at `p`: the 256-bit lanes while 256 bytes remain when `wide` (the
/// caller checked the CPU has them), else four 128-bit lanes fold 64 bytes per step while 64
/// remain (one lane from the start when fewer do: the header's 56 bytes); then one lane 16 bytes
/// per step; the last `n % 16` bytes go byte by byte through the nibble table.
__attribute__((target("pclmul,sse4.1")))
static uint32_t crc32_folding(uint32_t crc, const unsigned char *p, size_t n, int wide) {
    // x^(4·128+32), x^(4·128-32) and x^(128+32), x^(128-32) modulo P, bit-reflected.
    const __m128i fourLanes = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
    const __m128i oneLane = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
    __m128i x0;
    if (wide && n >= 256) {
        x0 = fold_wide(crc, &p, &n);
    } else {
        // The running CRC (pre-inverted, as zlib keeps it) enters as the first 32 bits of data.
        x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)~crc));
        if (n >= 64) {
            __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
            __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
            __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
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
        } else {
            p += 16;
            n -= 16;
        }
    }
    while (n >= 16) {
        x0 = fold(x0, oneLane, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    // x0 has the same remainder as everything folded so far, with a zero initial state; its
    // reduction is the running (pre-inverted) state.
    uint32_t state = reduce(x0, oneLane);
    while (n > 0) {
        state ^= *p++;
        state = (state >> 4) ^ nibble_table[state & 0xf];
        state = (state >> 4) ^ nibble_table[state & 0xf];
        n--;
    }
    return ~state;
}
#endif

int colfile_crc32_best_way(void) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
        return __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx2") ? 2 : 1;
    }
#endif
    return 0;
}

uint32_t colfile_crc32_by(uint32_t crc, const void *bytes, size_t length, int way) {
#if defined(__x86_64__)
    // The folding needs 16 bytes. From there it is the cheaper one: a 240-byte directory (one
    // column) costs zlib about 1,150 instructions and the folding about 150, the header's 56 bytes
    // zlib about 390 (callgrind; both CRC-32s are on every attach, BENCHMARKS.md "Attach: the
    // user-space work at open").
    if (length >= 16 && way >= 1) {
        return crc32_folding(crc, (const unsigned char *)bytes, length, way >= 2);
    }
#endif
    return (uint32_t)crc32_z(crc, (const Bytef *)bytes, length);
}

uint32_t colfile_crc32(uint32_t crc, const void *bytes, size_t length) {
    return colfile_crc32_by(crc, bytes, length, colfile_crc32_best_way());
}
