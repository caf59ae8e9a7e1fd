import ColFile
import CZlib

/// Measurements of cold-column decoding for `colfile bench`: the library's chunk decoder (package
/// access) against zlib's own `uncompress` on the same chunks.
enum DecodeBenchmark {
    /// Seconds to decode every chunk of column `name`'s values buffer, three ways, over the same bytes.
    struct Timings: Sendable {
        /// Decoded bytes of the values buffer.
        var decodedBytes: Int
        /// Stored (compressed) bytes of the values buffer, index included.
        var storedBytes: Int
        /// colfile's chunk decoder on one thread (zlib `uncompress2`, which checks Adler-32).
        var colfileSeconds: Double
        /// colfile's chunk decoder on one thread, also checking each chunk's CRC-32.
        var colfileCheckedSeconds: Double
        /// colfile's chunk decoder on every core.
        var colfileParallelSeconds: Double
        /// zlib's own `uncompress` on the same chunks, one thread, no checks.
        var zlibSeconds: Double
    }

    /// Times decoding the values of cold column `name` of `reader`.
    static func time(_ reader: ColFileReader, column name: String) throws -> Timings {
        let info = try reader.info(name)
        guard info.isCompressed, let values = info.buffers.first(where: { $0.role == .values }) else {
            throw ColFileError(.invalidArgument, path: reader.path, column: name, message: "not a compressed column")
        }
        let decoder = try reader.chunkDecoder(info, values)
        let index = decoder.index
        var output = [UInt8](repeating: 0, count: Int(values.decodedLength))
        let clock = ContinuousClock()
        let seconds = { (duration: Duration) in
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        let checking = try reader.chunkDecoder(info, values, checkingChecksums: true)
        let checked = try seconds(clock.measure {
            try unsafe output.withUnsafeMutableBytes {
                try unsafe checking.decode(chunks: 0..<index.chunkCount, into: $0, threads: 1)
            }
        })
        let one = try seconds(clock.measure {
            try unsafe output.withUnsafeMutableBytes {
                try unsafe decoder.decode(chunks: 0..<index.chunkCount, into: $0, threads: 1)
            }
        })
        let all = try seconds(clock.measure {
            try unsafe output.withUnsafeMutableBytes {
                try unsafe decoder.decode(chunks: 0..<index.chunkCount, into: $0,
                                          threads: reader.options.decodeThreads)
            }
        })
        let reference = seconds(clock.measure {
            unsafe output.withUnsafeMutableBytes { memory in
                for chunk in 0..<index.chunkCount {
                    var length = uLongf(index.expectedDecodedLength(of: chunk))
                    let target = unsafe memory.baseAddress! + chunk * index.chunkSize
                    _ = unsafe index.withCompressedBytes(of: chunk) { source in
                        unsafe uncompress(target.assumingMemoryBound(to: Bytef.self), &length,
                                          source.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(source.count))
                    }
                }
            }
        })
        return Timings(decodedBytes: Int(values.decodedLength), storedBytes: Int(values.storedLength),
                       colfileSeconds: one, colfileCheckedSeconds: checked, colfileParallelSeconds: all,
                       zlibSeconds: reference)
    }
}
