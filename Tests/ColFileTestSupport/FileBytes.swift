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

    /// The directory offset D from the header (Specification.md §3, offset 40).
    public var directoryOffset: Int { Int(load(UInt64.self, at: 40)) }
    /// The directory length DL from the header (offset 48).
    public var directoryLength: Int { Int(load(UInt64.self, at: 48)) }
    /// The absolute offset of the trailer, `D + DL`.
    public var trailerOffset: Int { directoryOffset + directoryLength }

    /// The absolute offset of column record `index` (Specification.md §5.1: records offset + i × RL).
    public func recordOffset(_ index: Int) -> Int {
        let directory = directoryOffset
        return directory + Int(load(UInt32.self, at: directory + 20)) + index * Int(load(UInt32.self, at: directory + 16))
    }

    /// The absolute offset of the heap (Specification.md §5.1, directory offset 28).
    public var heapOffset: Int { directoryOffset + Int(load(UInt32.self, at: directoryOffset + 28)) }

    /// The absolute offset of buffer descriptor `slot` (0 validity, 1 offsets, 2 values) of column `index`.
    public func descriptorOffset(column index: Int, slot: Int) -> Int {
        recordOffset(index) + 56 + slot * 32
    }

    /// The absolute offset of the bytes of buffer `slot` of column `index`, read from its descriptor.
    public func bufferOffset(column index: Int, slot: Int) -> Int {
        Int(load(UInt64.self, at: descriptorOffset(column: index, slot: slot)))
    }

    /// Recomputes the header CRC-32 (offset 60, over bytes 0–59).
    public mutating func resealHeader() {
        store(CRC32.checksum(bytes[0..<60]), at: 60)
    }

    /// Recomputes the directory CRC-32 in the header (offset 56) and the trailer (its offset 16),
    /// then the header CRC-32: what a writer would have stored for the current directory bytes.
    ///
    /// - Precondition: the header's directory offset and length lie inside the file.
    public mutating func resealDirectory() {
        let start = directoryOffset
        let end = start + directoryLength
        let checksum = CRC32.checksum(bytes[start..<end])
        store(checksum, at: 56)
        store(checksum, at: end + 16)
        resealHeader()
    }

    /// Recomputes the CRC-32 of buffer `slot` of column `index` in its descriptor (offset 24), then
    /// re-seals the directory: a data edit that only full verification's UTF-8 or null checks see.
    public mutating func resealBuffer(column index: Int, slot: Int) {
        let descriptor = descriptorOffset(column: index, slot: slot)
        let start = Int(load(UInt64.self, at: descriptor))
        let length = Int(load(UInt64.self, at: descriptor + 8))
        store(CRC32.checksum(bytes[start..<(start + length)]), at: descriptor + 24)
        resealDirectory()
    }

    // MARK: - Chunk indexes of cold columns (Specification.md §13.2)

    /// The chunk count K of compressed buffer `slot` of column `index` (its chunk index, offset 4).
    public func chunkCount(column index: Int, slot: Int) -> Int {
        Int(load(UInt32.self, at: bufferOffset(column: index, slot: slot) + 4))
    }

    /// The absolute offset of the 24-byte entry of chunk `chunk` in the chunk index of compressed
    /// buffer `slot` of column `index`: compressed offset (u64), compressed length, decoded length,
    /// CRC-32 (u32 each) at +0, +8, +12, +16.
    public func chunkEntryOffset(column index: Int, slot: Int, chunk: Int) -> Int {
        bufferOffset(column: index, slot: slot) + 16 + chunk * 24
    }

    /// The absolute offset of the compressed bytes of chunk `chunk`, read from its entry.
    public func chunkOffset(column index: Int, slot: Int, chunk: Int) -> Int {
        bufferOffset(column: index, slot: slot)
            + Int(load(UInt64.self, at: chunkEntryOffset(column: index, slot: slot, chunk: chunk)))
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
            let length = Int(load(UInt32.self, at: chunkEntryOffset(column: index, slot: slot, chunk: chunk) + 8))
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
            store(UInt64(position - buffer), at: entry)
            store(UInt32(stream.count), at: entry + 8)
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
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
