import ColFile
import Foundation

/// A published file rewritten in place under a reader that has already checked it
/// (RELIABILITY.md, "Faults around the file"): the input is written to a file and opened from it,
/// every column is read once (so each one's checks run and are kept), the file's bytes are then
/// overwritten in place by a pattern the input picks, and every column is read again through the
/// views, the statistics and ``ChunkedColumn``.
///
/// The second pass may give any values and any errors; it must not trap, read out of bounds or
/// allocate without bound. The views of either encoding are not compared there, since each
/// reports a row it finds broken its own way (nil, zero or empty).
enum RewriteAfterCheck {
    /// The file each input is written to, one per process.
    static let path = NSTemporaryDirectory() + "colfile-fuzz-rewrite-\(ProcessInfo.processInfo.processIdentifier).col"

    /// Runs both passes over `bytes`; returns a value derived from everything read.
    static func run(_ bytes: [UInt8]) -> UInt64 {
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
        let options = ReaderOptions(coldColumns: .privateMemory, maxDecodedBytes: FuzzInput.maxDecodedBytes,
                                    decodeThreads: 1)
        guard let reader = try? ColFileReader.open(path, options: options) else { return 0 }
        let columns = (0..<reader.columnCount).compactMap { try? reader.info(at: $0) }
        var digest: UInt64 = 0
        for info in columns { digest = digest &* 31 &+ read(reader, info, compares: true) }
        guard overwrite(path, with: rewritten(bytes)) else { return digest }
        for info in columns { digest = digest &* 31 &+ read(reader, info, compares: false) }
        return digest &+ (reader.isIntact ? 1 : 2)
    }

    /// Every way of reading column `info` the fuzz input has, and its statistics.
    private static func read(_ reader: ColFileReader, _ info: ColumnInfo, compares: Bool) -> UInt64 {
        var digest = (try? FuzzInput.readAll(reader, info)) ?? 1
        digest = digest &* 31 &+ ((try? FuzzInput.eitherEncoding(reader, info, compares: compares)) ?? 1)
        digest = digest &* 31 &+ ((try? FuzzInput.readRows(reader, info)) ?? 1)
        let statistics = try? reader.statistics(info.name)
        return digest &* 31 &+ UInt64(statistics?.distinctEntries ?? 0) &+ UInt64(statistics?.nullCount ?? 0)
    }

    /// `bytes` with every `step`-th byte from `start` on replaced: 0xFF, 0x80, 0x7F and 0x00 in turn,
    /// the extremes of the integers the format stores, so that lengths, offsets and indices turn
    /// negative, huge or zero. The input's first and last bytes pick `start` and `step`.
    static func rewritten(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var result = bytes
        let start = Int(bytes[0]) * bytes.count / 256
        let step = 1 + Int(bytes[bytes.count - 1] % 16)
        let extremes: [UInt8] = [0xFF, 0x80, 0x7F, 0x00]
        for (turn, index) in stride(from: start, to: bytes.count, by: step).enumerated() {
            result[index] = extremes[turn % extremes.count]
        }
        return result
    }

    /// Writes `bytes` over the file at `path` from its start, in place (same inode, same length).
    private static func overwrite(_ path: String, with bytes: [UInt8]) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data(bytes))) != nil
    }
}
