import Dispatch

/// Writes one buffer of a cold column in its stored form (Specification.md §13): a chunk index,
/// then each chunk compressed on its own. Reads the decoded bytes batch by batch and compresses
/// each batch's chunks on all threads, so memory stays bounded by one batch.
struct ChunkedBufferEncoder {
    /// The codec, its level and the decoded bytes per chunk.
    let settings: Compression.Settings
    /// Decoded bytes per chunk.
    var chunkSize: Int { settings.chunkSize }
    /// Threads that compress at once.
    let threads: Int

    /// Appends the stored form of a `length`-byte buffer to `output`; `read(offset, into)` fills
    /// `into` with the decoded bytes starting at `offset`.
    ///
    /// - Returns: The buffer's descriptor (its CRC-32 is of the decoded bytes).
    func write(length: Int, to output: OutputFile, alignment: Int,
               read: (Int, UnsafeMutableRawBufferPointer) throws -> Void) throws -> BufferDescriptor {
        guard length > 0 else { return BufferDescriptor(offset: 0, storedLength: 0, decodedLength: 0, checksum: 0) }
        let chunkCount = (length + chunkSize - 1) / chunkSize
        try output.pad(toMultipleOf: alignment)
        let start = output.position
        try output.append([UInt8](repeating: 0, count: ChunkIndex.length(chunkCount: chunkCount)))
        var entries: [ChunkIndex.Entry] = []
        entries.reserveCapacity(chunkCount)
        var decodedChecksum: UInt32 = 0
        let batch = max(threads * 4, OutputFile.stagingCapacity / chunkSize)
        var staging = [UInt8](repeating: 0, count: batch * chunkSize)
        var firstChunk = 0
        while firstChunk < chunkCount {
            let chunks = firstChunk..<min(chunkCount, firstChunk + batch)
            let batchStart = firstChunk * chunkSize
            let batchLength = min(length, chunks.upperBound * chunkSize) - batchStart
            let compressed = try unsafe staging.withUnsafeMutableBytes { memory in
                let raw = unsafe UnsafeMutableRawBufferPointer(rebasing: memory[0..<batchLength])
                try unsafe read(batchStart, raw)
                unsafe decodedChecksum = CRC32.checksum(UnsafeRawBufferPointer(raw), continuing: decodedChecksum)
                return unsafe compressChunks(ByteView(UnsafeRawBufferPointer(raw)), count: chunks.count)
            }
            for (decodedLength, checksum, bytes) in compressed {
                entries.append(ChunkIndex.Entry(compressedOffset: output.position - start,
                                                compressedLength: UInt32(bytes.count),
                                                decodedLength: UInt32(decodedLength), checksum: checksum))
                try output.append(bytes)
            }
            firstChunk = chunks.upperBound
        }
        let storedLength = output.position - start
        try output.overwrite(ChunkIndex.encoded(chunkSize: chunkSize, entries: entries), at: start)
        return BufferDescriptor(offset: start, storedLength: storedLength, decodedLength: UInt64(length),
                                checksum: decodedChecksum)
    }

    /// Compresses the `count` chunks of `raw` in parallel: (decoded length, CRC-32, compressed bytes) each.
    private func compressChunks(_ raw: ByteView, count: Int) -> [(Int, UInt32, [UInt8])] {
        let results = Locked<[(Int, UInt32, [UInt8])?]>(Array(repeating: nil, count: count))
        let settings = self.settings
        let chunkSize = settings.chunkSize
        let compressOne: @Sendable (Int) -> Void = { chunk in
            let start = chunk * chunkSize
            let piece = raw.slice(offset: start, length: min(chunkSize, raw.count - start))
            let result = unsafe piece.withUnsafeBytes {
                unsafe ($0.count, CRC32.checksum($0), settings.compress($0))
            }
            results.withLock { $0[chunk] = result }
        }
        if threads <= 1 || count <= 1 {
            for chunk in 0..<count { compressOne(chunk) }
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: compressOne)
        }
        return results.withLock { $0.map { $0! } }
    }
}
