import CZlib

/// CRC-32/ISO-HDLC (zlib's and PNG's), the checksum of every colfile structure (Specification.md §2).
enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, unsafe !bytes.isEmpty else { return crc }
        let pointer = unsafe base.assumingMemoryBound(to: Bytef.self)
        return UInt32(truncatingIfNeeded: unsafe crc32_z(uLong(crc), pointer, bytes.count))
    }

    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        unsafe bytes.withUnsafeBytes { unsafe checksum($0, continuing: crc) }
    }
}
