/// Recomputes the checksums of a mutated input, so that most mutations reach the structural
/// checks behind them instead of stopping at the header or directory CRC-32 (Specification.md §3,
/// §4, §5.2). Each input is run as it is and, when it differs, re-sealed.
///
/// Every offset read from the input is bounds-checked here: this runs on arbitrary bytes.
enum Reseal {
    /// `bytes` with the buffer checksums of plain columns, the directory checksum (header and
    /// trailer) and the header checksum recomputed, as far as the bytes allow; nil when nothing
    /// could be re-sealed.
    static func resealed(_ input: [UInt8]) -> [UInt8]? {
        var bytes = input
        guard bytes.count >= 64 else { return nil }
        let directory = load(bytes, 40, 8)
        let length = load(bytes, 48, 8)
        let (end, overflow) = directory.addingReportingOverflow(length)
        if !overflow, length >= 64, end <= UInt64(bytes.count) {
            let start = Int(directory)
            resealBuffers(&bytes, directory: start, end: Int(end))
            let checksum = crc32(bytes[start..<Int(end)])
            store(&bytes, 56, UInt64(checksum), 4)
            if end + 32 <= UInt64(bytes.count) {
                store(&bytes, Int(end), directory, 8)
                store(&bytes, Int(end) + 8, length, 8)
                store(&bytes, Int(end) + 16, UInt64(checksum), 4)
            }
        }
        store(&bytes, 60, UInt64(crc32(bytes[0..<60])), 4)
        return bytes == input ? nil : bytes
    }

    /// Recomputes the CRC-32 in each buffer descriptor of each uncompressed column whose buffer
    /// lies inside the file.
    private static func resealBuffers(_ bytes: inout [UInt8], directory: Int, end: Int) {
        let columns = Int(load(bytes, directory + 4, 4))
        let recordLength = Int(load(bytes, directory + 16, 4))
        let records = directory + Int(load(bytes, directory + 20, 4))
        guard recordLength >= 152, columns <= 4096 else { return }
        for column in 0..<columns {
            let record = records + column * recordLength
            guard record + 152 <= end, bytes[record + 12] == 0 else { continue }
            for slot in 0..<3 {
                let descriptor = record + 56 + slot * 32
                let offset = load(bytes, descriptor, 8)
                let stored = load(bytes, descriptor + 8, 8)
                let (bufferEnd, overflow) = offset.addingReportingOverflow(stored)
                guard !overflow, bufferEnd <= UInt64(bytes.count), stored > 0 else { continue }
                store(&bytes, descriptor + 24, UInt64(crc32(bytes[Int(offset)..<Int(bufferEnd)])), 4)
            }
        }
    }

    /// The little-endian integer of `width` bytes at `offset`, or 0 when it is out of range.
    private static func load(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, offset + width <= bytes.count else { return 0 }
        var value: UInt64 = 0
        for index in 0..<width { value |= UInt64(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// Stores the low `width` bytes of `value` little-endian at `offset`, if in range.
    private static func store(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64, _ width: Int) {
        guard offset >= 0, offset + width <= bytes.count else { return }
        for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    /// CRC-32/ISO-HDLC (zlib's).
    private static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
