import ColFile

/// Recomputes the checksums of a mutated input, so that most mutations reach the structural
/// checks behind them instead of stopping at the header or directory CRC-32 (Specification.md §3,
/// §4, §5.2). Each input is run as it is and, when it differs, re-sealed.
///
/// Every offset read from the input is bounds-checked here: this runs on arbitrary bytes. Where each
/// field lies comes from the library's layout tables (`Format/Layout/`, package access).
enum Reseal {
    /// `bytes` with the buffer checksums of plain columns, the directory checksum (header and
    /// trailer) and the header checksum recomputed, as far as the bytes allow; nil when nothing
    /// could be re-sealed.
    static func resealed(_ input: [UInt8]) -> [UInt8]? {
        var bytes = input
        guard bytes.count >= HeaderLayout.length else { return nil }
        if bytes[DraftHeaderLayout.magic.offset..<DraftHeaderLayout.magic.offset + DraftHeaderLayout.magic.count]
            .elementsEqual(draftMagic) {
            return resealedDraft(input)
        }
        let directory = load(bytes, HeaderLayout.directoryOffset)
        let length = load(bytes, HeaderLayout.directoryLength)
        let (end, overflow) = directory.addingReportingOverflow(length)
        if !overflow, length >= UInt64(DirectoryHeaderLayout.length), end <= UInt64(bytes.count) {
            let start = Int(directory)
            resealBuffers(&bytes, directory: start, end: Int(end))
            let checksum = crc32(bytes[start..<Int(end)])
            store(&bytes, HeaderLayout.directoryChecksum, checksum)
            if end + UInt64(TrailerLayout.length) <= UInt64(bytes.count) {
                let trailer = Int(end)
                store(&bytes, TrailerLayout.directoryOffset, directory, base: trailer)
                store(&bytes, TrailerLayout.directoryLength, length, base: trailer)
                store(&bytes, TrailerLayout.directoryChecksum, checksum, base: trailer)
            }
        }
        store(&bytes, HeaderLayout.checksum, crc32(bytes[0..<HeaderLayout.checksum.offset]))
        return bytes == input ? nil : bytes
    }

    /// Specification.md §15.2: a draft's magic.
    private static let draftMagic: [UInt8] = [0x89, 0x43, 0x4F, 0x44, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A draft with its description CRC-32 (when the description lies inside) and header CRC-32
    /// recomputed; nil when that changes nothing.
    private static func resealedDraft(_ input: [UInt8]) -> [UInt8]? {
        var bytes = input
        let offset = load(bytes, DraftHeaderLayout.descriptionOffset)
        let length = UInt64(load(bytes, DraftHeaderLayout.descriptionLength))
        let (end, overflow) = offset.addingReportingOverflow(length)
        if !overflow, end <= UInt64(bytes.count) {
            store(&bytes, DraftHeaderLayout.descriptionChecksum, crc32(bytes[Int(offset)..<Int(end)]))
        }
        store(&bytes, DraftHeaderLayout.checksum, crc32(bytes[0..<DraftHeaderLayout.checksum.offset]))
        return bytes == input ? nil : bytes
    }

    /// Recomputes the CRC-32 in each buffer descriptor of each uncompressed column whose buffer
    /// lies inside the file.
    private static func resealBuffers(_ bytes: inout [UInt8], directory: Int, end: Int) {
        let columns = Int(load(bytes, DirectoryHeaderLayout.columnCount, base: directory))
        let recordLength = Int(load(bytes, DirectoryHeaderLayout.recordLength, base: directory))
        let records = directory + Int(load(bytes, DirectoryHeaderLayout.recordsOffset, base: directory))
        // A record long enough for its first three descriptors (the reader refuses shorter ones
        // anyway); the dictionary's two (slots 3 and 4) only in records of 232 bytes or more.
        let descriptorsEnd = ColumnRecordLayout.length
        guard recordLength >= descriptorsEnd, columns <= 4096 else { return }
        for column in 0..<columns {
            let record = records + column * recordLength
            guard record + descriptorsEnd <= end, load(bytes, ColumnRecordLayout.codec, base: record) == 0 else {
                continue
            }
            for slot in BufferRole.allCases.map(\.rawValue)
            where ColumnRecordLayout.buffer(slot) + BufferDescriptorLayout.length <= recordLength {
                let descriptor = record + ColumnRecordLayout.buffer(slot)
                let offset = load(bytes, BufferDescriptorLayout.offset, base: descriptor)
                let stored = load(bytes, BufferDescriptorLayout.storedLength, base: descriptor)
                let (bufferEnd, overflow) = offset.addingReportingOverflow(stored)
                guard !overflow, bufferEnd <= UInt64(bytes.count), stored > 0 else { continue }
                store(&bytes, BufferDescriptorLayout.checksum, crc32(bytes[Int(offset)..<Int(bufferEnd)]),
                      base: descriptor)
            }
        }
    }

    /// `field` of the structure at `base`, or 0 when it lies out of range.
    private static func load<T>(_ bytes: [UInt8], _ field: Field<T>, base: Int = 0) -> T {
        let offset = field.at(base)
        guard offset >= 0, offset + field.size <= bytes.count else { return 0 }
        var value: T = 0
        for index in 0..<field.size { value |= T(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// Stores `value` little-endian in `field` of the structure at `base`, if in range.
    private static func store<T>(_ bytes: inout [UInt8], _ field: Field<T>, _ value: T, base: Int = 0) {
        let offset = field.at(base)
        guard offset >= 0, offset + field.size <= bytes.count else { return }
        for index in 0..<field.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
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
