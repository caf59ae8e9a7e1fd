import CColFile
import ColFile
import CZlib

/// Measurements of cold-column decoding for `colfile bench`: the library's chunk decoder (package
/// access) against the codec library's own one-shot call (`uncompress`, `ZSTD_decompressDCtx`)
/// on the same chunks.
enum DecodeBenchmark {
    /// Seconds to decode every chunk of every buffer of a column, several ways, over the same bytes.
    struct Timings: Sendable {
        /// Decoded bytes of the column's buffers.
        var decodedBytes: Int
        /// Stored (compressed) bytes of the column's buffers, chunk indexes included.
        var storedBytes: Int
        /// colfile's chunk decoder on one thread.
        var colfileSeconds: Double
        /// colfile's chunk decoder on one thread, also checking each chunk's CRC-32.
        var colfileCheckedSeconds: Double
        /// colfile's chunk decoder on every core.
        var colfileParallelSeconds: Double
        /// The codec library's own call on the same chunks, one thread, no checks.
        var librarySeconds: Double
    }

    /// Times decoding the buffers of cold column `name` of `reader`.
    static func time(_ reader: ColFileReader, column name: String) throws -> Timings {
        let info = try reader.info(name)
        guard info.isCompressed else {
            throw ColFileError(.invalidArgument, path: reader.path, column: name, message: "not a compressed column")
        }
        var timings = Timings(decodedBytes: 0, storedBytes: 0, colfileSeconds: 0, colfileCheckedSeconds: 0,
                              colfileParallelSeconds: 0, librarySeconds: 0)
        let clock = ContinuousClock()
        let seconds = { (duration: Duration) in
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        for buffer in info.buffers where buffer.decodedLength > 0 {
            let decoder = try reader.chunkDecoder(info, buffer)
            let checking = try reader.chunkDecoder(info, buffer, checkingChecksums: true)
            let index = decoder.index
            var output = [UInt8](repeating: 0, count: Int(buffer.decodedLength))
            func decode(_ decoder: ChunkDecoder, threads: Int) throws -> Double {
                try seconds(clock.measure {
                    try unsafe output.withUnsafeMutableBytes {
                        try unsafe decoder.decode(chunks: 0..<index.chunkCount, into: $0, threads: threads)
                    }
                })
            }
            timings.decodedBytes += Int(buffer.decodedLength)
            timings.storedBytes += Int(buffer.storedLength)
            timings.colfileCheckedSeconds += try decode(checking, threads: 1)
            timings.colfileSeconds += try decode(decoder, threads: 1)
            timings.colfileParallelSeconds += try decode(decoder, threads: reader.options.decodeThreads)
            timings.librarySeconds += seconds(clock.measure {
                unsafe output.withUnsafeMutableBytes { memory in
                    for chunk in 0..<index.chunkCount {
                        let length = index.expectedDecodedLength(of: chunk)
                        let target = unsafe memory.baseAddress! + chunk * index.chunkSize
                        _ = unsafe index.withCompressedBytes(of: chunk) { source in
                            unsafe libraryDecode(info.codec, into: target, length: length, from: source)
                        }
                    }
                }
            })
        }
        return timings
    }

    /// One chunk decoded by the codec library's own call, unchecked.
    private static func libraryDecode(_ codec: Codec, into target: UnsafeMutableRawPointer, length: Int,
                                      from source: UnsafeRawBufferPointer) {
        switch codec {
        case .zlib:
            var decoded = uLongf(length)
            _ = unsafe uncompress(target.assumingMemoryBound(to: Bytef.self), &decoded,
                                  source.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(source.count))
        case .zstd:
            _ = unsafe colfile_zstd_decompress(target, length, source.baseAddress, source.count)
        case .none:
            break
        }
    }
}
