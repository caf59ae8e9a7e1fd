/// The 32-byte trailer at the end of the file (Specification.md §4).
enum FileTrailer {
    /// Checks the trailer against the header's directory location: spec §9 step 10.
    static func check(_ trailer: ByteView, matches location: DirectoryLocation, at fileOffset: UInt64,
                      context: ErrorContext) throws {
        guard trailer.matches(FormatConstants.endMagic, at: 24) else {
            throw context.error(.badTrailer, "the trailer's end magic is missing", offset: fileOffset + 24)
        }
        let stored = DirectoryLocation(
            offset: trailer.load(UInt64.self, at: 0),
            length: trailer.load(UInt64.self, at: 8),
            checksum: trailer.load(UInt32.self, at: 16))
        guard stored == location else {
            throw context.error(
                .badTrailer, "the trailer disagrees with the header about the directory", offset: fileOffset,
                expected: "offset \(location.offset) length \(location.length) crc \(hex(location.checksum))",
                found: "offset \(stored.offset) length \(stored.length) crc \(hex(stored.checksum))")
        }
    }

    /// The 32 bytes of the trailer for `location`.
    static func encoded(_ location: DirectoryLocation) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(location.offset)
        writer.append(location.length)
        writer.append(location.checksum)
        writer.append(UInt32(0))
        writer.append(bytes: FormatConstants.endMagic)
        assert(writer.bytes.count == FormatConstants.trailerLength)
        return writer.bytes
    }
}
