import Dispatch

/// Decodes the chunks of one compressed buffer (Specification.md §13), checking every chunk's
/// decoded length and CRC-32, and never writing outside the destination it is given.
package struct ChunkDecoder: Sendable {
    /// The buffer's chunk index (its entries already validated).
    package let index: ChunkIndex
    /// The codec of every chunk.
    let codec: Codec
    /// Absolute offset of the stored buffer, for errors.
    let fileOffset: UInt64
    /// The file and column, for errors.
    let context: ErrorContext
    /// Whether each decoded chunk's CRC-32 is checked against the index. zlib already checks
    /// each chunk's Adler-32 and zstd each frame's content checksum while decoding, so this second
    /// checksum (a noticeable share of the decode time, BENCHMARKS.md) is for full verification
    /// (Specification.md §13.3).
    let checksChecksums: Bool

    /// Reads and validates the chunk index of a compressed buffer: O(chunks).
    ///
    /// - Throws: ``ColFileError/Code/codecUnavailable`` when `codec` cannot be decoded in this
    ///   process; the errors of the chunk index's checks.
    init(file: ByteView, buffer: BufferInfo, codec: Codec, checksChecksums: Bool, context: ErrorContext) throws {
        let stored = file.slice(offset: Int(buffer.offset), length: Int(buffer.storedLength))
        let context = context
        index = try ChunkIndex(stored: stored, decodedLength: buffer.decodedLength, fileOffset: buffer.offset,
                               context: context)
        try index.validateEntries(fileOffset: buffer.offset, context: context)
        if codec == .zstd, let reason = Zstd.unavailability {
            throw context.error(.codecUnavailable, "the zstd codec is not available: \(reason)")
        }
        self.codec = codec
        self.fileOffset = buffer.offset
        self.context = context
        self.checksChecksums = checksChecksums
    }

    /// Decodes chunk `chunk` into `destination`, which holds exactly its decoded length.
    func decode(chunk: Int, into destination: UnsafeMutableRawBufferPointer) throws {
        let entry = index.entry(chunk)
        precondition(destination.count == Int(entry.decodedLength), "destination does not fit the chunk")
        let compressedOffset = fileOffset + entry.compressedOffset
        do {
            switch codec {
            case .zlib: try unsafe Zlib.decode(index.compressedBytes(of: chunk), into: destination)
            case .zstd: try unsafe Zstd.decode(index.compressedBytes(of: chunk), into: destination)
            case .none: preconditionFailure("a plain column has no chunks")
            }
        } catch {
            switch error {
            case .corrupt(let reason):
                throw context.error(.corruptChunk, "the compressed stream is truncated or corrupt", chunk: chunk,
                                    offset: compressedOffset, found: reason)
            case .tooLong:
                throw context.error(.chunkLengthMismatch, "the chunk decodes to more bytes than its index says",
                                    chunk: chunk, offset: compressedOffset, expected: entry.decodedLength,
                                    found: "more")
            case .strayBytes(let count):
                throw context.error(.corruptChunk, "the compressed stream ends before the chunk's bytes do",
                                    chunk: chunk, offset: compressedOffset, expected: entry.compressedLength,
                                    found: "\(Int(entry.compressedLength) - count) bytes of stream and \(count) stray")
            case .tooShort(let decoded):
                throw context.error(.chunkLengthMismatch, "the chunk decodes to fewer bytes than its index says",
                                    chunk: chunk, offset: compressedOffset, expected: entry.decodedLength, found: decoded)
            }
        }
        guard checksChecksums else { return }
        let actual = unsafe CRC32.checksum(UnsafeRawBufferPointer(destination))
        guard actual == entry.checksum else {
            throw context.error(.chunkChecksumMismatch, "decoded chunk checksum mismatch", chunk: chunk,
                                offset: compressedOffset, expected: hex(entry.checksum), found: hex(actual))
        }
    }

    /// Decodes chunks `chunks` into `destination`, which holds their decoded bytes back to back,
    /// on up to `threads` threads.
    package func decode(chunks: Range<Int>, into destination: UnsafeMutableRawBufferPointer, threads: Int) throws {
        let firstStart = chunks.lowerBound * index.chunkSize
        let failures = FirstFailure()
        // Shared by the threads, each of which writes only its own chunk's disjoint range of it.
        nonisolated(unsafe) let target = unsafe destination
        let decodeOne: @Sendable (Int) -> Void = { chunk in
            let start = chunk * index.chunkSize - firstStart
            let length = index.expectedDecodedLength(of: chunk)
            let count = unsafe target.count
            precondition(start >= 0 && length >= 0 && start <= count - length, "chunk outside the destination")
            do {
                let range = unsafe UnsafeMutableRawBufferPointer(rebasing: target[start..<(start + length)])
                try unsafe decode(chunk: chunk, into: range)
            } catch let error as ColFileError {
                failures.record(error, chunk: chunk)
            } catch {
                preconditionFailure("chunk decoding throws only ColFileError")
            }
        }
        if threads <= 1 || chunks.count <= 1 {
            for chunk in chunks { decodeOne(chunk) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks.count) { decodeOne(chunks.lowerBound + $0) }
        }
        if let error = failures.first { throw error }
    }
}

/// The failure of the lowest-numbered chunk among chunks decoded in parallel, so errors do not
/// depend on thread timing.
final class FirstFailure: Sendable {
    private let state = Locked<(chunk: Int, error: (any Error & Sendable)?)>((Int.max, nil))

    /// Keeps `error` if `chunk` is lower than the failures kept so far.
    func record(_ error: any Error & Sendable, chunk: Int) {
        state.withLock { state in
            if chunk < state.chunk { state = (chunk, error) }
        }
    }

    /// The failure kept, if any.
    var first: (any Error)? { state.withLock { $0.error } }
}
