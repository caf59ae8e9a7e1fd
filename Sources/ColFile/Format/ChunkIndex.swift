/// The chunk index at the start of every stored buffer of a compressed column
/// (Specification.md §13): how the buffer's decoded bytes are cut into independently compressed
/// chunks, and where each chunk's compressed bytes lie.
package struct ChunkIndex: Sendable {
    /// One chunk's entry.
    struct Entry: Sendable, Equatable {
        /// Offset of the compressed bytes, relative to the start of the stored buffer.
        var compressedOffset: UInt64
        /// Length of the compressed bytes.
        var compressedLength: UInt32
        /// Length of the chunk once decoded.
        var decodedLength: UInt32
        /// CRC-32 of the decoded chunk.
        var checksum: UInt32
    }

    /// §13: the 4 bytes a chunk index starts with, `CHNK`.
    static let magic: UInt32 = 0x4B4E_4843
    /// §13: smallest and largest chunk size.
    static let chunkSizeRange = 4096...(64 << 20)

    /// The stored buffer (chunk index followed by compressed chunks).
    let stored: ByteView
    /// Number of chunks.
    package let chunkCount: Int
    /// Decoded length of every chunk but the last.
    package let chunkSize: Int
    /// Decoded length of the whole buffer.
    let decodedLength: UInt64

    /// Reads the chunk index header of `stored` and checks it against the buffer's decoded length:
    /// O(1), done at open (Specification.md §9, step 14).
    init(stored: ByteView, decodedLength: UInt64, fileOffset: UInt64, context: ErrorContext) throws {
        typealias Layout = ChunkIndexLayout
        guard stored.count >= Layout.length, stored.load(Layout.magic) == Self.magic else {
            throw context.error(.badChunkIndex, "the compressed buffer does not start with a chunk index",
                                offset: fileOffset)
        }
        let count = Int(stored.load(Layout.chunkCount))
        let size = Int(stored.load(Layout.chunkSize))
        guard Self.chunkSizeRange.contains(size), size % FormatConstants.bufferAlignment == 0 else {
            throw context.error(.badChunkIndex, "invalid chunk size", offset: Layout.chunkSize.at(fileOffset),
                                expected: "a multiple of 64 from \(Self.chunkSizeRange.lowerBound) to \(Self.chunkSizeRange.upperBound)",
                                found: size)
        }
        let (quotient, remainder) = decodedLength.quotientAndRemainder(dividingBy: UInt64(size))
        let expectedCount = quotient + (remainder == 0 ? 0 : 1)
        guard UInt64(count) == expectedCount else {
            throw context.error(.badChunkIndex, "chunk count does not match the decoded length",
                                offset: Layout.chunkCount.at(fileOffset), expected: expectedCount, found: count)
        }
        guard stored.contains(offset: UInt64(Layout.length), length: UInt64(count) * UInt64(ChunkEntryLayout.length))
        else {
            throw context.error(.badChunkIndex, "the chunk index runs past the end of its buffer", offset: fileOffset,
                                expected: "at most \(stored.count) bytes",
                                found: "\(Layout.entry(count)) bytes")
        }
        self.stored = stored
        self.chunkCount = count
        self.chunkSize = size
        self.decodedLength = decodedLength
    }

    /// Entry `chunk`, unchecked; ``validateEntries(fileOffset:context:)`` checks them all.
    func entry(_ chunk: Int) -> Entry {
        precondition(chunk >= 0 && chunk < chunkCount, "chunk out of range")
        let position = ChunkIndexLayout.entry(chunk)
        return Entry(compressedOffset: stored.load(ChunkEntryLayout.compressedOffset, at: position),
                     compressedLength: stored.load(ChunkEntryLayout.compressedLength, at: position),
                     decodedLength: stored.load(ChunkEntryLayout.decodedLength, at: position),
                     checksum: stored.load(ChunkEntryLayout.checksum, at: position))
    }

    /// Decoded length chunk `chunk` must have.
    package func expectedDecodedLength(of chunk: Int) -> Int {
        chunk < chunkCount - 1 ? chunkSize : Int(decodedLength - UInt64(chunkSize) * UInt64(chunkCount - 1))
    }

    /// §8: a chunk decodes to at most this many times its compressed length (zlib cannot exceed
    /// about 1,032 and zstd about 32,768), so no small file can claim huge decoded sizes.
    static let maxExpansion: UInt64 = 65_536

    /// Checks every entry: decoded lengths, compressed ranges inside the buffer, the expansion
    /// bound, and the chunks contiguous from the end of the index to the end of the buffer
    /// (Specification.md §13.3). O(chunks); done once per buffer before decoding it or using a
    /// decoded copy of it.
    func validateEntries(fileOffset: UInt64, context: ErrorContext) throws {
        var expectedStart = UInt64(ChunkIndexLayout.entry(chunkCount))
        for chunk in 0..<chunkCount {
            let entry = entry(chunk)
            let entryOffset = fileOffset + UInt64(ChunkIndexLayout.entry(chunk))
            guard Int(entry.decodedLength) == expectedDecodedLength(of: chunk) else {
                throw context.error(.chunkOutOfRange, "the index gives the wrong decoded length", chunk: chunk,
                                    offset: ChunkEntryLayout.decodedLength.at(entryOffset),
                                    expected: expectedDecodedLength(of: chunk), found: entry.decodedLength)
            }
            guard entry.compressedLength > 0,
                  stored.contains(offset: entry.compressedOffset, length: UInt64(entry.compressedLength)) else {
                throw context.error(.chunkOutOfRange, "the compressed bytes lie outside their buffer", chunk: chunk,
                                    offset: entryOffset,
                                    expected: "within \(stored.count) bytes",
                                    found: "offset \(entry.compressedOffset) length \(entry.compressedLength)")
            }
            let mostDecoded = UInt64(entry.compressedLength) * Self.maxExpansion
            guard UInt64(entry.decodedLength) <= mostDecoded else {
                throw context.error(.chunkOutOfRange, "the chunk claims more decoded bytes than its compressed bytes can hold",
                                    chunk: chunk, offset: ChunkEntryLayout.decodedLength.at(entryOffset),
                                    expected: "at most \(mostDecoded)", found: entry.decodedLength)
            }
            guard entry.compressedOffset >= expectedStart else {
                throw context.error(.overlappingChunks, "the compressed bytes overlap the index or the previous chunk",
                                    chunk: chunk, offset: entryOffset, expected: "offset at least \(expectedStart)",
                                    found: entry.compressedOffset)
            }
            guard entry.compressedOffset == expectedStart else {
                throw context.error(.chunkGap, "the compressed bytes do not start where the index or the previous chunk ends",
                                    chunk: chunk, offset: entryOffset, expected: "offset \(expectedStart)",
                                    found: entry.compressedOffset)
            }
            expectedStart = entry.compressedOffset + UInt64(entry.compressedLength)
        }
        guard expectedStart == UInt64(stored.count) else {
            throw context.error(.chunkGap, "bytes follow the last chunk in the buffer", offset: fileOffset + expectedStart,
                                expected: "\(expectedStart) bytes", found: "\(stored.count) bytes")
        }
    }

    /// The compressed bytes of chunk `chunk`, whose entry was validated.
    func compressedBytes(of chunk: Int) -> ByteView {
        let entry = entry(chunk)
        return stored.slice(offset: Int(entry.compressedOffset), length: Int(entry.compressedLength))
    }

    /// Calls `body` with the compressed bytes of chunk `chunk`, whose entry was validated; the
    /// pointer must not escape `body` (the bench decodes them with zlib itself, as a reference).
    package func withCompressedBytes<R>(of chunk: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try unsafe compressedBytes(of: chunk).withUnsafeBytes(body)
    }

    /// The bytes of a chunk index with `entries` for chunks of `chunkSize`.
    static func encoded(chunkSize: Int, entries: [Entry]) -> [UInt8] {
        var writer = ByteWriter(zeros: length(chunkCount: entries.count))
        writer.set(magic, at: ChunkIndexLayout.magic)
        writer.set(UInt32(entries.count), at: ChunkIndexLayout.chunkCount)
        writer.set(UInt32(chunkSize), at: ChunkIndexLayout.chunkSize)
        for (chunk, entry) in entries.enumerated() {
            let position = ChunkIndexLayout.entry(chunk)
            writer.set(entry.compressedOffset, at: ChunkEntryLayout.compressedOffset, base: position)
            writer.set(entry.compressedLength, at: ChunkEntryLayout.compressedLength, base: position)
            writer.set(entry.decodedLength, at: ChunkEntryLayout.decodedLength, base: position)
            writer.set(entry.checksum, at: ChunkEntryLayout.checksum, base: position)
        }
        return writer.bytes
    }

    /// Length of the index for `chunkCount` chunks.
    static func length(chunkCount: Int) -> Int { ChunkIndexLayout.entry(chunkCount) }
}
