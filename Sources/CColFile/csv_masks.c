// The CSV scanner's block kernel: where a 64-byte block holds separators and quotes, as bit masks
// (bit i for byte i), so the scanner finds every field end of a block from two words instead of
// testing bytes. SSE2 (baseline on x86_64): four 16-byte loads, a compare a byte class each and
// one `pmovmskb` a mask; elsewhere a portable loop over eight-byte words.

#include "CColFile.h"

#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>

colfile_csv_masks colfile_csv_block_masks(const uint8_t *bytes, uint8_t delimiter) {
    const __m128i delimiters = _mm_set1_epi8((char)delimiter);
    const __m128i lineFeeds = _mm_set1_epi8('\n');
    const __m128i carriageReturns = _mm_set1_epi8('\r');
    const __m128i quotes = _mm_set1_epi8('"');
    uint64_t separatorBits = 0;
    uint64_t quoteBits = 0;
    for (int lane = 0; lane < 4; lane++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(bytes + 16 * lane));
        const __m128i separators = _mm_or_si128(_mm_cmpeq_epi8(v, delimiters),
                                                _mm_or_si128(_mm_cmpeq_epi8(v, lineFeeds), _mm_cmpeq_epi8(v, carriageReturns)));
        separatorBits |= (uint64_t)(uint16_t)_mm_movemask_epi8(separators) << (16 * lane);
        quoteBits |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quotes)) << (16 * lane);
    }
    return (colfile_csv_masks){ separatorBits, quoteBits };
}

#else

/// High bits at exactly the zero bytes of `word` (no borrow between bytes).
static inline uint64_t zero_bytes(uint64_t word) {
    const uint64_t low = 0x7F7F7F7F7F7F7F7FULL;
    return ~(((word & low) + low) | word) & ~low;
}

/// The high bits of a word's eight bytes gathered into its low eight bits.
static inline uint64_t gather_high_bits(uint64_t bits) {
    return ((bits >> 7) * 0x0102040810204080ULL) >> 56;
}

colfile_csv_masks colfile_csv_block_masks(const uint8_t *bytes, uint8_t delimiter) {
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t delimiters = ones * delimiter, lineFeeds = ones * '\n', carriageReturns = ones * '\r', quotes = ones * '"';
    uint64_t separatorBits = 0;
    uint64_t quoteBits = 0;
    for (int word = 0; word < 8; word++) {
        uint64_t w = 0;
        for (int byte = 7; byte >= 0; byte--) w = w << 8 | bytes[8 * word + byte];
        const uint64_t separators = zero_bytes(w ^ delimiters) | zero_bytes(w ^ lineFeeds) | zero_bytes(w ^ carriageReturns);
        separatorBits |= gather_high_bits(separators) << (8 * word);
        quoteBits |= gather_high_bits(zero_bytes(w ^ quotes)) << (8 * word);
    }
    return (colfile_csv_masks){ separatorBits, quoteBits };
}

#endif
