#ifndef CCOLFILE_H
#define CCOLFILE_H

#include <stddef.h>
#include <stdint.h>

/// The CRC-32/ISO-HDLC (zlib's `crc32`) of `length` bytes at `bytes`, continuing from `crc`
/// (0 to start). Uses carry-less multiplication where the CPU has it (VPCLMULQDQ with AVX2, else
/// PCLMULQDQ), else zlib: `colfile_crc32_by` with `colfile_crc32_best_way()`.
uint32_t colfile_crc32(uint32_t crc, const void *bytes, size_t length);

/// The fastest way to compute a CRC-32 this CPU has: 2 = 256-bit carry-less multiplication
/// (VPCLMULQDQ and AVX2), 1 = 128-bit (PCLMULQDQ and SSE4.1), 0 = zlib's `crc32_z`.
int colfile_crc32_best_way(void);

/// `colfile_crc32` by `way` (as `colfile_crc32_best_way` numbers them; at most the best way this
/// CPU has, which the caller checks): for tests of each way on one machine.
uint32_t colfile_crc32_by(uint32_t crc, const void *bytes, size_t length, int way);

/// `renameat2(AT_FDCWD, source, AT_FDCWD, destination, RENAME_EXCHANGE)`: swaps two existing
/// names atomically. Returns 0, or -1 with `errno` set. (Glibc declares it only for _GNU_SOURCE.)
int colfile_rename_exchange(const char *source, const char *destination);

/// `fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length)`: allocates blocks without changing the
/// file's size. Returns 0, or -1 with `errno` set. (Glibc declares it only for _GNU_SOURCE.)
int colfile_allocate_keeping_size(int fd, int64_t offset, int64_t length);

/// `sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE)`: starts writing the range's dirty
/// pages to the disk without waiting for them. Returns 0, or -1 with `errno` set. (Glibc declares
/// it only for _GNU_SOURCE.)
int colfile_start_writeback(int fd, int64_t offset, int64_t length);

/// `fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, …)`: takes (`type` `F_RDLCK` or `F_WRLCK`) or
/// releases (`F_UNLCK`) an open-file-description lock on the bytes `[start, start + length)`.
/// Returns 0, or -1 with `errno` set (`EAGAIN` when `wait` is 0 and another description holds a
/// conflicting lock). (Glibc declares `F_OFD_*` only for _GNU_SOURCE.)
int colfile_ofd_lock(int fd, int type, int64_t start, int64_t length, int wait);

/// `fcntl(fd, F_OFD_GETLK, …)`: whether a lock of `type` on `[start, start + length)` would
/// conflict with a lock another open file description holds. Returns 1 (it would), 0 (it would
/// not), or -1 with `errno` set.
int colfile_ofd_conflicts(int fd, int type, int64_t start, int64_t length);

// zstd (zstd.c): loaded at run time from libzstd.so.1. Call colfile_zstd_load first; the other
// functions may be called only after it returned NULL. Results that are sizes follow zstd's
// convention: test them with colfile_zstd_is_error.

/// Loads libzstd.so.1 (or the library $COLFILE_ZSTD_LIBRARY names) once per process (thread-safe).
/// Returns NULL when it is usable, else why not.
const char *colfile_zstd_load(void);
/// `ZSTD_versionNumber`: e.g. 10504 for 1.5.4.
unsigned colfile_zstd_version(void);
/// `ZSTD_compressBound`: the most bytes a frame of `length` bytes can take.
size_t colfile_zstd_compress_bound(size_t length);
/// `ZSTD_compress2` with the calling thread's context: one frame of `source` at `level` that records
/// its content size and ends with zstd's content checksum (so a decode detects damaged bytes).
size_t colfile_zstd_compress(void *destination, size_t capacity, const void *source, size_t length, int level);
/// `ZSTD_decompressDCtx` with the calling thread's context: decodes every frame of `source` into at
/// most `capacity` bytes; returns the bytes decoded.
size_t colfile_zstd_decompress(void *destination, size_t capacity, const void *source, size_t length);
/// `ZSTD_isError`.
int colfile_zstd_is_error(size_t result);
/// `ZSTD_getErrorName`.
const char *colfile_zstd_error_name(size_t result);
/// `ZSTD_getFrameContentSize`: the decoded size a frame declares; `(unsigned long long)-1` when it
/// declares none, `-2` when `source` does not start with a valid frame header.
unsigned long long colfile_zstd_frame_content_size(const void *source, size_t length);
/// `ZSTD_findFrameCompressedSize`: the length of the first frame of `source` (or an error).
size_t colfile_zstd_frame_compressed_size(const void *source, size_t length);

// The SIGBUS guard of file mappings (mapping_guard.c): a file truncated under a mapping makes a
// read of a vanished page raise SIGBUS; for a registered mapping the handler replaces the whole
// mapping with zero-filled pages and marks it damaged, and the read returns zero. The handler is
// installed on the first registration and hands every other SIGBUS to the handler before it.

