/// The fields of the header of a chunk index, at the start of every stored buffer of a compressed
/// column (Specification.md §13.2); its entries (``ChunkEntryLayout``) follow it.
package enum ChunkIndexLayout {
    /// The index header's length.
    package static let length = 16
    /// `CHNK` (``ChunkIndex/magic``).
    package static let magic = Field<UInt32>(0)
    /// The chunk count K.
    package static let chunkCount = Field<UInt32>(4)
    /// The chunk size S: decoded bytes of every chunk but the last.
    package static let chunkSize = Field<UInt32>(8)
    /// Reserved, 0.
    package static let reserved = Field<UInt32>(12)

    /// The offset in the stored buffer of chunk `chunk`'s entry.
    package static func entry(_ chunk: Int) -> Int {
        length + chunk * ChunkEntryLayout.length
    }
}

/// The fields of one 24-byte entry of a chunk index (Specification.md §13.2).
package enum ChunkEntryLayout {
    /// The entry's length.
    package static let length = 24
    /// Where the chunk's compressed bytes start, relative to the stored buffer.
    package static let compressedOffset = Field<UInt64>(0)
    /// The compressed bytes' length.
    package static let compressedLength = Field<UInt32>(8)
    /// The chunk's decoded length.
    package static let decodedLength = Field<UInt32>(12)
    /// The CRC-32 of the decoded chunk.
    package static let checksum = Field<UInt32>(16)
    /// Reserved, 0.
    package static let reserved = Field<UInt32>(20)
}
