import ColFile

/// The bytes of a colfile file, with little-endian accessors at absolute offsets and the helpers
/// that corrupt files on purpose: edit the header or directory, then re-seal the checksums so that
/// the reader's structural checks (not its checksum checks) see the edit.
public struct FileBytes: Sendable, Equatable {
    /// The whole file.
    public var bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The number of bytes.
    public var count: Int { bytes.count }

    /// The unsigned little-endian integer of type `T` at `offset`.
    public func load<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, at offset: Int) -> T {
        var value: T = 0
        for index in 0..<(T.bitWidth / 8) { value |= T(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// Stores `value` little-endian at `offset`.
    public mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for index in 0..<(T.bitWidth / 8) { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// `field` of the structure that starts at `base` (Specification.md §3–§5, §13: the library's
    /// layout tables).
    package func load<T: UnsignedInteger>(_ field: Field<T>, at base: Int = 0) -> T {
        load(T.self, at: field.at(base))
    }

    /// Stores `value` in `field` of the structure that starts at `base`.
    package mutating func store<T>(_ value: T, _ field: Field<T>, at base: Int = 0) {
        store(value, at: field.at(base))
    }

    /// The directory offset D from the header.
    public var directoryOffset: Int { Int(load(HeaderLayout.directoryOffset)) }
    /// The directory length DL from the header.
    public var directoryLength: Int { Int(load(HeaderLayout.directoryLength)) }
    /// The absolute offset of the trailer, `D + DL`.
    public var trailerOffset: Int { directoryOffset + directoryLength }

    /// The absolute offset of column record `index` (Specification.md §5.1: records offset + i × RL).
    public func recordOffset(_ index: Int) -> Int {
        let directory = directoryOffset
        return directory + Int(load(DirectoryHeaderLayout.recordsOffset, at: directory))
            + index * Int(load(DirectoryHeaderLayout.recordLength, at: directory))
    }

    /// The absolute offset of the heap (Specification.md §5.1).
    public var heapOffset: Int { directoryOffset + Int(load(DirectoryHeaderLayout.heapOffset, at: directoryOffset)) }

    /// The absolute offset of the name index (Specification.md §5.1, §5.3).
    public var nameIndexOffset: Int {
        directoryOffset + Int(load(DirectoryHeaderLayout.nameIndexOffset, at: directoryOffset))
    }

    /// The absolute offset of buffer descriptor `slot` (0 validity, 1 offsets, 2 values) of column `index`.
    public func descriptorOffset(column index: Int, slot: Int) -> Int {
        recordOffset(index) + ColumnRecordLayout.buffer(slot)
    }

    /// The absolute offset of the bytes of buffer `slot` of column `index`, read from its descriptor.
    public func bufferOffset(column index: Int, slot: Int) -> Int {
        Int(load(BufferDescriptorLayout.offset, at: descriptorOffset(column: index, slot: slot)))
    }

    /// Recomputes the header CRC-32 (over the bytes before it).
    public mutating func resealHeader() {
        store(CRC32.checksum(bytes[0..<HeaderLayout.checksum.offset]), HeaderLayout.checksum)
    }

    /// Recomputes the directory CRC-32 in the header and the trailer, then the header CRC-32: what
    /// a writer would have stored for the current directory bytes.
    ///
    /// - Precondition: the header's directory offset and length lie inside the file.
    public mutating func resealDirectory() {
        let start = directoryOffset
        let end = start + directoryLength
        let checksum = CRC32.checksum(bytes[start..<end])
        store(checksum, HeaderLayout.directoryChecksum)
        store(checksum, TrailerLayout.directoryChecksum, at: end)
        resealHeader()
    }

    /// Recomputes the CRC-32 of buffer `slot` of column `index` in its descriptor, then re-seals
    /// the directory: a data edit that only full verification's UTF-8 or null checks see.
    public mutating func resealBuffer(column index: Int, slot: Int) {
        let descriptor = descriptorOffset(column: index, slot: slot)
        let start = Int(load(BufferDescriptorLayout.offset, at: descriptor))
        let length = Int(load(BufferDescriptorLayout.storedLength, at: descriptor))
        store(CRC32.checksum(bytes[start..<(start + length)]), BufferDescriptorLayout.checksum, at: descriptor)
        resealDirectory()
    }

    // MARK: - Chunk indexes of cold columns (Specification.md §13.2)

    /// The chunk count K of compressed buffer `slot` of column `index`.
    public func chunkCount(column index: Int, slot: Int) -> Int {
        Int(load(ChunkIndexLayout.chunkCount, at: bufferOffset(column: index, slot: slot)))
    }

    /// The absolute offset of the entry of chunk `chunk` (``ChunkEntryLayout``) in the chunk index
    /// of compressed buffer `slot` of column `index`.
    public func chunkEntryOffset(column index: Int, slot: Int, chunk: Int) -> Int {
        bufferOffset(column: index, slot: slot) + ChunkIndexLayout.entry(chunk)
    }

    /// The absolute offset of the compressed bytes of chunk `chunk`, read from its entry.
    public func chunkOffset(column index: Int, slot: Int, chunk: Int) -> Int {
        bufferOffset(column: index, slot: slot)
            + Int(load(ChunkEntryLayout.compressedOffset, at: chunkEntryOffset(column: index, slot: slot, chunk: chunk)))
    }

    /// Shortens the compressed bytes of the last chunk of a buffer, and the buffer's stored length
    /// with them, by `count` bytes (so the chunks stay contiguous, Specification.md §13.2).
    public mutating func shortenLastChunk(column index: Int, slot: Int, by count: Int) {
        let entry = chunkEntryOffset(column: index, slot: slot, chunk: chunkCount(column: index, slot: slot) - 1)
        store(load(ChunkEntryLayout.compressedLength, at: entry) - UInt32(count), ChunkEntryLayout.compressedLength,
              at: entry)
        let descriptor = descriptorOffset(column: index, slot: slot)
        store(load(BufferDescriptorLayout.storedLength, at: descriptor) - UInt64(count),
              BufferDescriptorLayout.storedLength, at: descriptor)
        resealDirectory()
    }

    /// Lets `transform` reorder or replace the compressed streams of every chunk of compressed
    /// buffer `slot` of column `index`, then lays them out again back to back from where the first
    /// chunk was, rewriting each entry's compressed offset and length (its decoded length and
    /// CRC-32 stay): a valid index over streams that no longer decode to what it says.
    ///
    /// - Precondition: the streams keep their number and their total length.
    public mutating func rearrangeChunks(column index: Int, slot: Int, _ transform: (inout [[UInt8]]) -> Void) {
        let count = chunkCount(column: index, slot: slot)
        var streams = (0..<count).map { chunk in
            let start = chunkOffset(column: index, slot: slot, chunk: chunk)
            let length = Int(load(ChunkEntryLayout.compressedLength,
                                  at: chunkEntryOffset(column: index, slot: slot, chunk: chunk)))
            return Array(bytes[start..<(start + length)])
        }
        let total = streams.reduce(0) { $0 + $1.count }
        transform(&streams)
        precondition(streams.count == count && streams.reduce(0) { $0 + $1.count } == total,
                     "rearranged chunks must keep their number and total length")
        let buffer = bufferOffset(column: index, slot: slot)
        var position = chunkOffset(column: index, slot: slot, chunk: 0)
        for (chunk, stream) in streams.enumerated() {
            let entry = chunkEntryOffset(column: index, slot: slot, chunk: chunk)
            store(UInt64(position - buffer), ChunkEntryLayout.compressedOffset, at: entry)
            store(UInt32(stream.count), ChunkEntryLayout.compressedLength, at: entry)
            bytes.replaceSubrange(position..<(position + stream.count), with: stream)
            position += stream.count
        }
    }
}

/// CRC-32/ISO-HDLC (zlib's), computed independently of the library under test (Specification.md §2).
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        if let crc = unsafe bytes.withContiguousStorageIfAvailable(checksum(contiguous:)) { return crc }
        return checksum(contiguous: Array(bytes))
    }

    /// The CRC-32 of `bytes`, a byte at a time through the table. An index loop over buffers,
    /// not a `for` over a sequence: a debug build runs this over tens of MiB in the writer's tests.
    private static func checksum(contiguous bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        unsafe table.withUnsafeBufferPointer { table in
            var index = 0
            while index < bytes.count {
                crc = unsafe table[Int((crc ^ UInt32(unsafe bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The CRC-32 of `bytes`.
    private static func checksum(contiguous bytes: [UInt8]) -> UInt32 {
        unsafe bytes.withUnsafeBufferPointer(checksum(contiguous:))
    }
}
