import ColFile

/// A broken fixture: `Fixtures/broken/NAME.col`, a committed fixture (a golden file or a fuzz
/// seed) with one deliberate, deterministic edit, and the exact error a reader must report for it.
public struct BrokenFixture: Sendable {
    /// When the error appears.
    public enum Stage: Sendable, Equatable {
        /// `ColFileReader.open` throws.
        case open
        /// The file opens; `stringColumn(NAME)` throws.
        case stringColumn(String)
        /// The file opens; reading every column's values through the views throws (for a cold
        /// column, when it is first decoded: chunk-level errors never surface at open,
        /// Specification.md §13.3); `verify()` throws the same error.
        case readValues
        /// The file opens; `verify()` throws.
        case verify
    }

    /// The fixture's name: the file is `broken/NAME.col`.
    public let name: String
    /// The committed file it is derived from, relative to `Fixtures/`.
    public let base: String
    /// When the error appears.
    public let stage: Stage
    /// The reader's ``ReaderOptions/maxDecodedBytes`` for this fixture; nil for the default.
    public let maxDecodedBytes: UInt64?
    /// The error's code.
    public let code: ColFileError.Code
    /// The error's ``ColFileError/description`` after its leading `PATH: `.
    public let message: String
    private let edit: @Sendable (inout FileBytes) -> Void

    init(_ name: String, base: String = "spec-example.col", stage: Stage = .open, maxDecodedBytes: UInt64? = nil,
         _ code: ColFileError.Code, _ message: String, edit: @escaping @Sendable (inout FileBytes) -> Void) {
        self.name = name
        self.base = base
        self.stage = stage
        self.maxDecodedBytes = maxDecodedBytes
        self.code = code
        self.message = message
        self.edit = edit
    }

    /// The committed file's path.
    public var path: String { RepositoryPaths.fixture("broken/" + name + ".col") }

    /// The options to read this fixture with: `coldColumns` and `cacheFolder` as given, and the
    /// fixture's decode cap.
    public func readerOptions(coldColumns: ReaderOptions.ColdColumnPolicy,
                              cacheFolder: String? = nil) -> ReaderOptions {
        ReaderOptions(coldColumns: coldColumns, cacheFolder: cacheFolder, maxDecodedBytes: maxDecodedBytes)
    }

    /// The broken file's bytes, made now from the committed base file.
    public func derivedBytes() throws -> [UInt8] {
        var file = FileBytes(try Files.read(RepositoryPaths.fixture(base)))
        edit(&file)
        return file.bytes
    }
}

/// Every broken fixture, by name. Unless stated, each is derived from `spec-example.col`
/// (Specification.md §12): column 0 `id` (Int32, values at 64), column 1 `name` (String:
/// validity at 128, offsets at 192, values at 256), directory at 320. Most cold-column ones are
/// derived from `cold.col` (see ``ColdFixture``): column 0 `id` values at 64 (chunk index of 3
/// entries at 80, chunks at 152, 984, 1810), 1 `price` values at 1984, 2 `label` (validity at 2688,
/// offsets at 2752, values at 4352), 3 `flag` at 6400, 4 `embedding` (validity at 6464, values at 6592);
/// the rest, whose base is ``coldSeed``, repeat those checks on a seed of the fuzz target.
public enum BrokenFixtures {
    /// The fuzz seed `fuzz-corpus/cold-int32.col` (written by `ColFileFuzzer --make-seeds`, not by
    /// `Tools/regenerate-fixtures.sh`): one cold Int32 column `n` of 2,500 rows (10,000 decoded
    /// bytes) in 4 KiB chunks; its values buffer at 64 starts with the chunk index (3 chunks),
    /// entries at 80, 104 and 128, chunk 0's zlib stream at 152.
    static let coldSeed = "fuzz-corpus/cold-int32.col"
    /// The fuzz target's decode cap (`FuzzInput.maxDecodedBytes`): 64 MiB per column.
    static let fuzzTargetDecodeCap: UInt64 = 64 << 20

    /// The names of all broken fixtures, in catalog order.
    public static var names: [String] { all.map(\.name) }

    /// The fixture named `name`.
    public static func named(_ name: String) -> BrokenFixture {
        guard let fixture = all.first(where: { $0.name == name }) else { preconditionFailure("no broken fixture \(name)") }
        return fixture
    }