/// Registers the mapping [start, start + length) (start page-aligned); `writable` nonzero for a
/// read-write mapping, whose zero-filled replacement is then writable too (stores land in private
/// memory instead of faulting). Returns a handle, or -1 when the mapping cannot be guarded (the
/// registry's 4096 slots are taken, or sigaction failed).
int64_t colfile_guard_register(const void *start, size_t length, int writable);
/// 1 when the mapping of `handle` was replaced by zeros (or marked damaged), else 0.
int colfile_guard_is_damaged(int64_t handle);
/// Marks the mapping of `handle` damaged: its bytes were seen to change after they were checked.
void colfile_guard_mark_damaged(int64_t handle);
/// Removes the registration (before the mapping is unmapped); returns whether it was damaged.
int colfile_guard_unregister(int64_t handle);
/// How many mappings were found damaged (replaced by the handler, or marked) since the process started.
uint64_t colfile_guard_damage_events(void);

// The CSV scanner's block kernel: where a 64-byte block holds delimiters, line ends and quotes,
// as bit masks (bit i for byte i), so the scanner finds every field end of a block from a few
// words instead of testing bytes. Defined here, `static inline`, so that Swift inlines it into
// the scanner's loop (a call a block, its arguments and its result through memory, was about a
// fifth of the loop's instructions). SSE2 (baseline on x86_64): four 16-byte loads, a compare a
// byte class each and one `pmovmskb` a mask; elsewhere a portable loop over eight-byte words.

/// The masks of a 64-byte block: bit i of `delimiters` is set when byte i is the delimiter, of
/// `lineEnds` when it is LF or CR, of `quotes` when it is `"`.
typedef struct {
    uint64_t delimiters;
    uint64_t lineEnds;
    uint64_t quotes;
} colfile_csv_masks;

// COLFILE_CSV_PORTABLE selects the portable path on x86_64 too (to test it against SSE2).
#if defined(__x86_64__) && !defined(COLFILE_CSV_PORTABLE)
#include <emmintrin.h>

/// The masks of the 64 bytes at `bytes` (it reads exactly those 64 bytes).
static inline colfile_csv_masks colfile_csv_block_masks(const uint8_t *bytes, uint8_t delimiter) {
    const __m128i delimiters = _mm_set1_epi8((char)delimiter);
    const __m128i lineFeeds = _mm_set1_epi8('\n');
    const __m128i carriageReturns = _mm_set1_epi8('\r');
    const __m128i quotes = _mm_set1_epi8('"');
    colfile_csv_masks masks = { 0, 0, 0 };
    for (int lane = 0; lane < 4; lane++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(bytes + 16 * lane));
        const __m128i lineEnds = _mm_or_si128(_mm_cmpeq_epi8(v, lineFeeds), _mm_cmpeq_epi8(v, carriageReturns));
        masks.delimiters |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, delimiters)) << (16 * lane);
        masks.lineEnds |= (uint64_t)(uint16_t)_mm_movemask_epi8(lineEnds) << (16 * lane);
        masks.quotes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quotes)) << (16 * lane);
    }
    return masks;
}

#else

/// High bits at exactly the zero bytes of `word` (no borrow between bytes), gathered into the
/// word's low eight bits.
static inline uint64_t colfile_csv_zero_byte_bits(uint64_t word) {
    const uint64_t low = 0x7F7F7F7F7F7F7F7FULL;
    const uint64_t high = ~(((word & low) + low) | word) & ~low;
    return ((high >> 7) * 0x0102040810204080ULL) >> 56;
}

/// The masks of the 64 bytes at `bytes` (it reads exactly those 64 bytes).
static inline colfile_csv_masks colfile_csv_block_masks(const uint8_t *bytes, uint8_t delimiter) {
    const uint64_t ones = 0x0101010101010101ULL;
    colfile_csv_masks masks = { 0, 0, 0 };
    for (int word = 0; word < 8; word++) {
        uint64_t w = 0;
        for (int byte = 7; byte >= 0; byte--) w = w << 8 | bytes[8 * word + byte];
        masks.delimiters |= colfile_csv_zero_byte_bits(w ^ (ones * delimiter)) << (8 * word);
        masks.lineEnds |= (colfile_csv_zero_byte_bits(w ^ (ones * '\n'))
                           | colfile_csv_zero_byte_bits(w ^ (ones * '\r'))) << (8 * word);
        masks.quotes |= colfile_csv_zero_byte_bits(w ^ (ones * '"')) << (8 * word);
    }
    return masks;
}

#endif

// A hint for the importer's wide blocks (BlockStep): a column's fields lie a record apart
// (hundreds of KB at 50,000 columns), too many streams for the processor's own prefetcher, so
// the importer asks for the text of the columns it takes before converting them.

/// Asks the processor to load the cache line holding `address` for reading (`__builtin_prefetch`,
/// into every cache level): a hint only, which never faults, whatever the address.
static inline void colfile_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Tells glibc's allocator to serve allocations below `mmap_threshold` bytes from its heap (not
/// an `mmap` of their own) and to keep up to `trim_threshold` bytes of freed memory there
/// (`mallopt(M_MMAP_THRESHOLD)`, `mallopt(M_TRIM_THRESHOLD)`); returns 1 when both were
/// accepted. Process-wide: for the `colfile` tool's commands, not the library.
int colfile_keep_freed_memory(int mmap_threshold, int trim_threshold);

#endif
