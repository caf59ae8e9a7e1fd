/// How the writer stores a column: plain, or as a cold column compressed in independently
/// decodable chunks (Specification.md §13) with zlib or zstd.
public enum Compression: Sendable, Equatable {
    /// Plain buffers, readable in place with no decoding (the default).
    case none
    /// zlib at `level` (0–9) in chunks of `chunkSize` decoded bytes (a multiple of 64 from 4 KiB to
    /// 64 MiB). Format 1.1: readable by every reader since 1.1.
    case zlib(level: Int = 6, chunkSize: Int = Compression.defaultZlibChunkSize)
    /// zstd at `level` (1–22, or negative for faster, larger output) in chunks of `chunkSize`
    /// decoded bytes, or, when `chunkSize` is nil, of ``defaultZstdChunkSize`` — or of
    /// ``smallZstdChunkSize`` for a column whose first 256 KiB of values compress to more than half
    /// their size (near-random data: bigger chunks gain neither ratio nor speed there, and one
    /// random row costs one chunk). Format 1.2; decodes several times faster than zlib (BENCHMARKS.md).
    case zstd(level: Int = Compression.defaultZstdLevel, chunkSize: Int? = nil)
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
    /// zstd's chunk for columns that compress to more than half their size (BENCHMARKS.md).
    public static let smallZstdChunkSize = 32 << 10
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
        case .zstd(let level, let chunkSize?):
            return Settings(codec: .zstd, level: Int32(level), chunkSize: chunkSize)
        case .zstd(let level, nil):
            var settings = Settings(codec: .zstd, level: Int32(level), chunkSize: Self.defaultZstdChunkSize)
            if let ratio = try settings.ratio(of: sample()), ratio > Self.smallChunkRatio {
                settings.chunkSize = Self.smallZstdChunkSize
            }
            return settings
        case .auto(let maxRatio):
            let hasZstd = Zstd.unavailability == nil
            var settings = hasZstd
                ? Settings(codec: .zstd, level: Int32(Self.defaultZstdLevel), chunkSize: Self.defaultZstdChunkSize)
                : Settings(codec: .zlib, level: 6, chunkSize: Self.defaultZlibChunkSize)
            guard let ratio = try settings.ratio(of: sample()), ratio <= maxRatio else { return nil }
            if hasZstd && ratio > Self.smallChunkRatio { settings.chunkSize = Self.smallZstdChunkSize }
            return settings
        }
    }

    /// Above this sample ratio, zstd columns get ``smallZstdChunkSize`` chunks.
    static let smallChunkRatio = 0.5

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
            guard let size else { return nil }
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
    /// The compressed size of `sample` (as one chunk) over its size; nil for no sample.
    func ratio(of sample: ByteView?) -> Double? {
        guard let sample, sample.count > 0 else { return nil }
        let compressed = unsafe sample.withUnsafeBytes { unsafe compress($0) }
        return Double(compressed.count) / Double(sample.count)
    }

    /// One chunk of `source` compressed with these settings.
    func compress(_ source: UnsafeRawBufferPointer) -> [UInt8] {
        switch codec {
        case .zlib: unsafe Zlib.compress(source, level: level)
        case .zstd: unsafe Zstd.compress(source, level: level)
        case .none: preconditionFailure("plain columns are not compressed")
        }
    }
}
