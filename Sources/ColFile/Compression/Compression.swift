/// How the writer stores a column: plain, or as a cold column compressed in independently
/// decodable chunks (Specification.md §13) with zlib or zstd.
public enum Compression: Sendable, Equatable {
    /// Plain buffers, readable in place with no decoding (the default).
    case none
    /// zlib at `level` (0–9) in chunks of `chunkSize` decoded bytes (a multiple of 64 from 4 KiB to
    /// 64 MiB). Format 1.1: readable by every reader since 1.1.
    case zlib(level: Int = 6, chunkSize: Int = Compression.defaultZlibChunkSize)
    /// zstd at `level` (1–22, or negative for faster, larger output) in chunks of `chunkSize`
    /// decoded bytes. Format 1.2; decodes several times faster than zlib (BENCHMARKS.md).
    case zstd(level: Int = Compression.defaultZstdLevel, chunkSize: Int = Compression.defaultZstdChunkSize)
    /// zstd with its defaults (zlib's when zstd is not available in this process), but only for
    /// columns whose first 256 KiB of values compress to at most `maxRatio` of their size; others
    /// stay plain. Random doubles compress to about 0.94 and gain nothing; small integers and text
    /// to 0.05 or less.
    case auto(maxRatio: Double = 0.8)

    /// zlib's default chunk: 64 KiB (BENCHMARKS.md, "Cold columns": zlib's speed barely depends
    /// on the chunk size, one random row costs one chunk's decode).
    public static let defaultZlibChunkSize = 64 << 10
    /// zstd's default chunk, chosen by measurement of ratio, decode speed and one random row's
    /// cost (BENCHMARKS.md, "Cold columns").
    public static let defaultZstdChunkSize = 128 << 10
    /// zstd's default level, chosen by measurement of ratio and decode speed (BENCHMARKS.md).
    public static let defaultZstdLevel = 3

    /// What the encoder does with one column: the codec, its level and the chunk size.
    struct Settings: Equatable {
        /// The codec (never ``Codec/none``).
        var codec: Codec
        /// The codec's level.
        var level: Int32
        /// Decoded bytes per chunk.
        var chunkSize: Int
    }

    /// The settings the encoder uses, nil for plain storage; `auto` resolved by compressing `sample`.
    func resolved(sample: () throws -> ByteView?) rethrows -> Settings? {
        switch self {
        case .none:
            return nil
        case .zlib(let level, let chunkSize):
            return Settings(codec: .zlib, level: Int32(level), chunkSize: chunkSize)
        case .zstd(let level, let chunkSize):
            return Settings(codec: .zstd, level: Int32(level), chunkSize: chunkSize)
        case .auto(let maxRatio):
            let settings = Zstd.unavailability == nil
                ? Settings(codec: .zstd, level: Int32(Self.defaultZstdLevel), chunkSize: Self.defaultZstdChunkSize)
                : Settings(codec: .zlib, level: 6, chunkSize: Self.defaultZlibChunkSize)
            guard let bytes = try sample(), bytes.count > 0 else { return nil }
            let compressed = unsafe bytes.withUnsafeBytes { unsafe settings.compress($0) }
            return Double(compressed.count) / Double(bytes.count) <= maxRatio ? settings : nil
        }
    }

    /// Bytes of a column's values that `auto` compresses to decide.
    static let sampleLength = 256 << 10

    /// Checks the settings; the message says what is wrong.
    func validationError() -> String? {
        let chunkSize: Int
        switch self {
        case .none:
            return nil
        case .zlib(let level, let size):
            guard (0...9).contains(level) else { return "zlib levels are 0 to 9" }
            chunkSize = size
        case .zstd(let level, let size):
            guard Zstd.levels.contains(level), level != 0 else {
                return "zstd levels are \(Zstd.levels.lowerBound) to \(Zstd.levels.upperBound), not 0"
            }
            if let reason = Zstd.unavailability { return "the zstd codec is not available: \(reason)" }
            chunkSize = size
        case .auto(let ratio):
            return ratio > 0 ? nil : "auto compression needs a positive maxRatio"
        }
        guard ChunkIndex.chunkSizeRange.contains(chunkSize), chunkSize % FormatConstants.bufferAlignment == 0 else {
            return "chunk sizes are multiples of 64 from 4 KiB to 64 MiB"
        }
        return nil
    }
}

extension Compression.Settings {
    /// One chunk of `source` compressed with these settings.
    func compress(_ source: UnsafeRawBufferPointer) -> [UInt8] {
        switch codec {
        case .zlib: unsafe Zlib.compress(source, level: level)
        case .zstd: unsafe Zstd.compress(source, level: level)
        case .none: preconditionFailure("plain columns are not compressed")
        }
    }
}
