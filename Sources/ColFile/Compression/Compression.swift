/// How the writer stores a column: plain, or as a cold column compressed with zlib in
/// independently decodable chunks (Specification.md §13).
public enum Compression: Sendable, Equatable {
    /// Plain buffers, readable in place with no decoding (the default).
    case none
    /// zlib at `level` (0–9) in chunks of `chunkSize` decoded bytes (a multiple of 64 from 4 KiB to 64 MiB).
    case zlib(level: Int = 6, chunkSize: Int = Compression.defaultChunkSize)
    /// zlib as above, but only for columns whose first chunks compress to at most `maxRatio` of
    /// their size; others stay plain. Random doubles compress to about 0.94 with zlib and gain
    /// nothing; small integers to about 0.25, text to 0.2 or less.
    case auto(level: Int = 6, chunkSize: Int = Compression.defaultChunkSize, maxRatio: Double = 0.8)

    /// 64 KiB: zlib decodes about as fast from 16 KiB to 1 MiB chunks, while reading one random row
    /// costs one chunk's decode (four times as long at 256 KiB) and the index costs 24 bytes per
    /// chunk (BENCHMARKS.md has the chunk-size sweep).
    public static let defaultChunkSize = 64 << 10

    /// The settings the encoder uses, nil for plain storage; `auto` resolved by `sample`.
    func resolved(sample: () throws -> ByteView?) rethrows -> (level: Int32, chunkSize: Int)? {
        switch self {
        case .none:
            return nil
        case .zlib(let level, let chunkSize):
            return (Int32(level), chunkSize)
        case .auto(let level, let chunkSize, let maxRatio):
            guard let bytes = try sample(), bytes.count > 0 else { return nil }
            let compressed = unsafe bytes.withUnsafeBytes { unsafe Zlib.compress($0, level: Int32(level)) }
            return Double(compressed.count) / Double(bytes.count) <= maxRatio ? (Int32(level), chunkSize) : nil
        }
    }

    /// Bytes of a column's values that `auto` compresses to decide.
    static let sampleLength = 256 << 10

    /// Checks the settings; the message says what is wrong.
    func validationError() -> String? {
        let (level, chunkSize): (Int, Int)
        switch self {
        case .none: return nil
        case .zlib(let l, let c): (level, chunkSize) = (l, c)
        case .auto(let l, let c, let ratio):
            guard ratio > 0 else { return "auto compression needs a positive maxRatio" }
            (level, chunkSize) = (l, c)
        }
        guard (0...9).contains(level) else { return "zlib levels are 0 to 9" }
        guard ChunkIndex.chunkSizeRange.contains(chunkSize), chunkSize % FormatConstants.bufferAlignment == 0 else {
            return "chunk sizes are multiples of 64 from 4 KiB to 64 MiB"
        }
        return nil
    }
}
