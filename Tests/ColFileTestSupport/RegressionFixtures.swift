import ColFile

// Reliability fixtures (issue 7), kept apart from `BrokenFixtures.swift` so that catalog can grow
// on other branches without conflicts: damaged cold-column chunks, and every input the fuzz
// campaign found that the reader mishandled. Files live in `Fixtures/broken-reliability/`.

/// A damaged file derived from a committed fixture by one deterministic edit, and the exact
/// error a reader must report for it.
public struct RegressionFixture: Sendable {
    /// When the error appears.
    public enum Stage: Sendable, Equatable {
        /// `ColFileReader.open` throws.
        case open
        /// The file opens; reading column `NAME` whole (as Int32) throws.
        case readInt32(String)
        /// The file opens; `verify()` throws.
        case verify
    }

    /// The fixture's name: the file is `broken-reliability/NAME.col`.
    public let name: String
    /// The committed file it is derived from, relative to `Fixtures/`.
    public let base: String
    /// When the error appears.
    public let stage: Stage
    /// The error's code.
    public let code: ColFileError.Code
    /// The error's ``ColFileError/description`` after its leading `PATH: `.
    public let message: String
    private let edit: @Sendable (inout FileBytes) -> Void

    init(_ name: String, base: String, stage: Stage, _ code: ColFileError.Code, _ message: String,
         edit: @escaping @Sendable (inout FileBytes) -> Void) {
        self.name = name
        self.base = base
        self.stage = stage
        self.code = code
        self.message = message
        self.edit = edit
    }

    /// The committed file's path.
    public var path: String { RepositoryPaths.fixture("broken-reliability/" + name + ".col") }

    /// The damaged bytes, made now from the committed base file.
    public func derivedBytes() throws -> [UInt8] {
        var file = FileBytes(try Files.read(RepositoryPaths.fixture(base)))
        edit(&file)
        return file.bytes
    }
}

/// The reliability catalog.
public enum RegressionFixtures {
    /// The cold-column base: `fuzz-corpus/cold-int32.col`, one cold Int32 column `n` of 2,500
    /// rows (10,000 decoded bytes) in 4 KiB chunks: its values buffer at 64 starts with the chunk
    /// index (`CHNK`, 3 chunks), entries at 80, 104 and 128, chunk 0's zlib stream at 152.
    static let coldBase = "fuzz-corpus/cold-int32.col"
    /// File offset of chunk index entry `chunk` of the cold base.
    static func entry(_ chunk: Int) -> Int { 80 + 24 * chunk }

    /// The names of all fixtures, in catalog order.
    public static var names: [String] { all.map(\.name) }

    /// The fixture named `name`.
    public static func named(_ name: String) -> RegressionFixture {
        guard let fixture = all.first(where: { $0.name == name }) else { preconditionFailure("no fixture \(name)") }
        return fixture
    }

    /// The catalog.
    public static let all: [RegressionFixture] = [
        RegressionFixture("cold-bad-chunk-index-magic", base: coldBase, stage: .open, .badChunkIndex,
            "column 'n': the compressed buffer does not start with a chunk index at offset 64") { $0.bytes[64] = UInt8(ascii: "X") },
        RegressionFixture("cold-chunk-decoded-length-wrong", base: coldBase, stage: .readInt32("n"), .chunkOutOfRange,
            "column 'n': chunk 0: the index gives the wrong decoded length at offset 92 (expected 4096, found 4095)") { $0.store(UInt32(4095), at: entry(0) + 12) },
        RegressionFixture("cold-chunks-overlap", base: coldBase, stage: .readInt32("n"), .overlappingChunks,
            "column 'n': chunk 1: the compressed bytes overlap the index or the previous chunk at offset 104 (expected offset at least 275, found 88)") { $0.store($0.load(UInt64.self, at: entry(0)), at: entry(1)) },
        RegressionFixture("cold-corrupt-zlib-stream", base: coldBase, stage: .readInt32("n"), .corruptChunk,
            "column 'n': chunk 0: the compressed stream is truncated or corrupt at offset 152 (found zlib status -3)") { $0.bytes[152] = 0 },
        RegressionFixture("cold-chunk-decodes-too-long", base: coldBase, stage: .readInt32("n"), .chunkLengthMismatch,
            "column 'n': chunk 2: the chunk decodes to more bytes than its index says at offset 528 (expected 1408, found more)") {
            // 2,400 rows: the last chunk should decode to 1,408 bytes, but its stream holds 1,808.
            $0.store(UInt64(2400), at: $0.directoryOffset + 8)
            $0.store(UInt64(2400), at: $0.recordOffset(0) + 16)
            $0.store(UInt64(9600), at: $0.descriptorOffset(column: 0, slot: 2) + 16)
            $0.store(UInt32(1408), at: entry(2) + 12)
            $0.resealDirectory()
        },
        RegressionFixture("cold-chunk-checksum-mismatch", base: coldBase, stage: .verify, .chunkChecksumMismatch,
            "column 'n': chunk 1: decoded chunk checksum mismatch at offset 339 (expected 0x65acf9f0, found 0x65acf90f)") { $0.bytes[entry(1) + 16] ^= 0xFF },
        RegressionFixture("cold-verify-over-decode-cap", base: coldBase, stage: .verify, .decodeLimitExceeded,
            "column 'n': decoding the column needs more memory than allowed "
                + "(expected at most 67108864 bytes, found 134219536 bytes)") {
            // 64 MiB chunks: two full ones and the last 1,808 bytes, 134,219,536 bytes in all,
            // claimed by a 1 KiB file. verify() decoded without the cap and allocated all of it.
            let rows = UInt64(2 * (64 << 20) + 1808) / 4
            $0.store(rows, at: $0.directoryOffset + 8)
            $0.store(rows, at: $0.recordOffset(0) + 16)
            $0.store(rows * 4, at: $0.descriptorOffset(column: 0, slot: 2) + 16)
            $0.store(UInt32(64 << 20), at: 64 + 8)
            $0.store(UInt32(64 << 20), at: entry(0) + 12)
            $0.store(UInt32(64 << 20), at: entry(1) + 12)
            $0.resealDirectory()
        },
        // Fuzz findings (RELIABILITY.md) follow here.
    ]
}