    /// The catalog, in the order of the checks of Specification.md §9.
    public static let all: [BrokenFixture] = [
        BrokenFixture("too-short", .truncated,
            "file is too short to be a colfile file (expected at least 96 bytes, found 95 bytes)") { $0.bytes.removeLast($0.count - 95) },
        BrokenFixture("truncated", .truncated,
            "file is truncated (expected 760 bytes, found 759 bytes)") { $0.bytes.removeLast() },
        BrokenFixture("trailing-bytes", .trailingBytes,
            "file has bytes after its trailer at offset 760 (expected 760 bytes, found 824 bytes)") { $0.bytes += [UInt8](repeating: 0, count: 64) },
        BrokenFixture("bad-magic", .badMagic,
            "not a colfile file: the first 8 bytes are not the colfile magic at offset 0") { $0.bytes[1] = UInt8(ascii: "X") },
        BrokenFixture("future-major-version", .unsupportedMajorVersion,
            "format major version 2 is not supported by this reader at offset 8 (expected 1, found 2)") {
            $0.store(UInt16(2), at: 8)
            $0.resealHeader()
        },
        BrokenFixture("bad-header-length", .badHeader,
            "invalid header length at offset 12 (expected 64, found 65)") {
            $0.store(UInt32(65), at: 12)
            $0.resealHeader()
        },
        BrokenFixture("bad-header-checksum", .headerChecksumMismatch,
            "header checksum mismatch at offset 60 (expected 0x70c167fc, found 0xf04bdb08)") { $0.bytes[24] ^= 0xFF },
        BrokenFixture("required-feature-flag", .unsupportedFeatures,
            "the file needs features this reader does not have at offset 16 (expected 0x00000000, found 0x00000001)") {
            $0.store(UInt32(1), at: 16)
            $0.resealHeader()
        },
        BrokenFixture("bad-directory-location", .badDirectoryLocation,
            "the header gives an impossible directory location at offset 40 (expected offset a multiple of 64 and length 64 to 1073741824, found offset 328 length 408)") {
            $0.store(UInt64($0.directoryOffset + 8), at: 40)
            $0.resealHeader()
        },
        BrokenFixture("bad-trailer", .badTrailer,
            "the trailer's end magic is missing at offset 752") { $0.bytes[$0.count - 1] = 0 },
        BrokenFixture("bad-directory-checksum", .directoryChecksumMismatch,
            "directory checksum mismatch at offset 320 (expected 0x08d3f2ff, found 0xa6bb636e)") { $0.bytes[$0.heapOffset] ^= 0x01 },
        BrokenFixture("bad-directory-magic", .badDirectory,
            "the directory does not start with its magic 'CDIR' at offset 320") {
            $0.bytes[$0.directoryOffset] = UInt8(ascii: "X")
            $0.resealDirectory()
        },
        BrokenFixture("bad-metadata", base: "metadata.col", .badMetadata,
            "metadata entry runs past the end of its block at offset 1098") {
            let block = $0.heapOffset + Int($0.load(UInt32.self, at: $0.directoryOffset + 36))
            $0.store($0.load(UInt32.self, at: block) + 1, at: block)
            $0.resealDirectory()
        },
        BrokenFixture("empty-column-name", .badColumnName,
            "column name length is out of range at offset 388 (expected 1 to 1024, found 0)") {
            $0.store(UInt32(0), at: $0.recordOffset(0) + 4)
            $0.resealDirectory()
        },
        BrokenFixture("unknown-physical-type", .unknownPhysicalType,
            "column 'id': unknown physical type at offset 392 (expected 1 to 16, found 200)") {
            $0.bytes[$0.recordOffset(0) + 8] = 200
            $0.resealDirectory()
        },
        BrokenFixture("unknown-codec", .unsupportedCodec,
            "column 'id': unsupported codec at offset 396 (expected 0 or 1, found 7)") {
            $0.bytes[$0.recordOffset(0) + 12] = 7
            $0.resealDirectory()
        },
        BrokenFixture("time-unit-on-integer", .badColumnType,
            "column 'id': invalid time unit at offset 394 (expected 0 (not a timestamp), found 1)") {
            $0.bytes[$0.recordOffset(0) + 10] = 1
            $0.resealDirectory()
        },
        BrokenFixture("timestamp-on-int32", .logicalTypeMismatch,
            "column 'id': logical type needs another physical type at offset 393 (expected Int64 with rank 0, found Int32 with rank 0)") {
            $0.bytes[$0.recordOffset(0) + 9] = 1
            $0.resealDirectory()
        },
        BrokenFixture("row-count-mismatch", .rowCountMismatch,
            "column 'id': row count differs from the table's at offset 400 (expected 3, found 4)") {
            $0.store(UInt64(4), at: $0.recordOffset(0) + 16)
            $0.resealDirectory()
        },
        BrokenFixture("null-count-exceeds-rows", .badNullCount,
            "column 'name': null count exceeds the row count at offset 568 (expected at most 3, found 4)") {
            $0.store(UInt64(4), at: $0.recordOffset(1) + 24)
            $0.resealDirectory()
        },
        BrokenFixture("buffer-length-mismatch", .bufferLengthMismatch,
            "column 'id': values buffer length does not match the row count at offset 512 (expected 16, found 12)") {
            $0.store(UInt64(4), at: $0.directoryOffset + 8)
            $0.store(UInt64(4), at: $0.recordOffset(0) + 16)
            $0.store(UInt64(4), at: $0.recordOffset(1) + 16)
            $0.resealDirectory()
        },
        BrokenFixture("buffer-past-end", .bufferOutOfBounds,
            "column 'id': values buffer lies outside the data region at offset 504 (expected within bytes 64..<320, found offset 320 length 12)") {
            $0.store(UInt64($0.directoryOffset), at: $0.descriptorOffset(column: 0, slot: 2))
            $0.resealDirectory()
        },
        BrokenFixture("misaligned-buffer", .misalignedBuffer,
            "column 'name': offsets buffer is not 64-byte aligned at offset 632 (expected a multiple of 64, found 200)") {
            $0.store(UInt64($0.bufferOffset(column: 1, slot: 1) + 8), at: $0.descriptorOffset(column: 1, slot: 1))
            $0.resealDirectory()
        },
        BrokenFixture("overlapping-buffers", .overlappingBuffers,
            "column 'name': offsets buffer overlaps the previous buffer at offset 632 (expected offset at least 129, found 128)") {
            $0.store(UInt64($0.bufferOffset(column: 1, slot: 0)), at: $0.descriptorOffset(column: 1, slot: 1))
            $0.resealDirectory()
        },
        BrokenFixture("first-offset-not-zero", .badOffsets,
            "column 'name': the first offset is not 0 at offset 192 (expected 0, found 1)") {
            $0.store(UInt32(1), at: $0.bufferOffset(column: 1, slot: 1))
            $0.resealBuffer(column: 1, slot: 1)
        },
        BrokenFixture("name-index-entry-out-of-range", .badNameIndex,
            "name index entry is not a column at offset 704 (expected below 2, found 7)") {
            $0.store(UInt32(7), at: $0.directoryOffset + Int($0.load(UInt32.self, at: $0.directoryOffset + 24)))
            $0.resealDirectory()
        },
        BrokenFixture("name-index-unsorted", .badNameIndex,
            "column names are not unique and sorted in the name index at offset 708") {
            let index = $0.directoryOffset + Int($0.load(UInt32.self, at: $0.directoryOffset + 24))
            let first = $0.load(UInt32.self, at: index)
            $0.store($0.load(UInt32.self, at: index + 4), at: index)
            $0.store(first, at: index + 4)
            $0.resealDirectory()
        },
        BrokenFixture("offsets-not-increasing", stage: .stringColumn("name"), .offsetsNotIncreasing,
            "column 'name': offset 2 is smaller than offset 1 at offset 200") {
            let offsets = $0.bufferOffset(column: 1, slot: 1)
            $0.store(UInt32(3), at: offsets + 4)
            $0.store(UInt32(1), at: offsets + 8)
            $0.resealBuffer(column: 1, slot: 1)
        },
        // Cold columns (Specification.md §13.3): the chunk index header, at open.
        BrokenFixture("chunk-index-bad-magic", base: "cold.col", .badChunkIndex,
            "column 'id': the compressed buffer does not start with a chunk index at offset 64") {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2)] = UInt8(ascii: "X")
        },
        BrokenFixture("cold-bad-chunk-index-magic", base: coldSeed, .badChunkIndex,
            "column 'n': the compressed buffer does not start with a chunk index at offset 64") {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2)] = UInt8(ascii: "X")
        },
        BrokenFixture("chunk-size-not-multiple-of-64", base: "cold.col", .badChunkIndex,
            "column 'id': invalid chunk size at offset 72 (expected a multiple of 64 from 4096 to 67108864, found 4100)") {
            $0.store(UInt32(4100), at: $0.bufferOffset(column: 0, slot: 2) + 8)
        },
        BrokenFixture("chunk-count-mismatch", base: "cold.col", .badChunkIndex,
            "column 'id': chunk count does not match the decoded length at offset 68 (expected 3, found 4)") {
            $0.store(UInt32(4), at: $0.bufferOffset(column: 0, slot: 2) + 4)
        },
        BrokenFixture("chunk-index-past-buffer", base: "cold.col", .badChunkIndex,
            "column 'id': the chunk index runs past the end of its buffer at offset 64 (expected at most 32 bytes, found 88 bytes)") {
            $0.store(UInt64(32), at: $0.descriptorOffset(column: 0, slot: 2) + 8)
            $0.resealDirectory()
        },
        // Cold columns: the chunk entries, when the column is first decoded.
        BrokenFixture("chunk-wrong-decoded-length", base: "cold.col", stage: .readValues, .chunkOutOfRange,
            "column 'id': chunk 2: the index gives the wrong decoded length at offset 140 (expected 608, found 607)") {
            $0.store(UInt32(607), at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 2) + 12)
        },
        BrokenFixture("cold-chunk-decoded-length-wrong", base: coldSeed, stage: .readValues, .chunkOutOfRange,
            "column 'n': chunk 0: the index gives the wrong decoded length at offset 92 (expected 4096, found 4095)") {
            $0.store(UInt32(4095), at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 0) + 12)
        },
        BrokenFixture("chunk-past-buffer", base: "cold.col", stage: .readValues, .chunkOutOfRange,
            "column 'price': chunk 2: the compressed bytes lie outside their buffer at offset 2048 (expected within 675 bytes, found offset 529 length 147)") {
            let entry = $0.chunkEntryOffset(column: 1, slot: 2, chunk: 2)
            $0.store($0.load(UInt32.self, at: entry + 8) + 1, at: entry + 8)
        },
        BrokenFixture("overlapping-chunks", base: "cold.col", stage: .readValues, .overlappingChunks,
            "column 'label': chunk 1: the compressed bytes overlap the index or the previous chunk at offset 2792 (expected offset at least 1409, found 1408)") {
            let entry = $0.chunkEntryOffset(column: 2, slot: 1, chunk: 1)
            $0.store($0.load(UInt64.self, at: entry) - 1, at: entry)
        },
        BrokenFixture("chunk-overlaps-index", base: "cold.col", stage: .readValues, .overlappingChunks,
            "column 'embedding': chunk 0: the compressed bytes overlap the index or the previous chunk at offset 6608 (expected offset at least 88, found 87)") {
            let entry = $0.chunkEntryOffset(column: 4, slot: 2, chunk: 0)
            $0.store($0.load(UInt64.self, at: entry) - 1, at: entry)
        },
        BrokenFixture("cold-chunks-overlap", base: coldSeed, stage: .readValues, .overlappingChunks,
            "column 'n': chunk 1: the compressed bytes overlap the index or the previous chunk at offset 104 (expected offset at least 275, found 88)") {
            let first = $0.chunkEntryOffset(column: 0, slot: 2, chunk: 0)
            $0.store($0.load(UInt64.self, at: first), at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 1))
        },
        // Cold columns: each chunk as it is decoded.
        BrokenFixture("corrupt-chunk", base: "cold.col", stage: .readValues, .corruptChunk,
            "column 'embedding': chunk 1: the compressed stream is truncated or corrupt at offset 8249 (found zlib status -3)") {
            $0.bytes[$0.chunkOffset(column: 4, slot: 2, chunk: 1) + 600] ^= 0xFF
        },
        BrokenFixture("cold-corrupt-zlib-stream", base: coldSeed, stage: .readValues, .corruptChunk,
            "column 'n': chunk 0: the compressed stream is truncated or corrupt at offset 152 (found zlib status -3)") {
            $0.bytes[$0.chunkOffset(column: 0, slot: 2, chunk: 0)] = 0
        },
        BrokenFixture("truncated-chunk", base: "cold.col", stage: .readValues, .corruptChunk,
            "column 'label': chunk 0: the compressed stream is truncated or corrupt at offset 2728 (found zlib status -3)") {
            let entry = $0.chunkEntryOffset(column: 2, slot: 0, chunk: 0)
            $0.store($0.load(UInt32.self, at: entry + 8) - 8, at: entry + 8)
        },
        BrokenFixture("chunk-trailer-missing", base: "cold.col", stage: .readValues, .corruptChunk,
            "column 'flag': chunk 0: the compressed stream is truncated or corrupt at offset 6440 (found zlib status -5)") {
            let entry = $0.chunkEntryOffset(column: 3, slot: 2, chunk: 0)
            $0.store($0.load(UInt32.self, at: entry + 8) - 1, at: entry + 8)
        },
        BrokenFixture("chunk-stray-bytes", base: "cold.col", stage: .readValues, .corruptChunk,
            "column 'id': chunk 0: the compressed stream ends before the chunk's bytes do at offset 152 (expected 833, found 832 bytes of stream and 1 stray)") {
            $0.rearrangeChunks(column: 0, slot: 2) { streams in
                streams[0].append(streams[1].removeFirst())
            }
        },
        BrokenFixture("chunk-length-mismatch", base: "cold.col", stage: .readValues, .chunkLengthMismatch,
            "column 'id': chunk 0: the chunk decodes to fewer bytes than its index says at offset 152 (expected 4096, found 608)") {
            $0.rearrangeChunks(column: 0, slot: 2) { $0.swapAt(0, 2) }
        },
        BrokenFixture("cold-chunk-decodes-too-long", base: coldSeed, stage: .readValues, .chunkLengthMismatch,
            "column 'n': chunk 2: the chunk decodes to more bytes than its index says at offset 528 (expected 1408, found more)") {
            // 2,400 rows: the last chunk should decode to 1,408 bytes, but its stream holds 1,808.
            $0.store(UInt64(2400), at: $0.directoryOffset + 8)
            $0.store(UInt64(2400), at: $0.recordOffset(0) + 16)
            $0.store(UInt64(9600), at: $0.descriptorOffset(column: 0, slot: 2) + 16)
            $0.store(UInt32(1408), at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 2) + 12)
            $0.resealDirectory()
        },
        BrokenFixture("chunk-checksum-mismatch", base: "cold.col", stage: .verify, .chunkChecksumMismatch,
            "column 'label': chunk 1: decoded chunk checksum mismatch at offset 5553 (expected 0xdff135b4, found 0xdff135b5)") {
            $0.bytes[$0.chunkEntryOffset(column: 2, slot: 2, chunk: 1) + 16] ^= 0x01
        },
        BrokenFixture("cold-chunk-checksum-mismatch", base: coldSeed, stage: .verify, .chunkChecksumMismatch,
            "column 'n': chunk 1: decoded chunk checksum mismatch at offset 339 (expected 0x65acf9f0, found 0x65acf90f)") {
            $0.bytes[$0.chunkEntryOffset(column: 0, slot: 2, chunk: 1) + 16] ^= 0xFF
        },
        BrokenFixture("cold-verify-over-decode-cap", base: coldSeed, stage: .verify, maxDecodedBytes: fuzzTargetDecodeCap,
            .decodeLimitExceeded,
            "column 'n': decoding the column needs more memory than allowed (expected at most 67108864 bytes, found 134219536 bytes)") {
            // 64 MiB chunks: two full ones and the last 1,808 bytes, 134,219,536 bytes in all,
            // claimed by a 1 KiB file. verify() decoded without the cap and allocated all of it.
            let rows = UInt64(2 * (64 << 20) + 1808) / 4
            $0.store(rows, at: $0.directoryOffset + 8)
            $0.store(rows, at: $0.recordOffset(0) + 16)
            $0.store(rows * 4, at: $0.descriptorOffset(column: 0, slot: 2) + 16)
            $0.store(UInt32(64 << 20), at: $0.bufferOffset(column: 0, slot: 2) + 8)
            $0.store(UInt32(64 << 20), at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 0) + 12)
            $0.store(UInt32(64 << 20), at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 1) + 12)
            $0.resealDirectory()
        },
        BrokenFixture("cold-buffer-checksum-mismatch", base: "cold.col", stage: .verify, .bufferChecksumMismatch,
            "column 'flag': values buffer checksum mismatch at offset 6400 (expected 0xee41ab06, found 0xee41ab07)") {
            $0.bytes[$0.descriptorOffset(column: 3, slot: 2) + 24] ^= 0x01
            $0.resealDirectory()
        },
        BrokenFixture("buffer-checksum-mismatch", stage: .verify, .bufferChecksumMismatch,
            "column 'id': values buffer checksum mismatch at offset 64 (expected 0xb0e02293, found 0x86f953f6)") {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2)] ^= 0xFF
        },
        BrokenFixture("null-count-disagrees", stage: .verify, .badNullCount,
            "column 'name': null count disagrees with the validity bitmap at offset 128 (expected 1, found 0)") {
            $0.store(UInt64(0), at: $0.recordOffset(1) + 24)
            $0.resealDirectory()
        },
        BrokenFixture("invalid-utf8", stage: .verify, .invalidUTF8,
            "column 'name': the strings are not valid UTF-8 at offset 257") {
            $0.bytes[$0.bufferOffset(column: 1, slot: 2) + 1] = 0xFF
            $0.resealBuffer(column: 1, slot: 2)
        },
    ]
}
